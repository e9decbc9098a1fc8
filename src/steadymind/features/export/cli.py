"""``steadymind export``: everything you have stored, decrypted, to a file or stdout.

What is written is what the file's name says (``target.py``): ``.json``, a ``.zip`` of CSV
files, or one table as one ``.csv`` with ``--table``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from steadymind.core.errors import ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.export.service import Exporter, zip_of
from steadymind.features.export.target import Target, plan, write_private
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, err_console, friendly_errors, runtime, unlocked


@friendly_errors
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write ('-' = stdout)")
    ] = Path("-"),
    format: Annotated[
        str | None,
        typer.Option(help="json, or csv (a .zip of every table, or one --table as .csv)"),
    ] = None,
    table: Annotated[
        str | None, typer.Option(help="One table as one CSV file, e.g. journal or checkins")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists")] = False,
    user: UserOpt = None,
) -> None:
    """Export everything you have stored, decrypted (the format follows the file's name)."""
    target = plan(output, format, table, force=force)
    zip_to_terminal = target.format == "csv" and not target.table and sys.stdout.isatty()
    if target.path is None and zip_to_terminal:
        raise ValidationError("A ZIP file does not belong on a terminal: use --output x.zip.")
    rt = runtime()
    exporter = rt.get(Exporter)
    with unlocked(rt, user) as principal:
        data = _render(exporter, principal, target)
    if target.path is None:
        sys.stdout.buffer.write(data)
        return
    write_private(target.path, data, force=force)
    err_console.print(f"Wrote {len(data):,} bytes to {target.path}", highlight=False)


def _render(exporter: Exporter, principal: Principal, target: Target) -> bytes:
    if target.format == "json":
        return exporter.to_json(principal)
    files = exporter.files(principal)
    if target.table is None:
        return zip_of(files)
    return _one_table(files, target.table).encode("utf-8")


def _one_table(files: dict[str, str], table: str) -> str:
    name = table.lower().removesuffix(".csv")
    if f"{name}.csv" in files:
        return files[f"{name}.csv"]
    tables = ", ".join(sorted(n.removesuffix(".csv") for n in files if n.endswith(".csv")))
    if f"{name}.json" in files:
        raise ValidationError(
            f"The {name} section is not a table: it is {name}.json in the ZIP, and in the JSON "
            f"export. The tables are {tables}."
        )
    raise ValidationError(f"There is no table called {table}. The tables are {tables}.")


def register(group: CommandGroup) -> None:
    group("").command("export")(export)
