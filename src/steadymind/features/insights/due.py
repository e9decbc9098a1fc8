"""The questionnaires the person scheduled, as reminders the coach sends (``runtime``'s
``ReminderSource``): read by a job that holds no key, from plaintext columns only (the schedule
and when each questionnaire was last taken). The words are fixed: the questionnaire's name and
that it is due, never a score."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from steadymind.db.engine import Database
from steadymind.features.insights.instruments import INSTRUMENTS
from steadymind.features.insights.tables import Assessment, AssessmentSchedule
from steadymind.runtime import DueReminder

BODY = "When you have a few quiet minutes, it is ready in steadymind. Skipping it is fine too."


def about(key: str) -> str:
    return f"due:{key}"


class QuestionnaireReminders:
    messages: dict[str, tuple[str, str]] = {  # noqa: RUF012 (read-only, shared)
        about(key): (f"Your {inst.title} check is due", BODY) for key, inst in INSTRUMENTS.items()
    }

    def __init__(self, db: Database) -> None:
        self.db = db

    def due_reminders(self, now: datetime) -> list[DueReminder]:
        """Each schedule whose next day has come: the day it started if never taken since,
        else the last time taken plus its interval (UTC days: the coach sends at 09:00 in the
        person's zone on that day)."""
        last = (
            select(Assessment.user_id, Assessment.instrument, func.max(Assessment.at).label("at"))
            .group_by(Assessment.user_id, Assessment.instrument)
            .subquery()
        )
        query = select(AssessmentSchedule, last.c.at).outerjoin(
            last,
            (last.c.user_id == AssessmentSchedule.user_id)
            & (last.c.instrument == AssessmentSchedule.instrument),
        )
        today = now.date()
        out = []
        with self.db.transaction() as tx:
            for plan, taken in tx.execute(query):
                day = plan.starts
                if taken is not None and taken.date() >= plan.starts:
                    day = taken.date() + timedelta(days=plan.every_days)
                if day <= today:
                    out.append(DueReminder(plan.user_id, about(plan.instrument), day))
        return out
