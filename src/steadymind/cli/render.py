"""Rich renderings shared by CLI commands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text


def crisis_panel(crisis: dict[str, Any]) -> Panel:
    """The reviewed crisis response, in the terminal: urgent lines first, then people to call."""
    parts: list[Text] = [Text(line, style="bold red") for line in crisis["urgent"]]
    parts.append(Text(crisis["message"]))
    parts.append(Text(crisis["lines_intro"], style="bold"))
    resources = crisis["resources"]
    if resources.get("emergency"):
        parts.append(Text(f"  Emergency services: {resources['emergency']}"))
    for line in resources["lines"]:
        hours = f" ({line['hours']})" if line.get("hours") else ""
        parts.append(Text(f"  {line['name']}: {line['contact']}{hours}"))
    plan = crisis.get("plan")
    parts.append(Text(crisis["plan_text"], style="bold"))
    if plan:
        for key, items in plan.items():
            if isinstance(items, list) and items:
                shown = [i["name"] if isinstance(i, dict) else str(i) for i in items]
                parts.append(Text(f"  {key.replace('_', ' ')}: " + "; ".join(shown)))
    parts.append(Text(crisis["notice"], style="dim"))
    return Panel(Group(*parts), title=crisis["title"], border_style="red")


def print_gate_view(
    console: Console, view: dict[str, Any] | None, what: str, already: Sequence[str] = ()
) -> None:
    """After saving text: the crisis response when the gate asks for it, otherwise the feelings
    the emotion model read in the text (minus those the person already chose)."""
    if not view:
        return
    if view["crisis"] is not None:
        console.print(crisis_panel(view["crisis"]))
    words = [w for w in view.get("suggested_emotions", []) if w not in already]
    if words and not view["stops_flow"]:
        console.print(f"feelings your {what} may hold: " + ", ".join(words))
