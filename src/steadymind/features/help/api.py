"""Crisis safety over the API: check a text, crisis lines by country."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from steadymind.features.help.check import CHECK
from steadymind.safety.resources import for_country, list_countries
from steadymind.screen import Answer
from steadymind.ui.api import (
    CrisisOut,
    PrincipalDep,
    RuntimeDep,
    VerdictOut,
    assessment_json,
    crisis_out,
    verdict_out,
)

router = APIRouter(tags=["safety"])


class SafetyCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=100_000)
    context: Annotated[list[Annotated[str, Field(max_length=20_000)]], Field(max_length=20)] = []


class SafetyCheckOut(BaseModel):
    assessment: dict[str, Any] | None = Field(
        description="level, categories, evidence (your own words), model_id; null for no text"
    )
    gate: VerdictOut | None


@router.post("/safety/check", response_model=SafetyCheckOut)
def safety_check(body: SafetyCheckIn, p: PrincipalDep, runtime: RuntimeDep) -> SafetyCheckOut:
    """The gate's assessment of a text (with recent messages as context) and, at elevated and
    above, the crisis response for your country and your plan. Nothing is stored."""
    screened = runtime.seam.screen(body.text, surface=CHECK.name, owner=p, context=body.context)
    verdict = screened.verdict
    return SafetyCheckOut(assessment=assessment_json(verdict), gate=verdict_out(verdict))


@router.get("/safety/resources")
def crisis_lines(country: Annotated[str | None, Query(max_length=2)] = None) -> dict[str, Any]:
    """Emergency number and crisis lines for a country (ISO code); public, no login needed."""
    return dict(for_country(country).to_dict())


@router.get("/safety/countries")
def countries() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in list_countries()]


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    surface: str = Field(max_length=64, description="`gate.ask.surface` of the verdict")
    ref: str | None = Field(None, max_length=64, description="`gate.ask.ref`: the saved text")
    answer: Answer


class AnswerOut(BaseModel):
    action: Literal["continue", "crisis"]
    crisis: CrisisOut | None = Field(description="For Yes and Not sure: the crisis response")


@router.post("/safety/answer", response_model=AnswerOut)
def answer(body: AnswerIn, p: PrincipalDep, runtime: RuntimeDep) -> AnswerOut:
    """The answer to the question a verdict asked (``action: ask``). It is kept, encrypted, with
    the text it was about. *Yes* and *Not sure* get the crisis response; *No* goes on."""
    crisis = runtime.seam.answer(p, body.surface, body.ref, body.answer)
    return AnswerOut(action="continue" if crisis is None else "crisis", crisis=crisis_out(crisis))
