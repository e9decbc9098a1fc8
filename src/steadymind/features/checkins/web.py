"""Check-in pages: the check-in form, the review of suggested feelings, the history charts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.errors import ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.checkins.chart import LEVELS, daily, line_chart, plain, signed
from steadymind.features.checkins.form import CheckInForm, Values, problem
from steadymind.features.checkins.picker import picker_groups
from steadymind.features.checkins.scales import SCALES
from steadymind.features.checkins.schemas import (
    MAX_NOTE,
    MAX_TAG,
    MAX_TAGS,
    CheckInIn,
    CheckInOut,
    CheckInPatch,
)
from steadymind.features.checkins.service import AHEAD, CheckInService
from steadymind.features.checkins.year import first_day, year_in_pixels
from steadymind.runtime import PlanSource
from steadymind.screen import recorded_suggestions
from steadymind.ui.api import RuntimeDep, get_runtime, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, redirect, render

router = APIRouter(include_in_schema=False)
CheckIns = Annotated[CheckInService, Depends(service(CheckInService))]
PostedForm = Annotated[CheckInForm, Form()]
RANGES = (7, 30, 90, 365)


def _form(
    request: Request,
    user: Principal,
    checkins: CheckInService,
    item: CheckInOut | None,
    values: Values,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "checkin.html",
        user,
        status,
        item=item,
        v=values,
        scales=SCALES,
        signed=signed,
        groups=picker_groups(checkins.recent_words(user), values.emotions),
        limits={"note": MAX_NOTE, "tag": MAX_TAG, "tags": MAX_TAGS},
        planned=planned_tags(request, user) if item is None else [],
        error=error,
    )


def planned_tags(request: Request, user: Principal) -> list[str]:
    """Activities the person planned with the companion and has not looked back on yet, as
    tags they can tick (a planned activity becomes a check-in tag)."""
    source: PlanSource | None = get_runtime(request).find(PlanSource)
    if source is None:
        return []
    found = []
    for item in source.planned(user):
        activity = " ".join(str((item.get("carried") or {}).get("activity") or "").split())
        if activity:
            found.append(
                activity[:MAX_TAG].rsplit(" ", 1)[0] if len(activity) > MAX_TAG else activity
            )
    return list(dict.fromkeys(found))[:5]


@router.get("/checkin")
def checkin_page(request: Request, user: WebUser, checkins: CheckIns) -> Response:
    values = Values.new(checkins.clock.now(), user.timezone)
    return _form(request, user, checkins, None, values)


@router.post("/checkin")
def checkin(request: Request, user: WebUser, checkins: CheckIns, form: PostedForm) -> Response:
    check_csrf(request, form.csrf)
    try:
        item, verdict = checkins.create(user, CheckInIn(**form.fields(user.timezone)))
    except (PydanticValidationError, ValidationError) as exc:
        values = Values.posted(form, checkins.clock.now(), user.timezone)
        return _form(request, user, checkins, None, values, status=422, error=problem(exc))
    suggested = verdict.suggested_emotions if verdict else []
    fresh = [w for w in suggested if w not in item.emotions]
    then = f"/checkin/{item.id}/review" if fresh else "/history?saved=checkin"
    return after_write(request, user, verdict, then, ref=item.id)


@router.get("/checkin/{checkin_id}/review")
def review_checkin(
    request: Request, checkin_id: str, user: WebUser, checkins: CheckIns
) -> Response:
    item = checkins.get(user, checkin_id)
    suggestions = [w for w in recorded_suggestions(item.analysis, user) if w not in item.emotions]
    return render(request, "review.html", user, item=item, suggestions=suggestions)


@router.get("/checkin/{checkin_id}/edit")
def edit_checkin_page(
    request: Request, checkin_id: str, user: WebUser, checkins: CheckIns
) -> Response:
    item = checkins.get(user, checkin_id)
    return _form(request, user, checkins, item, Values.of(item, checkins.clock.now()))


@router.post("/checkin/{checkin_id}/edit")
def edit_checkin(
    request: Request, checkin_id: str, user: WebUser, checkins: CheckIns, form: PostedForm
) -> Response:
    check_csrf(request, form.csrf)
    item = checkins.get(user, checkin_id)  # someone else's check-in is a 404 before anything
    try:
        _, verdict = checkins.update(user, checkin_id, CheckInPatch(**form.fields(item.tz)))
    except (PydanticValidationError, ValidationError) as exc:
        values = Values.posted(form, checkins.clock.now(), item.tz)
        return _form(request, user, checkins, item, values, status=422, error=problem(exc))
    return after_write(request, user, verdict, "/history?saved=checkin", ref=checkin_id)


@router.post("/checkin/{checkin_id}/delete")
def delete_checkin(
    request: Request,
    checkin_id: str,
    user: WebUser,
    checkins: CheckIns,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    checkins.delete(user, checkin_id)
    return redirect("/history?saved=deleted")


@router.get("/history")
def history(
    request: Request,
    user: WebUser,
    checkins: CheckIns,
    runtime: RuntimeDep,
    days: int = 30,
    saved: str = "",
) -> Response:
    days = min(max(days, 1), 365)
    now = runtime.clock.now()
    return render(request, "history.html", user, **_history(user, checkins, now, days), saved=saved)


def _history(user: Principal, checkins: CheckInService, now: datetime, days: int) -> dict[str, Any]:
    today = now.astimezone(ZoneInfo(user.timezone)).date()
    first = today - timedelta(days=days - 1)
    # Each check-in counts on its own day in its own zone: read a day either side, then group.
    since = datetime.combine(min(first, first_day(today)), datetime.min.time(), ZoneInfo("UTC"))
    every_day = daily(checkins.points(user, since - timedelta(days=1), now + 2 * AHEAD))
    last = max([today, *(d.date for d in every_day)])
    # No upper bound: a check-in dated a little ahead (another time zone, a typo) still shows.
    items = checkins.find(user, start=now - timedelta(days=days), limit=1000)
    return {
        "days": days,
        "ranges": RANGES,
        "items": items,
        "chart": line_chart(every_day, first, last),
        "table": [d for d in reversed(every_day) if first <= d.date <= last],
        "year": year_in_pixels(every_day, today),
        "levels": LEVELS,
        "signed": signed,
        "plain": plain,
    }
