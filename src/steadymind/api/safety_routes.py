"""Crisis safety over the API: check a text, crisis lines, the person's safety plan."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from steadymind.api.deps import PrincipalDep, ServicesDep
from steadymind.crisis import gate_view, save_plan
from steadymind.safety.plan import SafetyPlan
from steadymind.safety.resources import for_country, list_countries

router = APIRouter(tags=["safety"])


class SafetyCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=100_000)
    context: Annotated[list[Annotated[str, Field(max_length=20_000)]], Field(max_length=20)] = []


@router.post("/safety/check")
def safety_check(body: SafetyCheckIn, p: PrincipalDep, services: ServicesDep) -> dict[str, Any]:
    """The gate's assessment of a text (with recent messages as context) and, at elevated and
    above, the crisis response for your country and your plan. Nothing is stored."""
    result = services.gate.check(body.text, context=body.context, country=p.country)
    return {"assessment": result.safety, "gate": gate_view(services.plans, p, result)}


@router.get("/safety/resources")
def crisis_lines(country: Annotated[str | None, Query(max_length=2)] = None) -> dict[str, Any]:
    """Emergency number and crisis lines for a country (ISO code); public, no login needed."""
    return dict(for_country(country).to_dict())


@router.get("/safety/countries")
def countries() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in list_countries()]


@router.get("/safety/plan", response_model=SafetyPlan | None)
def get_plan(p: PrincipalDep, services: ServicesDep) -> SafetyPlan | None:
    return services.plans.load(p)


class PlanSaved(BaseModel):
    plan: SafetyPlan
    gate: dict[str, Any] | None  # as for a check-in; at elevated and above, the crisis response


@router.put("/safety/plan", response_model=PlanSaved)
def put_plan(body: SafetyPlan, p: PrincipalDep, services: ServicesDep) -> PlanSaved:
    """Save your plan. Its words pass the safety gate like any text you write; the plan is saved
    whatever the gate finds, and ``gate.crisis`` carries the crisis response when it stops the
    flow."""
    result = save_plan(services.plans, services.gate, p, body)
    return PlanSaved(plan=body, gate=gate_view(services.plans, p, result))
