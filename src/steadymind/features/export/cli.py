"""``steadymind export``: everything you have stored, decrypted, to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from steadymind.core.errors import ValidationError
from steadymind.features.export.service import Exporter
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, err_console, friendly_errors, runtime, unlocked


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
    rt = runtime()
    exporter = rt.get(Exporter)
    with unlocked(rt, user) as principal:
        data = exporter.to_json(principal) if format == "json" else exporter.to_csv_zip(principal)
    if str(output) == "-":
        if format == "csv" and sys.stdout.isatty():
            raise ValidationError("a zip file does not belong on a terminal: use --output")
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    err_console.print(f"wrote {len(data)} bytes to {output}")


def register(group: CommandGroup) -> None:
    group("").command("export")(export)
