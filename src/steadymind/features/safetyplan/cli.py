"""``steadymind safety plan show|edit``: your safety plan, step by step, in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError as PydanticValidationError
from rich.console import Console

from steadymind.core.errors import ValidationError
from steadymind.features.safetyplan.service import PLAN, SafetyPlanService
from steadymind.runtime import CommandGroup
from steadymind.safety import copy
from steadymind.safety.plan import (
    CONTACT_SECTIONS,
    MAX_ITEMS,
    SECTIONS,
    SafetyPlan,
    plan_as_lines,
    plan_from_lines,
)
from steadymind.ui.cli import (
    UserOpt,
    friendly_errors,
    print_verdict,
    read_text_file,
    runtime,
    unlocked,
)

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


def _typed_lines() -> list[str]:
    typed: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line:  # end of input: what was typed so far
            return typed
        line = line.rstrip("\n").strip()
        if not line:
            return typed
        typed.append(line)


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
    typed = _typed_lines()
    if not typed:
        return current
    return [] if typed == ["-"] else typed


@friendly_errors
def plan_show(
    user: UserOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show your safety plan."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        plan = rt.get(SafetyPlanService).load(principal)
    if as_json:
        typer.echo(plan.model_dump_json(indent=2) if plan is not None else "null")
        return
    _print_plan(Console(), plan)


def _asked_plan(console: Console, current: SafetyPlan | None) -> SafetyPlan:
    console.print(copy.PLAN_INTRO_CLI, highlight=False)
    lines = plan_as_lines(current)
    answers = {key: _ask_step(console, key, lines[key]) for key in SECTIONS}
    try:
        return plan_from_lines(answers)
    except PydanticValidationError as exc:
        raise ValidationError(
            f"An item is too long or there are more than {MAX_ITEMS} in a step; "
            "nothing was changed.",
            details={"fields": sorted({str(e["loc"][0]) for e in exc.errors()})},
        ) from None


@friendly_errors
def plan_edit(
    user: UserOpt = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Replace the plan with this JSON file (as `show --json`)."),
    ] = None,
) -> None:
    """Fill in your safety plan step by step (or load it from a JSON file)."""
    rt = runtime()
    plans = rt.get(SafetyPlanService)
    console = Console()
    with unlocked(rt, user) as principal:
        if file is not None:
            plan = SafetyPlan.from_json(read_text_file(file))
        else:
            plan = _asked_plan(console, plans.load(principal))
        verdict = plans.save(principal, plan)
        console.print(copy.PLAN_SAVED_CLI, highlight=False)
        _print_plan(console, plan)
        # The plan's words passed the seam like any text: at elevated, the question (with the
        # lines beside it); at high, the crisis response with the plan just saved.
        print_verdict(
            console,
            verdict,
            "plan",
            answer=lambda a: rt.seam.answer(principal, PLAN.name, None, a),
        )


def register(group: CommandGroup) -> None:
    plan = group(
        "safety plan", help="Your safety plan (Stanley-Brown): show it or fill it in step by step."
    )
    plan.command("show")(plan_show)
    plan.command("edit")(plan_edit)
