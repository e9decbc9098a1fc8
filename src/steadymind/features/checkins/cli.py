"""``steadymind checkin``: record how you feel, now or at a time you missed.

    steadymind checkin --mood 2 --energy -1 --emotion tired --emotion calm
    steadymind checkin --mood -1 --at "2026-03-01 21:30" --note "a long day"

Everything is checked before the password is asked for; a time without a zone is read in the
person's own time zone, which is known once the account is unlocked, so it is checked again then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError as PydanticValidationError

from steadymind.affect.vocabulary import accepted_words_text, to_word
from steadymind.core.errors import ValidationError
from steadymind.features.checkins.chart import signed
from steadymind.features.checkins.form import problem
from steadymind.features.checkins.scales import ENERGY, MOOD
from steadymind.features.checkins.schemas import CheckInIn, CheckInOut
from steadymind.features.checkins.service import NOTE, CheckInService
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, console, friendly_errors, print_verdict, runtime, unlocked

BAD_AT = "Please give --at as a date and time, for example 2026-03-01 21:30"


@friendly_errors
def checkin(
    mood: Annotated[
        int, typer.Option("--mood", "-m", min=-5, max=5, help="-5 (very low) to +5 (very good)")
    ],
    energy: Annotated[
        int,
        typer.Option("--energy", "-e", min=-5, max=5, help="-5 (no energy) to +5 (full of it)"),
    ] = 0,
    emotion: Annotated[
        list[str] | None,
        typer.Option("--emotion", help="A feeling word, e.g. calm, anxious, tired (repeatable)"),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable)")] = None,
    intensity: Annotated[
        int | None, typer.Option(min=0, max=10, help="How strong the feelings are, 0-10")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A short note (encrypted)")] = None,
    at: Annotated[
        str | None,
        typer.Option(help='When, if not now: "2026-03-01 21:30" (in your time zone)'),
    ] = None,
    user: UserOpt = None,
) -> None:
    """Record how you feel, now or at a time you missed."""
    when = _read_at(at)
    fields: dict[str, Any] = {
        "mood": mood,
        "energy": energy,
        "emotions": _feelings(emotion or []),
        "tags": tag or [],
        "intensity": intensity,
        "note": note,
    }
    # A time without a zone is checked as UTC now, and again in the person's zone below.
    _valid(fields, when if when is None or when.tzinfo else when.replace(tzinfo=UTC))
    rt = runtime()
    with unlocked(rt, user) as principal:
        local = (
            when
            if when is None or when.tzinfo
            else when.replace(tzinfo=ZoneInfo(principal.timezone))
        )
        item, verdict = rt.get(CheckInService).create(principal, _valid(fields, local))
        console.print(_saved(item), highlight=False, soft_wrap=True)
        print_verdict(
            console,
            verdict,
            "note",
            already=item.emotions,
            answer=lambda a: rt.seam.answer(principal, NOTE.name, item.id, a),
        )


def _read_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(BAD_AT) from None


def _feelings(words: list[str]) -> list[str]:
    """The words as the picker's words; an unknown one is named, with every word it knows."""
    for word in words:
        if to_word(word) is None:
            raise ValidationError(
                f"The word {word!r} is not one of the feeling words. These are:\n  "
                + accepted_words_text().replace("\n", "\n  ")
            )
    return words


def _valid(fields: dict[str, Any], at: datetime | None) -> CheckInIn:
    try:
        return CheckInIn(**fields, at=at)
    except PydanticValidationError as exc:
        raise ValidationError(problem(exc)) from None


def _saved(item: CheckInOut) -> str:
    when = item.at.astimezone(ZoneInfo(item.tz))
    return (
        f"Saved check-in {item.id} for {when:%a %d %b, %H:%M}: "
        f"mood {signed(item.mood)} ({MOOD.word(item.mood)}), "
        f"energy {signed(item.energy)} ({ENERGY.word(item.energy)})."
    )


def register(group: CommandGroup) -> None:
    group("").command("checkin")(checkin)
