"""The journal over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from steadymind.features.journal.schemas import JournalIn, JournalOut, JournalPatch
from steadymind.features.journal.service import JournalService
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["journal"])
Journal = Annotated[JournalService, Depends(service(JournalService))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class JournalWriteOut(BaseModel):
    entry: JournalOut
    gate: VerdictOut | None


@router.post("/journal", status_code=201, response_model=JournalWriteOut)
def create_entry(body: JournalIn, p: PrincipalDep, journal: Journal) -> JournalWriteOut:
    item, verdict = journal.create(p, body)
    return JournalWriteOut(entry=item, gate=verdict_out(verdict, item.id))


@router.get("/journal", response_model=list[JournalOut])
def list_entries(
    p: PrincipalDep,
    journal: Journal,
    response: Response,
    start: datetime | None = None,
    end: datetime | None = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Search title and body: every word must start a word of the entry",
        ),
    ] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[JournalOut]:
    """A page of entries, newest first; ``X-Total-Count`` says how many there are in all."""
    entries, total = journal.page(
        p, start=start, end=end, query=q, tag=tag, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(total)
    return entries


@router.get("/journal/{entry_id}", response_model=JournalOut)
def get_entry(entry_id: str, p: PrincipalDep, journal: Journal) -> JournalOut:
    return journal.get(p, entry_id)


@router.patch("/journal/{entry_id}", response_model=JournalWriteOut)
def update_entry(
    entry_id: str, body: JournalPatch, p: PrincipalDep, journal: Journal
) -> JournalWriteOut:
    item, verdict = journal.update(p, entry_id, body)
    return JournalWriteOut(entry=item, gate=verdict_out(verdict, item.id))


@router.delete("/journal/{entry_id}", status_code=204)
def delete_entry(entry_id: str, p: PrincipalDep, journal: Journal) -> Response:
    journal.delete(p, entry_id)
    return Response(status_code=204)
