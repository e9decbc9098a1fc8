"""Help now: on every page, for everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from steadymind.core.errors import ValidationError
from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS
from steadymind.safety.resources import for_country
from steadymind.screen import Answer
from steadymind.ui.api import RuntimeDep
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import (
    WebUser,
    countries,
    crisis_page,
    optional_principal,
    redirect,
    render,
    safe_next,
)

router = APIRouter(include_in_schema=False)


@router.get("/help")
def help_now(request: Request, runtime: RuntimeDep, country: str = "") -> Response:
    """Crisis lines for the person's country and their own plan; works without logging in."""
    user = optional_principal(request, runtime)
    try:
        # A session behind its app lock sees no plan, but its country's lines all the same.
        home = user.country if user else getattr(request.state, "locked_country", None)
        chosen = for_country(country[:2] or home)
    except ValidationError:
        chosen = for_country(None)
    plan = runtime.seam.saved_plan(user) if user else None
    return render(
        request,
        "help.html",
        user,
        resources=chosen,
        plan=plan,
        steps=copy.PLAN_STEPS,
        sections=SECTIONS,
        countries=countries(),
        copy=copy,
    )


@router.post("/safety/answer")
def answer(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    surface: Annotated[str, Form(max_length=64)],
    answer: Annotated[Answer, Form()],
    ref: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/checkin",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The answer to the question: kept with the text; Yes or Not sure shows the lines and the
    person's plan, No goes on to where they were going."""
    check_csrf(request, csrf)
    then = safe_next(next)
    crisis = runtime.seam.answer(user, surface, ref or None, answer)
    if crisis is None:
        return redirect(then)
    return crisis_page(request, user, crisis, then)
