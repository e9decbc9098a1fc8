"""``steadymind user create``: an account from the terminal."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from steadymind.core.errors import ValidationError
from steadymind.features.accounts.accounts import Accounts
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import console, friendly_errors, read_secret, runtime


@friendly_errors
def user_create(
    username: str,
    country: Annotated[str | None, typer.Option(help="ISO country code, for crisis lines")] = None,
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "UTC",
) -> None:
    """Create an account. The password is asked twice (or read from STEADYMIND_PASSWORD)."""
    rt = runtime()
    password = read_secret("Password", "STEADYMIND_PASSWORD")
    asks = "STEADYMIND_PASSWORD" not in os.environ and sys.stdin.isatty()
    if asks and read_secret("Password again", "STEADYMIND_PASSWORD_AGAIN") != password:
        raise ValidationError("the passwords differ")
    result = rt.get(Accounts).sign_up(username, password, country=country, timezone=timezone)
    console.print(f"created [bold]{username}[/bold]")
    console.print(
        "Recovery key (shown once; the only way back in without the password):\n"
        f"[bold]{result.recovery_key}[/bold]"
    )


def register(group: CommandGroup) -> None:
    group("user", help="Accounts.").command("create")(user_create)
