"""``steadymind journal add|list|show``: your journal from the terminal."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from steadymind.core.errors import ValidationError
from steadymind.features.journal.schemas import JournalIn
from steadymind.features.journal.service import ENTRY, JournalService
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import (
    UserOpt,
    console,
    friendly_errors,
    print_verdict,
    read_stdin,
    read_text_file,
    runtime,
    unlocked,
    valid,
)


@friendly_errors
def journal_add(
    title: Annotated[str, typer.Option(help="Title")] = "",
    tag: Annotated[list[str] | None, typer.Option("--tag")] = None,
    file: Annotated[
        Path | None, typer.Option(help="Read the body from this file ('-' = stdin)")
    ] = None,
    user: UserOpt = None,
) -> None:
    """Write a journal entry (the body comes from --file, or stdin, or your $EDITOR)."""
    data = valid(JournalIn, title=title, body=_read_body(file), tags=tag or [])
    rt = runtime()
    with unlocked(rt, user) as principal:
        item, verdict = rt.get(JournalService).create(principal, data)
        console.print(f"Saved journal entry {item.id}.")
        print_verdict(
            console,
            verdict,
            "entry",
            answer=lambda a: rt.seam.answer(principal, ENTRY.name, item.id, a),
        )


def _read_body(file: Path | None) -> str:
    if file is not None and str(file) != "-":
        return read_text_file(file)
    if file is not None or not sys.stdin.isatty():
        return read_stdin()
    import click

    edited = click.edit("")
    if not edited or not edited.strip():
        raise ValidationError("nothing written; the entry was not saved")
    return edited


@friendly_errors
def journal_list(
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Search title and body")
    ] = None,
    days: Annotated[int | None, typer.Option(help="Only the last N days")] = None,
    user: UserOpt = None,
) -> None:
    """List your journal entries, newest first."""
    rt = runtime()
    start = rt.clock.now() - timedelta(days=days) if days else None
    with unlocked(rt, user) as principal:
        entries = rt.get(JournalService).find(principal, query=search, start=start)
    table = Table("id", "when", "title", "tags")
    for e in entries:
        # What a person wrote is text, never terminal markup: "[/x]" in a title is shown as is.
        table.add_row(e.id, _when(e.at), escape(e.title or "(untitled)"), escape(", ".join(e.tags)))
    console.print(table)


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


@friendly_errors
def journal_show(
    entry_id: Annotated[
        str, typer.Argument(help="The entry's id, or its first 4 or more characters")
    ],
    user: UserOpt = None,
) -> None:
    """Show one journal entry (the start of its id is enough, as in git)."""
    from rich.markdown import Markdown

    rt = runtime()
    with unlocked(rt, user) as principal:
        journal = rt.get(JournalService)
        entry = journal.get(principal, journal.resolve(principal, entry_id))
    console.print(f"[bold]{escape(entry.title or '(untitled)')}[/bold]  {_when(entry.at)}")
    console.print(Markdown(entry.body))


def register(group: CommandGroup) -> None:
    journal = group("journal", help="Your journal.")
    journal.command("add")(journal_add)
    journal.command("list")(journal_list)
    journal.command("show")(journal_show)
