"""The companion's data going out (shared by the API, the web pages and the CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from steadymind.core.fields import Strict


class ConsentOut(BaseModel):
    current: str
    accepted: str | None
    accepted_at: datetime | None
    needed: bool


class ConsentIn(Strict):
    version: str = Field(max_length=32, description="The version of the consent that was read")


class FlowOut(BaseModel):
    id: str
    title: str
    summary: str
    minutes: int


class TurnOut(BaseModel):
    id: str
    role: str
    text: str
    at: datetime
    meta: dict[str, Any] = Field(default_factory=dict)


class SessionSummary(BaseModel):
    id: str
    turns: int
    created_at: datetime
    updated_at: datetime


class SessionOut(BaseModel):
    id: str
    turns: list[TurnOut]
    total: int
    flow: str | None = None
    paused: str | None = None
    created_at: datetime
    updated_at: datetime


class SessionIn(Strict):
    flow: str | None = Field(None, max_length=64, description="Start with this exercise")


class SayIn(Strict):
    text: str = Field(min_length=1, max_length=4_000)


class BeginIn(Strict):
    flow: str = Field(max_length=64)


class AnswerIn(Strict):
    answer: Literal["yes", "not_sure", "no"]


class MemoryOut(BaseModel):
    id: str
    text: str
    created_at: datetime
    updated_at: datetime


class MemoryIn(Strict):
    text: str = Field(min_length=1, max_length=300)


class PrefsOut(BaseModel):
    llm_available: bool = Field(description="Whether this server has a language model configured")
    llm_replies: bool = Field(description="Whether it may write your free-talk replies")


class PrefsIn(Strict):
    llm_replies: bool
