"""Shared CLI plumbing: settings, services, credentials and the one way errors are shown."""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from steadymind.core.config import load_settings
from steadymind.core.errors import SteadymindError, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.migrate import ensure_migrated
from steadymind.services import Services

console = Console()
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Show our errors as one red line and exit 2 (bad input) or 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SteadymindError as exc:
            err_console.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2 if exc.status < 500 else 1) from None

    return wrapper  # type: ignore[return-value]


def services(*, migrated: bool = True) -> Services:
    built = Services.build(load_settings())
    if migrated:
        ensure_migrated(built.db.engine)
    return built


def read_secret(prompt: str, env: str) -> str:
    """From an environment variable (for scripts), else asked without echo."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if line:
            return line.rstrip("\n")
    return getpass.getpass(f"{prompt}: ")


@contextmanager
def unlocked(svc: Services, username: str | None) -> Iterator[Principal]:
    """The CLI unlocks the data key with the password for this one command, then forgets it:
    a command is one short session, revoked when the command is done."""
    name = username or os.environ.get("STEADYMIND_USER") or typer.prompt("Username")
    password = read_secret("Password", "STEADYMIND_PASSWORD")
    principal = svc.accounts.log_in(name, password, client="cli").principal
    try:
        yield principal
    finally:
        svc.accounts.log_out(principal)


def read_text_file(path: Path) -> str:
    """A file the person names on the command line, as UTF-8 text, or one clear error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read {path}: {type(exc).__name__}") from None
