"""The wearables page: sleep, steps, resting heart rate and HRV beside mood, and the upload.

The upload works two ways. With the page's script, the file itself is the request's body (so a
progress bar can follow the upload, and nothing is parsed as a form); without it, a plain form
posts it as multipart. Either way it is streamed to a private file, the import runs in the
background with the person's key held for its life, and the import's page follows it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from statistics import fmean
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from steadymind.core.errors import ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.wearables import daily as d
from steadymind.features.wearables import stress
from steadymind.features.wearables.charts import chart, last_days, number, sentence_case
from steadymind.features.wearables.importers import importer, importers
from steadymind.features.wearables.service import WearableService, today
from steadymind.features.wearables.uploads import save_stream, start_in_background, upload_dir
from steadymind.runtime import MoodSource
from steadymind.ui.api import get_runtime, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, redirect, render

router = APIRouter(include_in_schema=False)
Wearables = Annotated[WearableService, Depends(service(WearableService))]
DAYS = 30
CHARTED = ("sleep.hours", "activity.steps", "heart.resting", "hrv.sdnn", "hrv.rmssd")
TABLE = ("sleep.hours", "sleep.efficiency", "activity.steps", "heart.resting", "hrv.sdnn",
         "hrv.rmssd")  # fmt: skip


def moods_by_day(request: Request, user: Principal, first: date) -> dict[date, float]:
    """The day's average mood from the check-ins (when a feature offers them)."""
    source: MoodSource | None = get_runtime(request).find(MoodSource)
    if source is None:
        return {}
    zone = ZoneInfo(user.timezone)
    since = datetime.combine(first, time.min, zone)
    by_day: dict[date, list[int]] = defaultdict(list)
    for at, mood in source.recent_moods(user, since):
        by_day[at.astimezone(zone).date()].append(mood)
    return {day: fmean(moods) for day, moods in by_day.items()}


def _page(request: Request, user: Principal, wearables: WearableService, **extra: Any) -> Response:
    end = today(get_runtime(request).clock.now(), user.timezone)
    days = last_days(end, DAYS)
    found = {x.day: x.values for x in wearables.days(user.user_id, days[0], end)}
    # The usual of the two months up to today: a newcomer's first weeks have one too.
    usual = wearables.baselines(user.user_id, end + timedelta(days=1))
    moods = moods_by_day(request, user, days[0])
    charts = []
    for key in CHARTED:
        values = {day: v[key] for day, v in found.items() if key in v}
        if values or key in ("sleep.hours", "activity.steps", "heart.resting"):
            charts.append(chart(key, days, values, usual.get(key), moods))
    strain = _latest_strain(found, usual)
    rows = [
        {
            "day": day,
            "mood": moods.get(day),
            "cells": [_cell(key, found.get(day, {}), usual) for key in TABLE],
        }
        for day in reversed(days)
        if day in found or day in moods
    ]
    return render(
        request,
        "wearables.html",
        user,
        charts=charts,
        rows=rows,
        heads=[d.FACTORS[k] for k in TABLE],
        importers=list(importers().values()),
        runs=wearables.runs(user, limit=5),
        keep_samples=wearables.keeps_samples(user),
        has_data=bool(found),
        strain=strain,
        limits=stress.LIMITS,
        sentence_case=sentence_case,
        **extra,
    )


def _latest_strain(
    found: dict[date, dict[str, float]], usual: dict[str, d.Baseline]
) -> tuple[date, stress.StrainEstimate] | None:
    """The estimate of the latest day that has resting heart rate and HRV."""
    for day in sorted(found, reverse=True):
        values = found[day]
        if "heart.resting" in values and ("hrv.sdnn" in values or "hrv.rmssd" in values):
            return day, stress.for_day(values, usual)
    return None


def _cell(key: str, values: dict[str, float], usual: dict[str, d.Baseline]) -> dict[str, str]:
    if key not in values:
        return {"text": "–", "place": ""}
    base = usual.get(key)
    return {"text": number(key, values[key]), "place": base.place(values[key]) if base else ""}


@router.get("/wearables")
def wearables_page(
    request: Request, user: WebUser, wearables: Wearables, saved: str = ""
) -> Response:
    return _page(request, user, wearables, saved=saved)


@router.post("/wearables/upload")
async def upload_page(request: Request, user: WebUser, wearables: Wearables) -> Response:
    """The page's script sends the file as the body (``?importer=...``, the CSRF token in a
    header) and reads JSON back; a plain form sends multipart and is redirected."""
    folder = upload_dir(get_runtime(request).settings.data_dir)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form() as form:  # closes the parser's spooled file
            check_csrf(request, str(form.get("csrf") or ""))
            chosen = importer(str(form.get("importer") or ""))
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return _page(request, user, wearables, error="Choose a file to import.")
            path = await save_stream(_chunks(upload), folder, chosen.suffixes[0])
        run_id = _start(wearables, user, chosen.name, path)
        return redirect(f"/wearables/imports/{run_id}")
    check_csrf(request, request.headers.get("x-csrf-token"))
    chosen = importer(request.query_params.get("importer", ""))
    path = await save_stream(request.stream(), folder, chosen.suffixes[0])
    run_id = _start(wearables, user, chosen.name, path)
    return JSONResponse({"id": run_id, "url": f"/wearables/imports/{run_id}"}, status_code=201)


async def _chunks(upload: UploadFile) -> Any:
    while chunk := await upload.read(1024 * 1024):
        yield chunk


def _start(wearables: WearableService, user: Principal, name: str, path: Any) -> str:
    if path.stat().st_size == 0:
        path.unlink()
        raise ValidationError("The file is empty.")
    return start_in_background(wearables, user, name, path)


@router.get("/wearables/imports/{run_id}")
def import_page(request: Request, run_id: str, user: WebUser, wearables: Wearables) -> Response:
    run = wearables.summary(user, run_id)
    return render(
        request, "wearables_import.html", user, run=run, label=importer(run.importer).label
    )


@router.get("/wearables/imports/{run_id}/status")
def import_status(run_id: str, user: WebUser, wearables: Wearables) -> JSONResponse:
    """For the import page's progress bar."""
    return JSONResponse(wearables.summary(user, run_id).as_json())


@router.post("/wearables/settings")
async def save_settings(request: Request, user: WebUser, wearables: Wearables) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    wearables.set_keep_samples(user, form.get("keep") == "samples")
    return redirect("/wearables?saved=settings")
