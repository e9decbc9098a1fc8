"""Check-ins over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from steadymind.affect.vocabulary import EMOTIONS, QUADRANTS, Energy
from steadymind.features.checkins.schemas import CheckInIn, CheckInOut, CheckInPatch
from steadymind.features.checkins.service import CheckInService
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["check-ins"])
CheckIns = Annotated[CheckInService, Depends(service(CheckInService))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class FeelingGroup(BaseModel):
    key: str
    title: str
    pleasant: bool
    energy: Energy
    words: list[str]


class CheckInWriteOut(BaseModel):
    checkin: CheckInOut
    gate: VerdictOut | None


@router.get("/vocabulary/emotions", response_model=list[str])
def emotion_vocabulary(p: PrincipalDep) -> list[str]:
    """Every feeling word a check-in takes, group by group (see /vocabulary/feelings)."""
    return list(EMOTIONS)


@router.get("/vocabulary/feelings", response_model=list[FeelingGroup])
def feeling_groups(p: PrincipalDep) -> list[FeelingGroup]:
    """The feeling words in four groups, unpleasant or pleasant and high or low energy, as the
    check-in page offers them."""
    return [
        FeelingGroup(
            key=q.key, title=q.title, pleasant=q.pleasant, energy=q.energy, words=[*q.words]
        )
        for q in QUADRANTS
    ]


@router.post("/checkins", status_code=201, response_model=CheckInWriteOut)
def create_checkin(body: CheckInIn, p: PrincipalDep, checkins: CheckIns) -> CheckInWriteOut:
    item, verdict = checkins.create(p, body)
    return CheckInWriteOut(checkin=item, gate=verdict_out(verdict, item.id))


@router.get("/checkins", response_model=list[CheckInOut])
def list_checkins(
    p: PrincipalDep,
    checkins: CheckIns,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[CheckInOut]:
    return checkins.find(p, start=start, end=end, limit=limit, offset=offset)


@router.get("/checkins/{checkin_id}", response_model=CheckInOut)
def get_checkin(checkin_id: str, p: PrincipalDep, checkins: CheckIns) -> CheckInOut:
    return checkins.get(p, checkin_id)


@router.patch("/checkins/{checkin_id}", response_model=CheckInWriteOut)
def update_checkin(
    checkin_id: str, body: CheckInPatch, p: PrincipalDep, checkins: CheckIns
) -> CheckInWriteOut:
    item, verdict = checkins.update(p, checkin_id, body)
    return CheckInWriteOut(checkin=item, gate=verdict_out(verdict, item.id))


@router.delete("/checkins/{checkin_id}", status_code=204)
def delete_checkin(checkin_id: str, p: PrincipalDep, checkins: CheckIns) -> Response:
    checkins.delete(p, checkin_id)
    return Response(status_code=204)
