"""The isolation matrix: Alice's objects, Bob's requests, every per-object route -> 404.

Bob is a fully authenticated user (an API token for /api, a browser session with a valid CSRF
token for the web pages). Whatever route he calls with one of Alice's ids, he gets the same 404
he would get for an id that never existed (byte for byte: no hint that Alice's object is there),
and Alice's objects are untouched afterwards.

The matrix below must name every route with a path parameter: ``test_every_per_object_route_
is_in_the_matrix`` reads ``app.routes`` so a new per-object route without an entry fails.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Route

from steadymind.features.accounts.accounts import Accounts
from steadymind.features.app.passkeys import Passkeys
from steadymind.features.app.tables import LockPasskey
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.coach.recommend import Recommender
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schemas import ChannelIn, GoalIn, HabitIn, ReminderIn
from steadymind.features.coach.service import CoachService
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.service import CompanionService
from steadymind.features.insights.service import InsightService
from steadymind.features.journal.schemas import JournalIn
from steadymind.features.practice.schemas import StartIn
from steadymind.features.practice.service import PracticeService
from steadymind.features.wearables.service import WearableService
from tests.conftest import Persona
from tests.support import Services

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's path template, as in app.routes
    kind: str  # which of Alice's objects fills the path parameter
    surface: str  # "api" (Bob's bearer token) or "web" (Bob's browser session + CSRF)
    form: tuple[tuple[str, str], ...] = ()
    json: tuple[tuple[str, Any], ...] = ()

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


MATRIX = [
    # JSON API, Bob's bearer token
    Case("GET", "/api/v1/checkins/{checkin_id}", "checkin", "api"),
    Case("PATCH", "/api/v1/checkins/{checkin_id}", "checkin", "api", json=(("mood", -5),)),
    Case("DELETE", "/api/v1/checkins/{checkin_id}", "checkin", "api"),
    Case("GET", "/api/v1/journal/{entry_id}", "journal", "api"),
    Case("PATCH", "/api/v1/journal/{entry_id}", "journal", "api", json=(("body", "mine now"),)),
    Case("DELETE", "/api/v1/journal/{entry_id}", "journal", "api"),
    Case("DELETE", "/api/v1/me/sessions/{credential_id}", "session", "api"),
    Case("DELETE", "/api/v1/me/tokens/{credential_id}", "token", "api"),
    # Web pages and forms, Bob's browser session (forms carry his valid CSRF token)
    Case("GET", "/checkin/{checkin_id}/review", "checkin", "web"),
    Case("GET", "/checkin/{checkin_id}/edit", "checkin", "web"),
    Case(
        "POST",
        "/checkin/{checkin_id}/edit",
        "checkin",
        "web",
        form=(("mood", "-5"), ("energy", "-5"), ("note", "mine now")),
    ),
    Case("POST", "/checkin/{checkin_id}/delete", "checkin", "web"),
    Case("GET", "/journal/{entry_id}", "journal", "web"),
    Case("GET", "/journal/{entry_id}/edit", "journal", "web"),
    Case(
        "POST",
        "/journal/{entry_id}/edit",
        "journal",
        "web",
        form=(("title", "mine now"), ("body", "mine now")),
    ),
    Case("POST", "/journal/{entry_id}/delete", "journal", "web"),
    Case("POST", "/settings/sessions/{session_id}/revoke", "session", "web"),
    # The companion (Bob has it turned on and consented, so only ownership can stop him)
    Case("GET", "/api/v1/companion/sessions/{session_id}", "conversation", "api"),
    Case("DELETE", "/api/v1/companion/sessions/{session_id}", "conversation", "api"),
    Case(
        "POST",
        "/api/v1/companion/sessions/{session_id}/turns",
        "conversation",
        "api",
        json=(("text", "mine now"),),
    ),
    Case(
        "POST",
        "/api/v1/companion/sessions/{session_id}/flows",
        "conversation",
        "api",
        json=(("flow", "grounding"),),
    ),
    Case(
        "POST",
        "/api/v1/companion/sessions/{session_id}/turns/{turn_id}/answer",
        "conversation",
        "api",
        json=(("answer", "no"),),
    ),
    Case(
        "POST",
        "/api/v1/companion/sessions/{session_id}/turns/{turn_id}/journal",
        "conversation",
        "api",
    ),
    Case(
        "PATCH", "/api/v1/companion/memory/{item_id}", "memory", "api", json=(("text", "mine now"),)
    ),
    Case("DELETE", "/api/v1/companion/memory/{item_id}", "memory", "api"),
    Case("GET", "/companion/{session_id}", "conversation", "web"),
    Case(
        "POST", "/companion/{session_id}/say", "conversation", "web", form=(("text", "mine now"),)
    ),
    Case("GET", "/companion/{session_id}/safety/{turn_id}", "conversation", "web"),
    Case(
        "POST",
        "/companion/{session_id}/answer/{turn_id}",
        "conversation",
        "web",
        form=(("answer", "no"),),
    ),
    Case(
        "POST", "/companion/{session_id}/flow", "conversation", "web", form=(("flow", "grounding"),)
    ),
    Case("POST", "/companion/{session_id}/save/{turn_id}", "conversation", "web"),
    Case("POST", "/companion/{session_id}/delete", "conversation", "web"),
    Case("POST", "/companion/memory/{item_id}", "memory", "web", form=(("text", "mine now"),)),
    Case("POST", "/companion/memory/{item_id}/delete", "memory", "web"),
    Case("GET", "/api/v1/practice/sessions/{session_id}", "practice", "api"),
    Case(
        "POST",
        "/api/v1/practice/sessions/{session_id}/finish",
        "practice",
        "api",
        json=(("calm_after", 0), ("note", "mine now")),
    ),
    Case("DELETE", "/api/v1/practice/sessions/{session_id}", "practice", "api"),
    Case("GET", "/practice/session/{session_id}", "practice", "web"),
    Case("GET", "/practice/session/{session_id}/audio.ogg", "practice", "web"),
    Case(
        "POST",
        "/practice/session/{session_id}/finish",
        "practice",
        "web",
        form=(("calm_after", "0"), ("note", "mine now")),
    ),
    Case("POST", "/practice/session/{session_id}/delete", "practice", "web"),
    # The practice pages' script and style sheet: public, and any other name is a 404.
    Case("GET", "/practice/assets/{name}", "practice", "web"),
    # Wearables: an import's progress and report
    Case("GET", "/api/v1/wearables/imports/{run_id}", "wearable-import", "api"),
    Case("GET", "/wearables/imports/{run_id}", "wearable-import", "web"),
    Case("GET", "/wearables/imports/{run_id}/status", "wearable-import", "web"),
    # The coach
    Case("POST", "/api/v1/habits/{habit_id}/done", "habit", "api", json=(("day", None),)),
    Case("DELETE", "/api/v1/habits/{habit_id}/done", "habit", "api"),
    Case("DELETE", "/api/v1/habits/{habit_id}", "habit", "api"),
    Case("POST", "/api/v1/goals/{goal_id}/steps/{step_id}/done", "goal", "api"),
    Case("DELETE", "/api/v1/goals/{goal_id}", "goal", "api"),
    Case("DELETE", "/api/v1/reminders/{reminder_id}", "reminder", "api"),
    Case("POST", "/api/v1/channels/{channel_id}/test", "channel", "api"),
    Case("DELETE", "/api/v1/channels/{channel_id}", "channel", "api"),
    Case("POST", "/api/v1/inbox/{delivery_id}/snooze", "delivery", "api"),
    Case("POST", "/api/v1/inbox/{delivery_id}/dismiss", "delivery", "api"),
    Case(
        "POST",
        "/api/v1/suggestion/{suggestion_id}/outcome",
        "suggestion",
        "api",
        json=(("outcome", "helped"),),
    ),
    Case("POST", "/api/v1/suggestion/{suggestion_id}/not-for-me", "suggestion", "api"),
    Case("POST", "/coach/habits/{habit_id}/done", "habit", "web"),
    Case("POST", "/coach/habits/{habit_id}/remove", "habit", "web"),
    Case("POST", "/coach/goals/{goal_id}/steps/{step_id}", "goal", "web"),
    Case("POST", "/coach/goals/{goal_id}/remove", "goal", "web"),
    Case("POST", "/coach/reminders/{reminder_id}/remove", "reminder", "web"),
    Case("POST", "/coach/channels/{channel_id}/test", "channel", "web"),
    Case("POST", "/coach/channels/{channel_id}/remove", "channel", "web"),
    Case("POST", "/coach/inbox/{delivery_id}", "delivery", "web", form=(("action", "snooze"),)),
    Case("POST", "/settings/lock/passkey/{passkey_id}/delete", "passkey", "web"),
    Case(
        "POST",
        "/coach/suggestion/{suggestion_id}",
        "suggestion",
        "web",
        form=(("outcome", "helped"),),
    ),
    # The insights: a warning rule and a questionnaire's result
    Case("DELETE", "/api/v1/warnings/rules/{rule_id}", "rule", "api"),
    Case("POST", "/insights/warnings/{rule_id}/delete", "rule", "web"),
    Case("GET", "/insights/results/{taken_id}", "assessment", "web"),
]
# Paths with two ids: the second is Alice's own, so only the first can stop Bob (and then the
# second: Bob's request for Alice's turn inside Bob's own conversation is a 404 too).
SECOND_ID = {"turn_id": "turn", "step_id": "step"}


@dataclass
class World:
    services: Services
    alice: Persona
    alice_cookie: str
    ids: dict[str, str]
    snapshot: dict[str, Any]
    api: TestClient  # Bob's token in the headers of each call
    web: TestClient  # Bob's browser: his session cookie and CSRF cookie
    bob_headers: dict[str, str]
    csrf: str


def _web_login(client: TestClient, persona: Persona) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    match = CSRF_FIELD.search(page.text)
    assert match, "the login page carries a CSRF token"
    csrf = match.group(1)
    response = client.post(
        "/login",
        data={"username": persona.username, "password": persona.password, "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert client.cookies.get("sm_session"), "logging in sets the session cookie"
    # The forms of a session carry that session's token (tests/security/test_csrf.py).
    match = CSRF_FIELD.search(client.get("/settings").text)
    assert match, "a logged-in page carries a CSRF token"
    return match.group(1)


def _snapshot(services: Services, alice: Persona, ids: dict[str, str]) -> dict[str, Any]:
    companion = services.runtime.get(CompanionService)
    insights = services.runtime.get(InsightService)
    on = dataclasses.replace(alice.principal, ai_level="companion")
    return {
        "conversation": companion.session(on, ids["conversation"]).model_dump(),
        "memory": [m.model_dump() for m in companion.memory(on)],
        "checkin": services.checkins.get(alice.principal, ids["checkin"]).model_dump(),
        "journal": services.journal.get(alice.principal, ids["journal"]).model_dump(),
        "practice": services.runtime.get(PracticeService)
        .get(alice.principal, ids["practice"])
        .model_dump(),
        "sessions": sorted(s.id for s in services.credentials.list_sessions(alice.principal)),
        "tokens": sorted(t.id for t in services.credentials.list_tokens(alice.principal)),
        "wearable-import": services.runtime.get(WearableService)
        .summary(alice.principal, ids["wearable-import"])
        .as_json(),
        "rules": [r.id for r in insights.rules(alice.principal)],
        "assessments": [(t.id, t.total) for t in insights.taken(alice.principal)],
        "supporter": insights.supporters.get(alice.principal),
        "coach": _coach_snapshot(services, on),
        "passkeys": [k.id for k in services.runtime.get(Passkeys).listed(alice.principal)],
    }


def _coach_snapshot(services: Services, on: Any) -> dict[str, Any]:
    coach, reminders = services.runtime.get(CoachService), services.runtime.get(ReminderService)
    recommender = services.runtime.get(Recommender)
    return {
        "habits": [h.model_dump() for h in coach.habits(on)],
        "goals": [g.model_dump() for g in coach.goals(on)],
        "reminders": [r.model_dump() for r in reminders.reminders(on)],
        "channels": [c.model_dump() for c in reminders.channels(on)],
        "inbox": [i.model_dump() for i in reminders.inbox(on)],
        "suggestions": [dataclasses.astuple(e) for e in recommender.history(on)],
        "refused": recommender.refused(on),
    }


def _coach_objects(services: Services, on: Any) -> dict[str, str]:
    coach, reminders = services.runtime.get(CoachService), services.runtime.get(ReminderService)
    habit, _ = coach.add_habit(on, HabitIn(name="alice's habit", times=["08:00"]))
    goal, _ = coach.add_goal(on, GoalIn(title="alice's goal", steps=["alice's step"]))
    inapp = reminders.add_channel(on, ChannelIn(kind="inapp"))
    channel = reminders.add_channel(on, ChannelIn(kind="webhook", target="http://127.0.0.1:9/x"))
    reminder = reminders.add_reminder(on, ReminderIn(at="08:00", channel_ids=[inapp.id]))
    reminders.send_test(on, inapp.id)
    [delivery] = reminders.inbox(on)
    suggestion = services.runtime.get(Recommender).suggest(on)
    assert suggestion is not None, "the companion's flows are offered to Alice"
    return {
        "habit": habit.id,
        "goal": goal.id,
        "step": goal.steps[0].id,
        "reminder": reminder.id,
        "channel": channel.id,
        "delivery": delivery.id,
        "suggestion": suggestion.id,
        "passkey": _passkey(services, on),
    }


def _passkey(services: Services, on: Any) -> str:
    """A passkey row of Alice's (its bytes made up: no route here verifies one)."""
    row = LockPasskey(
        id=uuid.uuid4().hex,
        user_id=on.user_id,
        credential_id=uuid.uuid4().hex,
        public_key=b"\x00" * 77,
        sign_count=0,
        created_at=services.clock.now(),
    )
    with services.db.transaction() as tx:
        tx.add(row)
    return row.id


@pytest.fixture
def world(app: Any, services: Services, alice: Persona, bob: Persona) -> Iterator[World]:
    checkin, _ = services.checkins.create(
        alice.principal,
        CheckInIn(mood=3, energy=1, emotions=["joy"], tags=["walk"], note="alice's note"),
    )
    entry, _ = services.journal.create(
        alice.principal, JournalIn(title="alice's title", body="alice's body", tags=["home"])
    )
    session = services.credentials.log_in("alice", alice.password, client="alice-browser")
    companion = services.runtime.get(CompanionService)
    for persona in (alice, bob):
        services.runtime.get(Accounts).update_profile(persona.principal, ai_level="companion")
        companion.accept(
            dataclasses.replace(persona.principal, ai_level="companion"), CONSENT_VERSION
        )
    on = dataclasses.replace(alice.principal, ai_level="companion")
    conversation, _ = companion.start(on, flow="gratitude")
    said = companion.say(on, conversation.id, "alice's good thing")
    item, _ = companion.add_memory(on, "alice's memory")
    assert item is not None
    practice, _ = services.runtime.get(PracticeService).start(
        alice.principal, StartIn(practice="noting", calm_before=4)
    )
    run_id = services.runtime.get(WearableService).start(alice.principal, "apple-health", 1000)
    insights = services.runtime.get(InsightService)
    rule = insights.add_rule(alice.principal, "mood_falling", 0, 5, tell_supporter=False)
    taken, _ = insights.take(alice.principal, "gad7", [1] * 7)
    # One supporter per person, at a path with no id: Bob's calls act on his own (none).
    insights.supporters.set(
        alice.principal, name="alice's title", signed_as="alice's note", email="sam@example.org"
    )
    ids = {
        "wearable-import": run_id,
        "checkin": checkin.id,
        "journal": entry.id,
        "session": session.principal.credential_id,
        "token": alice.principal.credential_id,
        "conversation": conversation.id,
        "turn": said.turn_id,
        "memory": item.id,
        "practice": practice.id,
        **_coach_objects(services, on),
        "rule": rule.id,
        "assessment": taken.id,
    }
    with (
        TestClient(app, base_url="http://testserver") as api,
        TestClient(app, base_url="http://testserver") as web,
    ):
        csrf = _web_login(web, bob)
        yield World(
            services=services,
            alice=alice,
            alice_cookie=session.secret,
            ids=ids,
            snapshot=_snapshot(services, alice, ids),
            api=api,
            web=web,
            bob_headers=bob.headers,
            csrf=csrf,
        )


def _fill(path: str, object_id: str, ids: dict[str, str]) -> str:
    first = True

    def one(match: re.Match[str]) -> str:
        nonlocal first
        name = match.group(1)
        if not first and name in SECOND_ID:
            return ids[SECOND_ID[name]]
        first = False
        return object_id

    return re.sub(r"\{([^}]+)\}", one, path)


def _call(world: World, case: Case, object_id: str) -> Any:
    url = _fill(case.path, object_id, world.ids)
    if case.surface == "api":
        return world.api.request(
            case.method,
            url,
            headers=world.bob_headers,
            json=dict(case.json) if case.json else None,
        )
    if case.method == "GET":
        return world.web.get(url, follow_redirects=False)
    form = {"csrf": world.csrf, **dict(case.form)}
    return world.web.post(url, data=form, follow_redirects=False)


def _per_object_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route with a path parameter, routers included."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute | Route) and "{" in (route.path or ""):
            for method in route.methods or ():
                if method != "HEAD":
                    found.add((method, route.path))
    return found


def routes_missing_from_the_matrix(app: Any) -> set[tuple[str, str]]:
    return _per_object_routes(app) - {(case.method, case.path) for case in MATRIX}


def test_every_per_object_route_is_in_the_matrix(app: Any) -> None:
    missing = routes_missing_from_the_matrix(app)
    assert not missing, (
        "these routes take an object id but have no entry in the isolation matrix "
        f"(tests/security/test_isolation.py MATRIX): {sorted(missing)}"
    )
    stale = {(case.method, case.path) for case in MATRIX} - _per_object_routes(app)
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_a_new_per_object_route_without_a_matrix_entry_is_caught(services: Services) -> None:
    from fastapi import APIRouter

    from steadymind.http.app import create_app

    app = create_app(services.runtime)
    extra = APIRouter(prefix="/api/v1")

    @extra.get("/thought-records/{record_id}")
    def thought_record(record_id: str) -> dict[str, str]:
        return {}

    app.include_router(extra)
    assert routes_missing_from_the_matrix(app) == {("GET", "/api/v1/thought-records/{record_id}")}


@pytest.mark.parametrize("case", MATRIX, ids=[case.id for case in MATRIX])
def test_another_users_object_answers_404_and_stays_unchanged(world: World, case: Case) -> None:
    response = _call(world, case, world.ids[case.kind])

    assert response.status_code == 404, (case.id, response.status_code, response.text[:300])
    if case.surface == "api":
        assert response.json()["error"]["code"] == "not_found"
    else:
        assert response.headers["content-type"].startswith("text/html")
    for secret in (
        "alice's note",
        "alice's title",
        "alice's body",
        "alice's good thing",
        "alice's memory",
        "alice's habit",
        "alice's goal",
        "alice's step",
    ):
        assert secret not in response.text
    assert _snapshot(world.services, world.alice, world.ids) == world.snapshot
    # Alice's credentials still work.
    assert world.services.credentials.authenticate_session(world.alice_cookie).username == "alice"
    me = world.api.get("/api/v1/me", headers=world.alice.headers)
    assert me.status_code == 200 and me.json()["username"] == "alice"


@pytest.mark.parametrize("case", MATRIX, ids=[case.id for case in MATRIX])
def test_another_users_id_is_indistinguishable_from_a_missing_one(world: World, case: Case) -> None:
    theirs = _call(world, case, world.ids[case.kind])
    missing = _call(world, case, uuid.uuid4().hex)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert theirs.headers.get("content-type") == missing.headers.get("content-type")


LISTS = [
    ("api", "/api/v1/checkins"),
    ("api", "/api/v1/journal"),
    ("api", "/api/v1/journal?q=body"),
    ("api", "/api/v1/me/credentials"),
    ("api", "/api/v1/export"),
    ("web", "/history?days=365"),
    ("web", "/journal"),
    ("web", "/journal?q=body"),
    ("web", "/settings"),
    ("web", "/settings/export.json"),
    ("web", "/insights/warnings"),
]


@pytest.mark.parametrize(("surface", "url"), LISTS, ids=[u for _, u in LISTS])
def test_lists_searches_and_exports_show_bob_nothing_of_alices(
    world: World, surface: str, url: str
) -> None:
    if surface == "api":
        response = world.api.get(url, headers=world.bob_headers)
    else:
        response = world.web.get(url, follow_redirects=False)

    assert response.status_code == 200, response.text[:300]
    for object_id in world.ids.values():
        assert object_id not in response.text
    for secret in ("alice's note", "alice's title", "alice's body", "alice"):
        assert secret not in response.text
