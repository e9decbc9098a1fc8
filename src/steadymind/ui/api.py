"""FastAPI dependencies (the runtime, the authenticated principal, a feature's service) and the
one JSON shape of a verdict.

Every route declares its auth policy by depending on ``require_principal`` (or ``web_principal``
for pages), or by being listed in its feature's ``public_routes``; a test walks the route table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from steadymind.core.errors import AuthenticationError
from steadymind.crypto.principal import Principal
from steadymind.runtime import Runtime
from steadymind.safety.plan import SafetyPlan
from steadymind.screen import Verdict

SESSION_COOKIE = "sm_session"
bearer = HTTPBearer(auto_error=False, description="An API token from POST /api/v1/auth/token")
T = TypeVar("T")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def service(kind: type[T]) -> Callable[[Request], T]:
    """A dependency handing a route its feature's service: ``Annotated[X, Depends(service(X))]``."""

    def provide(request: Request) -> T:
        return get_runtime(request).get(kind)

    provide.__name__ = f"service_{kind.__name__}"
    return provide


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def require_principal(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """A bearer API token, or the browser session cookie."""
    if credentials is not None:
        principal = runtime.auth.authenticate_token(credentials.credentials)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise AuthenticationError("please log in")
        principal = runtime.auth.authenticate_session(cookie)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]


class CrisisLineOut(BaseModel):
    name: str
    contact: str
    hours: str


class ResourcesOut(BaseModel):
    code: str
    name: str
    emergency: str
    lines: list[CrisisLineOut]
    is_fallback: bool


class CrisisOut(BaseModel):
    """The reviewed crisis response (``steadymind.safety.policy.CrisisResponse``)."""

    level: str
    title: str
    message: str
    urgent: list[str] = Field(description="Call-emergency-services lines, shown first")
    resources: ResourcesOut
    lines_intro: str
    plan: SafetyPlan | None = Field(description="The person's own safety plan, if they made one")
    plan_text: str
    notice: str
    allow_generated_text: bool = Field(description="Always false: no generated text on a crisis")
    copy_version: str


class VerdictOut(BaseModel):
    """What the text seam found in a text a person wrote."""

    level: str
    categories: list[str]
    stops_flow: bool = Field(description="At elevated and above: show `crisis`, nothing else")
    suggested_emotions: list[str] = []
    crisis: CrisisOut | None = None


def verdict_out(verdict: Verdict | None) -> VerdictOut | None:
    """The one JSON rendering of a verdict (None when there was no text to read)."""
    if verdict is None:
        return None
    crisis = None if verdict.crisis is None else CrisisOut.model_validate(verdict.crisis.to_dict())
    return VerdictOut(
        level=verdict.level.label,
        categories=verdict.categories,
        stops_flow=verdict.stops_flow,
        suggested_emotions=verdict.suggested_emotions,
        crisis=crisis,
    )


def assessment_json(verdict: Verdict | None) -> dict[str, Any] | None:
    """The gate's full assessment, evidence included (the person's own words: for them only)."""
    return None if verdict is None else verdict.assessment.to_dict()
