"""``steadymind safety``: check a message with the crisis-safety gate from the terminal.

Mounted by ``cli/main.py`` as ``app.add_typer(safety_app, name="safety")``. The output shows the
person's own words as evidence: it is for them, on their terminal, and is never logged.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steadymind.errors import SteadymindError
from steadymind.safety import copy
from steadymind.safety.gate import assess
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
