"""Wearables over the API: send an export, follow its import, read the days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from steadymind.core.errors import ValidationError
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.importers import importer, importers
from steadymind.features.wearables.schemas import (
    DayOut,
    DaysOut,
    ImporterOut,
    ImportOut,
    KeepSamples,
    UsualOut,
)
from steadymind.features.wearables.service import WearableService, today
from steadymind.features.wearables.uploads import save_stream, upload_dir
from steadymind.ui.api import PrincipalDep, RuntimeDep, service

router = APIRouter(tags=["wearables"])
Wearables = Annotated[WearableService, Depends(service(WearableService))]
UPLOAD_PATH = "/api/v1/wearables/imports"


@router.get("/wearables/importers", response_model=list[ImporterOut])
def list_importers(p: PrincipalDep) -> list[ImporterOut]:
    return [
        ImporterOut(name=i.name, label=i.label, suffixes=list(i.suffixes), help=i.help)
        for i in importers().values()
    ]


@router.post("/wearables/imports", status_code=201, response_model=ImportOut)
async def upload(
    request: Request,
    p: PrincipalDep,
    wearables: Wearables,
    runtime: RuntimeDep,
    importer_name: Annotated[str, Query(alias="importer", max_length=40)],
) -> ImportOut:
    """Send the file itself as the body (``Content-Type: application/octet-stream``), and say
    which importer reads it (``?importer=apple-health``). The answer comes when the import has
    finished: what was added, what was there already, and any record that could not be read."""
    chosen = importer(importer_name)
    suffix = chosen.suffixes[0]
    path = await save_stream(request.stream(), upload_dir(runtime.settings.data_dir), suffix)
    if path.stat().st_size == 0:
        path.unlink()
        raise ValidationError("The file is empty.")
    try:
        # Parsing is CPU work: off the event loop, in the thread pool. A file that cannot be
        # read at all answers with its error (the import is recorded as failed).
        summary = await run_in_threadpool(wearables.run, p, chosen.name, path)
    finally:
        path.unlink(missing_ok=True)
    return ImportOut.model_validate(summary.as_json())


@router.get("/wearables/imports", response_model=list[ImportOut])
def list_imports(p: PrincipalDep, wearables: Wearables) -> list[ImportOut]:
    return [ImportOut.model_validate(s.as_json()) for s in wearables.runs(p)]


@router.get("/wearables/imports/{run_id}", response_model=ImportOut)
def get_import(run_id: str, p: PrincipalDep, wearables: Wearables) -> ImportOut:
    return ImportOut.model_validate(wearables.summary(p, run_id).as_json())


@router.get("/wearables/days", response_model=DaysOut)
def get_days(
    p: PrincipalDep,
    wearables: Wearables,
    runtime: RuntimeDep,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> DaysOut:
    """Your days (at most a year at a time, the last 30 by default), each value placed against
    your own usual (the middle half of your two months up to the last day)."""
    end = end or today(runtime.clock.now(), p.timezone)
    start = start or end - timedelta(days=29)
    if start > end or (end - start).days > 366:
        raise ValidationError("Ask for at most a year of days, from a day before the last.")
    usual = wearables.baselines(p.user_id, end + timedelta(days=1))
    days = [
        DayOut(
            day=day.day,
            values=day.values,
            places={k: usual[k].place(v) for k, v in day.values.items() if k in usual},
        )
        for day in wearables.days(p.user_id, start, end)
    ]
    return DaysOut(
        days=days,
        usual={
            k: UsualOut(low=b.low, usual=b.usual, high=b.high, days=b.days)
            for k, b in usual.items()
        },
        labels={k: f.label for k, f in d.FACTORS.items()},
        units={k: f.unit for k, f in d.FACTORS.items()},
    )


@router.put("/wearables/settings", response_model=KeepSamples)
def put_settings(body: KeepSamples, p: PrincipalDep, wearables: Wearables) -> KeepSamples:
    """``keep_samples: false`` keeps only daily numbers and deletes the samples kept so far."""
    wearables.set_keep_samples(p, body.keep_samples)
    return KeepSamples(keep_samples=wearables.keeps_samples(p))


@router.get("/wearables/settings", response_model=KeepSamples)
def get_settings(p: PrincipalDep, wearables: Wearables) -> KeepSamples:
    return KeepSamples(keep_samples=wearables.keeps_samples(p))
