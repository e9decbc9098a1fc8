"""The ``steadymind`` command: serve, db, user, checkin, journal, export (and more sub-apps)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from rich.table import Table

from steadymind import __version__
from steadymind.cli.context import (
    console,
    err_console,
    friendly_errors,
    read_secret,
    read_text_file,
    services,
    unlocked,
)
from steadymind.cli.render import print_gate_view
from steadymind.core.config import load_settings
from steadymind.core.errors import ValidationError
from steadymind.tracking.models import CheckInIn, JournalIn

app = typer.Typer(
    name="steadymind",
    help="steadymind: a private companion for mood, journaling and emotion regulation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
journal_app = typer.Typer(help="Your journal.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(journal_app, name="journal")

UserOpt = Annotated[str | None, typer.Option("--user", "-u", help="Username (or STEADYMIND_USER)")]


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(__version__)
        raise typer.Exit()


@app.command()
@friendly_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Start the web app and API (refuses an un-migrated database)."""
    import uvicorn

    from steadymind.api.app import create_app

    settings = load_settings()
    from steadymind.core import logs

    logs.configure(settings.log_level)
    svc = services(migrated=False)
    application = create_app(svc)
    # Load the models now, not on the first person's first message (which may be a crisis).
    svc.gate.check("warm up", context=[], country=None)
    bind_host, bind_port = host or settings.host, port or settings.port
    console.print(
        f"steadymind {__version__} on http://{bind_host}:{bind_port}  (data: {settings.data_dir})"
    )
    # uvicorn's access log prints query strings, which can hold journal search terms: ours does not.
    uvicorn.run(
        application,
        host=bind_host,
        port=bind_port,
        access_log=False,
        log_level="warning",
        log_config=None,  # keep our handlers (and their redaction) instead of uvicorn's
    )


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create the data directory and migrate the database to the current schema."""
    from steadymind.db.migrate import current_revision, upgrade

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    svc = services(migrated=False)
    upgrade(svc.db.engine)
    console.print(f"database at revision {current_revision(svc.db.engine)}")


@user_app.command("create")
@friendly_errors
def user_create(
    username: str,
    country: Annotated[str | None, typer.Option(help="ISO country code, for crisis lines")] = None,
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "UTC",
) -> None:
    """Create an account. The password is asked twice (or read from STEADYMIND_PASSWORD)."""
    svc = services()
    password = read_secret("Password", "STEADYMIND_PASSWORD")
    import os

    asks = "STEADYMIND_PASSWORD" not in os.environ and sys.stdin.isatty()
    if asks and read_secret("Password again", "STEADYMIND_PASSWORD_AGAIN") != password:
        raise ValidationError("the passwords differ")
    result = svc.accounts.sign_up(username, password, country=country, timezone=timezone)
    console.print(f"created [bold]{username}[/bold]")
    console.print(
        "Recovery key (shown once; the only way back in without the password):\n"
        f"[bold]{result.recovery_key}[/bold]"
    )


M = TypeVar("M", bound=BaseModel)


def _valid(model: type[M], **fields: object) -> M:
    """Validate before asking for a password; show the first problem as a plain error."""
    try:
        return model(**fields)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(f"{where}: {first['msg']}" if where else first["msg"]) from None


@app.command()
@friendly_errors
def checkin(
    mood: Annotated[int, typer.Option("--mood", "-m", min=-5, max=5, help="-5..+5")],
    energy: Annotated[int, typer.Option("--energy", "-e", min=-5, max=5, help="-5..+5")] = 0,
    emotion: Annotated[
        list[str] | None, typer.Option("--emotion", help="An emotion word (repeatable)")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable)")] = None,
    intensity: Annotated[int | None, typer.Option(min=0, max=10)] = None,
    note: Annotated[str | None, typer.Option(help="A short note (encrypted)")] = None,
    user: UserOpt = None,
) -> None:
    """Record how you feel right now."""
    from steadymind.crisis import gate_view

    data = _valid(
        CheckInIn,
        mood=mood,
        energy=energy,
        emotions=emotion or [],
        tags=tag or [],
        intensity=intensity,
        note=note,
    )
    svc = services()
    with unlocked(svc, user) as principal:
        item, result = svc.tracking.create_checkin(principal, data)
        view = gate_view(svc.plans, principal, result)
    console.print(f"saved check-in {item.id} (mood {item.mood:+d}, energy {item.energy:+d})")
    print_gate_view(console, view, "note", already=item.emotions)


@journal_app.command("add")
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
    from steadymind.crisis import gate_view

    data = _valid(JournalIn, title=title, body=_read_body(file), tags=tag or [])
    svc = services()
    with unlocked(svc, user) as principal:
        item, result = svc.tracking.create_entry(principal, data)
        view = gate_view(svc.plans, principal, result)
    console.print(f"saved journal entry {item.id}")
    print_gate_view(console, view, "entry")


def _read_body(file: Path | None) -> str:
    if file is not None and str(file) != "-":
        return read_text_file(file)
    if file is not None or not sys.stdin.isatty():
        try:
            return sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("the input is not valid UTF-8 text") from None
    import click

    edited = click.edit("")
    if not edited or not edited.strip():
        raise ValidationError("nothing written; the entry was not saved")
    return edited


@journal_app.command("list")
@friendly_errors
def journal_list(
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Search title and body")
    ] = None,
    days: Annotated[int | None, typer.Option(help="Only the last N days")] = None,
    user: UserOpt = None,
) -> None:
    """List your journal entries, newest first."""
    svc = services()
    start = svc.clock.now() - timedelta(days=days) if days else None
    with unlocked(svc, user) as principal:
        entries = svc.tracking.list_entries(principal, query=search, start=start)
    table = Table("id", "when", "title", "tags")
    for e in entries:
        table.add_row(e.id, _when(e.at), e.title or "(untitled)", ", ".join(e.tags))
    console.print(table)


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


@journal_app.command("show")
@friendly_errors
def journal_show(entry_id: str, user: UserOpt = None) -> None:
    """Show one journal entry."""
    from rich.markdown import Markdown

    svc = services()
    with unlocked(svc, user) as principal:
        entry = svc.tracking.get_entry(principal, entry_id)
    console.print(f"[bold]{entry.title or '(untitled)'}[/bold]  {_when(entry.at)}")
    console.print(Markdown(entry.body))


@app.command()
@friendly_errors
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write ('-' = stdout)")
    ] = Path("-"),
    format: Annotated[str, typer.Option(help="json or csv (a zip of CSV files)")] = "json",
    user: UserOpt = None,
) -> None:
    """Export everything you have stored, decrypted."""
    if format not in ("json", "csv"):
        raise ValidationError("format must be json or csv")
    svc = services()
    with unlocked(svc, user) as principal:
        data = (
            svc.exporter.to_json(principal)
            if format == "json"
            else svc.exporter.to_csv_zip(principal)
        )
    if str(output) == "-":
        if format == "csv" and sys.stdout.isatty():
            raise ValidationError("a zip file does not belong on a terminal: use --output")
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    err_console.print(f"wrote {len(data)} bytes to {output}")


def _mount_optional() -> None:
    """Sub-apps of other capabilities (emotion model, safety)."""
    from steadymind.cli.affect import affect_app
    from steadymind.cli.safety import safety_app

    app.add_typer(affect_app, name="affect")
    app.add_typer(safety_app, name="safety")


_mount_optional()
__all__ = ["app", "json"]
