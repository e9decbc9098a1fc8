"""The coach's tables: goals and their steps, habits and the days they were done, reminders, the
channels they go out on, each delivery, and the recommender's log.

A person's own words (a goal, a step, a habit's name) are ciphertext (``*_ct``). Everything a job
reads without a key is plaintext and listed in docs/security.md: schedules, times, the person's
time zone, channel addresses (a job must know where to send), delivery state, and the
recommender's numbers (context, propensity, reward).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


def _user() -> Mapped[str]:
    return mapped_column(String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True)


class Goal(Base):
    __tablename__ = "coach_goals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = _user()
    title_ct: Mapped[bytes] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GoalStep(Base):
    __tablename__ = "coach_steps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    goal_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("coach_goals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = _user()
    position: Mapped[int] = mapped_column(SmallInteger)
    text_ct: Mapped[bytes] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Habit(Base):
    __tablename__ = "coach_habits"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = _user()
    name_ct: Mapped[bytes] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The schedule (features/coach/schedule.py): daily, weekdays (a set), or every N days.
    kind: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[int] = mapped_column(SmallInteger, default=127)  # bit 0 = Monday
    every_n: Mapped[int] = mapped_column(SmallInteger, default=1)
    start_day: Mapped[date] = mapped_column(Date)
    times: Mapped[list[str]] = mapped_column(JSON, default=list)  # "HH:MM", the person's zone
    # What the habit is about, when it is about something the app knows: "tag:walk",
    # "flow:grounding", "practice:box-breathing" (a check-in with that tag marks the day).
    link: Mapped[str | None] = mapped_column(String(80))
    goal_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("coach_goals.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HabitMark(Base):
    """A day the person did the habit (their own calendar day)."""

    __tablename__ = "coach_marks"
    __table_args__ = (UniqueConstraint("habit_id", "day", name="uq_coach_marks_habit_day"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    habit_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("coach_habits.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = _user()
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoachPrefs(Base):
    """The person's time zone as the jobs see it (refreshed whenever they use the app, so a
    reminder follows them when they travel), quiet hours and the digest."""

    __tablename__ = "coach_prefs"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tz: Mapped[str] = mapped_column(String(64))
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    digest: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Channel(Base):
    """Where reminders go. ``target`` is plaintext because a job with no key sends to it: a
    webhook or ntfy URL, an email address, a Web Push subscription (JSON)."""

    __tablename__ = "coach_channels"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = _user()
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reminder(Base):
    __tablename__ = "coach_reminders"
    __table_args__ = (Index("ix_coach_reminders_due", "active", "next_due_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = _user()
    about: Mapped[str] = mapped_column(String(16))  # "checkin" | "habit"
    habit_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("coach_habits.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[int] = mapped_column(SmallInteger, default=127)
    every_n: Mapped[int] = mapped_column(SmallInteger, default=1)
    start_day: Mapped[date] = mapped_column(Date)
    at_time: Mapped[str] = mapped_column(String(5))
    channel_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Delivery(Base):
    """One message on one channel. ``key`` makes it happen once: a reminder's occurrence on a
    channel, a digest of a minute, a test, a snooze. The job that sends it claims the row
    first, so a retry after a crash finds it sent."""

    __tablename__ = "coach_deliveries"
    __table_args__ = (Index("ix_coach_deliveries_status_send", "status", "send_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[str] = _user()
    channel_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("coach_channels.id", ondelete="CASCADE")
    )
    about: Mapped[str] = mapped_column(String(16))  # checkin | habit | digest | test
    count: Mapped[int] = mapped_column(SmallInteger, default=1)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(80))  # an exception's type, never text


class Suggestion(Base):
    """One suggestion the recommender showed, with what it knew (numbers only), the probability
    it had of choosing it (for offline evaluation of another policy) and what came of it."""

    __tablename__ = "coach_suggestions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = _user()
    arm: Mapped[str] = mapped_column(String(80))
    context: Mapped[list[float]] = mapped_column(JSON)
    propensity: Mapped[float] = mapped_column(Float)
    policy: Mapped[str] = mapped_column(String(40))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))
    reward: Mapped[float | None] = mapped_column(Float)
    rewarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotForMe(Base):
    __tablename__ = "coach_not_for_me"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    arm: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
