"""A crisis sentence through every place a person can write: every surface, route and command.

In the style of the route inventory: the routes that take input (POST, PUT, PATCH) and the
commands are read from the app and the CLI themselves, and each must be either probed here (a
crisis sentence goes in, the crisis response must come out, with no emotion reading beside it)
or listed as taking no prose, with the reason. A new route or command that takes text fails
until someone decides which it is; every text surface the features register must be reached
by some probe. The production gate and emotion model are used: this is what a person sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from steadymind.cli.main import app as cli_app
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.screen import Assessor, EmotionReader, TextSeam
from tests.conftest import Persona
from tests.http.test_route_inventory import endpoints
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in

CRISIS = "I am going to end my life tonight"
CALM = "A slow morning, tea by the window."
WRITES = {"POST", "PUT", "PATCH"}


pytestmark = pytest.mark.shipped_models  # what a person in crisis really sees


class RecordingSeam(TextSeam):
    """The real seam, noting which surfaces were used."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.used: set[str] = set()

    def screen(self, parts: Any, *, surface: str, **kwargs: Any) -> Any:
        self.used.add(surface)
        return super().screen(parts, surface=surface, **kwargs)

    def screen_many(self, texts: Any, *, surface: str, **kwargs: Any) -> Any:
        self.used.add(surface)  # many texts at once (an import's notes)
        return super().screen_many(texts, surface=surface, **kwargs)

    def safety_step(self, owner: Any, surface: str, categories: Any) -> Any:
        self.used.add(surface)
        return super().safety_step(owner, surface, categories)


@pytest.fixture
def seam(gate: Assessor, emotions: EmotionReader, clock: Any) -> TextSeam:
    return RecordingSeam(gate, emotions, clock)


# -- the API -----------------------------------------------------------------------------------


def _api_gate(body: Any) -> dict[str, Any]:
    return dict(body["gate"])


def _calm_checkin(client: TestClient, alice: Persona) -> str:
    body = {"mood": 1, "energy": 0, "note": CALM}
    return str(
        client.post("/api/v1/checkins", json=body, headers=alice.headers).json()["checkin"]["id"]
    )


def _calm_entry(client: TestClient, alice: Persona) -> str:
    body = {"title": "Morning", "body": CALM}
    return str(
        client.post("/api/v1/journal", json=body, headers=alice.headers).json()["entry"]["id"]
    )


ApiProbe = Callable[[TestClient, Persona], list[dict[str, Any]]]


def _post(path: str, body: Any) -> ApiProbe:
    def probe(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
        response = client.post(path, json=body, headers=alice.headers)
        assert response.status_code in (200, 201), response.text
        return [_api_gate(response.json())]

    return probe


def _checkin_patch(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    row = _calm_checkin(client, alice)
    response = client.patch(f"/api/v1/checkins/{row}", json={"note": CRISIS}, headers=alice.headers)
    return [_api_gate(response.json())]


def _journal_patches(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    found = []
    for change in ({"body": CRISIS}, {"title": CRISIS}):
        row = _calm_entry(client, alice)
        response = client.patch(f"/api/v1/journal/{row}", json=change, headers=alice.headers)
        found.append(_api_gate(response.json()))
    return found


def _plan_put(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    plan = {"warning_signs": ["not sleeping"], "reasons_for_living": [CRISIS]}
    response = client.put("/api/v1/safety/plan", json=plan, headers=alice.headers)
    return [_api_gate(response.json())]


def _affect(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    body = {"texts": [CRISIS]}
    (result,) = client.post("/api/v1/affect/text", json=body, headers=alice.headers).json()
    assert result["reading"] is None, "an emotion reading beside a crisis response"
    return [dict(result["gate"])]


def _companion_on(client: TestClient, alice: Persona) -> str:
    """Alice turns the companion on and accepts its consent; a new conversation's id."""
    client.patch("/api/v1/me", json={"ai_level": "companion"}, headers=alice.headers)
    version = client.get("/api/v1/companion/consent", headers=alice.headers).json()["current"]
    client.post("/api/v1/companion/consent", json={"version": version}, headers=alice.headers)
    started = client.post("/api/v1/companion/sessions", json={}, headers=alice.headers)
    return str(started.json()["session"]["id"])


def _companion_turn(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    session = _companion_on(client, alice)
    path = f"/api/v1/companion/sessions/{session}/turns"
    response = client.post(path, json={"text": CRISIS}, headers=alice.headers)
    body = response.json()
    assert body["reply"] is None, "a companion reply beside a crisis response"
    return [_api_gate(body)]


def _companion_memory(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    _companion_on(client, alice)
    response = client.post("/api/v1/companion/memory", json={"text": CRISIS}, headers=alice.headers)
    assert response.json()["item"] is None, "a crisis sentence kept as a memory item"
    return [_api_gate(response.json())]


def _companion_memory_edit(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    _companion_on(client, alice)
    made = client.post("/api/v1/companion/memory", json={"text": CALM}, headers=alice.headers)
    item = made.json()["item"]["id"]
    path = f"/api/v1/companion/memory/{item}"
    response = client.patch(path, json={"text": CRISIS}, headers=alice.headers)
    return [_api_gate(response.json())]


def _practice_note(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    made = client.post("/api/v1/practice/sessions", json={}, headers=alice.headers).json()
    path = f"/api/v1/practice/sessions/{made['session']['id']}/finish"
    response = client.post(path, json={"calm_after": 2, "note": CRISIS}, headers=alice.headers)
    return [_api_gate(response.json())]


DAYLIO_HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"


def _import_daylio(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    found = []
    for row in (f'2025-11-01,,,21:00,awful,,,"{CRISIS}"', f'2025-11-02,,,21:00,bad,,"{CRISIS}",'):
        upload = {"file": ("daylio.csv", (DAYLIO_HEADER + row + "\n").encode(), "text/csv")}
        response = client.post("/api/v1/imports/daylio", files=upload, headers=alice.headers)
        assert response.status_code == 200, response.text
        found.append(_api_gate(response.json()))
    return found


def _import_csv(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    mapping = '[columns]\ndate = "Date"\nmood = "Mood"\nnote = "Notes"\n'
    upload = {
        "file": ("export.csv", f'Date,Mood,Notes\n2025-11-01,-3,"{CRISIS}"\n'.encode(), "text/csv"),
        "mapping": ("mapping.toml", mapping.encode(), "application/toml"),
    }
    response = client.post("/api/v1/imports/csv", files=upload, headers=alice.headers)
    assert response.status_code == 200, response.text
    return [_api_gate(response.json())]


def _phq9_item9(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    """Not a sentence but an answer: PHQ-9 item 9 above "not at all" is the safety step."""
    body = {"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}
    response = client.post("/api/v1/assessments", json=body, headers=alice.headers)
    assert response.status_code == 201, response.text
    return [_api_gate(response.json())]


def _supporter(client: TestClient, alice: Persona) -> list[dict[str, Any]]:
    """The supporter's name and the person's own name as they know them (both prose)."""
    found = []
    for field in ("name", "signed_as"):
        body = {"name": "Sam", "signed_as": "Alice", "email": "sam@example.org"} | {field: CRISIS}
        response = client.put("/api/v1/warnings/supporter", json=body, headers=alice.headers)
        assert response.status_code == 200, response.text
        found.append(_api_gate(response.json()))
    return found


API_PROBES: dict[str, ApiProbe] = {
    "PUT /api/v1/warnings/supporter": _supporter,
    "POST /api/v1/imports/daylio": _import_daylio,
    "POST /api/v1/imports/csv": _import_csv,
    "POST /api/v1/assessments": _phq9_item9,
    "POST /api/v1/checkins": _post("/api/v1/checkins", {"mood": -3, "energy": -2, "note": CRISIS}),
    "PATCH /api/v1/checkins/{checkin_id}": _checkin_patch,
    "POST /api/v1/journal": _post("/api/v1/journal", {"title": "tonight", "body": CRISIS}),
    "PATCH /api/v1/journal/{entry_id}": _journal_patches,
    "PUT /api/v1/safety/plan": _plan_put,
    "POST /api/v1/safety/check": _post("/api/v1/safety/check", {"text": CRISIS}),
    "POST /api/v1/affect/text": _affect,
    "POST /api/v1/companion/sessions/{session_id}/turns": _companion_turn,
    "POST /api/v1/companion/memory": _companion_memory,
    "PATCH /api/v1/companion/memory/{item_id}": _companion_memory_edit,
    "POST /api/v1/practice/sessions/{session_id}/finish": _practice_note,
    "POST /api/v1/habits": _post("/api/v1/habits", {"name": CRISIS}),
    "POST /api/v1/goals": _post("/api/v1/goals", {"title": "Calm", "steps": [CALM, CRISIS]}),
}
# A wearable's export: only numbers, times and device names are read (a CSV's other columns are
# never read), and nothing of it is shown back as text the person wrote.
_DEVICE_FILE = "a device's export: numbers and times, no words of the person's are read"
API_NO_PROSE = {
    "POST /api/v1/auth/signup": "a username, a password, a country, a time zone",
    "POST /api/v1/auth/token": "a username, a password, a token's label",
    "POST /api/v1/auth/recover": "a username, a recovery key, a password",
    "POST /api/v1/auth/logout": "no body",
    "PATCH /api/v1/me": "a country, a time zone and the AI setting (one of three)",
    "POST /api/v1/me/password": "passwords",
    "POST /api/v1/me/delete": "a password",
    "POST /api/v1/me/recovery-key": "a password",
    "POST /api/v1/me/tokens": "a token's label, shown only in the token list",
    "POST /api/v1/safety/answer": "an answer from three: yes, not sure, no",
    "POST /api/v1/wearables/imports": _DEVICE_FILE,
    "PUT /api/v1/wearables/settings": "a yes or no: keep samples",
    "POST /api/v1/companion/consent": "the version of the consent that was read",
    "POST /api/v1/habits/{habit_id}/done": "a day",
    "POST /api/v1/goals/{goal_id}/steps/{step_id}/done": "no body",
    "POST /api/v1/reminders": "a time, days, ids: reminders carry reviewed words only",
    "PUT /api/v1/reminders/prefs": "two times of day and a yes or no",
    "POST /api/v1/channels": "a kind and an address (a URL, an email address, a subscription)",
    "POST /api/v1/channels/{channel_id}/test": "no body",
    "POST /api/v1/inbox/{delivery_id}/snooze": "a number of minutes",
    "POST /api/v1/inbox/{delivery_id}/dismiss": "no body",
    "POST /api/v1/suggestion/{suggestion_id}/outcome": "an outcome from four",
    "POST /api/v1/suggestion/{suggestion_id}/not-for-me": "no body",
    "PUT /api/v1/companion/prefs": "a yes or no: may the language model write replies",
    "POST /api/v1/companion/sessions": "an exercise's id from the list, or nothing",
    "POST /api/v1/companion/sessions/{session_id}/flows": "an exercise's id from the list",
    "POST /api/v1/companion/sessions/{session_id}/turns/{turn_id}/answer": (
        "an answer from three: yes, not sure, no"
    ),
    "POST /api/v1/companion/sessions/{session_id}/turns/{turn_id}/journal": (
        "no body: a finished exercise's summary is saved as an entry, through the seam"
    ),
    "POST /api/v1/practice/offers": "a goal, a length, numbers and words from fixed lists",
    "POST /api/v1/practice/sessions": "a goal, a length, a practice id, numbers, fixed choices",
    "PUT /api/v1/practice/profile": "an experience level and preferences, each from a list",
    "PUT /api/v1/assessments/schedule": "a questionnaire's name and a number of days",
    "POST /api/v1/warnings/rules": "a rule's kind from a list, numbers and a yes or no",
    "POST /api/v1/warnings/supporter/test": "no text (the test's words are fixed)",
}

# -- the web pages -----------------------------------------------------------------------------

WebProbe = Callable[[TestClient, Services, Persona], list[str]]


def _form(client: TestClient, page: str, action: str, **fields: str) -> str:
    csrf = csrf_of(client.get(page).text)
    response = client.post(action, data={"csrf": csrf, **fields}, follow_redirects=True)
    return response.text


def _web_checkin(client: TestClient, services: Services, alice: Persona) -> list[str]:
    return [_form(client, "/checkin", "/checkin", mood="-3", energy="-2", note=CRISIS)]


def _web_checkin_edit(client: TestClient, services: Services, alice: Persona) -> list[str]:
    row = _calm_checkin(client, alice)
    page = f"/checkin/{row}/edit"
    return [_form(client, page, page, mood="-3", energy="-2", note=CRISIS)]


def _web_journal(client: TestClient, services: Services, alice: Persona) -> list[str]:
    return [
        _form(client, "/journal/new", "/journal/new", title="", body=CRISIS),
        _form(client, "/journal/new", "/journal/new", title=CRISIS, body=CALM),
    ]


def _web_journal_edit(client: TestClient, services: Services, alice: Persona) -> list[str]:
    row = _calm_entry(client, alice)
    page = f"/journal/{row}/edit"
    return [_form(client, page, page, title="Morning", body=CALM + "\n\n" + CRISIS)]


def _web_habit(client: TestClient, services: Services, alice: Persona) -> list[str]:
    return [_form(client, "/coach", "/coach/habits", name=CRISIS, kind="daily")]


def _web_goal(client: TestClient, services: Services, alice: Persona) -> list[str]:
    return [
        _form(client, "/coach", "/coach/goals", title=CRISIS, steps=CALM),
        _form(client, "/coach", "/coach/goals", title="Sleep better", steps="Tea\n" + CRISIS),
    ]


def _web_plan(client: TestClient, services: Services, alice: Persona) -> list[str]:
    return [_form(client, "/safety-plan", "/safety-plan", warning_signs=CRISIS)]


def _web_companion_on(client: TestClient) -> str:
    """Alice turns the companion on and accepts its consent in the browser; a conversation."""
    _form(client, "/settings", "/settings/ai", ai_level="companion")
    _form(client, "/companion", "/companion/consent")
    csrf = csrf_of(client.get("/companion").text)
    started = client.post("/companion/new", data={"csrf": csrf}, follow_redirects=False)
    return str(started.headers["location"]).split("/")[2].split("#")[0]


def _web_companion(client: TestClient, services: Services, alice: Persona) -> list[str]:
    session = _web_companion_on(client)
    page = f"/companion/{session}"
    return [_form(client, page, f"/companion/{session}/say", text=CRISIS)]


def _web_memory(client: TestClient, services: Services, alice: Persona) -> list[str]:
    _web_companion_on(client)
    return [_form(client, "/companion/memory", "/companion/memory", text=CRISIS)]


def _web_memory_edit(client: TestClient, services: Services, alice: Persona) -> list[str]:
    _web_companion_on(client)
    _form(client, "/companion/memory", "/companion/memory", text=CALM)
    made = client.get("/api/v1/companion/memory", headers=alice.headers).json()[0]["id"]
    page = "/companion/memory"
    return [_form(client, page, f"/companion/memory/{made}", text=CRISIS)]


def _web_practice_note(client: TestClient, services: Services, alice: Persona) -> list[str]:
    csrf = csrf_of(client.get("/practice").text)
    started = client.post("/practice/start", data={"csrf": csrf}, follow_redirects=False)
    page = str(started.headers["location"])
    return [_form(client, page, f"{page}/finish", calm_after="2", note=CRISIS)]


def _web_import(client: TestClient, services: Services, alice: Persona) -> list[str]:
    csrf = csrf_of(client.get("/insights/import").text)
    row = f'2025-11-01,,,21:00,awful,,,"{CRISIS}"\n'
    upload = {"file": ("daylio.csv", (DAYLIO_HEADER + row).encode(), "text/csv")}
    data = {"csrf": csrf, "kind": "daylio"}
    return [client.post("/insights/import", data=data, files=upload, follow_redirects=True).text]


def _web_phq9(client: TestClient, services: Services, alice: Persona) -> list[str]:
    """PHQ-9 item 9 above "not at all": the question first, and Yes brings the crisis page."""
    answers = {f"item{i}": "0" for i in range(8)} | {"item8": "2"}
    page = "/insights/questionnaires/phq9"
    asked = _form(client, page, page, **answers)
    if 'id="safety-question"' not in asked:
        return [asked]  # a second flagged answer or text today: the crisis response at once
    csrf = csrf_of(asked)
    fields = {"csrf": csrf, "surface": "questionnaire", "ref": "", "answer": "yes", "next": "/"}
    return [client.post("/safety/answer", data=fields, follow_redirects=True).text]


def _web_supporter(client: TestClient, services: Services, alice: Persona) -> list[str]:
    fields = {"name": CRISIS, "signed_as": "Alice", "email": "sam@example.org"}
    return [_form(client, "/insights/warnings", "/insights/supporter", **fields)]


WEB_PROBES: dict[str, WebProbe] = {
    "POST /insights/supporter": _web_supporter,
    "POST /insights/import": _web_import,
    "POST /insights/questionnaires/phq9": _web_phq9,
    "POST /checkin": _web_checkin,
    "POST /checkin/{checkin_id}/edit": _web_checkin_edit,
    "POST /journal/new": _web_journal,
    "POST /journal/{entry_id}/edit": _web_journal_edit,
    "POST /safety-plan": _web_plan,
    "POST /companion/{session_id}/say": _web_companion,
    "POST /companion/memory": _web_memory,
    "POST /companion/memory/{item_id}": _web_memory_edit,
    "POST /practice/session/{session_id}/finish": _web_practice_note,
    "POST /coach/habits": _web_habit,
    "POST /coach/goals": _web_goal,
}
WEB_NO_PROSE = {
    "POST /signup": "a username, passwords, a country, a time zone",
    "POST /login": "a username and a password",
    "POST /logout": "no text",
    "POST /recover": "a username, a recovery key, a password",
    "POST /settings/profile": "a country and a time zone",
    "POST /settings/password": "passwords",
    "POST /settings/sessions/{session_id}/revoke": "no text",
    "POST /settings/delete": "a password and the word delete",
    "POST /settings/recovery-key": "a password",
    "POST /checkin/{checkin_id}/delete": "no text",
    "POST /journal/{entry_id}/delete": "no text",
    "POST /safety/answer": "an answer from three: yes, not sure, no",
    "POST /wearables/upload": _DEVICE_FILE,
    "POST /wearables/settings": "one of two choices: samples or daily numbers",
    "POST /settings/ai": "the AI setting, one of three",
    "POST /companion/consent": "the version of the consent that was read",
    "POST /companion/consent/revoke": "no text",
    "POST /companion/prefs": "a yes or no: may the language model write replies",
    "POST /companion/new": "an exercise's id from the list, or nothing",
    "POST /companion/memory/{item_id}/delete": "no text",
    "POST /companion/{session_id}/answer/{turn_id}": "an answer from three: yes, not sure, no",
    "POST /companion/{session_id}/flow": "an exercise's id from the list",
    "POST /companion/{session_id}/save/{turn_id}": (
        "no text: a finished exercise's summary is saved as an entry, through the seam"
    ),
    "POST /companion/{session_id}/delete": "no text",
    "POST /practice/start": "a goal, a length, a practice id, a 0-10 rating, two yes-or-nos",
    "POST /practice/profile": "an experience level and preferences, each from a list",
    "POST /practice/session/{session_id}/delete": "no text",
    "POST /insights/questionnaires/schedule": "a questionnaire's name and a number of days",
    **{
        f"POST /insights/questionnaires/{key}": "answers chosen from the listed options; no item "
        "asks about harm (PHQ-9's item 9 is probed)"
        for key in ("gad7", "who5", "pss10")
    },
    "POST /insights/warnings": "a rule's kind from a list, numbers and a yes or no",
    "POST /insights/warnings/{rule_id}/delete": "no text",
    "POST /insights/supporter/delete": "no text",
    "POST /insights/supporter/test": "no text (the test's words are fixed)",
    "POST /coach/habits/{habit_id}/done": "no text",
    "POST /coach/habits/{habit_id}/remove": "no text",
    "POST /coach/goals/{goal_id}/steps/{step_id}": "no text",
    "POST /coach/goals/{goal_id}/remove": "no text",
    "POST /coach/suggestion/{suggestion_id}": "an outcome from five",
    "POST /coach/inbox/{delivery_id}": "done or snooze",
    "POST /coach/reminders": "a habit's id, a time, days, channel ids",
    "POST /coach/reminders/{reminder_id}/remove": "no text",
    "POST /coach/channels": "a kind and an address (a URL, an email address, a subscription)",
    "POST /coach/channels/{channel_id}/test": "no text",
    "POST /coach/channels/{channel_id}/remove": "no text",
    "POST /coach/prefs": "two times of day and a yes or no",
    "POST /lock/pin": "a PIN (digits; checked against its hash, never stored or shown)",
    "POST /lock/password": "the account password (checked, never stored or shown)",
    "POST /lock/passkey/options": "no text",
    "POST /lock/passkey": "a WebAuthn assertion (base64url bytes, verified, not kept)",
    "POST /settings/lock/pin": "a PIN twice (digits, hashed) and a number of minutes",
    "POST /settings/lock/idle": "a number of minutes",
    "POST /settings/lock/now": "no text",
    "POST /settings/lock/off": "no text",
    "POST /settings/lock/passkey/options": "no text",
    "POST /settings/lock/passkey": "a WebAuthn attestation (base64url bytes; a key is kept)",
    "POST /settings/lock/passkey/{passkey_id}/delete": "no text",
}


def _writes(app: FastAPI) -> set[str]:
    return {e.id for e in endpoints(app) if e.method in WRITES}


def test_every_route_that_takes_input_is_probed_or_takes_no_prose(app: FastAPI) -> None:
    classified = set(API_PROBES) | set(API_NO_PROSE) | set(WEB_PROBES) | set(WEB_NO_PROSE)
    writes = _writes(app)
    assert sorted(writes - classified) == [], "routes that take input and are not classified"
    assert sorted(classified - writes) == [], "classified routes the app does not have"


@pytest.mark.parametrize("route", sorted(API_PROBES))
def test_a_crisis_sentence_through_every_api_route_gets_the_crisis_response(
    route: str, client: TestClient, alice: Persona
) -> None:
    for gate in API_PROBES[route](client, alice):
        assert gate["stops_flow"] is True, route
        assert gate["crisis"] is not None, route
        assert gate["crisis"]["resources"]["emergency"] == "999", route  # Alice is in GB
        assert gate["suggested_emotions"] == [], route


@pytest.mark.parametrize("route", sorted(WEB_PROBES))
def test_a_crisis_sentence_through_every_page_gets_the_crisis_response(
    route: str, client: TestClient, services: Services, alice: Persona
) -> None:
    log_in(client, alice)
    for page in WEB_PROBES[route](client, services, alice):
        assert 'id="crisis-response"' in page, route
        assert "116 123" in page, route  # Samaritans, for Alice in GB
        assert "Do these words fit?" not in page, route  # no emotion suggestions


def test_every_registered_surface_is_reached_by_a_probe(
    client: TestClient, services: Services, alice: Persona
) -> None:
    seam = services.seam
    assert isinstance(seam, RecordingSeam)
    for api_probe in API_PROBES.values():
        api_probe(client, alice)
    log_in(client, alice)
    for web_probe in WEB_PROBES.values():
        web_probe(client, services, alice)
    assert sorted(set(seam.surfaces) - seam.used) == []


# -- the command line --------------------------------------------------------------------------

CLI_PROBED = {
    "checkin", "journal add", "safety plan edit", "safety check", "affect text", "chat",
    "import daylio", "import checkins",
    "habit add",
}  # fmt: skip
CLI_NO_PROSE = {
    "serve": "an address and a port",
    "db upgrade": "no input",
    "user create": "a username, a country, a time zone; the password is asked",
    "user password": "a username; the passwords are asked",
    "user ai": "the AI setting, one of three",
    "journal list": "a search word: matched against the entries, never stored or read by a model",
    "journal show": "an entry id",
    "export": "a path and a format",
    "safety plan show": "no input",
    "practice list": "no input",
    "practice show": "a practice id",
    "practice render": "a practice id, a length, choices from lists, a file path",
    "practice helped": "no input",
    "biofeedback analyse": "a file of numbers (RR intervals)",
    "biofeedback simulate": "numbers and a file path",
    "insights": "a number of days",
    "assess score": "a questionnaire's name and numbers (item 9 is probed in its own tests)",
    "assess take": "a questionnaire's name and numbers (item 9 is probed in its own tests)",
    "assess history": "a questionnaire's name",
    "assess schedule": "a questionnaire's name and a number of days",
    "warning add": "a rule's kind from a list, numbers and a yes or no",
    "warning list": "no input",
    "habit list": "no input",
    "habit done": "a habit's id",
    "habit remove": "a habit's id",
    "remind add": "a time, days, a habit's id, channel addresses: reminders carry reviewed words",
    "remind list": "no input",
    "remind test": "a channel's id",
    "remind remove": "a reminder's id",
    "worker": "a number of threads",
    **{f"import {name}": _DEVICE_FILE for name in ("apple-health", "csv", "fit", "fitbit", "oura")},
    "wearables days": "a number of days",
    "wearables samples": "a yes or no: keep samples",
}


def _leaf_commands(command: Any, path: str = "") -> Iterator[str]:
    # Typer's groups are its own (vendored click): a group is a command with subcommands.
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _leaf_commands(sub, f"{path} {name}".strip())
    else:
        yield path


def test_every_command_is_probed_or_takes_no_prose() -> None:
    commands = set(_leaf_commands(typer.main.get_command(cli_app)))
    classified = CLI_PROBED | set(CLI_NO_PROSE)
    assert sorted(commands - classified) == [], "commands not classified"
    assert sorted(classified - commands) == [], "classified commands the CLI does not have"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("STEADYMIND_INSECURE_ARGON2_FOR_TESTS", "true")
    monkeypatch.setenv("STEADYMIND_PASSWORD", "a quiet lake at dawn")
    monkeypatch.setenv("STEADYMIND_USER", "alice")
    monkeypatch.delenv("STEADYMIND_DATABASE_URL", raising=False)
    monkeypatch.delenv("STEADYMIND_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(cli_app, ["user", "create", "alice", "--country", "GB"])
    assert created.exit_code == 0, created.output
    return runner


def _cli_runs(tmp_path: Path) -> dict[str, list[list[str]]]:
    body = tmp_path / "entry.md"
    body.write_text(CRISIS, encoding="utf-8")
    calm = tmp_path / "calm.md"
    calm.write_text(CALM, encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"warning_signs": [CRISIS]}), encoding="utf-8")
    daylio = tmp_path / "daylio.csv"
    daylio.write_text(DAYLIO_HEADER + f'2025-11-01,,,21:00,awful,,,"{CRISIS}"\n', encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(f'Date,Mood,Notes\n2025-11-01,-3,"{CRISIS}"\n', encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\ndate = "Date"\nmood = "Mood"\nnote = "Notes"\n', encoding="utf-8"
    )
    return {
        "import daylio": [["import", "daylio", str(daylio)]],
        "import checkins": [["import", "checkins", str(export), "--mapping", str(mapping)]],
        "checkin": [["checkin", "--mood", "-3", "--note", CRISIS]],
        "journal add": [
            ["journal", "add", "--file", str(body)],
            ["journal", "add", "--title", CRISIS, "--file", str(calm)],
        ],
        "safety plan edit": [["safety", "plan", "edit", "--file", str(plan)]],
        "safety check": [["safety", "check", "--country", "GB", CRISIS]],
        "affect text": [["affect", "text", "--country", "GB", CRISIS]],
        "chat": [["chat", "--consent", CONSENT_VERSION]],
        "habit add": [["habit", "add", CRISIS]],
    }


CLI_INPUT = {"chat": CRISIS + "\n"}
CLI_BEFORE = {"chat": [["user", "ai", "companion"]]}


@pytest.mark.parametrize("command", sorted(CLI_PROBED))
def test_a_crisis_sentence_through_every_command_gets_the_crisis_response(
    command: str, cli: CliRunner, tmp_path: Path
) -> None:
    for before in CLI_BEFORE.get(command, []):
        assert cli.invoke(cli_app, before).exit_code == 0
    for args in _cli_runs(tmp_path)[command]:
        stdin = CLI_INPUT.get(command)
        result = cli.invoke(cli_app, args, input=stdin, env={"COLUMNS": "200"})
        assert result.exit_code in (0, 4), (args, result.output)
        assert "116 123" in result.output, args  # the crisis lines for GB
        assert "Emergency services: 999" in result.output, args
        assert "may hold" not in result.output, args  # no emotion suggestions
        assert "valence" not in result.output, args  # no emotion reading
