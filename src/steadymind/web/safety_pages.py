"""Help now (public, on every page) and the guided safety plan page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from steadymind.api.deps import ServicesDep
from steadymind.core.errors import ValidationError
from steadymind.crisis import gate_view, save_plan
from steadymind.crypto.principal import Principal
from steadymind.gate import GateResult
from steadymind.safety import copy
from steadymind.safety.plan import (
    CONTACT_SECTIONS,
    SECTIONS,
    SafetyPlan,
    plan_as_lines,
    plan_from_lines,
)
from steadymind.safety.resources import for_country, list_countries
from steadymind.services import Services
from steadymind.web.common import WebUser, form_error, optional_principal, redirect, render
from steadymind.web.security import check_csrf

router = APIRouter(include_in_schema=False)


def countries() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in list_countries()]


@router.get("/help")
def help_now(request: Request, services: ServicesDep, country: str = "") -> Response:
    """Crisis lines for the person's country and their own plan; works without logging in."""
    user = optional_principal(request, services)
    try:
        chosen = for_country(country[:2] or (user.country if user else None))
    except ValidationError:
        chosen = for_country(None)
    plan = services.plans.load(user) if user else None
    return render(
        request,
        "help.html",
        user,
        resources=chosen.to_dict(),
        plan=plan,
        steps=copy.PLAN_STEPS,
        sections=SECTIONS,
        countries=countries(),
        copy=copy,
    )


def _plan_lines(plan: SafetyPlan | None) -> dict[str, str]:
    """The plan as one text area per section."""
    return {key: "\n".join(lines) for key, lines in plan_as_lines(plan).items()}


def parse_plan_form(form: dict[str, str]) -> SafetyPlan:
    return plan_from_lines({key: form.get(key, "").splitlines() for key in SECTIONS})


@router.get("/safety-plan")
def plan_page(request: Request, user: WebUser, services: ServicesDep, saved: str = "") -> Response:
    plan = services.plans.load(user)
    return render(
        request,
        "safety_plan.html",
        user,
        steps=copy.PLAN_STEPS,
        sections=SECTIONS,
        values=_plan_lines(plan),
        saved=saved,
        copy=copy,
        contact_sections=CONTACT_SECTIONS,
    )


@router.post("/safety-plan")
async def save_plan_page(request: Request, user: WebUser, services: ServicesDep) -> Response:
    form = {k: str(v)[:10_000] for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf"))
    try:
        plan = parse_plan_form(form)
    except PydanticValidationError as exc:
        return render(
            request,
            "safety_plan.html",
            user,
            422,
            steps=copy.PLAN_STEPS,
            sections=SECTIONS,
            values=form,
            copy=copy,
            contact_sections=CONTACT_SECTIONS,
            error=form_error(exc),
        )
    result = save_plan(services.plans, services.gate, user, plan)
    return after_write(request, services, user, result, "/safety-plan?saved=1")


def after_write(
    request: Request, services: Services, user: Principal, result: GateResult | None, then: str
) -> Response:
    """At elevated and above the normal flow stops: the person sees the crisis response."""
    view = gate_view(services.plans, user, result)
    if view is not None and view["crisis"] is not None:
        return render(
            request,
            "crisis.html",
            user,
            crisis=view["crisis"],
            plan_steps=copy.PLAN_STEPS,
            plan_sections=SECTIONS,
        )
    return redirect(then)
