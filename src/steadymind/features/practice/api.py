"""Guided practice over the API: the catalogue (public), offers, sessions with their script and
ratings, what helped, the profile, and the HRV of a recording of RR intervals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from steadymind.features.practice.catalogue import Practice, catalogue
from steadymind.features.practice.schemas import (
    FinishIn,
    HelpedOut,
    OfferOut,
    PracticeOut,
    ProfileIn,
    ProfileOut,
    SessionOut,
    StartIn,
)
from steadymind.features.practice.service import PracticeService
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["practice"])
Practices = Annotated[PracticeService, Depends(service(PracticeService))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def practice_out(p: Practice) -> PracticeOut:
    return PracticeOut(
        id=p.id,
        title=p.title,
        minutes=p.minutes,
        summary=p.summary,
        purpose=p.purpose,
        goals=list(p.goals),
        kind=p.kind,
        holds=p.holds,
        body_focus=p.body_focus,
        evidence=" ".join(p.evidence.split()),
        references=list(p.references),
        cautions=list(p.cautions),
    )


class StartOut(BaseModel):
    session: SessionOut
    script: dict[str, Any] = Field(description="voice and breath tracks, timed in seconds")


class FinishOut(BaseModel):
    session: SessionOut
    gate: VerdictOut | None


@router.get("/practice/catalogue", response_model=list[PracticeOut])
def list_practices() -> list[PracticeOut]:
    """Every practice with its steps' purpose, evidence and cautions (no login needed)."""
    return [practice_out(p) for p in catalogue().values()]


@router.post("/practice/offers", response_model=list[OfferOut])
def offer(body: StartIn, p: PrincipalDep, practices: Practices) -> list[OfferOut]:
    """The practices the composer would offer for this goal and moment, best first, with why."""
    return [
        OfferOut(
            practice=o.practice.id,
            title=o.practice.title,
            minutes=o.practice.minutes,
            reasons=list(o.reasons),
        )
        for o in practices.offer(p, body)
    ]


@router.post("/practice/sessions", status_code=201, response_model=StartOut)
def start(body: StartIn, p: PrincipalDep, practices: Practices) -> StartOut:
    session, script = practices.start(p, body)
    return StartOut(session=session, script=script.as_json())


@router.get("/practice/sessions", response_model=list[SessionOut])
def list_sessions(
    p: PrincipalDep, practices: Practices, limit: Limit = 200, offset: Offset = 0
) -> list[SessionOut]:
    return practices.find(p, limit=limit, offset=offset)


@router.get("/practice/sessions/{session_id}", response_model=StartOut)
def get_session(session_id: str, p: PrincipalDep, practices: Practices) -> StartOut:
    return StartOut(
        session=practices.get(p, session_id),
        script=practices.script(p, session_id).as_json(),
    )


@router.post("/practice/sessions/{session_id}/finish", response_model=FinishOut)
def finish(session_id: str, body: FinishIn, p: PrincipalDep, practices: Practices) -> FinishOut:
    """The calm rating after (0-10) and an optional note, which passes the text seam."""
    session, verdict = practices.finish(p, session_id, body)
    return FinishOut(session=session, gate=verdict_out(verdict, session.id))


@router.delete("/practice/sessions/{session_id}", status_code=204)
def delete_session(session_id: str, p: PrincipalDep, practices: Practices) -> Response:
    practices.delete(p, session_id)
    return Response(status_code=204)


@router.get("/practice/helped", response_model=list[HelpedOut])
def helped(p: PrincipalDep, practices: Practices) -> list[HelpedOut]:
    """What helped you: each practice's mean calm change over your rated sessions."""
    return practices.helped(p)


@router.get("/practice/profile", response_model=ProfileOut)
def get_profile(p: PrincipalDep, practices: Practices) -> ProfileOut:
    return practices.profile(p)


@router.put("/practice/profile", response_model=ProfileOut)
def put_profile(body: ProfileIn, p: PrincipalDep, practices: Practices) -> ProfileOut:
    return practices.save_profile(p, body)
