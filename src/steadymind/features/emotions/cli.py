"""``steadymind affect text``: the emotions the local model reads in a text.

    steadymind affect text "I can't believe they cancelled again"
    echo "thank you so much" | steadymind affect text --json

Every text passes the text seam first: for a text that needs the crisis response, that response
is shown instead of a reading, and the command exits with status 4. Texts are never logged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from steadymind.affect.vocabulary import to_word
from steadymind.core.errors import ModelError, ValidationError
from steadymind.core.places import normalise_country
from steadymind.features.emotions import TEXT
from steadymind.runtime import CommandGroup
from steadymind.screen import Verdict
from steadymind.ui.api import verdict_out
from steadymind.ui.cli import anonymous_seam, console, crisis_panel, friendly_errors, read_stdin

if TYPE_CHECKING:
    from steadymind.affect.text import EmotionReading

EXIT_WITHHELD = 4  # a reading was withheld: the text needed the crisis response
TABLE_TITLE = "Feelings in each text"
CAPTION = "How sure the model is, in brackets; pleasant and energy run from -1 to +1."


@friendly_errors
def text_command(
    texts: Annotated[
        list[str] | None, typer.Argument(help="Texts to read; stdin (one text) when omitted.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO 3166 code for crisis lines.")
    ] = None,
) -> None:
    """Show the emotions the model reads in each TEXT (or the crisis response, if it needs it)."""
    inputs = list(texts) if texts else [read_stdin()]
    if any(not text.strip() for text in inputs):
        raise ValidationError("text is empty")
    seam = anonymous_seam(TEXT)
    where = normalise_country(country)
    verdicts = [seam.screen(t, surface=TEXT.name, country=where).verdict for t in inputs]
    if any(v is not None and not v.stops_flow and v.emotions is None for v in verdicts):
        raise ModelError("the emotion model could not read the text")
    if as_json:
        typer.echo(json.dumps([_json(v) for v in verdicts], ensure_ascii=False, indent=2))
    else:
        _show(verdicts)
    if any(v is not None and v.stops_flow for v in verdicts):
        raise typer.Exit(EXIT_WITHHELD)


def _json(verdict: Verdict | None) -> dict[str, object]:
    reading = verdict.emotions if verdict is not None else None
    gate = verdict_out(verdict)
    return {
        "reading": None if reading is None else reading.to_dict(),
        "gate": None if gate is None else gate.model_dump(mode="json"),
    }


def _show(verdicts: list[Verdict | None]) -> None:
    for verdict in verdicts:
        if verdict is not None and verdict.crisis is not None:
            console.print(crisis_panel(verdict.crisis))
    readings = [(i, v.emotions) for i, v in enumerate(verdicts, 1) if v and v.emotions]
    if readings:
        console.print(_table(readings))


def _table(readings: list[tuple[int, EmotionReading]]) -> Table:
    """For people: the picker's words for the model's labels, how sure it is, and how pleasant
    and energetic the text reads. The labels, the broad (Ekman) view and the model's id are in
    ``--json``; a person is never shown a model id or an annotation label."""
    table = Table(title=TABLE_TITLE, caption=CAPTION)
    for column in ("#", "feelings", "pleasant", "energy", "note"):
        table.add_column(column, justify="left" if column in {"feelings", "note"} else "right")
    for i, r in readings:
        table.add_row(str(i), _feelings(r), f"{r.valence:+.2f}", f"{r.arousal:+.2f}", _note(r))
    return table


def _feelings(r: EmotionReading) -> str:
    words = [(w, r.scores[label]) for label in r.labels if (w := to_word(label)) is not None]
    return ", ".join(f"{word} ({score:.0%})" for word, score in words) or "no clear feeling"


def _note(r: EmotionReading) -> str:
    notes = []
    if not r.supported:
        notes.append("not English or no words: low confidence")
    if r.truncated:
        notes.append("long text: only the beginning was read")
    return "; ".join(notes)


def register(group: CommandGroup) -> None:
    affect = group("affect", help="Emotion recognition.")
    affect.command("text")(text_command)
