"""``steadymind user create`` and ``steadymind user password``: an account from the terminal."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.passwords import check_new_password, check_policy
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import (
    UserOpt,
    console,
    friendly_errors,
    interactive,
    read_secret,
    runtime,
    unlocked,
)


def _new_password(prompt: str, env: str) -> str:
    """A new password: checked as soon as it is typed (too short, too common), then asked again
    when a person is typing it, so nobody types a refused password twice to learn that."""
    password = check_policy(read_secret(prompt, env))
    if env in os.environ or not interactive():
        return password
    return check_new_password(password, read_secret(f"{prompt} again", f"{env}_AGAIN"))


@friendly_errors
def user_create(
    username: str,
    country: Annotated[str | None, typer.Option(help="ISO country code, for crisis lines")] = None,
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "UTC",
) -> None:
    """Create an account. The password is asked twice (or read from STEADYMIND_PASSWORD)."""
    rt = runtime()
    password = _new_password("Password", "STEADYMIND_PASSWORD")
    result = rt.get(Accounts).sign_up(username, password, country=country, timezone=timezone)
    console.print(f"Created [bold]{username}[/bold].")
    console.print(
        "Recovery key (shown once; the only way back in without the password):\n"
        f"[bold]{result.recovery_key}[/bold]"
    )


@friendly_errors
def user_password(user: UserOpt = None) -> None:
    """Change your password. The current one is asked first (or read from STEADYMIND_PASSWORD),
    then the new one twice (or read from STEADYMIND_NEW_PASSWORD). Your entries stay as they are;
    other sessions and API tokens are logged out."""
    rt = runtime()
    name = user or os.environ.get("STEADYMIND_USER") or typer.prompt("Username")
    current = read_secret("Password", "STEADYMIND_PASSWORD")
    principal = rt.auth.unlock(name, current, client="cli")
    try:
        new = _new_password("New password", "STEADYMIND_NEW_PASSWORD")
        rt.get(Accounts).change_password(principal, current, new)
    finally:
        rt.auth.log_out(principal)
    console.print("Your password is changed.")


@friendly_errors
def user_ai(
    level: Annotated[str, typer.Argument(help="off, suggestions or companion")],
    user: UserOpt = None,
) -> None:
    """How much AI: off (none), suggestions (feelings read in what you write), or companion
    (suggestions and the companion). The crisis check runs whatever you choose."""
    rt = runtime()
    with unlocked(rt, user) as principal:
        rt.get(Accounts).update_profile(principal, ai_level=level.strip().lower())
    console.print(f"AI is now: {level.strip().lower()}.")


def register(group: CommandGroup) -> None:
    users = group("user", help="Accounts.")
    users.command("create")(user_create)
    users.command("password")(user_password)
    users.command("ai")(user_ai)
