"""What goes in and out of the coach (shared by the API, the web pages and the CLI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, field_validator

from steadymind.core.fields import Strict, storable
from steadymind.features.coach.schedule import ALL_DAYS, KINDS, Kind, parse_time

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(storable),
]
ClockTime = Annotated[str, AfterValidator(parse_time)]
Link = Annotated[str, StringConstraints(pattern=r"^(tag|flow|practice):[\w .-]{1,60}$")]
ChannelKind = Literal["inapp", "webhook", "ntfy", "email", "webpush"]
About = Literal["checkin", "habit"]


class ScheduleIn(Strict):
    kind: Kind = "daily"
    weekdays: int = Field(ALL_DAYS, ge=1, le=ALL_DAYS, description="Bit 0 is Monday")
    every_n: int = Field(1, ge=1, le=365)


class HabitIn(ScheduleIn):
    name: Name
    times: list[ClockTime] = Field(default_factory=list, max_length=6)
    link: Link | None = None
    goal_id: str | None = Field(None, max_length=32)

    @field_validator("kind")
    @classmethod
    def _known(cls, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError("daily, weekdays or every")
        return kind


class HabitOut(BaseModel):
    id: str
    name: str
    kind: Kind
    weekdays: int
    every_n: int
    schedule: str = Field(description="The schedule in words")
    times: list[str]
    link: str | None
    goal_id: str | None
    done_today: bool
    progress: str = Field(description="Gentle progress: '4 of the last 7 days'")
    done_days: int
    planned_days: int
    created_at: datetime


class MarkIn(Strict):
    day: date | None = Field(None, description="The person's own calendar day; today if left out")


class GoalIn(Strict):
    title: Name
    steps: list[Name] = Field(default_factory=list, max_length=20)


class StepOut(BaseModel):
    id: str
    text: str
    position: int
    done: bool


class GoalOut(BaseModel):
    id: str
    title: str
    steps: list[StepOut]
    done: bool
    created_at: datetime


class ChannelIn(Strict):
    kind: ChannelKind
    target: str = Field("", max_length=4000, description="URL, email address or push subscription")


class ChannelOut(BaseModel):
    id: str
    kind: ChannelKind
    target: str
    tested_at: datetime | None


class ReminderIn(ScheduleIn):
    about: About = "checkin"
    habit_id: str | None = Field(None, max_length=32)
    at: ClockTime
    channel_ids: list[str] = Field(default_factory=list, max_length=5)


class ReminderOut(BaseModel):
    id: str
    about: About
    habit_id: str | None
    schedule: str
    at: str
    channel_ids: list[str]
    active: bool
    next_due_at: datetime | None


class PrefsIn(Strict):
    quiet_start: ClockTime | None = None
    quiet_end: ClockTime | None = None
    digest: bool = True


class PrefsOut(BaseModel):
    tz: str
    quiet_start: str | None
    quiet_end: str | None
    digest: bool


class InboxItem(BaseModel):
    id: str
    title: str
    body: str
    sent_at: datetime | None


class SuggestionOut(BaseModel):
    id: str
    key: str
    label: str
    kind: str
    link: str
    why: str = Field(description="Why this is suggested, in plain words")


class OutcomeIn(Strict):
    outcome: Literal["helped", "a-little", "not-really", "skipped"]
