"""The API reads JSON only: a body of another type is refused with 415 before it is parsed.

Without this a ``text/plain`` body (what a page of another site can send without a preflight)
or one with no type reached validation unparsed and came back as a puzzling 422 ("Input should
be a valid dictionary"). A route that reads a form, or no body, is left alone.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.params import Form
from starlette.exceptions import HTTPException

NOT_JSON = "Send the body as JSON, with Content-Type: application/json."
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() != "0"
    return "transfer-encoding" in request.headers


def require_json_body(request: Request) -> None:
    """A dependency of the API router: 415 when a route that reads a JSON body gets another."""
    if request.method not in BODY_METHODS or not _has_body(request):
        return
    field = getattr(request.scope.get("route"), "body_field", None)
    if field is None or isinstance(field.field_info, Form):
        return  # the route reads no body, or a form (its own type)
    if not is_json(request.headers.get("content-type")):
        raise HTTPException(415, NOT_JSON)
