"""What the coach keeps about a person, in their export and gone with their account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.coach.recommend import Recommender
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.service import CoachService
from steadymind.features.coach.tables import (
    Channel,
    CoachPrefs,
    Delivery,
    Goal,
    GoalStep,
    Habit,
    HabitMark,
    NotForMe,
    Reminder,
    Suggestion,
)


class CoachData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "coach_goals": ("id", "user_id", "created_at", "done_at"),
        "coach_steps": ("id", "goal_id", "user_id", "position", "created_at", "done_at"),
        "coach_habits": (
            "id", "user_id", "kind", "weekdays", "every_n", "start_day", "times", "link",
            "goal_id", "created_at", "archived_at",
        ),
        "coach_marks": ("id", "habit_id", "user_id", "day", "created_at"),
        "coach_prefs": ("user_id", "tz", "quiet_start", "quiet_end", "digest", "updated_at"),
        "coach_channels": ("id", "user_id", "kind", "target", "created_at", "tested_at"),
        "coach_reminders": (
            "id", "user_id", "about", "habit_id", "kind", "weekdays", "every_n", "start_day",
            "at_time", "channel_ids", "active", "next_due_at", "created_at",
        ),
        "coach_deliveries": (
            "id", "key", "user_id", "channel_id", "about", "count", "due_at", "send_at",
            "status", "attempts", "queued_at", "claimed_at", "sent_at", "seen_at", "error",
        ),
        "coach_suggestions": (
            "id", "user_id", "arm", "context", "propensity", "policy", "shown_at", "outcome",
            "reward", "rewarded_at",
        ),
        "coach_not_for_me": ("user_id", "arm", "at"),
    }  # fmt: skip

    def __init__(
        self,
        db: Database,
        coach: CoachService,
        reminders: ReminderService,
        recommender: Recommender,
    ) -> None:
        self.db = db
        self.coach = coach
        self.reminders = reminders
        self.recommender = recommender

    def export(self, owner: Principal) -> dict[str, Any]:
        marks = self._rows(owner, HabitMark, ("habit_id", "day"))
        deliveries = self._rows(
            owner, Delivery, ("id", "channel_id", "about", "count", "due_at", "status", "sent_at")
        )
        suggestions = self._rows(
            owner,
            Suggestion,
            ("id", "arm", "context", "propensity", "policy", "shown_at", "outcome", "reward"),
        )
        return {
            "coach_goals": [g.model_dump(mode="json") for g in self.coach.goals(owner)],
            "coach_habits": [h.model_dump(mode="json") for h in self.coach.habits(owner)],
            "coach_habit_days": marks,
            "coach_reminders": [r.model_dump(mode="json") for r in self.reminders.reminders(owner)],
            "coach_channels": [c.model_dump(mode="json") for c in self.reminders.channels(owner)],
            "coach_prefs": self.reminders.prefs(owner).model_dump(mode="json"),
            "coach_deliveries": deliveries,
            "coach_suggestions": suggestions,
            "coach_not_for_me": self.recommender.refused(owner),
        }

    def _rows(self, owner: Principal, table: Any, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        with self.db.transaction() as tx:
            rows = tx.scalars(select(table).where(table.user_id == owner.user_id)).all()
        return [
            {
                c: (v.isoformat() if hasattr(v, "isoformat") else v)
                for c in columns
                for v in [getattr(r, c)]
            }
            for r in rows
        ]

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        habits = [
            {k: v for k, v in h.items() if k not in ("times",)} | {"times": " ".join(h["times"])}
            for h in sections["coach_habits"]
        ]
        steps = [
            {"goal": g["title"], "step": s["text"], "done": s["done"]}
            for g in sections["coach_goals"]
            for s in g["steps"]
        ]
        files = {
            "coach_habits.csv": to_csv(habits),
            "coach_habit_days.csv": to_csv(sections["coach_habit_days"]),
            "coach_goal_steps.csv": to_csv(steps),
            "coach_suggestions.csv": to_csv(
                [
                    {**s, "context": " ".join(f"{x:g}" for x in s["context"])}
                    for s in sections["coach_suggestions"]
                ]
            ),
        }
        # A file for what the person has, as the other features do: none for an empty list.
        counts = {
            "coach_habits.csv": habits,
            "coach_habit_days.csv": sections["coach_habit_days"],
            "coach_goal_steps.csv": steps,
            "coach_suggestions.csv": sections["coach_suggestions"],
        }
        return {name: text for name, text in files.items() if counts[name]}

    def erase(self, tx: Session, user_id: str) -> None:
        for table in (
            Delivery,
            Reminder,
            Channel,
            HabitMark,
            Habit,
            GoalStep,
            Goal,
            Suggestion,
            NotForMe,
            CoachPrefs,
        ):
            tx.execute(delete(table).where(table.user_id == user_id))
