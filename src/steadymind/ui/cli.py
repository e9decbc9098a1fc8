"""Terminal plumbing every feature's commands share: the runtime, credentials, the one way errors
are shown, and the one terminal rendering of a verdict (the crisis panel).

The command-line entry point (``steadymind.cli.main``) sets the runtime factory at import: this
module knows no feature and cannot build one itself.
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from steadymind.core.clock import SystemClock
from steadymind.core.errors import (
    ConfigError,
    DiskFull,
    SteadymindError,
    ValidationError,
    from_pydantic,
    is_disk_full,
)
from steadymind.crypto.principal import Principal
from steadymind.runtime import Runtime
from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS
from steadymind.safety.policy import CrisisResponse
from steadymind.screen import Answer, Surface, TextSeam, Verdict, shipped_seam

console = Console()
err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)
UserOpt = Annotated[str | None, typer.Option("--user", "-u", help="Username (or STEADYMIND_USER)")]
EXIT_USAGE = 2

_factory: Callable[[], Runtime] | None = None


def set_runtime_factory(factory: Callable[[], Runtime]) -> None:
    global _factory
    _factory = factory


def runtime(*, migrated: bool = True) -> Runtime:
    """The runtime for one command; refuses an un-migrated database unless told not to."""
    from steadymind.db.migrate import ensure_migrated

    if _factory is None:
        raise RuntimeError("the command line was started without steadymind.cli.main")
    built = _factory()
    if migrated:
        ensure_migrated(built.db.engine)
    return built


def anonymous_seam(*surfaces: Surface) -> TextSeam:
    """The text seam for a command that needs no account and no database (``safety check``,
    ``affect text``): the shipped gate and emotion model, the given surfaces, no context."""
    seam = shipped_seam(SystemClock())
    for surface in surfaces:
        seam.register_surface(surface)
    return seam


def show_error(exc: SteadymindError) -> typer.Exit:
    """Print ``exc`` as one line (never wrapped: scripts grep it) and the exit to raise: 2 for
    what the person can fix (bad input, the configuration), 1 for the rest."""
    err_console.print(f"[red]Error:[/red] {escape(exc.message)}", highlight=False, soft_wrap=True)
    fixable = exc.status < 500 or isinstance(exc, ConfigError)
    return typer.Exit(EXIT_USAGE if fixable else 1)


# The command line's own ways out (an exit code, Ctrl-C, a usage error) pass untouched.
_CLI_EXITS = (typer.Exit, typer.Abort, typer.TyperException)


def one_line(exc: Exception) -> typer.Exit | None:
    """The exit for an error said in one line (ours, or a full disk wherever it was hit), after
    printing it; None for anything else (a bug: its traceback is the report)."""
    if isinstance(exc, _CLI_EXITS):
        return None
    if isinstance(exc, SteadymindError):
        return show_error(exc)
    if is_disk_full(exc):
        return show_error(DiskFull())
    return None


def friendly_errors(func: F) -> F:
    """Show our errors as one red line and exit 2 (bad input) or 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            exit_ = one_line(exc)
            if exit_ is None:
                raise
            raise exit_ from None

    return wrapper  # type: ignore[return-value]


def valid(model: type[M], **fields: object) -> M:
    """Validate before asking for a password; the first problem becomes a plain error."""
    try:
        return model(**fields)
    except PydanticValidationError as exc:
        raise from_pydantic(exc) from None


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
def unlocked(rt: Runtime, username: str | None) -> Iterator[Principal]:
    """The CLI unlocks the data key with the password for this one command, then forgets it:
    a command is one short session, revoked when the command is done."""
    name = username or os.environ.get("STEADYMIND_USER") or typer.prompt("Username")
    password = read_secret("Password", "STEADYMIND_PASSWORD")
    principal = rt.auth.unlock(name, password, client="cli")
    try:
        yield principal
    finally:
        rt.auth.log_out(principal)


def read_text_file(path: Path) -> str:
    """A file the person names on the command line, as UTF-8 text, or one clear error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read {path}: {type(exc).__name__}.") from None


def read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("The input is not valid UTF-8 text.") from None


def crisis_panel(crisis: CrisisResponse) -> Panel:
    """The reviewed crisis response, in the terminal: urgent lines first, then people to call."""
    parts: list[Text] = [Text(line, style="bold red") for line in crisis.urgent]
    parts.append(Text(crisis.message))
    parts.append(Text(crisis.lines_intro, style="bold"))
    resources = crisis.resources
    if resources.emergency:
        parts.append(Text(f"  Emergency services: {resources.emergency}"))
    for line in resources.lines:
        hours = f" ({line.hours})" if line.hours else ""
        parts.append(Text(f"  {line.name}: {line.contact}{hours}"))
    parts.append(Text(crisis.plan_text, style="bold"))
    if crisis.plan is not None:
        for key in SECTIONS:
            items = getattr(crisis.plan, key)
            if items:
                shown = [getattr(item, "name", item) for item in items]
                parts.append(Text(f"  {key.replace('_', ' ')}: " + "; ".join(map(str, shown))))
    parts.append(Text(crisis.notice, style="dim"))
    return Panel(Group(*parts), title=crisis.title, border_style="red")


AnswerFn = Callable[[Answer], CrisisResponse | None]


def question_panel(crisis: CrisisResponse) -> Panel:
    """The question asked before alarming, with the crisis lines beside it."""
    parts = [Text(copy.ASK_INTRO), Text(copy.ASK_QUESTION, style="bold")]
    parts.append(Text(copy.ASK_LINES_INTRO))
    parts += [Text(f"  {line.name}: {line.contact}") for line in crisis.resources.lines]
    parts.append(Text(f"  Emergency services: {crisis.resources.emergency}"))
    return Panel(Group(*parts), title=copy.ASK_TITLE, border_style="yellow")


def interactive() -> bool:
    """Whether a person at a terminal can answer (not a script or a pipe)."""
    return sys.stdin.isatty()


def _ask(out: Console, crisis: CrisisResponse, answer: AnswerFn | None) -> None:
    out.print(question_panel(crisis))
    if answer is None or not interactive():
        # No one to answer (a script, a pipe): show everything rather than guess "no".
        out.print(crisis_panel(crisis))
        return
    chosen = _answer_typed()
    response = answer(chosen) if chosen is not None else None
    if chosen is None or response is not None:
        # Yes, Not sure, or no answer we could read: the crisis response, never a guess of "no".
        out.print(crisis_panel(response or crisis))
        return
    out.print(copy.ASK_THANKS_NO)


_WORDS: dict[str, Answer] = {
    "yes": "yes", "y": "yes", "not sure": "not_sure", "unsure": "not_sure", "no": "no", "n": "no",
}  # fmt: skip


def _answer_typed(tries: int = 3) -> Answer | None:
    for _ in range(tries):
        typed = " ".join(str(typer.prompt(copy.CLI_ANSWER_PROMPT)).lower().split())
        if typed in _WORDS:
            return _WORDS[typed]
    return None


def print_verdict(
    out: Console,
    verdict: Verdict | None,
    what: str,
    already: Sequence[str] = (),
    answer: AnswerFn | None = None,
) -> None:
    """After a text: the question (at ``elevated``, answered with ``answer``), the crisis
    response (at ``high`` or a second time today), or else the feelings the emotion model read
    in it (minus those the person already chose)."""
    if verdict is None:
        return
    if verdict.crisis is not None and verdict.action == "ask":
        _ask(out, verdict.crisis, answer)
        return
    if verdict.crisis is not None:
        if verdict.repeated:
            out.print(copy.ASKED_AGAIN)
        out.print(crisis_panel(verdict.crisis))
        return
    words = [w for w in verdict.suggested_emotions if w not in already]
    if words:
        out.print(f"Feelings your {what} may hold: " + ", ".join(words))
