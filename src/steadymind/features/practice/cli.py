"""``steadymind practice`` and ``steadymind biofeedback``: the catalogue, a spoken session made
on this machine, what helped you, and HRV from a file of RR intervals.

    steadymind practice list --json
    steadymind practice render box-breathing --minutes 5 --output box.ogg
    steadymind biofeedback simulate --scan --output scan.txt
    steadymind biofeedback analyse scan.txt --scan --json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from steadymind.core.errors import NotFound, ValidationError
from steadymind.features.practice import hrv
from steadymind.features.practice.catalogue import (
    MAX_MINUTES,
    MIN_MINUTES,
    Goal,
    Practice,
    catalogue,
)
from steadymind.features.practice.composer import Preferences, Request, compose
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, console, friendly_errors, runtime, unlocked


@friendly_errors
def list_practices(
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list: id, title, minutes")
    ] = False,
) -> None:
    """The practices: what each is for and how long it usually takes."""
    practices = catalogue().values()
    if as_json:
        rows = [{"id": p.id, "title": p.title, "minutes": p.minutes} for p in practices]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "practice", "minutes", "for")
    for p in practices:
        table.add_row(p.id, p.title, str(p.minutes), ", ".join(p.goals))
    console.print(table)


@friendly_errors
def show_practice(practice_id: Annotated[str, typer.Argument(help="A practice's id")]) -> None:
    """One practice: its steps, the evidence for it, and its cautions."""
    p = _practice(practice_id)
    console.print(f"[bold]{p.title}[/] ({p.minutes} min): {p.summary}", highlight=False)
    console.print(p.purpose, highlight=False)
    console.print("\n[bold]Evidence[/]", " ".join(p.evidence.split()), highlight=False)
    for ref in p.references:
        console.print(f"  - {ref}", highlight=False, markup=False)
    console.print("\n[bold]Take care[/]")
    for caution in p.cautions:
        console.print(f"  - {caution}", highlight=False, markup=False)


def _practice(practice_id: str) -> Practice:
    found = catalogue().get(practice_id)
    if found is None:
        raise NotFound(f"No practice {practice_id!r}: see `steadymind practice list`.")
    return found


@friendly_errors
def render(
    practice_id: Annotated[str, typer.Argument(help="A practice's id (steadymind practice list)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="A .wav or .ogg file")],
    minutes: Annotated[
        int, typer.Option(min=MIN_MINUTES, max=MAX_MINUTES, help="About how long, 1-30")
    ] = 5,
    goal: Annotated[str | None, typer.Option(help="calm, sleep, focus, ...")] = None,
    voice: Annotated[str, typer.Option(help="An espeak-ng voice, e.g. en, en-gb, en-us")] = "en",
    pace: Annotated[str, typer.Option(help="normal or slow")] = "normal",
    background: Annotated[str, typer.Option(help="none, rain or brown (noise)")] = "none",
    no_body: Annotated[bool, typer.Option("--no-body", help="No mention of the body")] = False,
    piper_voice: Annotated[
        Path | None, typer.Option(help="A piper voice (.onnx) to speak with instead")
    ] = None,
) -> None:
    """Make the composed, spoken session of about N minutes as a sound file."""
    from steadymind.features.practice import audio

    # The configuration first: a broken one is the first thing to hear about.
    cache = runtime(migrated=False).settings.data_dir / "cache" / "practice-audio"
    practice = _practice(practice_id)
    chosen = goal or practice.goals[0]
    if chosen not in practice.goals:
        raise ValidationError(f"{practice.title} is for: {', '.join(practice.goals)}.")
    if output.suffix.lower() not in audio.FORMATS:
        raise ValidationError("The output must end in .wav or .ogg")
    prefs = Preferences.model_validate(
        {"voice": voice, "pace": _one(pace, ("normal", "slow")), "no_body": no_body,
         "background": _one(background, ("none", "rain", "brown"))}
    )  # fmt: skip
    request = Request(goal=_goal(chosen), minutes=minutes, practice=practice.id, prefs=prefs)
    script = compose(request)
    engine = audio.Piper(piper_voice) if piper_voice else audio.default_engine()
    with Progress(
        TextColumn("[bold]Speaking[/]"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(), console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("render", total=1)

        def progress(done: int, total: int) -> None:
            bar.update(task, total=total, completed=done)

        made = audio.render(script, output, engine=engine, cache=cache, progress=progress)
    console.print(
        f"Saved {made.path} ({made.seconds / 60:.1f} min, {made.lufs:.1f} LUFS, "
        f"{made.engine}{', from the cache' if made.cached else ''}).",
        highlight=False,
        soft_wrap=True,
    )


def _one(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValidationError(f"Please choose one of: {', '.join(allowed)}.")
    return value


def _goal(value: str) -> Goal:
    return value  # type: ignore[return-value]  # checked against the practice's goals


@friendly_errors
def helped(user: UserOpt = None) -> None:
    """What helped you: the calm change of each practice you rated before and after."""
    from steadymind.features.practice.service import PracticeService

    rt = runtime()
    with unlocked(rt, user) as principal:
        found = rt.get(PracticeService).helped(principal)
    if not found:
        console.print("No rated practices yet: rate how calm you feel before and after one.")
        return
    table = Table("practice", "sessions", "calm change (0-10)")
    for h in found:
        table.add_row(h.title, str(h.sessions), f"{h.mean_change:+.1f}")
    console.print(table)


@friendly_errors
def analyse(
    file: Annotated[Path, typer.Argument(help="RR intervals in ms, one a line, or CSV rr_ms")],
    scan: Annotated[bool, typer.Option("--scan", help="A resonance scan recording")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Heart rate and HRV (RMSSD, SDNN) from RR intervals, cleaned of ectopic beats."""
    if not file.is_file():
        raise NotFound(f"No file {file}")
    rr = hrv.read_rr(file)
    found: dict[str, object] = dict(hrv.analyse(rr).as_json())
    if scan:
        found.update(hrv.scan(rr).as_json())
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    console.print(
        f"Heart rate {found['mean_hr_bpm']} bpm, RMSSD {found['rmssd_ms']} ms, "
        f"SDNN {found['sdnn_ms']} ms ({found['beats']} beats, {found['removed']} set aside).",
        highlight=False,
    )
    if scan:
        console.print(f"Your resonance rate: about {found['resonance_bpm']} breaths a minute.")


@friendly_errors
def simulate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write RR intervals")],
    minutes: Annotated[float, typer.Option(min=0.5, max=60, help="How long, if not a scan")] = 5,
    resonance: Annotated[
        float, typer.Option(min=4.0, max=7.0, help="The simulated person's")
    ] = 5.5,
    pace: Annotated[float, typer.Option(min=3.0, max=12.0, help="Breaths a minute")] = 6.0,
    scan: Annotated[bool, typer.Option("--scan", help="A resonance scan, 10 minutes")] = False,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Write RR intervals from the simulated strap, for a demo or a test."""
    from steadymind.features.practice.strap import SimulatedStrap

    strap = SimulatedStrap(resonance_bpm=resonance, seed=seed)
    rr = strap.scan() if scan else strap.record(minutes * 60, lambda _t: pace)
    output.write_text("\n".join(str(x) for x in rr) + "\n", encoding="utf-8")
    console.print(f"Wrote {len(rr)} RR intervals to {output}.", highlight=False)


def register(group: CommandGroup) -> None:
    practice = group("practice", help="Guided practice: the catalogue, spoken sessions.")
    practice.command("list")(list_practices)
    practice.command("show")(show_practice)
    practice.command("render")(render)
    practice.command("helped")(helped)
    bio = group("biofeedback", help="Heart rate variability from a chest strap's RR intervals.")
    bio.command("analyse")(analyse)
    bio.command("simulate")(simulate)
