"""One JSON error shape for every 4xx and 5xx:

``{"error": {"code": "not_found", "message": "no such check-in", "details": {...}}}``

Validation details name the field and the problem, never the submitted value (it may be a
journal entry).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from steadymind.core.errors import RateLimited, SteadymindError, field_problems

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
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> JSONResponse:
    headers = {}
    if details and "retry_after" in details:
        headers["Retry-After"] = str(details["retry_after"])
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def install(app: FastAPI, *, wants_html: Any) -> None:
    """Register the handlers. ``wants_html(request)`` lets the web UI render its own pages."""

    @app.exception_handler(SteadymindError)
    async def _domain(request: Request, exc: SteadymindError) -> Response:
        if exc.status >= 500:
            log.error("request failed: %s", exc.code)
        html = wants_html(request, exc.status, exc.code, exc.message)
        if html is not None:
            return html  # type: ignore[no-any-return]
        details = dict(exc.details)
        if isinstance(exc, RateLimited):
            details["retry_after"] = exc.retry_after
        return error_response(exc.status, exc.code, exc.message, details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        html = wants_html(
            request, 422, "validation_error", "that form was not filled in as expected"
        )
        if html is not None:
            return html  # type: ignore[no-any-return]
        return error_response(
            422, "validation_error", "the request is not valid", {"errors": field_problems(exc)}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = str(exc.detail) if isinstance(exc.detail, str) else code.replace("_", " ")
        html = wants_html(request, exc.status_code, code, message)
        if html is not None:
            return html  # type: ignore[no-any-return]
        return error_response(exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Only the exception type is logged: messages can quote user input.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return error_response(500, "internal_error", "something went wrong on our side")
