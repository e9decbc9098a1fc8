"""Web-only security: the CSRF token, the Origin check, and the session cookie.

Three layers, so that no one of them is load-bearing alone (docs/security.md, CSRF):

1. **SameSite**: the session cookie is ``Lax``, the pre-login CSRF cookie ``Strict``.
2. **Origin**: an unsafe request that names another site in ``Origin`` (or, without it, in
   ``Referer``) is refused, by the HTTP boundary for every route and again here for forms. One
   that names neither (an old browser, a privacy extension) is judged by its token alone.
3. **A token bound to the session**: an HMAC keyed by the session cookie, which is HttpOnly, so
   only a page of ours, rendered for this session, can know it; a token from another session or
   a planted ``sm_csrf`` cookie is worth nothing. Before login (the sign-up, login and recovery
   forms) the key is a random ``sm_csrf`` cookie (double submit); a neighbour who plants that
   cookie must still get past the Origin check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response

from steadymind.core.errors import PermissionDenied
from steadymind.ui.api import SESSION_COOKIE, get_runtime

CSRF_COOKIE = "sm_csrf"
_PURPOSE = b"steadymind form token v2"
EXPIRED = "This form has expired. Reload the page and try again."
FOREIGN_ORIGIN = "This request came from another site, so it was not carried out."
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _bind(key: str) -> str:
    digest = hmac.new(key.encode(), _PURPOSE, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _session_key(request: Request) -> str | None:
    """The session this page belongs to: one started in this very response, else the cookie."""
    started = getattr(request.state, "csrf_session", None)
    return str(started) if started else request.cookies.get(SESSION_COOKIE)


def bind_to_session(request: Request, session_cookie: str) -> None:
    """The session was opened in this request (sign-up): the page rendered now belongs to it."""
    request.state.csrf_session = session_cookie


def csrf_token(request: Request) -> str:
    """The token for the forms of this page: bound to the session, or before login to the
    browser's ``sm_csrf`` cookie (made now if missing, and set by ``remember_csrf``)."""
    session = _session_key(request)
    if session:
        return _bind(f"session:{session}")
    anonymous = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not anonymous:
        anonymous = secrets.token_urlsafe(32)
        request.state.new_csrf = anonymous
    return _bind(f"anonymous:{anonymous}")


def remember_csrf(request: Request, response: Response, secure: bool) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", secure=secure, path="/"
        )


def check_csrf(request: Request, submitted: str | None) -> None:
    """Every form post comes from this site and carries the token of this browser's session."""
    headers = request.headers
    secure = get_runtime(request).settings.secure_cookies
    if foreign_origin(headers.get("origin"), headers.get("referer"), headers.get("host"), secure):
        raise PermissionDenied(FOREIGN_ORIGIN)
    if not submitted or not hmac.compare_digest(_expected(request), submitted):
        raise PermissionDenied(EXPIRED)


def _expected(request: Request) -> str:
    """The token this browser's forms must carry ("" when it has neither cookie)."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return _bind(f"session:{session}")
    anonymous = request.cookies.get(CSRF_COOKIE)
    return _bind(f"anonymous:{anonymous}") if anonymous else ""


def foreign_origin(origin: str | None, referer: str | None, host: str | None, secure: bool) -> bool:
    """Whether a request says it comes from a page of another site. ``Origin`` decides when
    sent (``null`` is foreign: a sandboxed or opaque origin); else ``Referer``; a request with
    neither is not foreign (non-browser clients send neither; forms still need their token).
    With ``secure`` (behind TLS) only https pages of this host are ours."""
    claimed = origin if origin is not None else referer
    if claimed is None:
        return False
    return not _same_site(claimed, host, secure)


def _same_site(url: str, host: str | None, secure: bool) -> bool:
    parts = urlsplit(url)
    if host is None or parts.scheme not in ({"https"} if secure else {"http", "https"}):
        return False
    ours = urlsplit(f"//{host}")
    try:
        theirs_port = parts.port or _DEFAULT_PORTS[parts.scheme]
        our_port = ours.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a port that is not a number
        return False
    return (parts.hostname, theirs_port) == (ours.hostname, our_port) and bool(parts.hostname)


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
