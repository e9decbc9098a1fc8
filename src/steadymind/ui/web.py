"""What every web page shares: templates, rendering, login dependencies, redirects, errors, and the
one page rendering of a verdict (the crisis response).

Templates come from ``ui/templates`` (the frame, errors, the crisis response) and from each
feature's own ``templates`` folder; the app builds one :class:`Pages` over all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from markdown_it import MarkdownIt
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.errors import AuthenticationError, from_pydantic
from steadymind.crypto.principal import Principal
from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS
from steadymind.safety.resources import list_countries
from steadymind.screen import Verdict
from steadymind.ui.api import SESSION_COOKIE, RuntimeDep, get_runtime
from steadymind.ui.csrf import csrf_token, remember_csrf

SHARED_TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# "breaks": a line the person typed on its own stays on its own line (people are not writing
# Markdown source, and a single newline would otherwise join their lines into one paragraph).
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough")
_PHONE = re.compile(r"^(?:call\s+)?(\+?[0-9][0-9 ()-]{1,20}[0-9])$", re.IGNORECASE)


class LoginRequired(AuthenticationError):
    pass


def render_markdown(text: str) -> str:
    import nh3

    # markdown-it with html disabled already escapes raw HTML; nh3 is the belt to those braces.
    return nh3.clean(_markdown.render(text))


def local(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


def tel_href(contact: str) -> str | None:
    """A tel: link for a contact like "Call 116 123" or "988"; None for text-only contacts."""
    match = _PHONE.match(contact.strip())
    return "tel:" + re.sub(r"[^0-9+]", "", match.group(1)) if match else None


class Pages:
    """The templates of the shared frame and of every feature, with our filters."""

    def __init__(self, feature_dirs: Iterable[Path]) -> None:
        self.templates = Jinja2Templates(directory=str(SHARED_TEMPLATES))
        dirs = [SHARED_TEMPLATES, *feature_dirs]
        self.templates.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in dirs])
        self.templates.env.filters.update(markdown=render_markdown, local=local, tel=tel_href)


def optional_principal(request: Request, runtime: RuntimeDep) -> Principal | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return runtime.auth.authenticate_session(cookie)
    except AuthenticationError:
        return None


def web_principal(request: Request, runtime: RuntimeDep) -> Principal:
    principal = optional_principal(request, runtime)
    if principal is None:
        raise LoginRequired("please log in")
    request.state.principal = principal
    return principal


WebUser = Annotated[Principal, Depends(web_principal)]
MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


def render(
    request: Request, name: str, user: Principal | None, status: int = 200, **context: Any
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    response = pages.templates.TemplateResponse(
        request,
        name,
        {"user": user, "csrf": csrf_token(request), **context},
        status_code=status,
    )
    remember_csrf(request, response, get_runtime(request).settings.secure_cookies)
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def wants_html(request: Request, status: int, code: str, message: str) -> Response | None:
    """Errors on web pages render as pages; on /api they keep the JSON shape."""
    if request.url.path.startswith("/api/"):
        return None
    if status == 401:
        return redirect(f"/login?next={quote(request.url.path)}")
    user = getattr(request.state, "principal", None)
    return render(request, "error.html", user, status=status, message=message, code=code)


def form_error(exc: PydanticValidationError) -> str:
    return from_pydantic(exc).message


def countries() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in list_countries()]


def after_write(request: Request, user: Principal, verdict: Verdict | None, then: str) -> Response:
    """The one page rendering of a verdict: at elevated and above the normal flow stops and the
    person sees the crisis response (with their plan); otherwise they go on to ``then``."""
    if verdict is None or verdict.crisis is None:
        return redirect(then)
    return render(
        request,
        "crisis.html",
        user,
        crisis=verdict.crisis,
        plan_steps=copy.PLAN_STEPS,
        plan_sections=SECTIONS,
    )
