"""The insights' tables: custom mood names an import was told, questionnaires taken and
scheduled, and the early-warning rules the person set. The answers to a questionnaire are
ciphertext; its total and band, like mood numbers, stay plaintext so the trend and a warning
rule read them without a key (docs/security.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class MoodName(Base):
    """A mood name from another app (a custom Daylio mood) and where it sits on -5..+5: asked
    once, used by every later import."""

    __tablename__ = "insight_mood_names"
    __table_args__ = (Index("ix_insight_mood_names_user_name", "user_id", "name", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[int] = mapped_column(SmallInteger)


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_user_at", "user_id", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    total: Mapped[int] = mapped_column(SmallInteger)
    band: Mapped[str] = mapped_column(String(32))
    answers_ct: Mapped[bytes] = mapped_column(LargeBinary)


class AssessmentSchedule(Base):
    """How often the person asked to be offered a questionnaire (every ``every_days``)."""

    __tablename__ = "assessment_schedules"
    __table_args__ = (
        Index("ix_assessment_schedules_user_instrument", "user_id", "instrument", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(16))
    every_days: Mapped[int] = mapped_column(SmallInteger)
    starts: Mapped[date] = mapped_column(Date)


class WarningRule(Base):
    """A rule the person chose ("mood falling five days running", "PHQ-9 at 15 or more"); it
    fires in the app, and tells a supporter only if ``tell_supporter`` (channels come later)."""

    __tablename__ = "warning_rules"
    __table_args__ = (Index("ix_warning_rules_user", "user_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[float] = mapped_column(Float)
    days: Mapped[int] = mapped_column(SmallInteger)
    tell_supporter: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Supporter(Base):
    """Someone the person named to be told when a rule they marked fires (issue 15): their
    name, the person's own name as the supporter knows them, and where to reach them (an email
    address; an ntfy topic or a webhook if given). All of it is ciphertext: a notice is composed
    while the person is here, with their key, and handed to the delivery channels."""

    __tablename__ = "insight_supporters"
    __table_args__ = (Index("ix_insight_supporters_user", "user_id", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name_ct: Mapped[bytes] = mapped_column(LargeBinary)
    signed_as_ct: Mapped[bytes] = mapped_column(LargeBinary)
    email_ct: Mapped[bytes] = mapped_column(LargeBinary)
    ntfy_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    webhook_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
