"""``steadymind affect``: read emotions from text on the command line.

    steadymind affect text "I can't believe they cancelled again"
    echo "thank you so much" | steadymind affect text --json

The texts are never logged; they go to the model and the result goes to stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steadymind.affect.text import EmotionReading, load_emotion_model
from steadymind.core.errors import SteadymindError

affect_app = typer.Typer(
    name="affect", help="Emotion recognition.", no_args_is_help=True, add_completion=False
)


@affect_app.callback()
def affect() -> None:
    """Emotion recognition from text (more sources later)."""
    # An explicit callback keeps `text` a subcommand even while it is the only one.


EXIT_USAGE = 2
EXIT_MODEL = 3


@affect_app.command("text")
def text_command(
    texts: Annotated[
        list[str] | None, typer.Argument(help="Texts to read; stdin (one text) when omitted.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show the emotions the model reads in each TEXT."""
    err = Console(stderr=True)
    inputs = list(texts) if texts else [_read_stdin(err)]
    try:
        readings = load_emotion_model().predict(inputs)
    except SteadymindError as exc:
        err.print(f"[red]error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(EXIT_USAGE if exc.status == 422 else EXIT_MODEL) from None
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in readings], ensure_ascii=False, indent=2))
    else:
        Console().print(_table(readings))


def _read_stdin(err: Console) -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        err.print("[red]error:[/red] standard input is not valid UTF-8 text", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None


def _table(readings: list[EmotionReading]) -> Table:
    table = Table(title="Emotions", caption=readings[0].model_id if readings else None)
    for column in ("#", "emotions", "ekman", "valence", "arousal", "note"):
        table.add_column(
            column, justify="right" if column in {"#", "valence", "arousal"} else "left"
        )
    for i, r in enumerate(readings, start=1):
        emotions = ", ".join(f"{name} {r.scores[name]:.2f}" for name in r.labels)
        table.add_row(
            str(i), emotions, ", ".join(r.ekman), f"{r.valence:+.2f}", f"{r.arousal:+.2f}", _note(r)
        )
    return table


def _note(r: EmotionReading) -> str:
    notes = []
    if not r.supported:
        notes.append("not English or no words: low confidence")
    if r.truncated:
        notes.append("long text: only the beginning was read")
    return "; ".join(notes)
