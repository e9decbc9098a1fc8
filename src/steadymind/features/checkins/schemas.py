"""A check-in going in and coming out (shared by the API, the web pages and the CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from steadymind.affect.vocabulary import EMOTION_SET
from steadymind.core.fields import Strict, Tags, Text, unique

MAX_NOTE = 5_000


def _emotion(word: str) -> str:
    word = word.strip().lower()
    if word not in EMOTION_SET:
        raise ValueError(f"{word!r} is not in the emotion vocabulary")
    return word


Emotion = Annotated[str, AfterValidator(_emotion)]
Emotions = Annotated[list[Emotion], Field(max_length=20), AfterValidator(unique)]
Scale = Annotated[int, Field(ge=-5, le=5)]
Intensity = Annotated[int, Field(ge=0, le=10)]
Note = Annotated[Text, Field(max_length=MAX_NOTE)]


class CheckInIn(Strict):
    at: AwareDatetime | None = Field(None, description="When; defaults to now")
    tz: str | None = Field(None, max_length=64, description="IANA time zone; defaults to yours")
    mood: Scale = Field(description="Valence, -5 (very unpleasant) to +5 (very pleasant)")
    energy: Scale = Field(description="Arousal, -5 (very low) to +5 (very high)")
    intensity: Intensity | None = None
    emotions: Emotions = Field(default_factory=list)
    tags: Tags = Field(default_factory=list)
    note: Note | None = None


class CheckInPatch(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    mood: Scale | None = None
    energy: Scale | None = None
    intensity: Intensity | None = None
    emotions: Emotions | None = None
    tags: Tags | None = None
    note: Note | None = None


class CheckInOut(BaseModel):
    id: str
    at: datetime
    tz: str
    mood: int
    energy: int
    intensity: int | None
    emotions: list[str]
    tags: list[str]
    note: str | None
    analysis: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime
    unreadable: bool = Field(False, description="The stored text failed to decrypt (damaged)")
