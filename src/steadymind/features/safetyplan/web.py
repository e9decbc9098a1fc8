"""The guided safety plan page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from steadymind.features.safetyplan.service import SafetyPlanService
from steadymind.safety import copy
from steadymind.safety.plan import (
    CONTACT_SECTIONS,
    SECTIONS,
    SafetyPlan,
    plan_as_lines,
    plan_from_lines,
)
from steadymind.ui.api import service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, form_error, render

router = APIRouter(include_in_schema=False)
Plans = Annotated[SafetyPlanService, Depends(service(SafetyPlanService))]


def _plan_lines(plan: SafetyPlan | None) -> dict[str, str]:
    """The plan as one text area per section."""
    return {key: "\n".join(lines) for key, lines in plan_as_lines(plan).items()}


def parse_plan_form(form: dict[str, str]) -> SafetyPlan:
    return plan_from_lines({key: form.get(key, "").splitlines() for key in SECTIONS})


def _page(request: Request, user: Any, status: int = 200, **extra: Any) -> Response:
    return render(
        request,
        "safety_plan.html",
        user,
        status,
        steps=copy.PLAN_STEPS,
        sections=SECTIONS,
        copy=copy,
        contact_sections=CONTACT_SECTIONS,
        **extra,
    )


@router.get("/safety-plan")
def plan_page(request: Request, user: WebUser, plans: Plans, saved: str = "") -> Response:
    return _page(request, user, values=_plan_lines(plans.load(user)), saved=saved)


@router.post("/safety-plan")
async def save_plan_page(request: Request, user: WebUser, plans: Plans) -> Response:
    form = {k: str(v)[:10_000] for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf"))
    try:
        plan = parse_plan_form(form)
    except PydanticValidationError as exc:
        return _page(request, user, 422, values=form, error=form_error(exc))
    verdict = plans.save(user, plan)
    return after_write(request, user, verdict, "/safety-plan?saved=1")
