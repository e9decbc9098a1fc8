"""The daily table from what features register, the views, and warning rules that fire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from steadymind.core.errors import ValidationError
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import CheckInService
from steadymind.features.insights.service import InsightService, fired_rules
from steadymind.features.insights.views import by_tag, by_weekday, week
from steadymind.runtime import Runtime
from tests.conftest import Persona


def _checkin(runtime: Runtime, who: Persona, days_ago: int, mood: int, **extra: object) -> None:
    at = runtime.clock.now() - timedelta(days=days_ago)
    runtime.get(CheckInService).create(
        who.principal,
        CheckInIn(at=at, mood=mood, energy=1, **extra),  # type: ignore[arg-type]
    )


def test_the_daily_table_reads_mood_ranges_energy_tags_and_feelings(
    runtime: Runtime, alice: Persona
) -> None:
    _checkin(runtime, alice, 0, 3, tags=["walk"], emotions=["calm"])
    runtime.clock.advance(hours=1)  # type: ignore[attr-defined]
    _checkin(runtime, alice, 0, -1)
    table = runtime.get(InsightService).table(alice.principal, 7)
    today = runtime.get(InsightService).today(alice.principal)
    assert table.mood[today] == 1.0
    assert (table.low[today], table.high[today]) == (-1.0, 3.0)
    assert table.factors["energy"][today] == 1.0
    assert table.factors["tag:walk"] == {today: 1.0}
    assert table.factors["feeling:calm"] == {today: 1.0}


def test_views_by_weekday_by_tag_and_the_week(runtime: Runtime, alice: Persona) -> None:
    for days_ago, mood in enumerate([2, 1, 0, -1, -2, 3, 4, 1, 1]):
        _checkin(runtime, alice, days_ago, mood, tags=["walk"] if mood > 1 else [])
    insights = runtime.get(InsightService)
    table = insights.table(alice.principal, 30)
    assert sum(a.days for a in by_weekday(table)) == 9
    (walk,) = by_tag(table)
    assert (walk.name, walk.days, walk.mood) == ("the tag “walk”", 3, 3.0)
    summary = week(table, insights.today(alice.principal))
    assert summary.days == 7 and summary.mood == pytest.approx(1.0)
    assert "Check-ins on 7 of the last 7 days; mood averaged +1.0" in summary.summary()


def test_a_declining_week_fires_the_rule_and_says_it_is_not_a_diagnosis(
    runtime: Runtime, alice: Persona, bob: Persona
) -> None:
    insights = runtime.get(InsightService)
    insights.add_rule(alice.principal, "mood_falling", 0, 5, tell_supporter=False)
    for days_ago, mood in enumerate([-2, -1, 0, 1, 2]):
        _checkin(runtime, alice, days_ago, mood)
    (fired,) = fired_rules(insights, alice.principal)
    assert fired.title == "Mood falling 5 days running"
    assert "not a diagnosis" in fired.message
    assert fired_rules(insights, bob.principal) == []


def test_a_rule_does_not_fire_on_a_week_that_recovers(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    insights.add_rule(alice.principal, "mood_falling", 0, 5, tell_supporter=False)
    for days_ago, mood in enumerate([0, -1, 0, 1, 2]):
        _checkin(runtime, alice, days_ago, mood)
    assert fired_rules(insights, alice.principal) == []


def test_a_phq9_rule_fires_on_a_recent_score(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    insights.add_rule(alice.principal, "phq9_at_least", 15, 14, tell_supporter=True)
    insights.take(alice.principal, "phq9", [2] * 8 + [0])
    assert [f.title for f in fired_rules(insights, alice.principal)] == ["PHQ-9 at 15 or more"]


@pytest.mark.parametrize(
    ("kind", "threshold", "days"),
    [("sadness", 0, 5), ("mood_below", 9, 5), ("mood_falling", 0, 1), ("phq9_at_least", 30, 5)],
)
def test_a_rule_that_cannot_be_is_refused(
    runtime: Runtime, alice: Persona, kind: str, threshold: float, days: int
) -> None:
    with pytest.raises(ValidationError):
        runtime.get(InsightService).add_rule(alice.principal, kind, threshold, days, False)
