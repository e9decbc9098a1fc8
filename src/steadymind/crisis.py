"""Turns a gate result into what the person sees: the reviewed crisis response.

The content (messages, crisis lines, plan prompts) is domain code in ``steadymind.safety``; this
module only gathers the person's country and own safety plan for it.
"""

from __future__ import annotations

from typing import Any

from steadymind.crypto.principal import Principal
from steadymind.gate import GateResult, TextGate
from steadymind.safety.plan import SafetyPlan, plan_as_lines
from steadymind.safety.policy import crisis_response
from steadymind.safety.types import Category, RiskAssessment, RiskLevel
from steadymind.storage.plans import SafetyPlanStore
from steadymind.tracking.vocabulary import EMOTION_SET

_CATEGORIES = {c.value for c in Category}


def crisis_payload(
    plans: SafetyPlanStore, p: Principal, result: GateResult
) -> dict[str, Any] | None:
    """The reviewed crisis response (message, urgent lines, crisis lines, the person's plan)."""
    if not result.stops_flow:
        return None
    assessment = RiskAssessment(
        level=RiskLevel.parse(result.level),
        categories=frozenset(Category(c) for c in result.categories if c in _CATEGORIES),
    )
    response = crisis_response(assessment, p.country, plans.load(p))
    return None if response is None else dict(response.to_dict())


def vocabulary_words(emotions: dict[str, Any] | None) -> list[str]:
    """A reading's labels that are words in our check-in vocabulary (neutral is not a feeling)."""
    return [label for label in (emotions or {}).get("labels", []) if label in EMOTION_SET]


def suggested_emotions(result: GateResult | None) -> list[str]:
    return vocabulary_words(None if result is None else result.emotions)


def gate_view(
    plans: SafetyPlanStore, p: Principal, result: GateResult | None
) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "level": result.level,
        "categories": result.categories,
        "stops_flow": result.stops_flow,
        "suggested_emotions": suggested_emotions(result),
        "crisis": crisis_payload(plans, p, result),
    }


def save_plan(
    plans: SafetyPlanStore, gate: TextGate, p: Principal, plan: SafetyPlan
) -> GateResult | None:
    """Save a person's safety plan; its words pass the gate like any other text they write.

    The plan is saved whatever the gate finds: it is the person's protection and losing it would
    help no one. At ``elevated`` and above the caller then shows the crisis response (with this
    plan in it) instead of the normal flow. None for an empty plan (nothing to assess).
    """
    text = "\n".join(line for lines in plan_as_lines(plan).values() for line in lines)
    if not text.strip():
        result = None
    else:
        result = gate.check(text, context=[], country=p.country, surface="safety-plan")
    plans.save(p, plan)
    return result
