"""``steadymind safety check``: what the crisis-safety gate reads in a text, from the terminal.

The output shows the person's own words as evidence: it is for them, on their terminal, and is
never logged. No account is needed and nothing is stored.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steadymind.core.places import normalise_country
from steadymind.features.help.check import CHECK
from steadymind.runtime import CommandGroup
from steadymind.safety import copy
from steadymind.safety.types import RiskAssessment, RiskLevel
from steadymind.screen import Verdict
from steadymind.ui.cli import AnswerFn, anonymous_seam, friendly_errors, print_verdict

_STYLE = {
    RiskLevel.NONE: "green",
    RiskLevel.LOW: "yellow",
    RiskLevel.ELEVATED: "bold red",
    RiskLevel.HIGH: "bold white on red",
}


def _print_assessment(console: Console, result: RiskAssessment) -> None:
    label = result.level.label
    console.print(
        f"[{_STYLE[result.level]}]{label.upper()}[/] - {copy.CLI_LEVEL_LABELS[label]}",
        highlight=False,
    )
    if result.categories:
        console.print("Categories: " + ", ".join(sorted(c.value for c in result.categories)))
    if result.evidence:
        table = Table("layer", "signal", "level", "phrase", "from")
        for e in result.evidence:
            table.add_row(e.layer, e.signal, e.level.label, e.phrase, e.source)
        console.print(table)
    if result.failed_layers:
        console.print("[red]failed layers (failing closed): " + ", ".join(result.failed_layers))


def _render(console: Console, verdict: Verdict, answer: AnswerFn) -> None:
    _print_assessment(console, verdict.assessment)
    print_verdict(console, verdict, "text", answer=answer)
    # Which model versions read it is in --json, for the person running the server; people
    # are not shown model ids.


@friendly_errors
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
    where = normalise_country(country)
    seam = anonymous_seam(CHECK)
    verdict = seam.screen(text, surface=CHECK.name, context=context or [], country=where).verdict
    if verdict is None:
        typer.echo("nothing to check: the text is blank", err=True)
        raise typer.Exit(2)
    if as_json:
        payload = verdict.assessment.to_dict()
        crisis = verdict.crisis
        payload["crisis_response"] = None if crisis is None else crisis.to_dict()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _render(Console(), verdict, lambda a: seam.answer(None, CHECK.name, None, a, country=where))


def register(group: CommandGroup) -> None:
    group("safety", help="Crisis-safety tools.").command("check")(check)
