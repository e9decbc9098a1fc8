"""Habits and goals: the person's words encrypted and screened, gentle progress, another
person's habit a 404, and the web page at work."""

from __future__ import annotations

from fastapi.testclient import TestClient

from steadymind.core.clock import FrozenClock
from steadymind.features.coach.schemas import GoalIn, HabitIn
from steadymind.features.coach.service import CoachService
from steadymind.features.coach.tables import Habit
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services


def _coach(services: Services) -> CoachService:
    return services.runtime.get(CoachService)


def test_a_habit_counts_days_done_without_a_streak(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    coach = _coach(services)
    habit, verdict = coach.add_habit(alice.principal, HabitIn(name="a short walk", times=["08:00"]))
    assert verdict is not None and not verdict.stops_flow
    assert habit.progress == "0 of 1 planned days in the last 7"
    for _ in range(4):
        coach.mark(alice.principal, habit.id)
        clock.advance(days=2)
    [seen] = coach.habits(alice.principal)
    assert seen.done_days == 3 and "of the last 7 days" in seen.progress
    assert not seen.done_today
    assert coach.mark(alice.principal, habit.id).done_today
    again = coach.mark(alice.principal, habit.id)  # twice is once
    assert again.done_days == seen.done_days + 1


def test_a_habits_name_is_ciphertext_and_passes_the_seam(
    services: Services, alice: Persona
) -> None:
    coach = _coach(services)
    habit, verdict = coach.add_habit(alice.principal, HabitIn(name=FAKE_HIGH))
    assert verdict is not None and verdict.stops_flow
    with services.db.transaction() as tx:
        row = tx.get(Habit, habit.id)
        assert row is not None and b"tonight" not in row.name_ct


def test_another_persons_habit_is_a_404(client: TestClient, alice: Persona, bob: Persona) -> None:
    made = client.post(
        "/api/v1/habits",
        json={"name": "stretch", "kind": "weekdays", "weekdays": 31},
        headers=alice.headers,
    )
    assert made.status_code == 201, made.text
    habit = made.json()["habit"]
    assert habit["schedule"] == "Monday to Friday"
    assert (
        client.post(f"/api/v1/habits/{habit['id']}/done", json={}, headers=bob.headers).status_code
        == 404
    )
    assert client.post(f"/api/v1/habits/{habit['id']}/done", json={}, headers=alice.headers).json()[
        "done_today"
    ]
    assert client.get("/api/v1/habits", headers=bob.headers).json() == []


def test_a_goal_in_small_steps(services: Services, alice: Persona) -> None:
    coach = _coach(services)
    goal, _ = coach.add_goal(
        alice.principal, GoalIn(title="Sleep better", steps=["No screens at 22:00", "Tea"])
    )
    assert [s.text for s in goal.steps] == ["No screens at 22:00", "Tea"]
    for step in goal.steps:
        goal = coach.step_done(alice.principal, goal.id, step.id)
    assert goal.done


def test_the_coach_page_adds_a_habit_with_a_reminder(
    client: TestClient, alice: Persona, services: Services
) -> None:
    login = client.post(
        "/login",
        data={"username": "alice", "password": alice.password, "csrf": _csrf(client, "/login")},
    )
    assert login.status_code in (200, 303)
    csrf = _csrf(client, "/coach")
    added = client.post(
        "/coach/habits",
        data={
            "csrf": csrf,
            "name": "drink water",
            "kind": "daily",
            "time": "10:00",
            "remind": "on",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get("/coach").text
    assert "drink water" in page and "0 of 1 planned days" in page
    assert (
        "Check in" in client.get("/coach/reminders").text
        or "drink water" in client.get("/coach/reminders").text
    )


def _csrf(client: TestClient, path: str) -> str:
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_a_habit_linked_to_a_tag_counts_the_days_a_feature_reports_it(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    """A habit linked to "tag:walk" counts a day that any feature's factors (runtime
    FactorSource: check-in tags) report, without the coach naming that feature."""
    from datetime import date, timedelta

    from steadymind.crypto.principal import Principal
    from steadymind.runtime import DailyValue

    today = clock.now().date()

    class Tags:
        def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
            days = [today - timedelta(days=1), today - timedelta(days=3)]
            return [DailyValue(d, "tag:walk", 1.0, "walk") for d in days if start <= d <= end]

    services.runtime.add_factor_source(Tags())
    coach = _coach(services)
    habit, _ = coach.add_habit(alice.principal, HabitIn(name="a walk", link="tag:walk"))
    [seen] = coach.habits(alice.principal)
    assert seen.id == habit.id and seen.done_days == 2
