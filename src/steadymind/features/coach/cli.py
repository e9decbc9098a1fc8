"""``steadymind habit ...``, ``steadymind remind ...`` and ``steadymind worker``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steadymind.core.errors import ValidationError
from steadymind.features.coach.jobs import Jobs
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schedule import ALL_DAYS, parse_days
from steadymind.features.coach.schemas import ChannelIn, HabitIn, ReminderIn
from steadymind.features.coach.service import HABIT, CoachService
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, friendly_errors, print_verdict, runtime, unlocked, valid

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Every = Annotated[int, typer.Option("--every", help="Every N days (instead of --days).", min=1)]
Days = Annotated[
    str, typer.Option("--days", help="Days of the week: 'mon,wed,fri', 'weekdays' or 'all'.")
]
At = Annotated[list[str], typer.Option("--at", help="A time of day, HH:MM (repeat for more).")]


def _schedule(days: str, every: int) -> dict[str, object]:
    if every > 1:
        return {"kind": "every", "every_n": every}
    try:
        mask = parse_days(days)
    except ValueError as exc:
        raise ValidationError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
    return {"kind": "daily"} if mask == ALL_DAYS else {"kind": "weekdays", "weekdays": mask}


@friendly_errors
def habit_add(
    name: Annotated[str, typer.Argument(help="The habit, in your words.")],
    days: Days = "all",
    every: Every = 1,
    at: At = [],  # noqa: B006 (Typer reads the default)
    link: Annotated[str | None, typer.Option(help="tag:<tag>, flow:<id> or practice:<id>.")] = None,
    user: UserOpt = None,
) -> None:
    """Add a habit (its name passes the safety check like anything you write)."""
    data = valid(HabitIn, name=name, times=at, link=link, **_schedule(days, every))
    rt = runtime()
    console = Console()
    with unlocked(rt, user) as principal:
        habit, verdict = rt.get(CoachService).add_habit(principal, data)
        console.print(f"Added: {habit.name} ({habit.schedule}).", highlight=False, markup=False)
        print_verdict(
            console,
            verdict,
            "habit",
            answer=lambda a: rt.seam.answer(principal, HABIT.name, habit.id, a),
        )


@friendly_errors
def habit_list(user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Your habits and how the last days went (days done, never a streak)."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        habits = rt.get(CoachService).habits(principal)
    if as_json:
        typer.echo(json.dumps([h.model_dump(mode="json") for h in habits], indent=2))
        return
    if not habits:
        typer.echo('No habits yet. Add one with: steadymind habit add "a short walk"')
        return
    table = Table("id", "habit", "when", "last days", "today")
    for h in habits:
        when = h.schedule + (" at " + ", ".join(h.times) if h.times else "")
        table.add_row(h.id[:8], h.name, when, h.progress, "done" if h.done_today else "")
    Console().print(table)


@friendly_errors
def habit_done(
    habit: Annotated[str, typer.Argument(help="The habit's id (its start is enough).")],
    undo: Annotated[bool, typer.Option("--undo", help="Take today's mark back.")] = False,
    user: UserOpt = None,
) -> None:
    """Mark a habit done today."""
    rt = runtime()
    coach = rt.get(CoachService)
    with unlocked(rt, user) as principal:
        found = _by_prefix([h.id for h in coach.habits(principal)], habit, "habit")
        done = coach.mark(principal, found, done=not undo)
    typer.echo(f"{done.name}: {done.progress}.")


@friendly_errors
def habit_remove(
    habit: Annotated[str, typer.Argument(help="The habit's id.")], user: UserOpt = None
) -> None:
    """Remove a habit, its days and its reminders."""
    rt = runtime()
    coach = rt.get(CoachService)
    with unlocked(rt, user) as principal:
        coach.delete_habit(
            principal, _by_prefix([h.id for h in coach.habits(principal)], habit, "habit")
        )
    typer.echo("Removed.")


def _by_prefix(ids: list[str], prefix: str, what: str) -> str:
    found = [i for i in ids if i.startswith(prefix.strip())]
    if len(found) != 1 or not prefix.strip():
        raise ValidationError(f"No single {what} starts with that id; see the list.")
    return found[0]


@friendly_errors
def remind_add(
    at: Annotated[str, typer.Argument(help="The time of day, HH:MM, in your time zone.")],
    habit: Annotated[
        str | None, typer.Option(help="For this habit (its id); else a check-in.")
    ] = None,
    days: Days = "all",
    every: Every = 1,
    webhook: Annotated[str | None, typer.Option(help="Also POST to this URL.")] = None,
    ntfy: Annotated[str | None, typer.Option(help="Also to this ntfy topic URL.")] = None,
    email: Annotated[str | None, typer.Option(help="Also by email to this address.")] = None,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a reminder: in the app, and on any channel you name."""
    rt = runtime()
    reminders = rt.get(ReminderService)
    with unlocked(rt, user) as principal:
        channels = [reminders.add_channel(principal, ChannelIn(kind="inapp")).id]
        for kind, target in (("webhook", webhook), ("ntfy", ntfy), ("email", email)):
            if target:
                channels.append(
                    reminders.add_channel(principal, ChannelIn(kind=kind, target=target)).id
                )
        habit_id = None
        if habit:
            habit_id = _by_prefix(
                [h.id for h in rt.get(CoachService).habits(principal)], habit, "habit"
            )
        data = valid(
            ReminderIn, about="habit" if habit_id else "checkin", habit_id=habit_id, at=at,
            channel_ids=channels, **_schedule(days, every),
        )  # fmt: skip
        made = reminders.add_reminder(principal, data)
    if as_json:
        typer.echo(made.model_dump_json(indent=2))
        return
    typer.echo(
        f"Reminder set: {made.schedule} at {made.at}. Next: {made.next_due_at:%Y-%m-%d %H:%M} UTC."
    )


@friendly_errors
def remind_list(user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Your reminders and the channels they go out on."""
    rt = runtime()
    reminders = rt.get(ReminderService)
    with unlocked(rt, user) as principal:
        items, channels = reminders.reminders(principal), reminders.channels(principal)
    if as_json:
        out = {
            "reminders": [r.model_dump(mode="json") for r in items],
            "channels": [c.model_dump(mode="json") for c in channels],
        }
        typer.echo(json.dumps(out, indent=2))
        return
    if not items:
        typer.echo("No reminders yet. Add one with: steadymind remind add 20:00")
    kinds = {c.id: c.kind for c in channels}
    table = Table("id", "for", "when", "channels")
    for r in items:
        table.add_row(
            r.id[:8],
            r.about,
            f"{r.schedule} at {r.at}",
            ", ".join(kinds.get(c, "?") for c in r.channel_ids),
        )
    if items:
        Console().print(table)
    for c in channels:
        tested = "tested" if c.tested_at else "not tested yet"
        typer.echo(f"channel {c.id[:8]}  {c.kind}  {c.target}  ({tested})")


@friendly_errors
def remind_test(
    channel: Annotated[
        str | None, typer.Argument(help="A channel's id; every channel if left out.")
    ] = None,
    user: UserOpt = None,
) -> None:
    """Send a test message now on your channels, to see that they arrive."""
    rt = runtime()
    reminders = rt.get(ReminderService)
    failed = False
    with unlocked(rt, user) as principal:
        channels = reminders.channels(principal)
        if channel:
            chosen = _by_prefix([c.id for c in channels], channel, "channel")
            channels = [c for c in channels if c.id == chosen]
        if not channels:
            raise ValidationError(
                "No channels yet: add a reminder with --webhook, --ntfy or --email."
            )
        for c in channels:
            sent, error = reminders.send_test(principal, c.id)
            failed |= not sent
            typer.echo(f"{c.kind}: " + ("sent." if sent else f"not sent ({error})."))
    if failed:
        raise typer.Exit(1)


@friendly_errors
def remind_remove(
    reminder: Annotated[str, typer.Argument(help="The reminder's id.")], user: UserOpt = None
) -> None:
    """Remove a reminder."""
    rt = runtime()
    reminders = rt.get(ReminderService)
    with unlocked(rt, user) as principal:
        reminders.remove_reminder(
            principal,
            _by_prefix([r.id for r in reminders.reminders(principal)], reminder, "reminder"),
        )
    typer.echo("Removed.")


@friendly_errors
def worker(
    workers: Annotated[
        int | None, typer.Option(help="Threads (default STEADYMIND_JOBS_WORKERS).", min=1)
    ] = None,
) -> None:
    """Run the background jobs (reminders) until stopped; for a server that sets
    STEADYMIND_JOBS_IN_PROCESS=false. Holds no one's key."""
    from steadymind.core import logs

    rt = runtime()
    logs.configure(rt.settings.log_level)
    rt.get(Jobs).run_worker(workers)


def register(group: CommandGroup) -> None:
    habit = group("habit", help="Habits with a schedule and gentle progress.")
    habit.command("add")(habit_add)
    habit.command("list")(habit_list)
    habit.command("done")(habit_done)
    habit.command("remove")(habit_remove)
    remind = group("remind", help="Reminders: in the app, by webhook, ntfy or email.")
    remind.command("add")(remind_add)
    remind.command("list")(remind_list)
    remind.command("test")(remind_test)
    remind.command("remove")(remind_remove)
    group("").command("worker")(worker)
