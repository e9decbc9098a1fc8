"""What the practice API takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from steadymind.features.practice.catalogue import MAX_MINUTES, MIN_MINUTES, Goal
from steadymind.features.practice.composer import CheckInState, Experience, Preferences

MAX_NOTE = 2000
Calm = Field(default=None, ge=0, le=10)


class PracticeOut(BaseModel):
    id: str
    title: str
    minutes: int
    summary: str
    purpose: str
    goals: list[str]
    kind: str
    holds: bool
    body_focus: bool
    evidence: str
    references: list[str]
    cautions: list[str]


class OfferOut(BaseModel):
    practice: str
    title: str
    minutes: int
    reasons: list[str]


class StartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    goal: Goal = "calm"
    minutes: int = Field(default=5, ge=MIN_MINUTES, le=MAX_MINUTES)
    practice: str | None = Field(default=None, max_length=40)
    calm_before: int | None = Calm
    checkin: CheckInState | None = None
    experience: Experience | None = None
    prefs: Preferences | None = None


class FinishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calm_after: int | None = Calm
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class SessionOut(BaseModel):
    id: str
    practice: str
    title: str
    goal: str
    minutes: int
    params: dict[str, Any]
    tz: str
    started_at: datetime
    finished_at: datetime | None
    calm_before: int | None
    calm_after: int | None
    biofeedback: dict[str, Any] | None
    note: str | None
    unreadable: bool = False


class HelpedOut(BaseModel):
    """One practice's record for this person: how many rated sessions, the mean calm change."""

    practice: str
    title: str
    sessions: int
    mean_change: float


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    experience: Experience = "some"
    prefs: Preferences = Preferences()


class ProfileOut(ProfileIn):
    resonance_bpm: float | None = None
    scanned_at: datetime | None = None
