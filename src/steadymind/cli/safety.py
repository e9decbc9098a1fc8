"""``steadymind safety``: check a message with the crisis-safety gate from the terminal, and
show or fill in the person's safety plan (``steadymind safety plan show|edit``).

Mounted by ``cli/main.py`` as ``app.add_typer(safety_app, name="safety")``. The output shows the
person's own words as evidence: it is for them, on their terminal, and is never logged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError as PydanticValidationError
from rich.console import Console
from rich.table import Table

from steadymind.cli.context import friendly_errors, read_text_file, services, unlocked
from steadymind.cli.render import print_gate_view
from steadymind.core.errors import SteadymindError, ValidationError
from steadymind.crisis import gate_view, save_plan
from steadymind.safety import copy
from steadymind.safety.gate import assess
from steadymind.safety.plan import (
    CONTACT_SECTIONS,
    MAX_ITEMS,
    SECTIONS,
    SafetyPlan,
    plan_as_lines,
    plan_from_lines,
)
from steadymind.safety.policy import crisis_response
from steadymind.safety.resources import normalise_country
from steadymind.safety.types import RiskAssessment, RiskLevel

safety_app = typer.Typer(
    name="safety", help="Crisis-safety tools.", no_args_is_help=True, add_completion=False
)


@safety_app.callback()
def _group() -> None:
    """Crisis-safety tools (kept a group so more commands can join ``check``)."""


_STYLE = {
    RiskLevel.NONE: "green",
    RiskLevel.LOW: "yellow",
    RiskLevel.ELEVATED: "bold red",
    RiskLevel.HIGH: "bold white on red",
}


def _render(console: Console, result: RiskAssessment, country: str | None) -> None:
    label = result.level.label
    console.print(
        f"[{_STYLE[result.level]}]{label.upper()}[/] - {copy.CLI_LEVEL_LABELS[label]}",
        highlight=False,
    )
    if result.categories:
        console.print("categories: " + ", ".join(sorted(c.value for c in result.categories)))
    if result.evidence:
        table = Table("layer", "signal", "level", "phrase", "from")
        for e in result.evidence:
            table.add_row(e.layer, e.signal, e.level.label, e.phrase, e.source)
        console.print(table)
    if result.failed_layers:
        console.print("[red]failed layers (failing closed): " + ", ".join(result.failed_layers))
    response = crisis_response(result, country)
    if response is not None:
        console.print(f"\n[bold]{response.title}[/]\n{response.message}")
        for line in response.urgent:
            console.print(f"[bold]{line}[/]")
        console.print(response.lines_intro)
        for crisis_line in response.resources.lines:
            console.print(f"  - {crisis_line.name}: {crisis_line.contact} ({crisis_line.hours})")
    console.print(f"[dim]model: {result.model_id}[/]", highlight=False)


@safety_app.command("check")
def check(
    text: Annotated[str, typer.Argument(help="The message to check.")],
    context: Annotated[
        list[str] | None,
        typer.Option("--context", "-c", help="A recent message (repeat, oldest first)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the assessment as JSON.")] = False,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO 3166 code for crisis lines.")
    ] = None,
) -> None:
    """Assess TEXT (and optional recent --context messages) for crisis risk."""
    try:
        normalise_country(country)
        result = assess(text, context or [])
        response = crisis_response(result, country)
    except SteadymindError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=2) from None
    if as_json:
        payload = result.to_dict()
        payload["crisis_response"] = response.to_dict() if response is not None else None
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _render(Console(), result, country)


plan_app = typer.Typer(
    name="plan",
    help="Your safety plan (Stanley-Brown): show it or fill it in step by step.",
    no_args_is_help=True,
)
safety_app.add_typer(plan_app, name="plan")
UserOpt = Annotated[str | None, typer.Option("--user", "-u", help="Your username.")]
_KEEP_HINT = (
    "One item per line; an empty line ends the step. Press Enter at once to keep what is there, "
    "or type '-' to empty the step."
)


def _print_plan(console: Console, plan: SafetyPlan | None) -> None:
    lines = plan_as_lines(plan)
    if plan is None or plan.is_empty:
        console.print(copy.PLAN_EMPTY_CLI)
        return
    for key in SECTIONS:
        console.print(f"[bold]{copy.PLAN_STEPS[key]['title']}[/]", highlight=False)
        for item in lines[key] or ["-"]:
            console.print(f"  {item}", highlight=False, markup=False)


def _ask_step(console: Console, key: str, current: list[str]) -> list[str]:
    step = copy.PLAN_STEPS[key]
    console.print(f"\n[bold]{step['title']}[/]", highlight=False)
    console.print(step["prompt"], highlight=False)
    console.print(f"[dim]For example: {step['example']}[/]", highlight=False)
    if key in CONTACT_SECTIONS:
        console.print("[dim]Write a person as: name, phone, note[/]")
    for item in current:
        console.print(f"  now: {item}", highlight=False, markup=False)
    console.print(f"[dim]{_KEEP_HINT}[/]")
    typed: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line:  # end of input: what was typed so far
            break
        line = line.rstrip("\n").strip()
        if not line:
            break
        typed.append(line)
    if not typed:
        return current
    if typed == ["-"]:
        return []
    return typed


@plan_app.command("show")
@friendly_errors
def plan_show(
    user: UserOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show your safety plan."""
    svc = services()
    with unlocked(svc, user) as principal:
        plan = svc.plans.load(principal)
    if as_json:
        typer.echo(plan.model_dump_json(indent=2) if plan is not None else "null")
        return
    _print_plan(Console(), plan)


@plan_app.command("edit")
@friendly_errors
def plan_edit(
    user: UserOpt = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Replace the plan with this JSON file (as `show --json`)."),
    ] = None,
) -> None:
    """Fill in your safety plan step by step (or load it from a JSON file)."""
    svc = services()
    console = Console()
    with unlocked(svc, user) as principal:
        if file is not None:
            plan = SafetyPlan.from_json(read_text_file(file))
        else:
            console.print(copy.PLAN_INTRO_CLI, highlight=False)
            current = plan_as_lines(svc.plans.load(principal))
            answers = {key: _ask_step(console, key, current[key]) for key in SECTIONS}
            try:
                plan = plan_from_lines(answers)
            except PydanticValidationError as exc:
                raise ValidationError(
                    f"An item is too long or there are more than {MAX_ITEMS} in a step; "
                    "nothing was changed.",
                    details={"fields": sorted({str(e["loc"][0]) for e in exc.errors()})},
                ) from None
        result = save_plan(svc.plans, svc.gate, principal, plan)
        view = gate_view(svc.plans, principal, result)
    console.print(copy.PLAN_SAVED_CLI, highlight=False)
    _print_plan(console, plan)
    # The plan's words passed the gate like any text: at elevated and above, the crisis
    # response (the person's lines and plan) follows the saved plan.
    print_gate_view(console, view, "plan")
