"""Goals broken into small steps, and habits on a schedule with gentle progress.

A goal's title, its steps and a habit's name are the person's words: each passes the text seam
and is stored as ciphertext. The schedule, the days done and the link (a check-in tag, a flow, a
practice) are plaintext, so a reminder job can read them without a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from steadymind.core.clock import Clock
from steadymind.core.errors import NotFound
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned
from steadymind.features.coach.copy import PROGRESS_NOTE
from steadymind.features.coach.schedule import Schedule, progress
from steadymind.features.coach.schemas import GoalIn, GoalOut, HabitIn, HabitOut, StepOut
from steadymind.features.coach.tables import Goal, GoalStep, Habit, HabitMark
from steadymind.runtime import DailyValue, FactorSource
from steadymind.screen import Surface, TextSeam, Verdict

HABIT = Surface("habit", context="none")
GOAL = Surface("goal", context="none")
MISSING_HABIT = "No such habit."
MISSING_GOAL = "No such goal."
WINDOW = 7
__all__ = ["GOAL", "HABIT", "PROGRESS_NOTE", "CoachService"]


def schedule_of(row: Habit) -> Schedule:
    return Schedule(row.kind, row.weekdays, row.every_n, row.start_day)  # type: ignore[arg-type]


def today_for(p: Principal, now: datetime) -> date:
    return now.astimezone(ZoneInfo(p.timezone)).date()


class CoachService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        seam: TextSeam,
        factors: list[FactorSource] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam
        # Other features' per-day factors: a habit linked to "tag:walk" counts a day with a
        # check-in tagged walk as done, without naming the check-ins.
        self.factors = factors if factors is not None else []

    # -- habits ------------------------------------------------------------------------------

    def add_habit(self, p: Principal, data: HabitIn) -> tuple[HabitOut, Verdict | None]:
        now = self.clock.now()
        schedule = Schedule(data.kind, data.weekdays, data.every_n, today_for(p, now))
        if data.goal_id is not None:
            with self.db.transaction() as tx:
                owned(tx, Goal, p.user_id, data.goal_id, MISSING_GOAL)
        row = Habit(
            id=new_id(),
            user_id=p.user_id,
            kind=schedule.kind,
            weekdays=schedule.weekdays,
            every_n=schedule.every_n,
            start_day=schedule.start,
            times=sorted(set(data.times)),
            link=data.link,
            goal_id=data.goal_id,
            created_at=now,
        )
        screened = self.seam.screen({"name": data.name}, surface=HABIT.name, owner=p)
        sealed = screened.seal(p.cipher(), Habit.__tablename__, row.id)
        row.name_ct, row.analysis_ct = sealed.parts["name"], sealed.analysis  # type: ignore[assignment]
        with self.db.transaction() as tx:
            tx.add(row)
        return self._habit_out(p, row, set()), screened.verdict

    def habits(self, p: Principal) -> list[HabitOut]:
        today = today_for(p, self.clock.now())
        since = today - timedelta(days=WINDOW)
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Habit)
                .where(Habit.user_id == p.user_id, Habit.archived_at.is_(None))
                .order_by(Habit.created_at)
            ).all()
            marks = tx.execute(
                select(HabitMark.habit_id, HabitMark.day).where(
                    HabitMark.user_id == p.user_id, HabitMark.day > since
                )
            ).all()
        done: dict[str, set[date]] = {}
        for habit_id, day in marks:
            done.setdefault(habit_id, set()).add(day)
        linked = self._linked_days(p, rows, since, today)
        return [
            self._habit_out(p, r, done.get(r.id, set()) | linked.get(r.link or "", set()))
            for r in rows
        ]

    def habit(self, p: Principal, habit_id: str) -> HabitOut:
        found = [h for h in self.habits(p) if h.id == habit_id]
        if not found:
            raise NotFound(MISSING_HABIT)
        return found[0]

    def mark(
        self, p: Principal, habit_id: str, day: date | None = None, done: bool = True
    ) -> HabitOut:
        """Mark a day done (today by default), or take the mark back. Marking twice is once."""
        day = day or today_for(p, self.clock.now())
        with self.db.transaction() as tx:
            owned(tx, Habit, p.user_id, habit_id, MISSING_HABIT)
            existing = tx.scalar(
                select(HabitMark).where(HabitMark.habit_id == habit_id, HabitMark.day == day)
            )
            if done and existing is None:
                tx.add(
                    HabitMark(
                        habit_id=habit_id, user_id=p.user_id, day=day, created_at=self.clock.now()
                    )
                )
            if not done and existing is not None:
                tx.delete(existing)
        return self.habit(p, habit_id)

    def archive_habit(self, p: Principal, habit_id: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, Habit, p.user_id, habit_id, MISSING_HABIT)
            row.archived_at = self.clock.now()

    def delete_habit(self, p: Principal, habit_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, Habit, p.user_id, habit_id, MISSING_HABIT))

    def _habit_out(self, p: Principal, row: Habit, done_days: set[date]) -> HabitOut:
        name = p.cipher().decrypt(Habit.__tablename__, "name", row.id, row.name_ct)
        schedule = schedule_of(row)
        today = today_for(p, self.clock.now())
        seen = progress(schedule, done_days, today, WINDOW)
        return HabitOut(
            id=row.id,
            name=name,
            kind=schedule.kind,
            weekdays=row.weekdays,
            every_n=row.every_n,
            schedule=schedule.describe(),
            times=list(row.times),
            link=row.link,
            goal_id=row.goal_id,
            done_today=today in done_days,
            progress=seen.words(),
            done_days=seen.done,
            planned_days=seen.planned,
            created_at=row.created_at,
        )

    def _linked_days(
        self, p: Principal, rows: Sequence[Habit], start: date, end: date
    ) -> dict[str, set[date]]:
        links = {r.link for r in rows if r.link}
        if not links or not self.factors:
            return {}
        found: dict[str, set[date]] = {}
        for source in self.factors:
            if source is self:
                continue
            for value in source.daily_values(p, start, end):
                if value.factor in links and value.value > 0:
                    found.setdefault(value.factor, set()).add(value.day)
        return found

    # -- the habits as factors for the insights (runtime.FactorSource) ------------------------

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
        with self.db.transaction() as tx:
            rows = tx.execute(
                select(HabitMark.day, Habit.id, Habit.name_ct)
                .join(Habit, Habit.id == HabitMark.habit_id)
                .where(HabitMark.user_id == owner.user_id, HabitMark.day.between(start, end))
            ).all()
        cipher = owner.cipher()
        names: dict[str, str] = {}
        values = []
        for day, habit_id, name_ct in rows:
            if habit_id not in names:
                names[habit_id] = cipher.decrypt(Habit.__tablename__, "name", habit_id, name_ct)
            values.append(DailyValue(day, f"habit:{habit_id}", 1.0, names[habit_id]))
        return values

    # -- goals -------------------------------------------------------------------------------

    def add_goal(self, p: Principal, data: GoalIn) -> tuple[GoalOut, Verdict | None]:
        """A goal and its steps. Every piece passes the seam; the most serious verdict comes
        back (a crisis in any step stops the flow)."""
        now = self.clock.now()
        cipher = p.cipher()
        goal = Goal(id=new_id(), user_id=p.user_id, created_at=now)
        screened = self.seam.screen({"title": data.title}, surface=GOAL.name, owner=p)
        sealed = screened.seal(cipher, Goal.__tablename__, goal.id)
        goal.title_ct, goal.analysis_ct = sealed.parts["title"], sealed.analysis  # type: ignore[assignment]
        verdicts = [screened.verdict]
        steps = []
        for position, text in enumerate(data.steps):
            step = GoalStep(
                id=new_id(), goal_id=goal.id, user_id=p.user_id, position=position, created_at=now
            )
            screened = self.seam.screen({"text": text}, surface=GOAL.name, owner=p)
            sealed = screened.seal(cipher, GoalStep.__tablename__, step.id)
            step.text_ct, step.analysis_ct = sealed.parts["text"], sealed.analysis  # type: ignore[assignment]
            verdicts.append(screened.verdict)
            steps.append(step)
        with self.db.transaction() as tx:
            tx.add(goal)
            tx.flush()
            tx.add_all(steps)
        return self.goal(p, goal.id), _gravest(verdicts)

    def goals(self, p: Principal) -> list[GoalOut]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Goal).where(Goal.user_id == p.user_id).order_by(Goal.created_at)
            ).all()
            steps = tx.scalars(
                select(GoalStep).where(GoalStep.user_id == p.user_id).order_by(GoalStep.position)
            ).all()
        by_goal: dict[str, list[GoalStep]] = {}
        for step in steps:
            by_goal.setdefault(step.goal_id, []).append(step)
        return [self._goal_out(p, g, by_goal.get(g.id, [])) for g in rows]

    def goal(self, p: Principal, goal_id: str) -> GoalOut:
        with self.db.transaction() as tx:
            row = owned(tx, Goal, p.user_id, goal_id, MISSING_GOAL)
            steps = tx.scalars(
                select(GoalStep).where(GoalStep.goal_id == goal_id).order_by(GoalStep.position)
            ).all()
        return self._goal_out(p, row, list(steps))

    def step_done(self, p: Principal, goal_id: str, step_id: str, done: bool = True) -> GoalOut:
        with self.db.transaction() as tx:
            owned(tx, Goal, p.user_id, goal_id, MISSING_GOAL)
            step = owned(tx, GoalStep, p.user_id, step_id, MISSING_GOAL)
            if step.goal_id != goal_id:
                raise NotFound(MISSING_GOAL)
            step.done_at = self.clock.now() if done else None
        return self.goal(p, goal_id)

    def delete_goal(self, p: Principal, goal_id: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, Goal, p.user_id, goal_id, MISSING_GOAL)
            tx.execute(delete(GoalStep).where(GoalStep.goal_id == goal_id))
            tx.delete(row)

    def _goal_out(self, p: Principal, row: Goal, steps: list[GoalStep]) -> GoalOut:
        cipher = p.cipher()
        outs = [
            StepOut(
                id=s.id,
                text=cipher.decrypt(GoalStep.__tablename__, "text", s.id, s.text_ct),
                position=s.position,
                done=s.done_at is not None,
            )
            for s in steps
        ]
        return GoalOut(
            id=row.id,
            title=cipher.decrypt(Goal.__tablename__, "title", row.id, row.title_ct),
            steps=outs,
            done=bool(outs) and all(s.done for s in outs),
            created_at=row.created_at,
        )


def _gravest(verdicts: list[Verdict | None]) -> Verdict | None:
    found = [v for v in verdicts if v is not None]
    if not found:
        return None
    return max(found, key=lambda v: (v.stops_flow, v.level))
