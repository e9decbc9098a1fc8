"""Help now: on every page, for everyone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from steadymind.core.errors import ValidationError
from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS
from steadymind.safety.resources import for_country
from steadymind.ui.api import RuntimeDep
from steadymind.ui.web import countries, optional_principal, render

router = APIRouter(include_in_schema=False)


@router.get("/help")
def help_now(request: Request, runtime: RuntimeDep, country: str = "") -> Response:
    """Crisis lines for the person's country and their own plan; works without logging in."""
    user = optional_principal(request, runtime)
    try:
        chosen = for_country(country[:2] or (user.country if user else None))
    except ValidationError:
        chosen = for_country(None)
    plan = runtime.seam.saved_plan(user) if user else None
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
