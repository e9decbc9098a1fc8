"""Where an export goes and in what form: decided from the options and the file's name, before
anything is decrypted, so that a name that says one thing never holds another.

- ``x.json``: the JSON export (everything, versioned);
- ``x.zip``: every table as a CSV file, in a ZIP;
- ``x.csv`` with ``--table NAME``: that one table, as one CSV file.

``--format`` may be left out (the name says it); given, it must agree with the name. A file that
exists is replaced only with ``--force``; an export holds everything decrypted, so it is written
readable by its owner only (0600).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from steadymind.core.errors import ValidationError

Format = Literal["json", "csv"]
SUFFIX_FORMAT: dict[str, Format] = {".json": "json", ".csv": "csv", ".zip": "csv"}


@dataclass(frozen=True)
class Target:
    format: Format
    table: str | None  # one table as one CSV; None: every table in a ZIP (or the JSON export)
    path: Path | None  # None: standard output


def plan(output: Path, format: str | None, table: str | None, *, force: bool) -> Target:
    """What to write where, or a ValidationError that says what would work."""
    path = None if str(output) == "-" else output
    suffix = path.suffix.lower() if path else ""
    chosen = format or ("csv" if table else SUFFIX_FORMAT.get(suffix, "json"))
    if chosen not in ("json", "csv"):
        raise ValidationError("The format is json or csv.")
    target = Target("json" if chosen == "json" else "csv", table, path)
    if path is not None:
        _check_name(target, path)
        if path.exists() and not force:
            raise ValidationError(_exists(path))
    return target


def _check_name(target: Target, path: Path) -> None:
    suffix, stem = path.suffix.lower(), path.with_suffix("")
    if target.format == "json":
        if target.table:
            raise ValidationError("--table is for CSV: leave out --format json.")
        if suffix != ".json":
            raise ValidationError(
                f"The JSON export belongs in a file ending in .json: name it {stem}.json, "
                "or name it .zip for every table as CSV."
            )
    elif target.table:
        if suffix != ".csv":
            raise ValidationError(f"One table is one CSV file: name it {stem}.csv.")
    elif suffix != ".zip":
        raise ValidationError(
            f"A CSV file holds one table, and your data has several. Name the file {stem}.zip "
            f"to get every table as CSV in a ZIP, or pick one table: "
            f"--table journal --output {stem}.csv."
        )


def _exists(path: Path) -> str:
    return f"There is already a file {path}: add --force to replace it, or choose another name."


def write_private(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` readable by its owner only. Without ``force`` the file must
    not exist (checked by the create itself, so nothing appearing meanwhile is overwritten);
    with it, the old file is replaced whole, at once (a new file, then a rename)."""
    try:
        if not force:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            return
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise ValidationError(_exists(path)) from None
    except OSError as exc:
        raise ValidationError(
            f"Cannot write {path}: {exc.strerror or type(exc).__name__}."
        ) from None
