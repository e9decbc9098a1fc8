"""One JSON error shape for every 4xx and 5xx:

``{"error": {"code": "not_found", "message": "No such check-in.", "details": {...}}}``

Messages are sentences (a capital first letter, whoever raised them). Validation details name the
field and the problem, never the submitted value (it may be a journal entry). A 401 from the API
carries its ``WWW-Authenticate: Bearer`` challenge (RFC 6750). Errors nobody raised on purpose
become a 500, or a 507 when the disk is full, in :class:`ErrorPages`, which the outermost
middleware calls (so that the connection stays open and the access log sees the status).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from steadymind.core.errors import (
    DiskFull,
    RateLimited,
    SteadymindError,
    field_problems,
    is_disk_full,
    sentence,
)

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    507: "disk_full",
}
# Starlette's bare reason phrases, said as sentences.
PLAIN_WORDS = {
    404: "There is nothing here.",
    405: "This address does not take that method.",
}
REALM = 'Bearer realm="steadymind"'
UNEXPECTED = "Something went wrong on our side."
WantsHtml = Callable[[Request, int, str, str], Response | None]


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": sentence(message), "details": details or {}}}


def _challenge(request: Request) -> str:
    presented = request.headers.get("authorization", "").lower().startswith("bearer ")
    return f'{REALM}, error="invalid_token"' if presented else REALM


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    request: Request | None = None,
) -> JSONResponse:
    headers = {}
    if details and "retry_after" in details:
        headers["Retry-After"] = str(details["retry_after"])
    if status == 401 and request is not None:
        headers["WWW-Authenticate"] = _challenge(request)
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


class ErrorPages:
    """Renders an error for whoever asked: a page on the web, the JSON shape on /api."""

    def __init__(self, wants_html: WantsHtml) -> None:
        self.wants_html = wants_html

    def respond(
        self,
        request: Request,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
    ) -> Response:
        html = self.wants_html(request, status, code, sentence(message))
        if html is not None:
            return html
        return error_response(status, code, message, details, request)

    def unexpected(self, request: Request, exc: Exception) -> Response:
        """An exception nobody raised on purpose: 507 if the disk is full, else 500."""
        if is_disk_full(exc):
            log.error("disk full on %s %s", request.method, request.url.path)
            full = DiskFull()
            return self.respond(request, full.status, full.code, full.message)
        # Only the exception type is logged: messages can quote user input.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        try:
            return self.respond(request, 500, "internal_error", UNEXPECTED)
        except Exception:  # the error page itself failed: the plain shape, always
            return error_response(500, "internal_error", UNEXPECTED)


def _words(exc: StarletteHTTPException) -> str:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if not detail or detail == HTTPStatus(exc.status_code).phrase:
        return PLAIN_WORDS.get(exc.status_code) or HTTPStatus(exc.status_code).phrase + "."
    return detail


def _validation_message(exc: RequestValidationError) -> str:
    problems = field_problems(exc)
    if not problems:
        return "The request is not valid."
    where = problems[0]["field"].removeprefix("body.")
    return f"The request is not valid ({where}: {problems[0]['problem']})."


def install(app: FastAPI, pages: ErrorPages) -> None:
    """Register the handlers for the errors raised on purpose (and by FastAPI and Starlette)."""

    @app.exception_handler(SteadymindError)
    async def _domain(request: Request, exc: SteadymindError) -> Response:
        if exc.status >= 500:
            log.error("request failed: %s", exc.code)
        details = dict(exc.details)
        if isinstance(exc, RateLimited):
            details["retry_after"] = exc.retry_after
        return pages.respond(request, exc.status, exc.code, exc.message, details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        html = pages.wants_html(
            request, 422, "validation_error", "That form was not filled in as expected."
        )
        if html is not None:
            return html
        return error_response(
            422, "validation_error", _validation_message(exc), {"errors": field_problems(exc)}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "error")
        return pages.respond(request, exc.status_code, code, _words(exc))
