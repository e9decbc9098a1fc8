"""The check-in form as the browser posts it, what its page shows, and its errors in words.

The date and time field is a browser ``datetime-local``: a wall-clock time with no zone, read
in the person's time zone (or, when editing, in the zone the check-in was made in). The form
also posts the time it showed: a new check-in whose time was left alone is saved at the moment
of saving, not of opening the page, and an edit that left it alone keeps the time to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from steadymind.affect.vocabulary import to_word
from steadymind.core.errors import SteadymindError, ValidationError, from_pydantic
from steadymind.core.fields import split_tags
from steadymind.features.checkins.schemas import (
    MAX_FEELINGS,
    MAX_NOTE,
    MAX_TAG,
    MAX_TAGS,
    CheckInOut,
)
from steadymind.features.checkins.service import AHEAD

LOCAL = "%Y-%m-%dT%H:%M"  # what a datetime-local field holds
BAD_TIME = "Please give the date and time as the field shows them, for example 2026-03-01 21:30."


class CheckInForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    csrf: str = Field("", max_length=100)
    mood: int = 0
    energy: int = 0
    intensity: str = Field("", max_length=3)
    emotions: list[str] = Field(default_factory=list, max_length=100)
    tags: str = Field("", max_length=4 * MAX_TAGS * MAX_TAG)
    # Activities planned with the companion, ticked as tags (``runtime.PlanSource``).
    planned: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
    # Generous: the check-in's own limit (in characters) then says what is too long, on the form.
    note: str = Field("", max_length=4 * MAX_NOTE)
    at: str = Field("", max_length=40)
    at_shown: str = Field("", max_length=40)
    # The review page posts feelings only, leaving the rest of the check-in as it was.
    emotions_only: str = Field("", max_length=1)

    def fields(self, tz: str) -> dict[str, Any]:
        """The check-in's fields; a time the person left as shown is left out."""
        if self.emotions_only:
            return {"emotions": self.emotions}
        fields: dict[str, Any] = {
            "mood": self.mood,
            "energy": self.energy,
            "intensity": int(self.intensity) if self.intensity.strip().isdigit() else None,
            "emotions": self.emotions,
            "tags": list(dict.fromkeys([*split_tags(self.tags), *self.planned])),
            "note": self.note if self.note.strip() else None,
        }
        if self.at.strip() and self.at.strip() != self.at_shown.strip():
            fields["at"] = read_local(self.at, tz)
        return fields


def read_local(value: str, tz: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(BAD_TIME) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(tz))


def shown_local(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime(LOCAL)


@dataclass(frozen=True)
class Values:
    """What the form shows: a new check-in's defaults, a saved one, or what was just posted."""

    mood: int = 0
    energy: int = 0
    intensity: str = ""
    emotions: tuple[str, ...] = ()
    tags: str = ""
    note: str = ""
    at: str = ""
    at_shown: str = ""
    latest: str = ""  # the latest time the field accepts (a day from now)

    @classmethod
    def new(cls, now: datetime, tz: str) -> Values:
        at = shown_local(now, tz)
        return cls(at=at, at_shown=at, latest=shown_local(now + AHEAD, tz))

    @classmethod
    def of(cls, item: CheckInOut, now: datetime) -> Values:
        at = shown_local(item.at, item.tz)
        return cls(
            mood=item.mood,
            energy=item.energy,
            intensity="" if item.intensity is None else str(item.intensity),
            emotions=tuple(item.emotions),
            tags=", ".join(item.tags),
            note=item.note or "",
            at=at,
            at_shown=at,
            latest=shown_local(now + AHEAD, item.tz),
        )

    @classmethod
    def posted(cls, form: CheckInForm, now: datetime, tz: str) -> Values:
        return cls(
            mood=form.mood,
            energy=form.energy,
            intensity=form.intensity,
            # A word the picker does not know is dropped: the error said so, and a second Save
            # should not fail on it again.
            emotions=tuple(w for w in form.emotions if to_word(w) is not None),
            tags=form.tags,
            note=form.note,
            at=form.at,
            at_shown=form.at_shown,
            latest=shown_local(now + AHEAD, tz),
        )


# -- errors in words -------------------------------------------------------------------------

_NAMES = {
    "at": "The date and time",
    "note": "The note",
    "tags": "A tag",
    "intensity": "How strong",
    "emotions": "A feeling",
    "mood": "Mood",
    "energy": "Energy",
}


def problem(exc: PydanticValidationError | SteadymindError) -> str:
    """The first problem with the form, as a sentence a person can act on."""
    if isinstance(exc, SteadymindError):
        return exc.message
    error = exc.errors()[0]
    loc = error.get("loc") or ("",)
    field, kind = str(loc[0]), error["type"]
    limit = (error.get("ctx") or {}).get("max_length")
    if kind == "string_too_long" and field == "note":
        return f"The note can be at most {MAX_NOTE:,} characters."
    if kind in {"string_too_long", "string_too_short"} and field == "tags":
        return f"A tag can be 1 to {MAX_TAG} characters."
    if kind == "too_long" and field == "tags":
        return f"Please use at most {MAX_TAGS} tags."
    if kind == "too_long" and field == "emotions":
        return f"Please pick at most {MAX_FEELINGS} feelings."
    if kind == "feeling_word":
        return "One of the feelings is not in the list; please pick from the list."
    if kind == "date_out_of_range":
        return "That date is outside the range a check-in can have."
    if kind in {"less_than_equal", "greater_than_equal"} and field in _NAMES:
        low, high = ("0", "10") if field == "intensity" else ("-5", "+5")
        return f"{_NAMES[field]} goes from {low} to {high}."
    if limit is not None and field in _NAMES:
        return f"{_NAMES[field]} can be at most {limit:,} characters."
    return from_pydantic(exc).message
