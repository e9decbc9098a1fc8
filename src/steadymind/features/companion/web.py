"""Companion pages: the conversations, the chat, the consent, the memory.

The chat works without JavaScript (each turn is a form post, the page shows the conversation);
with it, ``app.js`` sends the same form asking for ``text/event-stream`` and shows the reply as it
arrives, in a ``role="log"`` region a screen reader announces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response, StreamingResponse

from steadymind.core.errors import Conflict, PermissionDenied
from steadymind.features.companion.consent import CONSENT_VERSION, consent_text
from steadymind.features.companion.service import (
    MAX_MEMORY_ITEM,
    MAX_TURN,
    CompanionService,
    TurnResult,
)
from steadymind.features.companion.talking import event, stream
from steadymind.runtime import EntryWriter
from steadymind.screen import Answer
from steadymind.ui.api import RuntimeDep, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, crisis_page, redirect, render, render_markdown

router = APIRouter(include_in_schema=False)
Companion = Annotated[CompanionService, Depends(service(CompanionService))]
Csrf = Annotated[str, Form()]
ANSWERS: frozenset[str] = frozenset({"yes", "not_sure", "no"})


def _gate(request: Request, user: WebUser, companion: CompanionService) -> Response | None:
    """The page instead of the companion when it is off, or its consent not yet accepted."""
    if user.ai_level != "companion":
        return render(request, "companion_off.html", user)
    if companion.consent(user).needed:
        version, text = consent_text()
        return render(
            request, "companion_consent.html", user, version=version, text=render_markdown(text)
        )
    return None


@router.get("/companion")
def home(request: Request, user: WebUser, companion: Companion) -> Response:
    stop = _gate(request, user, companion)
    if stop is not None:
        return stop
    return render(
        request,
        "companion.html",
        user,
        sessions=companion.sessions(user, limit=30),
        flows=companion.flows(),
        prefs=companion.prefs(user),
    )


@router.post("/companion/consent")
def accept(
    request: Request, user: WebUser, companion: Companion, csrf: Csrf = "", version: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    companion.accept(user, version or CONSENT_VERSION)
    return redirect("/companion")


@router.post("/companion/consent/revoke")
def revoke(request: Request, user: WebUser, companion: Companion, csrf: Csrf = "") -> Response:
    check_csrf(request, csrf)
    companion.revoke(user)
    return redirect("/settings")


@router.post("/companion/prefs")
def save_prefs(
    request: Request, user: WebUser, companion: Companion, csrf: Csrf = "", llm: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    companion.set_prefs(user, llm_replies=llm == "on")
    return redirect("/companion")


@router.post("/companion/new")
def new_session(
    request: Request, user: WebUser, companion: Companion, csrf: Csrf = "", flow: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    stop = _gate(request, user, companion)
    if stop is not None:
        return stop
    session, _ = companion.start(user, flow=flow or None)
    return redirect(f"/companion/{session.id}#latest")


@router.get("/companion/memory")
def memory_page(request: Request, user: WebUser, companion: Companion) -> Response:
    return render(request, "companion_memory.html", user, items=companion.memory(user))


def _bad_memory(
    request: Request, user: WebUser, companion: CompanionService, text: str
) -> Response | None:
    """The memory page again, with the reason, for an item that is empty or too long."""
    if text.strip() and len(text) <= MAX_MEMORY_ITEM:
        return None
    return render(
        request, "companion_memory.html", user, 422, items=companion.memory(user),
        error=f"A memory item is between 1 and {MAX_MEMORY_ITEM} characters.",
    )  # fmt: skip


@router.post("/companion/memory")
def add_memory(
    request: Request, user: WebUser, companion: Companion, csrf: Csrf = "", text: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    bad = _bad_memory(request, user, companion, text)
    if bad is not None:
        return bad
    _, verdict = companion.add_memory(user, text)
    return after_write(request, user, verdict, "/companion/memory")


@router.post("/companion/memory/{item_id}")
def edit_memory(
    request: Request,
    item_id: str,
    user: WebUser,
    companion: Companion,
    csrf: Csrf = "",
    text: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    bad = _bad_memory(request, user, companion, text)
    if bad is not None:
        return bad
    _, verdict = companion.edit_memory(user, item_id, text)
    return after_write(request, user, verdict, "/companion/memory")


@router.post("/companion/memory/{item_id}/delete")
def delete_memory(
    request: Request, item_id: str, user: WebUser, companion: Companion, csrf: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    companion.delete_memory(user, item_id)
    return redirect("/companion/memory")


@router.get("/companion/{session_id}")
def chat(request: Request, session_id: str, user: WebUser, companion: Companion) -> Response:
    stop = _gate(request, user, companion)
    if stop is not None:
        return stop
    session = companion.session(user, session_id)
    last = session.turns[-1] if session.turns else None
    return render(
        request,
        "companion_chat.html",
        user,
        session=session,
        last=last,
        flows=companion.flows(),
        max_turn=MAX_TURN,
    )


def _finish(session_id: str) -> Callable[[TurnResult], Iterator[str]]:
    def finish(result: TurnResult) -> Iterator[str]:
        verdict = result.verdict
        if verdict is not None and verdict.stops_flow:
            # The page shows the question or the crisis response: the script follows this link.
            url = f"/companion/{session_id}/safety/{result.turn_id}"
            yield event("gate", {"action": verdict.action, "url": url})
            return
        yield event("done", {"url": f"/companion/{session_id}#latest"})

    return finish


@router.post("/companion/{session_id}/say")
def say(
    request: Request,
    session_id: str,
    user: WebUser,
    companion: Companion,
    csrf: Csrf = "",
    text: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    stop = _gate(request, user, companion)
    if stop is not None:
        return stop
    if not text.strip():
        return redirect(f"/companion/{session_id}#latest")
    if "text/event-stream" in request.headers.get("accept", ""):
        events = companion.say_events(user, session_id, text[:MAX_TURN])
        first = next(events)  # the seam and the checks of the request run before the stream
        return StreamingResponse(
            stream(chain([first], events), _finish(session_id)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )
    result = companion.say(user, session_id, text[:MAX_TURN])
    return after_write(
        request,
        user,
        result.verdict,
        f"/companion/{session_id}#latest",
        ref=result.turn_id,
        answer_action=f"/companion/{session_id}/answer/{result.turn_id}",
    )


@router.get("/companion/{session_id}/safety/{turn_id}")
def safety_step(
    request: Request, session_id: str, turn_id: str, user: WebUser, companion: Companion
) -> Response:
    """The question or the crisis response for a turn the seam stopped (for the script,
    which cannot render a page from a stream)."""
    session = companion.session(user, session_id)
    turn = next((t for t in session.turns if t.id == turn_id and t.role == "person"), None)
    if turn is None:
        return redirect(f"/companion/{session_id}#latest")
    verdict = companion.verdict_of(user, turn_id)
    return after_write(
        request,
        user,
        verdict,
        f"/companion/{session_id}#latest",
        ref=turn_id,
        answer_action=f"/companion/{session_id}/answer/{turn_id}",
    )


@router.post("/companion/{session_id}/answer/{turn_id}")
def answer(
    request: Request,
    session_id: str,
    turn_id: str,
    user: WebUser,
    companion: Companion,
    csrf: Csrf = "",
    answer: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    if answer not in ANSWERS:
        return redirect(f"/companion/{session_id}#latest")
    chosen: Answer = "yes" if answer == "yes" else "not_sure" if answer == "not_sure" else "no"
    crisis, _ = companion.answer(user, session_id, turn_id, chosen)
    if crisis is not None:
        return crisis_page(request, user, crisis, f"/companion/{session_id}")
    return redirect(f"/companion/{session_id}#latest")


@router.post("/companion/{session_id}/flow")
def begin(
    request: Request,
    session_id: str,
    user: WebUser,
    companion: Companion,
    csrf: Csrf = "",
    flow: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        companion.begin(user, session_id, flow)
    except (PermissionDenied, Conflict):
        return redirect("/companion")
    return redirect(f"/companion/{session_id}#latest")


@router.post("/companion/{session_id}/save/{turn_id}")
def save_to_journal(
    request: Request,
    session_id: str,
    turn_id: str,
    user: WebUser,
    companion: Companion,
    runtime: RuntimeDep,
    csrf: Csrf = "",
) -> Response:
    """Save a finished exercise as a journal entry (it passes the seam as an entry)."""
    check_csrf(request, csrf)
    writer: EntryWriter | None = runtime.find(EntryWriter)
    if writer is None:
        return redirect(f"/companion/{session_id}#latest")
    finished = companion.finished_in(user, session_id, turn_id)
    entry_id, verdict = writer.write_entry(
        user, str(finished["journal_title"]), str(finished["summary"]), ["companion"]
    )
    return after_write(request, user, verdict, f"/journal/{entry_id}", ref=entry_id)


@router.post("/companion/{session_id}/delete")
def delete(
    request: Request, session_id: str, user: WebUser, companion: Companion, csrf: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    companion.delete_session(user, session_id)
    return redirect("/companion")
