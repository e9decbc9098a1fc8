"""Help now (public) and the guided safety plan page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from steadymind.accounts.principal import Principal
from steadymind.api.deps import ServicesDep

router = APIRouter(include_in_schema=False)


def countries() -> list[Any]:
    from steadymind.safety.resources import list_countries

    return list(list_countries())


def _pages() -> Any:
    from steadymind.web import routes

    return routes


@router.get("/help")
def help_now(request: Request, services: ServicesDep, country: str = "") -> Response:
    routes = _pages()
    user: Principal | None = routes.optional_principal(request, services)
    from steadymind.safety.policy import help_page

    chosen = (country or (user.country if user else "") or "").upper()[:2] or None
    plan = services.plans.load(user) if user else None
    return routes.render(
        request,
        "help.html",
        user,
        help=help_page(chosen, plan).to_dict(),
        countries=countries(),
        chosen=chosen,
    )


def _plan_user(request: Request, services: ServicesDep) -> Principal:
    return _pages().web_principal(request, services)  # type: ignore[no-any-return]


@router.get("/safety-plan")
def plan_page(
    request: Request,
    services: ServicesDep,
    user: Annotated[Principal, Depends(_plan_user)],
    saved: str = "",
) -> Response:
    from steadymind.safety.plan import PLAN_SECTIONS

    plan = services.plans.load(user) or {}
    return _pages().render(
        request, "safety_plan.html", user, sections=PLAN_SECTIONS, plan=plan, saved=saved
    )


@router.post("/safety-plan")
async def save_plan(
    request: Request, services: ServicesDep, user: Annotated[Principal, Depends(_plan_user)]
) -> Response:
    from pydantic import ValidationError as PydanticValidationError

    from steadymind.safety.plan import PLAN_SECTIONS, SafetyPlan
    from steadymind.web.security import check_csrf

    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    values = {
        section.key: [
            line.strip() for line in str(form.get(section.key, "")).splitlines() if line.strip()
        ]
        for section in PLAN_SECTIONS
    }
    routes = _pages()
    try:
        plan = SafetyPlan(**values)
    except PydanticValidationError as exc:
        return routes.render(  # type: ignore[no-any-return]
            request,
            "safety_plan.html",
            user,
            422,
            sections=PLAN_SECTIONS,
            plan=values,
            error=routes._form_error(exc),
        )
    services.plans.save(user, plan.model_dump(mode="json"))
    return routes.redirect("/safety-plan?saved=1")  # type: ignore[no-any-return]


PlanForm = Annotated[str, Form(max_length=10_000)]
