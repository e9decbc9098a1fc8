"""What every web page shares: templates, rendering, login dependencies, redirects, errors."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from pydantic import ValidationError as PydanticValidationError

from steadymind.api.deps import SESSION_COOKIE, ServicesDep
from steadymind.core.errors import AuthenticationError
from steadymind.crypto.principal import Principal
from steadymind.services import Services
from steadymind.web.security import csrf_token, remember_csrf

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# "breaks": a line the person typed on its own stays on its own line (people are not writing
# Markdown source, and a single newline would otherwise join their lines into one paragraph).
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough")


class LoginRequired(AuthenticationError):
    pass


def render_markdown(text: str) -> str:
    import nh3

    # markdown-it with html disabled already escapes raw HTML; nh3 is the belt to those braces.
    return nh3.clean(_markdown.render(text))


TEMPLATES.env.filters["markdown"] = render_markdown


def local(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


TEMPLATES.env.filters["local"] = local
_PHONE = re.compile(r"^(?:call\s+)?(\+?[0-9][0-9 ()-]{1,20}[0-9])$", re.IGNORECASE)


def tel_href(contact: str) -> str | None:
    """A tel: link for a contact like "Call 116 123" or "988"; None for text-only contacts."""
    match = _PHONE.match(contact.strip())
    return "tel:" + re.sub(r"[^0-9+]", "", match.group(1)) if match else None


TEMPLATES.env.filters["tel"] = tel_href


def optional_principal(request: Request, services: ServicesDep) -> Principal | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return services.accounts.authenticate_session(cookie)
    except AuthenticationError:
        return None


def web_principal(request: Request, services: ServicesDep) -> Principal:
    principal = optional_principal(request, services)
    if principal is None:
        raise LoginRequired("please log in")
    request.state.principal = principal
    return principal


WebUser = Annotated[Principal, Depends(web_principal)]
MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


def render(
    request: Request, name: str, user: Principal | None, status: int = 200, **context: Any
) -> HTMLResponse:
    services: Services = request.app.state.services
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {"user": user, "csrf": csrf_token(request), **context},
        status_code=status,
    )
    remember_csrf(request, response, services.settings.secure_cookies)
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def wants_html(request: Request, status: int, code: str, message: str) -> Response | None:
    """Errors on web pages render as pages; on /api they keep the JSON shape."""
    if request.url.path.startswith("/api/"):
        return None
    if status == 401:
        target = request.url.path
        return redirect(f"/login?next={quote(target)}")
    user = getattr(request.state, "principal", None)
    return render(request, "error.html", user, status=status, message=message, code=code)


def form_error(exc: PydanticValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ()))
    return f"{field}: {first.get('msg', 'not valid')}" if field else str(first.get("msg"))
