"""Input field types every feature shares: text that survives storage, tags, strict models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from steadymind.core.errors import ValidationError


def storable(text: str) -> str:
    """Reject lone surrogates and NUL: neither survives UTF-8 storage faithfully."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains characters that are not valid Unicode") from None
    if "\x00" in text:
        raise ValueError("text contains a NUL character")
    return text


def _tag(tag: str) -> str:
    return storable(" ".join(tag.split()).lower())


def split_tags(raw: str) -> list[str]:
    """Tags as a person types them in one form field: comma separated."""
    return [t.strip() for t in raw.split(",") if t.strip()]


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


Text = Annotated[str, AfterValidator(storable)]
# Stripped before the limits are checked: "  walk " is the tag "walk", and a tag of only
# spaces is refused rather than stored empty. Limits count characters, not bytes.
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_tag),
]
Tags = Annotated[list[Tag], Field(max_length=20), AfterValidator(unique)]


class Strict(BaseModel):
    """Input models refuse fields they do not know (a typo is an error, not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


def in_calendar(value: datetime) -> bool:
    """Whether an aware time exists in UTC: 9999-12-31 at -14:00 is after the last instant
    UTC can hold, and converting it (to store or compare it) overflows into a 500."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def check_range(start: datetime | None, end: datetime | None) -> None:
    for value in (start, end):
        if value is not None and value.tzinfo is None:
            raise ValidationError("date range bounds need a time zone")
        if value is not None and not in_calendar(value):
            raise ValidationError("A date of the range is outside the calendar")
    if start and end and start > end:
        raise ValidationError("the start of the range is after its end")
