"""Check-ins, journal, export and vocabulary over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from steadymind.api.deps import PrincipalDep, ServicesDep
from steadymind.api.schemas import CheckInWriteOut, GateOut, JournalWriteOut
from steadymind.crisis import gate_view
from steadymind.tracking.models import (
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    JournalIn,
    JournalOut,
    JournalPatch,
)
from steadymind.tracking.vocabulary import EMOTIONS

router = APIRouter()
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Id = Annotated[str, "row id"]


def _gate(services: ServicesDep, p: PrincipalDep, result: object) -> GateOut | None:
    view = gate_view(services.plans, p, result)  # type: ignore[arg-type]
    return None if view is None else GateOut(**view)


@router.get("/vocabulary/emotions", tags=["check-ins"], response_model=list[str])
def emotion_vocabulary(p: PrincipalDep) -> list[str]:
    return list(EMOTIONS)


@router.post("/checkins", status_code=201, response_model=CheckInWriteOut, tags=["check-ins"])
def create_checkin(body: CheckInIn, p: PrincipalDep, services: ServicesDep) -> CheckInWriteOut:
    item, result = services.tracking.create_checkin(p, body)
    return CheckInWriteOut(checkin=item, gate=_gate(services, p, result))


@router.get("/checkins", response_model=list[CheckInOut], tags=["check-ins"])
def list_checkins(
    p: PrincipalDep,
    services: ServicesDep,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[CheckInOut]:
    return services.tracking.list_checkins(p, start=start, end=end, limit=limit, offset=offset)


@router.get("/checkins/{checkin_id}", response_model=CheckInOut, tags=["check-ins"])
def get_checkin(checkin_id: str, p: PrincipalDep, services: ServicesDep) -> CheckInOut:
    return services.tracking.get_checkin(p, checkin_id)


@router.patch("/checkins/{checkin_id}", response_model=CheckInWriteOut, tags=["check-ins"])
def update_checkin(
    checkin_id: str, body: CheckInPatch, p: PrincipalDep, services: ServicesDep
) -> CheckInWriteOut:
    item, result = services.tracking.update_checkin(p, checkin_id, body)
    return CheckInWriteOut(checkin=item, gate=_gate(services, p, result))


@router.delete("/checkins/{checkin_id}", status_code=204, tags=["check-ins"])
def delete_checkin(checkin_id: str, p: PrincipalDep, services: ServicesDep) -> Response:
    services.tracking.delete_checkin(p, checkin_id)
    return Response(status_code=204)


@router.post("/journal", status_code=201, response_model=JournalWriteOut, tags=["journal"])
def create_entry(body: JournalIn, p: PrincipalDep, services: ServicesDep) -> JournalWriteOut:
    item, result = services.tracking.create_entry(p, body)
    return JournalWriteOut(entry=item, gate=_gate(services, p, result))


@router.get("/journal", response_model=list[JournalOut], tags=["journal"])
def list_entries(
    p: PrincipalDep,
    services: ServicesDep,
    start: datetime | None = None,
    end: datetime | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Search title and body")] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[JournalOut]:
    return services.tracking.list_entries(
        p, start=start, end=end, query=q, tag=tag, limit=limit, offset=offset
    )


@router.get("/journal/{entry_id}", response_model=JournalOut, tags=["journal"])
def get_entry(entry_id: str, p: PrincipalDep, services: ServicesDep) -> JournalOut:
    return services.tracking.get_entry(p, entry_id)


@router.patch("/journal/{entry_id}", response_model=JournalWriteOut, tags=["journal"])
def update_entry(
    entry_id: str, body: JournalPatch, p: PrincipalDep, services: ServicesDep
) -> JournalWriteOut:
    item, result = services.tracking.update_entry(p, entry_id, body)
    return JournalWriteOut(entry=item, gate=_gate(services, p, result))


@router.delete("/journal/{entry_id}", status_code=204, tags=["journal"])
def delete_entry(entry_id: str, p: PrincipalDep, services: ServicesDep) -> Response:
    services.tracking.delete_entry(p, entry_id)
    return Response(status_code=204)


@router.get("/export", tags=["your data"], response_class=Response)
def export(
    p: PrincipalDep, services: ServicesDep, format: Literal["json", "csv"] = "json"
) -> Response:
    """Everything you have stored, decrypted: JSON, or a ZIP of CSV files."""
    if format == "csv":
        return Response(
            services.exporter.to_csv_zip(p),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="steadymind-export.zip"'},
        )
    return Response(
        services.exporter.to_json(p),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="steadymind-export.json"'},
    )
