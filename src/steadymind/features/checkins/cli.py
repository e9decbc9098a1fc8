"""``steadymind checkin``: record how you feel right now."""

from __future__ import annotations

from typing import Annotated

import typer

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import NOTE, CheckInService
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, console, friendly_errors, print_verdict, runtime, unlocked
from steadymind.ui.cli import valid as validated


@friendly_errors
def checkin(
    mood: Annotated[int, typer.Option("--mood", "-m", min=-5, max=5, help="-5..+5")],
    energy: Annotated[int, typer.Option("--energy", "-e", min=-5, max=5, help="-5..+5")] = 0,
    emotion: Annotated[
        list[str] | None, typer.Option("--emotion", help="An emotion word (repeatable)")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable)")] = None,
    intensity: Annotated[int | None, typer.Option(min=0, max=10)] = None,
    note: Annotated[str | None, typer.Option(help="A short note (encrypted)")] = None,
    user: UserOpt = None,
) -> None:
    """Record how you feel right now."""
    data = validated(
        CheckInIn,
        mood=mood,
        energy=energy,
        emotions=emotion or [],
        tags=tag or [],
        intensity=intensity,
        note=note,
    )
    rt = runtime()
    with unlocked(rt, user) as principal:
        item, verdict = rt.get(CheckInService).create(principal, data)
        console.print(f"saved check-in {item.id} (mood {item.mood:+d}, energy {item.energy:+d})")
        print_verdict(
            console,
            verdict,
            "note",
            already=item.emotions,
            answer=lambda a: rt.seam.answer(principal, NOTE.name, item.id, a),
        )


def register(group: CommandGroup) -> None:
    group("").command("checkin")(checkin)
