"""The check-in pages through a test client: the form (scales in words, one Save, a date and
time, the grouped feelings picker), its errors, the review of suggestions and the history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from steadymind.affect.vocabulary import QUADRANTS
from steadymind.features.checkins.schemas import CheckInIn
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services
from tests.web.test_pages import csrf_of, log_in

RAW_LABELS = ("approval", "realization", "desire", "admiration", "disapproval", "neutral")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def page(client: TestClient, alice: Persona) -> str:
    log_in(client, alice)
    return client.get("/checkin").text


def legends(html: str) -> list[str]:
    return re.findall(r"<legend>([^<]+)</legend>", html)


def chips(html: str) -> list[str]:
    return re.findall(r'name="emotions" value="([^"]+)"', html)


def post(client: TestClient, page: str, **data: object) -> object:
    fields: dict[str, object] = {"mood": "0", "energy": "0", "csrf": csrf_of(page)}
    fields.update(data)
    return client.post("/checkin", data=fields, follow_redirects=False)


# -- the form ------------------------------------------------------------------------------


def test_feelings_come_in_four_groups_of_plain_words(page: str) -> None:
    assert legends(page) == ["Mood", "Energy"] + [q.title for q in QUADRANTS]
    offered = chips(page)
    assert offered == [w for q in QUADRANTS for w in q.words]
    for label in RAW_LABELS:
        assert f'value="{label}"' not in page and f">{label}<" not in page


def test_the_persons_recent_words_come_first_and_once(
    client: TestClient, alice: Persona, services: Services
) -> None:
    for words in (["tired", "lonely"], ["tired"]):
        services.checkins.create(alice.principal, CheckInIn(mood=-2, energy=-3, emotions=words))
    log_in(client, alice)
    html = client.get("/checkin").text
    assert legends(html)[2] == "Your recent words"
    offered = chips(html)
    assert offered[:2] == ["tired", "lonely"]
    assert offered.count("tired") == 1 and offered.count("lonely") == 1


def test_the_scales_have_words_at_their_ends_and_for_their_value(page: str) -> None:
    for low, high in (("very low", "very good"), ("no energy", "full of energy")):
        assert re.search(rf"<span>{low}</span><span>{high}</span>", page)
    assert re.search(
        r'<output id="mood-value" for="mood">0</output>\s*<span id="mood-word">okay', page
    )
    assert 'aria-valuetext="0, okay"' in page
    assert "How pleasant or unpleasant do you feel?" in page


def test_one_save_button_and_how_strong_says_of_what(page: str) -> None:
    assert len(re.findall(r'<button type="submit"', page)) == 1
    assert "How strong are these feelings?" in page


def test_the_time_defaults_to_now_where_the_person_lives(page: str, services: Services) -> None:
    now = services.clock.now().astimezone(LONDON)
    shown = now.strftime("%Y-%m-%dT%H:%M")
    assert re.search(rf'type="datetime-local" name="at" value="{shown}"', page)
    latest = (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert f'max="{latest}"' in page


def test_a_missed_day_is_logged_at_the_time_given_in_the_persons_zone(
    client: TestClient, page: str, alice: Persona, services: Services
) -> None:
    response = post(client, page, at="2026-01-10T21:30", at_shown="2026-01-15T09:00")
    assert response.status_code == 303  # type: ignore[attr-defined]
    (item,) = services.checkins.find(alice.principal)
    assert item.at == datetime(2026, 1, 10, 21, 30, tzinfo=LONDON)


def test_a_time_left_as_shown_means_the_moment_of_saving(
    client: TestClient, page: str, alice: Persona, services: Services
) -> None:
    services.clock.advance(minutes=7, seconds=12)  # type: ignore[attr-defined]
    post(client, page, at="2026-01-15T09:00", at_shown="2026-01-15T09:00")
    (item,) = services.checkins.find(alice.principal)
    assert item.at == services.clock.now()


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("2026-01-20T09:00", "The date is in the future: a check-in can be at most a day ahead"),
        ("1850-06-01T09:00", "That date is outside the range a check-in can have."),
        ("yesterday", "Please give the date and time as the field shows them"),
    ],
)
def test_a_wrong_time_shows_the_form_again_with_what_was_written(
    client: TestClient, page: str, alice: Persona, services: Services, at: str, message: str
) -> None:
    response = post(
        client, page, at=at, at_shown="x", note="a slow morning", tags="tea", emotions=["calm"]
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert re.search(rf'<p class="notice error" role="alert">{re.escape(message)}', html)
    assert "a slow morning</textarea>" in html and 'value="tea"' in html
    assert 'value="calm" checked' in html
    assert services.checkins.find(alice.principal) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "x" * 5_001}, "The note can be at most 5,000 characters."),
        ({"tags": "t" * 41}, "A tag can be 1 to 40 characters."),
        ({"tags": ", ".join(f"t{i}" for i in range(21))}, "Please use at most 20 tags."),
        ({"emotions": ["hangry"]}, "One of the feelings is not in the list"),
        ({"intensity": "11"}, "How strong goes from 0 to 10."),
    ],
)
def test_limits_are_told_in_characters_on_the_form(
    client: TestClient, page: str, data: dict[str, object], message: str
) -> None:
    response = post(client, page, **data)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert 'value="hangry"' not in response.text  # type: ignore[attr-defined]


def test_an_edit_that_leaves_the_time_alone_keeps_it_to_the_second(
    client: TestClient, alice: Persona, services: Services
) -> None:
    at = datetime(2026, 1, 14, 7, 45, 33, tzinfo=UTC)
    item, _ = services.checkins.create(
        alice.principal, CheckInIn(at=at, tz="Asia/Tokyo", mood=1, energy=0, emotions=["calm"])
    )
    log_in(client, alice)
    edit = client.get(f"/checkin/{item.id}/edit").text
    assert 'name="at" value="2026-01-14T16:45"' in edit  # Tokyo time
    assert 'value="calm" checked' in edit
    client.post(
        f"/checkin/{item.id}/edit",
        data={
            "mood": "3",
            "energy": "0",
            "emotions": ["calm"],
            "at": "2026-01-14T16:45",
            "at_shown": "2026-01-14T16:45",
            "csrf": csrf_of(edit),
        },
    )
    saved = services.checkins.get(alice.principal, item.id)
    assert (saved.mood, saved.at) == (3, at)
    client.post(
        f"/checkin/{item.id}/edit",
        data={"mood": "3", "energy": "0", "at": "2026-01-13T22:00", "at_shown": "2026-01-14T16:45",
              "csrf": csrf_of(edit)},
    )  # fmt: skip
    assert services.checkins.get(alice.principal, item.id).at == datetime(
        2026, 1, 13, 22, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )


def test_a_note_still_passes_the_crisis_gate(client: TestClient, page: str) -> None:
    response = post(client, page, note=FAKE_HIGH, at="2026-01-14T20:00", at_shown="x")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert 'id="crisis-response"' in response.text  # type: ignore[attr-defined]


# -- the review of suggestions -----------------------------------------------------------------


def test_suggestions_are_plain_words_and_name_no_model(client: TestClient, page: str) -> None:
    response = post(client, page, note="a good day")
    review = client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert 'value="joyful" checked' in review  # the fake model reads "joy"
    assert 'value="joy"' not in review
    assert "fake-emotions" not in review and "model_id" not in review


# -- the history -------------------------------------------------------------------------------


@pytest.fixture
def history(client: TestClient, alice: Persona, services: Services) -> str:
    base = datetime(2026, 1, 14, 8, 0, tzinfo=UTC)
    for hours, mood, energy, strength in [(0, -3, -2, 7), (6, 0, 1, None), (12, 3, 2, 5)]:
        services.checkins.create(
            alice.principal,
            CheckInIn(at=base + timedelta(hours=hours), mood=mood, energy=energy,
                      intensity=strength),
        )  # fmt: skip
    services.checkins.create(
        alice.principal, CheckInIn(at=base - timedelta(days=3), mood=-1, energy=-4)
    )
    log_in(client, alice)
    return client.get("/history").text


def test_history_draws_a_day_once_with_its_range_and_both_lines(history: str) -> None:
    mood = re.search(r'<polyline class="mood" points="([^"]+)"', history)
    energy = re.search(r'<polyline class="energy" points="([^"]+)"', history)
    assert mood and energy
    assert len(mood.group(1).split()) == 2  # two days, not four check-ins
    assert len(energy.group(1).split()) == 2
    assert '<polygon class="band"' in history
    assert len(re.findall(r'<line class="range"', history)) == 1


def test_history_shows_how_strong(history: str) -> None:
    assert "How strong the feelings were (0–10)" in history
    (bar,) = re.findall(r'<rect class="strength"[^>]*><title>([^<]+)</title>', history)
    assert bar == "Wed 14 Jan: how strong 6 of 10"


def test_history_has_titles_a_description_and_tables(history: str) -> None:
    assert re.search(
        r'<svg viewBox="[^"]+" role="img" aria-labelledby="chart-title chart-desc"', history
    )
    assert "Check-ins on 2 of the last 30 days." in history
    assert '<th scope="row">Wed 14 Jan</th><td>3</td>' in history
    assert re.search(r"<td>0 <small>\(-3 to \+3\)</small></td>", history)
    assert '<th scope="row">January 2026</th><td>2 of 15</td>' in history


def test_history_has_a_year_in_pixels(history: str) -> None:
    assert "Your year in colour" in history
    days = re.findall(r'<rect class="day ([^"]+)"[^>]*><title>([^<]+)</title>', history)
    assert len(days) == (datetime(2026, 1, 15) - datetime(2025, 2, 1)).days + 1
    levels = dict((title.split(":")[0], level) for level, title in days)
    assert levels["Wed 14 Jan 2026"] == "level-2"  # a mean of 0
    assert levels["Sun 11 Jan 2026"] == "level-1"  # -1
    assert levels["Tue 13 Jan 2026"] == "none"
