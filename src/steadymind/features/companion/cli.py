"""``steadymind chat``: talk with the companion in the terminal.

Type a message and press Enter. ``/flows`` lists the exercises, ``/flow NAME`` starts one,
``/memory`` shows what the companion remembers (numbered), ``/edit N TEXT`` rewrites item N,
``/forget N`` deletes it, ``/quit`` (or an empty line, or Ctrl-D) ends.
Lines piped in are read as turns, one per line, so a conversation can be scripted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.panel import Panel

from steadymind.core.errors import PermissionDenied
from steadymind.crypto.principal import Principal
from steadymind.features.companion.consent import CONSENT_VERSION, consent_text
from steadymind.features.companion.service import CompanionService, TurnResult
from steadymind.runtime import CommandGroup, Runtime
from steadymind.screen import Answer
from steadymind.ui.cli import (
    UserOpt,
    console,
    friendly_errors,
    interactive,
    print_verdict,
    runtime,
    unlocked,
)

PROMPT = "you"


def _lines() -> Iterator[str]:
    """What the person types (or pipes in), line by line, until they stop."""
    while True:
        try:
            line = (
                typer.prompt(PROMPT, default="", show_default=False)
                if interactive()
                else sys.stdin.readline()
            )
        except (EOFError, typer.Abort):
            return
        if not interactive() and line == "":
            return
        line = line.rstrip("\n")
        if line.strip() in ("", "/quit", "/exit"):
            return
        yield line


def _say(text: str) -> None:
    console.print(Panel(text, title="companion", title_align="left", border_style="green"))


def _consent(service: CompanionService, p: Principal, accepted: str | None) -> bool:
    if not service.consent(p).needed:
        return True
    if accepted is not None:
        service.accept(p, accepted)  # refuses any version but the current one
        return True
    console.print(Markdown(consent_text()[1]))
    if not interactive():
        console.print(
            "Accept the consent first (in the browser, or run `steadymind chat` at a terminal)."
        )
        return False
    if typer.confirm("Do you understand and want to start?", default=False):
        service.accept(p, CONSENT_VERSION)
        return True
    return False


def _turn(rt: Runtime, service: CompanionService, p: Principal, session_id: str, text: str) -> None:
    result = service.say(p, session_id, text)
    if result.verdict is not None and result.verdict.stops_flow:
        replies: list[str] = []

        def answer(chosen: Answer) -> object:
            crisis, answered = service.answer(p, session_id, result.turn_id, chosen)
            if answered is not None and answered.reply is not None:
                replies.append(answered.reply.text)
            return crisis

        print_verdict(console, result.verdict, "message", answer=answer)  # type: ignore[arg-type]
        for words in replies:
            _say(words)
        return
    _show(result)


def _show(result: TurnResult) -> None:
    if result.reply is not None:
        _say(result.reply.text)
        finished = result.reply.meta.get("finished")
        if finished and "journal" in finished.get("actions", []):
            console.print(
                "[dim]To keep it, save it in the browser, "
                "or copy it into `steadymind journal add`.[/dim]"
            )


@friendly_errors
def chat(
    flow: Annotated[str | None, typer.Option(help="Start with this exercise (see /flows)")] = None,
    session: Annotated[str | None, typer.Option(help="Carry on an earlier conversation")] = None,
    consent: Annotated[
        str | None,
        typer.Option(help="Accept the companion's consent of this version (after reading it)"),
    ] = None,
    user: UserOpt = None,
) -> None:
    """Talk with the companion (it must be turned on in your settings)."""
    rt = runtime()
    service = rt.get(CompanionService)
    with unlocked(rt, user) as p:
        if p.ai_level != "companion":
            raise PermissionDenied(
                "The companion is off. Turn it on in Settings, under How much AI "
                "(or: steadymind user ai companion)."
            )
        if not _consent(service, p, consent):
            return
        if session is not None:
            current = service.session(p, session, last=6)
            for t in current.turns:
                if t.role == "companion":
                    _say(t.text)
                else:
                    console.print(f"[bold]{PROMPT}:[/bold] {t.text}")
            session_id = current.id
        else:
            started, reply = service.start(p, flow=flow)
            session_id = started.id
            _say(reply.text)
        for line in _lines():
            command, _, rest = line.strip().partition(" ")
            if command == "/flows":
                for f in service.flows():
                    console.print(
                        f"  [bold]{f.id}[/bold]  {f.title}: {f.summary} (about {f.minutes} min)"
                    )
            elif command == "/flow":
                _show(service.begin(p, session_id, rest.strip()))
            elif command == "/memory":
                _list_memory(service, p)
            elif command in ("/edit", "/forget"):
                _change_memory(service, p, command, rest)
            else:
                _turn(rt, service, p, session_id, line)
        console.print(
            f"[dim]Saved. Carry on later with: steadymind chat --session {session_id}[/dim]"
        )


def _list_memory(service: CompanionService, p: Principal) -> None:
    items = service.memory(p)
    for number, item in enumerate(items, start=1):
        console.print(f"  {number}. {item.text}", markup=False)
    if items:
        console.print("[dim]/edit N new words, or /forget N[/dim]")
    else:
        console.print("  (nothing yet: write “remember that …”)")


def _change_memory(service: CompanionService, p: Principal, command: str, rest: str) -> None:
    """``/edit N TEXT`` (the new words pass the safety check like anything written) or
    ``/forget N``, N as /memory numbers the items."""
    number, _, text = rest.strip().partition(" ")
    items = service.memory(p)
    if not number.isdigit() or not 1 <= int(number) <= len(items):
        console.print(f"Which item? Give its number from /memory (1 to {len(items)}).")
        return
    item = items[int(number) - 1]
    if command == "/forget":
        service.delete_memory(p, item.id)
        console.print("Forgotten.")
        return
    if not text.strip():
        console.print("Write the new words after the number: /edit 2 my sister Ana")
        return
    edited, verdict = service.edit_memory(p, item.id, text)
    if verdict is not None and verdict.stops_flow:
        print_verdict(console, verdict, "message")
        return
    console.print("Changed." if edited is not None else "Nothing was changed.")


def register(group: CommandGroup) -> None:
    group("").command("chat")(chat)
