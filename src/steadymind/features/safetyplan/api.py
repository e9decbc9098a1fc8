"""The safety plan over the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from steadymind.features.safetyplan.service import SafetyPlanService
from steadymind.safety.plan import SafetyPlan
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["safety"])
Plans = Annotated[SafetyPlanService, Depends(service(SafetyPlanService))]


@router.get("/safety/plan", response_model=SafetyPlan | None)
def get_plan(p: PrincipalDep, plans: Plans) -> SafetyPlan | None:
    return plans.load(p)


class PlanSaved(BaseModel):
    plan: SafetyPlan
    gate: VerdictOut | None  # as for a check-in; at elevated and above, the crisis response


@router.put("/safety/plan", response_model=PlanSaved)
def put_plan(body: SafetyPlan, p: PrincipalDep, plans: Plans) -> PlanSaved:
    """Save your plan. Its words pass the safety gate like any text you write; the plan is saved
    whatever the gate finds, and ``gate.crisis`` carries the crisis response when it stops the
    flow."""
    return PlanSaved(plan=body, gate=verdict_out(plans.save(p, body)))
