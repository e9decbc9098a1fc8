"""FastAPI dependencies (the runtime, the authenticated principal, a feature's service) and the
one JSON shape of a verdict.

Every route declares its auth policy by depending on ``require_principal`` (or ``web_principal``
for pages), or by being listed in its feature's ``public_routes``; a test walks the route table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from steadymind.core.errors import AuthenticationError
from steadymind.crypto.principal import Principal
from steadymind.runtime import Runtime
from steadymind.safety import copy
from steadymind.safety.plan import SafetyPlan
from steadymind.safety.policy import CrisisResponse
from steadymind.screen import Action, Answer, Verdict

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
    """A bearer API token, and nothing else: the session cookie, which a browser sends by
    itself with any request a page of another site makes, opens no API route (CSRF)."""
    if credentials is None:
        raise AuthenticationError("Send an API token: Authorization: Bearer <token>.")
    principal = runtime.auth.authenticate_token(credentials.credentials)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]


class ContactActionOut(BaseModel):
    kind: Literal["call", "text"]
    label: str
    href: str = Field(description="tel: or sms: link")


class CrisisLineOut(BaseModel):
    name: str
    contact: str
    hours: str
    actions: list[ContactActionOut] = []


class ResourcesOut(BaseModel):
    code: str
    name: str
    emergency: str
    emergency_href: str | None = Field(None, description="tel: link to the emergency number")
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


class AnswerChoice(BaseModel):
    value: Answer
    label: str


class AskOut(BaseModel):
    """The question to ask before anything else (C-SSRS style), and how to send the answer."""

    intro: str
    question: str
    answers: list[AnswerChoice]
    lines_intro: str
    answer_url: str = Field(description="POST {surface, ref, answer} here")
    surface: str
    ref: str | None = Field(description="The saved text the answer is about (null: not saved)")


class VerdictOut(BaseModel):
    """What the text seam found in a text a person wrote, and what to do next."""

    level: str
    categories: list[str]
    stops_flow: bool = Field(description="At elevated and above: nothing but `ask` or `crisis`")
    action: Action = Field(
        "continue",
        description="continue; ask the question in `ask` first, with the lines of `crisis` "
        "beside it (Yes or Not sure: show `crisis`; No: continue); or show `crisis` at once",
    )
    repeated: bool = Field(False, description="A second flagged text today: not asked again")
    suggested_emotions: list[str] = []
    ask: AskOut | None = None
    crisis: CrisisOut | None = None


ANSWER_URL = "/api/v1/safety/answer"


def crisis_out(crisis: CrisisResponse | None) -> CrisisOut | None:
    return None if crisis is None else CrisisOut.model_validate(crisis.to_dict())


def ask_out(verdict: Verdict, ref: str | None) -> AskOut | None:
    if verdict.action != "ask":
        return None
    return AskOut(
        intro=copy.ASK_INTRO,
        question=copy.ASK_QUESTION,
        answers=[AnswerChoice(value=k, label=v) for k, v in copy.ANSWERS.items()],
        lines_intro=copy.ASK_LINES_INTRO,
        answer_url=ANSWER_URL,
        surface=verdict.surface,
        ref=ref,
    )


def verdict_out(verdict: Verdict | None, ref: str | None = None) -> VerdictOut | None:
    """The one JSON rendering of a verdict (None when there was no text to read). ``ref``: the
    id of the saved text, which an answer to the question names."""
    if verdict is None:
        return None
    return VerdictOut(
        level=verdict.level.label,
        categories=verdict.categories,
        stops_flow=verdict.stops_flow,
        action=verdict.action,
        repeated=verdict.repeated,
        suggested_emotions=verdict.suggested_emotions,
        ask=ask_out(verdict, ref),
        crisis=crisis_out(verdict.crisis),
    )


def assessment_json(verdict: Verdict | None) -> dict[str, Any] | None:
    """The gate's full assessment, evidence included (the person's own words: for them only)."""
    return None if verdict is None else verdict.assessment.to_dict()
