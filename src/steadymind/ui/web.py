"""What every web page shares: templates, rendering, login dependencies, redirects, errors, and the
one page rendering of a verdict (the crisis response).

Templates come from ``ui/templates`` (the frame, errors, the crisis response) and from each
feature's own ``templates`` folder; the app builds one :class:`Pages` over all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Depends, Request, WebSocket, WebSocketException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from markdown_it import MarkdownIt
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.errors import AuthenticationError, from_pydantic
from steadymind.crypto.principal import Principal
from steadymind.runtime import AppLockGate, Runtime
from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS
from steadymind.safety.policy import CrisisResponse
from steadymind.safety.resources import list_countries
from steadymind.screen import Verdict
from steadymind.ui.api import SESSION_COOKIE, RuntimeDep, get_runtime
from steadymind.ui.csrf import csrf_token, foreign_origin, remember_csrf

SHARED_TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# "breaks": a line the person typed on its own stays on its own line (people are not writing
# Markdown source, and a single newline would otherwise join their lines into one paragraph).
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough")


class LoginRequired(AuthenticationError):
    pass


def render_markdown(text: str) -> str:
    import nh3

    # markdown-it with html disabled already escapes raw HTML; nh3 is the belt to those braces.
    return nh3.clean(_markdown.render(text))


def local(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


class Pages:
    """The templates of the shared frame and of every feature, with our filters."""

    def __init__(self, feature_dirs: Iterable[Path]) -> None:
        self.templates = Jinja2Templates(directory=str(SHARED_TEMPLATES))
        dirs = [SHARED_TEMPLATES, *feature_dirs]
        self.templates.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in dirs])
        self.templates.env.filters.update(markdown=render_markdown, local=local)
        self.templates.env.globals["has_route"] = has_route


def has_route(request: Request, path: str) -> bool:
    """Whether the app serves the page ``path``: shared templates link to a feature's page
    (Help now to the one-minute breathing exercise) only when that feature is present."""
    from fastapi.routing import iter_route_contexts

    # Routers stay nested in the app (FastAPI >= 0.160): walk them as the route inventory does.
    return any(str(route.path) == path for route in iter_route_contexts(request.app.routes))


class AppLocked(AuthenticationError):
    """The person's app lock is closed for this session: pages redirect to the lock screen."""

    code = "app_locked"


# Reachable while the app is locked, besides the public pages (Help now, /breathe) and the lock
# screen's own routes (which depend on ``session_principal``): leaving is always possible.
OPEN_WHILE_LOCKED = frozenset({"/logout"})


def session_principal_or_none(request: Request, runtime: RuntimeDep) -> Principal | None:
    """The session's person, whether or not their app lock is closed."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return runtime.auth.authenticate_session(cookie)
    except AuthenticationError:
        return None


def _locked(request: Request, runtime: Runtime, principal: Principal) -> bool:
    if request.url.path in OPEN_WHILE_LOCKED:
        return False
    gate: AppLockGate | None = runtime.find(AppLockGate)
    if gate is None or not gate.locked(principal):
        return False
    # Help now may still use the person's country for its lines, without showing them anything.
    request.state.locked_country = principal.country
    return True


def optional_principal(request: Request, runtime: RuntimeDep) -> Principal | None:
    """The person if logged in and not locked out by their app lock: a public page (Help now,
    /breathe) shows a locked session nothing of its person."""
    principal = session_principal_or_none(request, runtime)
    if principal is None or _locked(request, runtime, principal):
        return None
    return principal


def session_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """The logged-in person even while their app lock is closed: the lock screen's routes."""
    principal = session_principal_or_none(request, runtime)
    if principal is None:
        raise LoginRequired("please log in")
    return principal


def web_principal(request: Request, runtime: RuntimeDep) -> Principal:
    principal = session_principal(request, runtime)
    if _locked(request, runtime, principal):
        raise AppLocked("the app is locked")
    request.state.principal = principal
    return principal


WebUser = Annotated[Principal, Depends(web_principal)]
LockUser = Annotated[Principal, Depends(session_principal)]
# The close code for a refused live stream: "policy violation" (RFC 6455).
POLICY_VIOLATION = 1008


def socket_principal(websocket: WebSocket) -> Principal:
    """The person behind a live stream (a WebSocket) from one of our pages: their session
    cookie, and an ``Origin`` of this site. A browser sends the cookie with a WebSocket opened by
    any site's page, and the boundary's CSRF check sees only HTTP, so the origin is checked here
    (and must be sent: browsers always send it with a WebSocket)."""
    runtime = websocket.app.state.runtime
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    if origin is None or foreign_origin(origin, None, host, runtime.settings.secure_cookies):
        raise WebSocketException(POLICY_VIOLATION, "a live stream opens only from our pages")
    cookie = websocket.cookies.get(SESSION_COOKIE)
    try:
        principal = runtime.auth.authenticate_session(cookie) if cookie else _no_session()
    except AuthenticationError:
        raise WebSocketException(POLICY_VIOLATION, "please log in") from None
    gate: AppLockGate | None = runtime.find(AppLockGate)
    if gate is not None and gate.locked(principal):
        raise WebSocketException(POLICY_VIOLATION, "the app is locked")
    return principal


def _no_session() -> Principal:
    raise AuthenticationError("please log in")


SocketUser = Annotated[Principal, Depends(socket_principal)]
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
    if code == AppLocked.code:
        return redirect(f"/lock?next={quote(request.url.path)}")
    if status == 401:
        return redirect(f"/login?next={quote(request.url.path)}")
    user = getattr(request.state, "principal", None)
    return render(request, "error.html", user, status=status, message=message, code=code)


def form_error(exc: PydanticValidationError) -> str:
    return from_pydantic(exc).message


def countries() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in list_countries()]


def after_write(
    request: Request,
    user: Principal | None,
    verdict: Verdict | None,
    then: str,
    ref: str | None = None,
    answer_action: str | None = None,
) -> Response:
    """The one page rendering of a verdict. Below ``elevated`` the person goes on to ``then``;
    at ``elevated`` they are asked first (the crisis lines beside the question); at ``high``, or
    a second time the same day, they see the crisis response at once, with a way back.
    ``answer_action``: where the answer goes when the surface handles it itself (the companion
    answers the turn after a No); by default the shared ``/safety/answer``."""
    if verdict is None or verdict.crisis is None:
        return redirect(then)
    if verdict.action == "ask":
        return render(
            request,
            "ask.html",
            user,
            crisis=verdict.crisis,
            copy=copy,
            surface=verdict.surface,
            ref=ref,
            next=then,
            answer_action=answer_action,
        )
    return crisis_page(request, user, verdict.crisis, then, repeated=verdict.repeated)


def crisis_page(
    request: Request,
    user: Principal | None,
    crisis: CrisisResponse,
    back: str | None,
    *,
    repeated: bool = False,
) -> Response:
    return render(
        request,
        "crisis.html",
        user,
        crisis=crisis,
        plan_steps=copy.PLAN_STEPS,
        plan_sections=SECTIONS,
        copy=copy,
        back=back,
        repeated=repeated,
    )


def safe_next(target: str, default: str = "/checkin") -> str:
    """Only same-site paths: an open redirect would make our pages a phishing tool."""
    return target if target.startswith("/") and not target.startswith("//") else default
