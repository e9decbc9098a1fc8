"""The practice pages through a test client: pick or be offered, the player, the rating, what
helped, preferences, the one-minute exercise for anyone, and the links to it."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from steadymind.features.practice.schemas import FinishIn, StartIn
from steadymind.features.practice.service import PracticeService
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services
from tests.web.test_pages import csrf_of, log_in


def _start(client: TestClient, **fields: str) -> str:
    page = client.get("/practice").text
    data = {"csrf": csrf_of(page), "goal": "calm", "minutes": "3", **fields}
    response = client.post("/practice/start", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_the_page_offers_practices_for_the_goal_with_reasons(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/practice?goal=craving&minutes=5").text
    assert re.findall(r'name="practice" value="([^"]+)" checked', page) == ["urge-surfing"]
    assert "It suits 5 minutes." in page
    assert page.count('class="practice-info"') >= 12  # every practice, with its evidence
    assert 'href="/practice"' in page  # in the navigation


def test_starting_opens_the_player_with_its_timed_script(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    player = _start(client, practice="box-breathing", calm_before="3")
    assert player.startswith("/practice/session/")
    page = client.get(player).text
    script = json.loads(re.search(r'id="practice-script">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert script["practice"] == "box-breathing" and script["breaths"]
    assert 'id="pacer"' in page and 'src="/practice/assets/practice.js"' in page
    assert "Before, you said 3." in page
    assert 'name="calm_after" value="10"' in page


def test_rating_after_shows_what_helped(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    player = _start(client, practice="noting", calm_before="4")
    page = client.get(player).text
    done = client.post(
        f"{player}/finish",
        data={"csrf": csrf_of(page), "calm_after": "7", "note": "quieter now"},
        follow_redirects=True,
    )
    assert "Your rating is saved." in done.text
    row = re.search(r"<td>Noting</td><td>1</td><td>([^<]+)</td>", done.text)
    assert row and row[1] == "+3.0"


def test_a_crisis_note_after_a_practice_shows_the_crisis_response(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    player = _start(client)
    page = client.get(player).text
    done = client.post(
        f"{player}/finish", data={"csrf": csrf_of(page), "note": FAKE_HIGH}, follow_redirects=True
    )
    assert 'id="crisis-response"' in done.text
    assert 'href="/breathe"' in done.text
    assert done.text.index('id="crisis-response"') < done.text.index('href="/breathe"')


def test_on_edge_rules_out_holds_and_no_body_leaves_the_body_out(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    _start(client, goal="focus", on_edge="true", no_body="true", practice="")
    practice = services.runtime.get(PracticeService)
    (session,) = practice.find(alice.principal)
    assert session.practice != "box-breathing"
    assert session.params["prefs"]["no_body"] is True
    assert session.params["checkin"]["emotions"] == ["anxious"]


def test_preferences_are_saved(client: TestClient, alice: Persona, services: Services) -> None:
    log_in(client, alice)
    page = client.get("/practice").text
    data = {"csrf": csrf_of(page), "experience": "new", "pace": "slow", "background": "rain"}
    client.post("/practice/profile", data=data)
    profile = services.runtime.get(PracticeService).profile(alice.principal)
    assert profile.experience == "new" and profile.prefs.background == "rain"


def test_bob_cannot_open_alice_s_session(
    client: TestClient, alice: Persona, bob: Persona, services: Services
) -> None:
    session, _ = services.runtime.get(PracticeService).start(alice.principal, StartIn())
    log_in(client, bob)
    assert client.get(f"/practice/session/{session.id}").status_code == 404
    page = client.get("/practice").text
    response = client.post(
        f"/practice/session/{session.id}/finish", data={"csrf": csrf_of(page), "calm_after": "1"}
    )
    assert response.status_code == 404


def test_deleting_a_session(client: TestClient, alice: Persona, services: Services) -> None:
    practice = services.runtime.get(PracticeService)
    session, _ = practice.start(alice.principal, StartIn())
    practice.finish(alice.principal, session.id, FinishIn(calm_after=5))
    log_in(client, alice)
    page = client.get("/practice").text
    client.post(f"/practice/session/{session.id}/delete", data={"csrf": csrf_of(page)})
    assert practice.find(alice.principal) == []


def test_the_one_minute_exercise_needs_no_login_and_no_script(client: TestClient) -> None:
    page = client.get("/breathe")
    assert page.status_code == 200
    assert "pacer-minute" in page.text and "five things you can see" in page.text
    css = client.get("/practice/assets/practice.css")
    assert css.status_code == 200 and "prefers-reduced-motion" in css.text
    assert "@keyframes breathe-minute" in css.text
    assert client.get("/practice/assets/other.js").status_code == 404


def test_help_now_links_to_the_minute_after_the_crisis_lines(client: TestClient) -> None:
    page = client.get("/help").text
    assert 'href="/breathe"' in page
    assert page.index('class="plain lines"') < page.index('href="/breathe"')


def test_the_practice_pages_need_a_login(client: TestClient) -> None:
    response = client.get("/practice", follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_a_session_with_a_strap_shows_its_heart_summary(
    client: TestClient, alice: Persona, services: Services
) -> None:
    practice = services.runtime.get(PracticeService)
    session, _ = practice.start(alice.principal, StartIn(practice="resonance"))
    summary = {"series": [], "before": {"hr": 71.0, "rmssd": 22.0},
               "after": {"hr": 64.5, "rmssd": 41.0}, "seconds": 300, "pace": 5.5}  # fmt: skip
    practice.record_biofeedback(alice.principal, session.id, summary)
    log_in(client, alice)
    page = client.get(f"/practice/session/{session.id}").text
    assert "your heart rate went from 71 beats a minute in the first minute to 64 in the last" in (
        page
    )  # 64.5 shows as 64: Python rounds half to even, and so does the table
    assert "<svg" not in page.split('id="heart-chart"')[1]  # no series: the words, no plot
    assert f'href="/practice/biofeedback?session={session.id}"' in page
    assert (
        "Find my resonance pace" in client.get(f"/practice/biofeedback?session={session.id}").text
    )


def test_the_session_page_draws_the_heart_chart_on_the_server(
    client: TestClient, alice: Persona, services: Services
) -> None:
    practice = services.runtime.get(PracticeService)
    session, _ = practice.start(alice.principal, StartIn(practice="resonance", minutes=5))
    series = [{"t": 60.0 + 5 * i, "hr": 72.0 - i * 0.2, "rmssd": 25.0 + i * 0.5} for i in range(48)]
    summary = {"series": series, "before": {"hr": 72.4, "rmssd": 24.0},
               "after": {"hr": 63.1, "rmssd": 48.2}, "seconds": 300.0, "pace": 5.5}  # fmt: skip
    practice.record_biofeedback(alice.principal, session.id, summary)
    log_in(client, alice)
    page = client.get(f"/practice/session/{session.id}").text
    chart = page.split('id="heart-chart"')[1].split("</section>")[0]
    assert chart.count("<svg") == 2 and chart.count('role="img"') == 2
    assert 'data-points="48"' in chart and "<script" not in chart
    assert "Heart rate over the session, in bpm" in chart
    assert "First minute 72 bpm, last minute 63 bpm." in chart
    assert "from 72 beats a minute in the first minute to 63 in the last (9 lower)" in chart
    assert "from 24 ms to 48 ms (24 ms higher)" in chart
    assert "<td>4:55</td><td>63</td><td>48</td>" in chart
