"""The insights' data in the export, and gone with the account (Bob's stays)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from steadymind.features.insights.service import InsightService
from steadymind.features.insights.tables import (
    Assessment,
    AssessmentSchedule,
    MoodName,
    WarningRule,
)
from tests.conftest import PASSWORD, Persona
from tests.support import Services

DAYLIO = Path(__file__).parents[2] / "fixtures" / "insights" / "daylio_en.csv"


def _fill(services: Services, who: Persona) -> None:
    insights = services.runtime.get(InsightService)
    insights.import_daylio(who.principal, DAYLIO.read_bytes(), moods={"sleepy": -1})
    insights.take(who.principal, "phq9", [1, 0, 0, 0, 0, 0, 0, 0, 0])
    insights.schedule(who.principal, "phq9", 14)
    insights.add_rule(who.principal, "mood_below", -1, 7, tell_supporter=True)


def test_the_export_holds_questionnaires_rules_and_mood_names(
    services: Services, alice: Persona
) -> None:
    _fill(services, alice)
    exported = services.exporter.collect(alice.principal)
    (taken,) = exported["assessments"]
    assert (taken["instrument"], taken["total"], taken["answers"]) == ("phq9", 1, [1] + [0] * 8)
    assert exported["mood_names"] == [{"name": "sleepy", "value": -1}]
    assert exported["warning_rules"][0]["kind"] == "mood_below"
    assert exported["assessment_schedules"] == [{"instrument": "phq9", "every_days": 14}]
    assert len(exported["checkins"]) == 6


def test_deleting_an_account_erases_the_insights_rows(
    services: Services, alice: Persona, bob: Persona
) -> None:
    _fill(services, alice)
    _fill(services, bob)
    services.accounts.delete_account(alice.principal, PASSWORD)
    with services.db.transaction() as tx:
        for table in (Assessment, AssessmentSchedule, MoodName, WarningRule):
            assert (
                tx.scalars(select(table).where(table.user_id == alice.principal.user_id)).all()
                == []
            )
            assert (
                tx.scalars(select(table).where(table.user_id == bob.principal.user_id)).all() != []
            )
