"""Check-in pages: the check-in form, the review of suggested feelings, the history chart."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from steadymind.affect.vocabulary import EVERYDAY, GOEMOTIONS
from steadymind.core.fields import split_tags
from steadymind.features.checkins.chart import mood_chart
from steadymind.features.checkins.schemas import CheckInIn, CheckInPatch
from steadymind.features.checkins.service import CheckInService
from steadymind.screen import recorded_suggestions
from steadymind.ui.api import RuntimeDep, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, form_error, redirect, render

router = APIRouter(include_in_schema=False)
CheckIns = Annotated[CheckInService, Depends(service(CheckInService))]


class CheckInForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    csrf: str = Field("", max_length=100)
    mood: int = 0
    energy: int = 0
    intensity: str = Field("", max_length=3)
    emotions: list[str] = Field(default_factory=list, max_length=100)
    tags: str = Field("", max_length=900)
    note: str = Field("", max_length=5000)
    # The review page posts feelings only, leaving the rest of the check-in as it was.
    emotions_only: str = Field("", max_length=1)

    def fields(self) -> dict[str, Any]:
        if self.emotions_only:
            return {"emotions": self.emotions}
        return {
            "mood": self.mood,
            "energy": self.energy,
            "intensity": int(self.intensity) if self.intensity.strip().isdigit() else None,
            "emotions": self.emotions,
            "tags": split_tags(self.tags),
            "note": self.note if self.note.strip() else None,
        }


def _page(**extra: Any) -> dict[str, Any]:
    return {"goemotions": GOEMOTIONS, "everyday": EVERYDAY, **extra}


@router.get("/checkin")
def checkin_page(request: Request, user: WebUser) -> Response:
    return render(request, "checkin.html", user, **_page(item=None))


@router.post("/checkin")
def checkin(
    request: Request, user: WebUser, checkins: CheckIns, form: Annotated[CheckInForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    fields = form.fields()
    try:
        data = CheckInIn(**fields)
    except PydanticValidationError as exc:
        ctx = _page(item=None, error=form_error(exc), form=fields)
        return render(request, "checkin.html", user, 422, **ctx)
    item, verdict = checkins.create(user, data)
    suggested = verdict.suggested_emotions if verdict else []
    fresh = [w for w in suggested if w not in item.emotions]
    then = f"/checkin/{item.id}/review" if fresh else "/history?saved=checkin"
    return after_write(request, user, verdict, then, ref=item.id)


@router.get("/checkin/{checkin_id}/review")
def review_checkin(
    request: Request, checkin_id: str, user: WebUser, checkins: CheckIns
) -> Response:
    item = checkins.get(user, checkin_id)
    emotions = (item.analysis or {}).get("emotions") or {}
    suggestions = [w for w in recorded_suggestions(item.analysis) if w not in item.emotions]
    return render(
        request,
        "review.html",
        user,
        item=item,
        suggestions=suggestions,
        model_id=emotions.get("model_id"),
    )


@router.get("/checkin/{checkin_id}/edit")
def edit_checkin_page(
    request: Request, checkin_id: str, user: WebUser, checkins: CheckIns
) -> Response:
    item = checkins.get(user, checkin_id)
    return render(request, "checkin.html", user, **_page(item=item))


@router.post("/checkin/{checkin_id}/edit")
def edit_checkin(
    request: Request,
    checkin_id: str,
    user: WebUser,
    checkins: CheckIns,
    form: Annotated[CheckInForm, Form()],
) -> Response:
    check_csrf(request, form.csrf)
    try:
        patch = CheckInPatch(**form.fields())
    except PydanticValidationError as exc:
        item = checkins.get(user, checkin_id)
        return render(request, "checkin.html", user, 422, **_page(item=item, error=form_error(exc)))
    _, verdict = checkins.update(user, checkin_id, patch)
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
    end = runtime.clock.now()
    # No upper bound: a check-in dated a little ahead (another time zone, a typo) still shows.
    items = checkins.find(user, start=end - timedelta(days=days), limit=1000)
    chart = mood_chart(items, end=end, days=days)
    return render(request, "history.html", user, items=items, chart=chart, days=days, saved=saved)
