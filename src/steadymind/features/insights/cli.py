"""``steadymind import daylio|checkins``, ``steadymind insights``, ``steadymind assess ...`` and
``steadymind warning ...``.

    steadymind import daylio daylio_export.csv
    steadymind import checkins export.csv --mapping mapping.toml   # any app's CSV
    steadymind insights --days 180 --json
    steadymind assess score phq9 0,1,2,0,1,0,0,1,0
    steadymind warning add mood_falling --days 5
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from steadymind.core.errors import ValidationError
from steadymind.features.insights.instruments import (
    NOT_A_DIAGNOSIS,
    instrument,
    needs_safety_step,
    parse_answers,
)
from steadymind.features.insights.service import (
    QUESTIONNAIRE,
    InsightService,
    MoodsNeeded,
    fired_rules,
)
from steadymind.features.insights.warnings import KINDS, title
from steadymind.runtime import CommandGroup, ImportOutcome
from steadymind.safety.types import Category
from steadymind.ui.cli import (
    UserOpt,
    anonymous_seam,
    console,
    err_console,
    friendly_errors,
    interactive,
    print_verdict,
    runtime,
    unlocked,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SAFETY = frozenset({Category.SUICIDE, Category.SELF_HARM})


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise ValidationError(f"Cannot read the file {path.name}.") from None


def _mood_options(given: list[str]) -> dict[str, int]:
    moods = {}
    for item in given:
        name, _, value = item.rpartition("=")
        try:
            moods[name.strip()] = int(value)
        except ValueError:
            raise ValidationError('Give a mood as NAME=NUMBER, for example "tired=-2".') from None
    return moods


def _ask_moods(names: list[str]) -> dict[str, int]:
    console.print(
        "Some moods in the file are your own. Where does each sit, from -5 (very low) to "
        "+5 (very good)? You are asked once; later imports remember."
    )
    return {name: typer.prompt(f"  {name}", type=click.IntRange(-5, 5)) for name in names}


def _report(outcome: ImportOutcome, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"added": outcome.added, "skipped": outcome.skipped}))
        return
    already = f"; {outcome.skipped} were there already" if outcome.skipped else ""
    console.print(f"Imported {outcome.added} check-ins{already}.", highlight=False)


@friendly_errors
def import_daylio(
    file: Annotated[Path, typer.Argument(help="A Daylio CSV export")],
    mood: Annotated[
        list[str] | None,
        typer.Option("--mood", help='Place a custom mood: "tired=-2" (repeatable)'),
    ] = None,
    date_format: Annotated[
        str | None, typer.Option(help="The date order when the file's is unclear: %d/%m/%Y")
    ] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
) -> None:
    """Import a Daylio CSV export: moods, activities as tags, notes (encrypted)."""
    rt = runtime()  # a broken configuration is said first, as by every command
    data = _read(file)
    moods = _mood_options(mood or [])
    with unlocked(rt, user) as principal:
        insights = rt.get(InsightService)
        try:
            outcome = insights.import_daylio(principal, data, moods=moods, date_format=date_format)
        except MoodsNeeded as needed:
            if not interactive():
                example = f'--mood "{needed.names[0]}=-1"'
                raise ValidationError(f"{needed.message} Give each with {example}.") from None
            moods |= _ask_moods(needed.names)
            outcome = insights.import_daylio(principal, data, moods=moods, date_format=date_format)
        _report(outcome, as_json)
        print_verdict(
            console,
            outcome.verdict,
            "notes",
            answer=lambda a: rt.seam.answer(principal, "checkin-import", None, a),
        )


@friendly_errors
def import_checkins(
    file: Annotated[Path, typer.Argument(help="A CSV file")],
    mapping: Annotated[Path, typer.Option(help="A TOML file naming the columns")],
    as_json: JsonOpt = False,
    user: UserOpt = None,
) -> None:
    """Import check-ins from any CSV, with a mapping file that names its columns."""
    rt = runtime()
    data = _read(file)
    mapping_text = _read(mapping).decode("utf-8", errors="replace")
    with unlocked(rt, user) as principal:
        outcome = rt.get(InsightService).import_mapped(principal, data, mapping_text)
        _report(outcome, as_json)
        print_verdict(
            console,
            outcome.verdict,
            "notes",
            answer=lambda a: rt.seam.answer(principal, "checkin-import", None, a),
        )


@friendly_errors
def insights(
    days: Annotated[int, typer.Option(min=7, max=1098, help="How many days back")] = 365,
    as_json: JsonOpt = False,
    user: UserOpt = None,
) -> None:
    """Patterns in your check-ins, each with its evidence (an association, not a cause)."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        analysis = rt.get(InsightService).patterns(principal, days)
    if as_json:
        out: dict[str, Any] = {
            "days": analysis.days,
            "enough": analysis.enough,
            "message": analysis.message,
            "findings": [_finding(f.as_dict()) for f in analysis.findings],
            "tested": len(analysis.tested),
        }
        typer.echo(json.dumps(out, indent=2))
        return
    console.print(analysis.message, highlight=False)
    for f in analysis.findings:
        console.print(f"- {f.text}", highlight=False, markup=False)


def _finding(f: dict[str, Any]) -> dict[str, Any]:
    keys = ("factor", "outcome", "lag_days", "effect", "ci_low", "ci_high", "n_with",
            "n_without", "p_adjusted", "text")  # fmt: skip
    return {k: f[k] for k in keys}


def _print_score(name: str, total: int, band: str, most: int, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"instrument": name, "total": total, "band": band, "most": most}))
        return
    console.print(f"{instrument(name).title}: {total} of {most}, {band}.", highlight=False)
    console.print(NOT_A_DIAGNOSIS, highlight=False)


@friendly_errors
def assess_score(
    name: Annotated[str, typer.Argument(help="phq9, gad7, who5 or pss10")],
    answers: Annotated[str, typer.Argument(help="The answers in order: 0,1,2,0,...")],
    as_json: JsonOpt = False,
) -> None:
    """Score a questionnaire's answers (nothing is saved)."""
    inst = instrument(name)
    given = parse_answers(answers)
    total, band = inst.score(given)
    _print_score(inst.key, total, band, inst.most, as_json)
    if needs_safety_step(inst, given):
        seam = anonymous_seam(QUESTIONNAIRE)
        verdict = seam.safety_step(None, QUESTIONNAIRE.name, SAFETY)
        # With --json the score stays the only thing on stdout; the safety step is still shown.
        print_verdict(err_console if as_json else console, verdict, "answers")


@friendly_errors
def assess_take(
    name: Annotated[str, typer.Argument(help="phq9, gad7, who5 or pss10")],
    answers: Annotated[
        str | None, typer.Option(help="The answers in order (else each question is asked)")
    ] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
) -> None:
    """Take a questionnaire and keep the result (the answers are encrypted)."""
    rt = runtime()
    inst = instrument(name)
    given = parse_answers(answers) if answers is not None else _ask_items(inst.key)
    inst.score(given)  # a wrong answer is said before the password is asked
    with unlocked(rt, user) as principal:
        taken, verdict = rt.get(InsightService).take(principal, inst.key, given)
        _print_score(inst.key, taken.total, taken.band, taken.most, as_json)
        print_verdict(
            console if not as_json else err_console,
            verdict,
            "answers",
            answer=lambda a: rt.seam.answer(principal, QUESTIONNAIRE.name, None, a),
        )


def _ask_items(name: str) -> list[int]:
    inst = instrument(name)
    console.print(f"[bold]{inst.title}[/]  {inst.stem}", highlight=False)
    choices = "  ".join(f"{score} = {words}" for score, words in inst.options)
    console.print(choices, highlight=False)
    low, high = min(s for s, _ in inst.options), max(s for s, _ in inst.options)
    return [
        typer.prompt(f"{i}. {item}", type=click.IntRange(low, high))
        for i, item in enumerate(inst.items, 1)
    ]


@friendly_errors
def assess_history(
    name: Annotated[str | None, typer.Argument(help="phq9, gad7, who5 or pss10")] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
) -> None:
    """Your questionnaire results, newest first."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        taken = rt.get(InsightService).taken(principal, name)
    if as_json:
        rows = [
            {"instrument": t.instrument, "at": t.at.isoformat(), "total": t.total, "band": t.band}
            for t in taken
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not taken:
        console.print("No questionnaires yet.")
    for t in taken:
        console.print(f"{t.at:%d %b %Y}  {t.title}  {t.total} of {t.most}, {t.band}")


@friendly_errors
def assess_schedule(
    name: Annotated[str, typer.Argument(help="phq9, gad7, who5 or pss10")],
    every: Annotated[int, typer.Option(min=0, max=365, help="Every N days (0 stops it)")] = 14,
    user: UserOpt = None,
) -> None:
    """Be offered a questionnaire every N days (for example every two weeks)."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        rt.get(InsightService).schedule(principal, name, every)
    if every:
        console.print(f"{instrument(name).title} will be offered every {every} days.")
    else:
        console.print(f"{instrument(name).title} will no longer be offered.")


@friendly_errors
def warning_add(
    kind: Annotated[str, typer.Argument(help=", ".join(KINDS))],
    days: Annotated[int, typer.Option(min=2, max=60, help="Over how many days")] = 5,
    threshold: Annotated[float, typer.Option(help="The rule's number, where it has one")] = 0,
    tell_supporter: Annotated[
        bool, typer.Option(help="Also tell your supporter (when delivery is set up)")
    ] = False,
    user: UserOpt = None,
) -> None:
    """Set an early-warning rule (a rule you choose, not a diagnosis)."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        rule = rt.get(InsightService).add_rule(principal, kind, threshold, days, tell_supporter)
    console.print(f"Rule set: {title(rule.kind, rule.threshold, rule.days)}.", highlight=False)


@friendly_errors
def warning_list(as_json: JsonOpt = False, user: UserOpt = None) -> None:
    """Your early-warning rules, and those that fire today."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        service = rt.get(InsightService)
        rules = service.rules(principal)
        fired = {f.rule_id: f for f in fired_rules(service, principal)}
    if as_json:
        rows = [
            {"id": r.id, "title": title(r.kind, r.threshold, r.days), "fires": r.id in fired}
            for r in rules
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rules:
        console.print("No rules yet: steadymind warning add mood_falling --days 5")
    for r in rules:
        mark = "  fires today" if r.id in fired else ""
        console.print(f"{r.id[:8]}  {title(r.kind, r.threshold, r.days)}{mark}", highlight=False)
    if fired:
        console.print(next(iter(fired.values())).message, highlight=False)


def register(group: CommandGroup) -> None:
    imports = group("import", help="Bring your history from another app.")
    imports.command("daylio")(import_daylio)
    # `import csv` is a wearable's numbers (issue 17 names it); check-ins from a CSV are these.
    imports.command("checkins")(import_checkins)
    group("").command("insights")(insights)
    assess = group("assess", help="Standard questionnaires: PHQ-9, GAD-7, WHO-5, PSS-10.")
    assess.command("score")(assess_score)
    assess.command("take")(assess_take)
    assess.command("history")(assess_history)
    assess.command("schedule")(assess_schedule)
    warning = group("warning", help="Early-warning rules you set.")
    warning.command("add")(warning_add)
    warning.command("list")(warning_list)
