"""What the insights keep about a person, in their export and gone with their account."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.insights.service import InsightService
from steadymind.features.insights.tables import (
    Assessment,
    AssessmentSchedule,
    MoodName,
    Supporter,
    WarningRule,
)

TABLES = (Supporter, WarningRule, AssessmentSchedule, Assessment, MoodName)


class InsightData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "insight_mood_names": ("id", "user_id", "name", "value"),
        "assessments": ("id", "user_id", "instrument", "at", "total", "band"),
        "assessment_schedules": ("id", "user_id", "instrument", "every_days", "starts"),
        "insight_supporters": ("id", "user_id", "created_at"),
        "warning_rules": (
            "id", "user_id", "kind", "threshold", "days", "tell_supporter", "created_at",
        ),
    }  # fmt: skip

    def __init__(self, service: InsightService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        taken = [
            {
                "instrument": t.instrument,
                "at": t.at.isoformat(),
                "total": t.total,
                "band": t.band,
                "answers": t.answers,
            }
            for t in self.service.taken(owner, limit=100_000)
        ]
        with self.service.db.transaction() as tx:
            moods = tx.execute(
                select(MoodName.name, MoodName.value).where(MoodName.user_id == owner.user_id)
            ).all()
        rules = [
            {
                "kind": r.kind,
                "threshold": r.threshold,
                "days": r.days,
                "tell_supporter": r.tell_supporter,
                "created_at": r.created_at.isoformat(),
            }
            for r in self.service.rules(owner)
        ]
        return {
            "assessments": taken,
            "assessment_schedules": [
                {"instrument": d["instrument"], "every_days": d["every_days"]}
                for d in self.service.due(owner)
            ],
            "mood_names": [{"name": n, "value": v} for n, v in moods],
            "warning_rules": rules,
            "supporter": asdict(found) if (found := self.service.supporters.get(owner)) else None,
        }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        rows = [{**a, "answers": ",".join(map(str, a["answers"]))} for a in sections["assessments"]]
        return {
            "assessments.csv": to_csv(rows),
            "warning_rules.csv": to_csv(sections["warning_rules"]),
        }

    def erase(self, tx: Session, user_id: str) -> None:
        for table in TABLES:
            tx.execute(delete(table).where(table.user_id == user_id))
