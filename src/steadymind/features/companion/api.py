"""The companion over the API (``/api/v1/companion``).

A turn answers with the seam's verdict on what the person wrote and, only when the seam let the
flow go on, the companion's reply. With ``Accept: text/event-stream`` the reply streams as
server-sent events: ``gate`` (the verdict, when it stops the flow), ``delta`` (words, sentence by
sentence), then ``done`` (the stored reply with what it expects next).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from steadymind.core.errors import NotFound
from steadymind.features.companion.consent import consent_text
from steadymind.features.companion.schemas import (
    AnswerIn,
    BeginIn,
    ConsentIn,
    ConsentOut,
    FlowOut,
    MemoryIn,
    MemoryOut,
    PrefsIn,
    PrefsOut,
    SayIn,
    SessionIn,
    SessionOut,
    SessionSummary,
    TurnOut,
)
from steadymind.features.companion.service import CompanionService, TurnResult
from steadymind.features.companion.talking import event, stream
from steadymind.runtime import EntryWriter
from steadymind.ui.api import (
    CrisisOut,
    PrincipalDep,
    RuntimeDep,
    VerdictOut,
    crisis_out,
    service,
    verdict_out,
)

router = APIRouter(prefix="/companion", tags=["companion"])
Companion = Annotated[CompanionService, Depends(service(CompanionService))]


class ConsentText(ConsentOut):
    text: str


class StartOut(BaseModel):
    session: SessionOut
    reply: TurnOut


class TurnResultOut(BaseModel):
    turn_id: str | None
    gate: VerdictOut | None
    reply: TurnOut | None


class AnswerOut(BaseModel):
    crisis: CrisisOut | None
    reply: TurnOut | None


class MemoryWriteOut(BaseModel):
    item: MemoryOut | None
    gate: VerdictOut | None


def answer_url(session_id: str, turn_id: str) -> str:
    return f"/api/v1/companion/sessions/{session_id}/turns/{turn_id}/answer"


def result_out(session_id: str, result: TurnResult) -> TurnResultOut:
    gate = verdict_out(result.verdict, result.turn_id or None)
    if gate is not None and gate.ask is not None and result.turn_id:
        gate.ask.answer_url = answer_url(session_id, result.turn_id)
    return TurnResultOut(turn_id=result.turn_id or None, gate=gate, reply=result.reply)


@router.get("/consent", response_model=ConsentText)
def read_consent(p: PrincipalDep, companion: Companion) -> ConsentText:
    """The consent to read before the first conversation, and whether it is accepted."""
    return ConsentText(**companion.consent(p).model_dump(), text=consent_text()[1])


@router.post("/consent", response_model=ConsentOut)
def accept_consent(body: ConsentIn, p: PrincipalDep, companion: Companion) -> ConsentOut:
    return companion.accept(p, body.version)


@router.delete("/consent", response_model=ConsentOut)
def revoke_consent(p: PrincipalDep, companion: Companion) -> ConsentOut:
    return companion.revoke(p)


@router.get("/prefs", response_model=PrefsOut)
def read_prefs(p: PrincipalDep, companion: Companion) -> PrefsOut:
    """Whether this server has a language model, and whether it may write your replies."""
    return companion.prefs(p)


@router.put("/prefs", response_model=PrefsOut)
def write_prefs(body: PrefsIn, p: PrincipalDep, companion: Companion) -> PrefsOut:
    return companion.set_prefs(p, llm_replies=body.llm_replies)


@router.get("/flows", response_model=list[FlowOut])
def list_flows(p: PrincipalDep, companion: Companion) -> list[FlowOut]:
    return companion.flows()


@router.post("/sessions", status_code=201, response_model=StartOut)
def start_session(body: SessionIn, p: PrincipalDep, companion: Companion) -> StartOut:
    session, _ = companion.start(p, flow=body.flow)
    return StartOut(session=session, reply=session.turns[-1])


@router.get("/sessions", response_model=list[SessionSummary])
def list_sessions(
    p: PrincipalDep,
    companion: Companion,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[SessionSummary]:
    return companion.sessions(p, limit=limit, offset=offset)


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(
    session_id: str,
    p: PrincipalDep,
    companion: Companion,
    last: Annotated[int, Query(ge=1, le=200)] = 200,
) -> SessionOut:
    return companion.session(p, session_id, last=last)


@router.delete("/sessions/{session_id}", status_code=204)
def delete_session(session_id: str, p: PrincipalDep, companion: Companion) -> Response:
    companion.delete_session(p, session_id)
    return Response(status_code=204)


def _done(session_id: str) -> Callable[[TurnResult], Iterator[str]]:
    def finish(result: TurnResult) -> Iterator[str]:
        out = result_out(session_id, result)
        if out.gate is not None and out.gate.stops_flow:
            yield event("gate", out.gate.model_dump_json())
        yield event("done", out.model_dump_json())

    return finish


@router.post("/sessions/{session_id}/turns", response_model=TurnResultOut)
def say(
    session_id: str, body: SayIn, request: Request, p: PrincipalDep, companion: Companion
) -> Any:
    """One turn. The seam reads it (with the conversation as context) before anything else."""
    if "text/event-stream" in request.headers.get("accept", ""):
        events = companion.say_events(p, session_id, body.text)
        first = next(events)  # the seam and the checks of the request run before the stream
        return StreamingResponse(
            stream(chain([first], events), _done(session_id)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )
    return result_out(session_id, companion.say(p, session_id, body.text))


@router.post("/sessions/{session_id}/flows", response_model=TurnResultOut)
def begin_flow(
    session_id: str, body: BeginIn, p: PrincipalDep, companion: Companion
) -> TurnResultOut:
    """Start an exercise now (the person chose it from the list)."""
    return result_out(session_id, companion.begin(p, session_id, body.flow))


@router.post("/sessions/{session_id}/turns/{turn_id}/answer", response_model=AnswerOut)
def answer(
    session_id: str, turn_id: str, body: AnswerIn, p: PrincipalDep, companion: Companion
) -> AnswerOut:
    """The answer to the safety question about a turn: Yes or Not sure, the crisis response;
    No, the companion answers the turn."""
    crisis, result = companion.answer(p, session_id, turn_id, body.answer)
    return AnswerOut(crisis=crisis_out(crisis), reply=result.reply if result is not None else None)


class SavedOut(BaseModel):
    entry_id: str
    gate: VerdictOut | None


@router.post(
    "/sessions/{session_id}/turns/{turn_id}/journal", status_code=201, response_model=SavedOut
)
def save_to_journal(
    session_id: str, turn_id: str, p: PrincipalDep, companion: Companion, runtime: RuntimeDep
) -> SavedOut:
    """Save the summary of an exercise that finished on this turn as a journal entry."""
    writer: EntryWriter | None = runtime.find(EntryWriter)
    if writer is None:
        raise NotFound("there is no journal to save to")
    finished = companion.finished_in(p, session_id, turn_id)
    entry_id, verdict = writer.write_entry(
        p, str(finished["journal_title"]), str(finished["summary"]), ["companion"]
    )
    return SavedOut(entry_id=entry_id, gate=verdict_out(verdict, entry_id))


@router.get("/memory", response_model=list[MemoryOut])
def list_memory(p: PrincipalDep, companion: Companion) -> list[MemoryOut]:
    """Everything the companion remembers, because the person asked it to."""
    return companion.memory(p)


@router.post("/memory", status_code=201, response_model=MemoryWriteOut)
def add_memory(body: MemoryIn, p: PrincipalDep, companion: Companion) -> MemoryWriteOut:
    item, verdict = companion.add_memory(p, body.text)
    return MemoryWriteOut(item=item, gate=verdict_out(verdict))


@router.patch("/memory/{item_id}", response_model=MemoryWriteOut)
def edit_memory(
    item_id: str, body: MemoryIn, p: PrincipalDep, companion: Companion
) -> MemoryWriteOut:
    item, verdict = companion.edit_memory(p, item_id, body.text)
    return MemoryWriteOut(item=item, gate=verdict_out(verdict))


@router.delete("/memory/{item_id}", status_code=204)
def delete_memory(item_id: str, p: PrincipalDep, companion: Companion) -> Response:
    companion.delete_memory(p, item_id)
    return Response(status_code=204)
