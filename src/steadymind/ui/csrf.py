"""Web-only security: the CSRF double-submit token and the session cookie."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from steadymind.core.errors import PermissionDenied
from steadymind.ui.api import SESSION_COOKIE

CSRF_COOKIE = "sm_csrf"


def csrf_token(request: Request) -> str:
    """The token for this browser: reused from its cookie, or made now (set by ``remember``)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def remember_csrf(request: Request, response: Response, secure: bool) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", secure=secure, path="/"
        )


def check_csrf(request: Request, submitted: str | None) -> None:
    """Every form post carries the token that only our own pages can read from the cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise PermissionDenied("this form has expired; reload the page and try again")


def set_session(response: Response, value: str, *, secure: bool, max_age: int) -> None:
    # HttpOnly: scripts never see the secret that unwraps the data key. Lax: top-level links work.
    response.set_cookie(
        SESSION_COOKIE,
        value,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=max_age,
        path="/",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
