"""Input and output shapes for check-ins and journal entries (shared by API, web and CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from steadymind.tracking.vocabulary import EMOTION_SET

MAX_NOTE = 5_000
MAX_TITLE = 200
MAX_BODY = 100_000


def _storable(text: str) -> str:
    """Reject lone surrogates and NUL: neither survives UTF-8 storage faithfully."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains characters that are not valid Unicode") from None
    if "\x00" in text:
        raise ValueError("text contains a NUL character")
    return text


def _emotion(word: str) -> str:
    word = word.strip().lower()
    if word not in EMOTION_SET:
        raise ValueError(f"{word!r} is not in the emotion vocabulary")
    return word


def _tag(tag: str) -> str:
    return _storable(" ".join(tag.split()).lower())


Text = Annotated[str, AfterValidator(_storable)]
Emotion = Annotated[str, AfterValidator(_emotion)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_tag)]
Scale = Annotated[int, Field(ge=-5, le=5)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


Emotions = Annotated[list[Emotion], Field(max_length=20), AfterValidator(_unique)]
Tags = Annotated[list[Tag], Field(max_length=20), AfterValidator(_unique)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckInIn(Strict):
    at: AwareDatetime | None = Field(None, description="When; defaults to now")
    tz: str | None = Field(None, max_length=64, description="IANA time zone; defaults to yours")
    mood: Scale = Field(description="Valence, -5 (very unpleasant) to +5 (very pleasant)")
    energy: Scale = Field(description="Arousal, -5 (very low) to +5 (very high)")
    intensity: Annotated[int, Field(ge=0, le=10)] | None = None
    emotions: Emotions = []
    tags: Tags = []
    note: Annotated[Text, Field(max_length=MAX_NOTE)] | None = None


class CheckInPatch(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    mood: Scale | None = None
    energy: Scale | None = None
    intensity: Annotated[int, Field(ge=0, le=10)] | None = None
    emotions: Emotions | None = None
    tags: Tags | None = None
    note: Annotated[Text, Field(max_length=MAX_NOTE)] | None = None


class JournalIn(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    title: Annotated[Text, Field(max_length=MAX_TITLE)] = ""
    body: Annotated[Text, Field(max_length=MAX_BODY)]
    tags: Tags = []


class JournalPatch(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    title: Annotated[Text, Field(max_length=MAX_TITLE)] | None = None
    body: Annotated[Text, Field(max_length=MAX_BODY)] | None = None
    tags: Tags | None = None


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


class JournalOut(BaseModel):
    id: str
    at: datetime
    tz: str
    title: str
    body: str
    tags: list[str]
    analysis: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime
    unreadable: bool = Field(False, description="The stored text failed to decrypt (damaged)")
