"""A check-in going in and coming out (shared by the API, the web pages and the CLI).

Inputs are strict: a mood of ``true`` or ``"3"`` is a client's mistake, refused rather than
stored as 1 or 3. Text limits count characters (code points), whatever the script, never bytes.
In a patch, a field left out stays as it is; ``null`` clears the two fields that may be empty
(``intensity``, ``note``) and is refused for every other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from steadymind.affect.vocabulary import to_word
from steadymind.core.fields import Strict, Tags, in_calendar, storable, unique

MAX_NOTE = 5_000
MAX_TAGS, MAX_TAG = 20, 40
MAX_FEELINGS = 20
# The earliest day a check-in may be dated: older is a typo, not a missed day to log.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
VOCABULARY_URL = "/api/v1/vocabulary/emotions"


def _emotion(word: str) -> str:
    found = to_word(word)
    if found is None:
        # The word is not echoed: error details never carry what a person typed.
        raise PydanticCustomError(
            "feeling_word",
            "Not one of the feeling words; GET {url} lists them",
            {"url": VOCABULARY_URL},
        )
    return found


def _when(at: datetime) -> datetime:
    if not in_calendar(at) or at < EARLIEST:
        raise PydanticCustomError(
            "date_out_of_range", "The date is outside the range a check-in can have"
        )
    return at


Emotion = Annotated[str, AfterValidator(_emotion)]
Emotions = Annotated[list[Emotion], Field(max_length=MAX_FEELINGS), AfterValidator(unique)]
Scale = Annotated[int, Field(ge=-5, le=5, strict=True)]
Intensity = Annotated[int, Field(ge=0, le=10, strict=True)]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE), AfterValidator(storable)]
When = Annotated[AwareDatetime, AfterValidator(_when)]
Zone = Annotated[str, StringConstraints(max_length=64)]


class CheckInIn(Strict):
    at: When | None = Field(
        None, description="When; defaults to now. At most a day ahead, from 1900 on."
    )
    tz: Zone | None = Field(None, description="IANA time zone; defaults to yours")
    mood: Scale = Field(description="How pleasant, -5 (very unpleasant) to +5 (very pleasant)")
    energy: Scale = Field(description="How much energy, -5 (very low) to +5 (very high)")
    intensity: Intensity | None = Field(None, description="How strong the feelings are, 0-10")
    emotions: Emotions = Field(
        default_factory=list,
        description=f"Feeling words from {VOCABULARY_URL} (the model's labels are read as "
        "their words)",
    )
    tags: Tags = Field(
        default_factory=list,
        description=f"Up to {MAX_TAGS} tags of 1-{MAX_TAG} characters, stripped",
    )
    note: Note | None = Field(None, description=f"Up to {MAX_NOTE:,} characters")


# A patch may clear these with null; null for any other field is refused (a 422).
CLEARABLE = ("intensity", "note")


class CheckInPatch(Strict):
    at: When | None = None
    tz: Zone | None = None
    mood: Scale | None = None
    energy: Scale | None = None
    intensity: Intensity | None = Field(None, description="null clears it")
    emotions: Emotions | None = Field(None, description="[] clears them; null is refused")
    tags: Tags | None = Field(None, description="[] clears them; null is refused")
    note: Note | None = Field(None, description="null removes the note")

    @field_validator("at", "tz", "mood", "energy", "emotions", "tags", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields the client sent: left out means "keep", null means nothing.
        if value is None:
            raise PydanticCustomError(
                "not_nullable", "Cannot be null: leave the field out to keep it as it is"
            )
        return value


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
