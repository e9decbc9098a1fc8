"""The ASGI boundary every request crosses first: where it may come from, how big it may be, the
headers every response carries, what an unexpected error becomes, and an access log without user
text.

* Unsafe methods (POST, PUT, PATCH, DELETE) that name a foreign site in ``Origin`` (or, without
  it, ``Referer``) are refused with 403 before any route runs (docs/security.md, CSRF).
* The body limit is in bytes and generous (Settings.max_body_bytes): the schemas' character
  limits are the ones people meet, in any script.
* ``Cache-Control: no-store`` on everything but static files: pages, API answers and exports
  carry decrypted data. ``Strict-Transport-Security`` when the cookies are secure (TLS).
* An exception that escapes the app becomes the 500 (or 507) response here rather than in
  Starlette's outermost handler, which re-raises it: uvicorn then dropped the keep-alive
  connection and this access log never saw the request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steadymind.http.errors import ErrorPages
from steadymind.ui.csrf import FOREIGN_ORIGIN, foreign_origin

log = logging.getLogger("steadymind.access")

# No third-party origin anywhere; no inline script or style. Checked by a test.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with our own
    # forms, which the Origin check must refuse; other sites still learn nothing of our URLs.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
NO_STORE = (b"cache-control", b"no-store")
# One year, this host only: a person may run other services on sibling names over plain HTTP.
HSTS = (b"strict-transport-security", b"max-age=31536000")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STATIC_PREFIX = "/static/"


class Boundary:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        secure: bool,
        pages: ErrorPages,
        uploads: frozenset[tuple[str, str]] = frozenset(),
        max_upload: int = 0,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.uploads = uploads  # (method, path) of the routes that take a file
        self.max_upload = max_upload
        self.secure = secure
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 0}
        send = self._with_headers(scope, send, state)
        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                status, code, message = refusal
                response = self.pages.respond(Request(scope), status, code, message)
                await response(scope, receive, send)
            else:
                limit = self._limit(scope)
                await self._run(scope, self._limited(receive, limit), send, state)
        finally:
            self._log(scope, state["status"], started)

    async def _run(self, scope: Scope, receive: Receive, send: Send, state: dict[str, int]) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if state["status"]:  # the response had begun: nothing sane to add; uvicorn closes
                raise
            response = self.pages.unexpected(Request(scope), exc)
            await response(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """Why this request is refused before it reaches the app (None: it is not)."""
        headers = Headers(scope=scope)
        if scope["method"] in UNSAFE_METHODS and foreign_origin(
            headers.get("origin"), headers.get("referer"), headers.get("host"), self.secure
        ):
            return 403, "forbidden", FOREIGN_ORIGIN
        declared = headers.get("content-length")
        limit = self._limit(scope)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return 413, "payload_too_large", self._too_large(limit)
        return None

    def _limit(self, scope: Scope) -> int:
        upload = (scope["method"], scope["path"]) in self.uploads
        return max(self.max_upload, self.max_body) if upload else self.max_body

    @staticmethod
    def _too_large(limit: int) -> str:
        return f"The request is larger than the {limit:,} bytes this server accepts."

    def _limited(self, receive: Receive, limit: int) -> Receive:
        seen = {"bytes": 0}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    # FastAPI re-raises HTTPException from body reading: our 413 shape.
                    raise HTTPException(413, self._too_large(limit))
            return message

        return limited_receive

    def _with_headers(self, scope: Scope, send: Send, state: dict[str, int]) -> Send:
        extra = list(SECURITY_HEADERS)
        if not scope.get("path", "").startswith(STATIC_PREFIX):
            extra.append(NO_STORE)
        if self.secure:
            extra.append(HSTS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                message["headers"] = headers + [h for h in extra if h[0] not in names]
            await send(message)

        return send_with_headers

    @staticmethod
    def _log(scope: MutableMapping[str, Any], status: int, started: float) -> None:
        # The path only: query strings can carry search terms from a journal.
        elapsed = (time.perf_counter() - started) * 1000
        log.info("%s %s %s %.1fms", scope.get("method"), scope.get("path"), status, elapsed)
