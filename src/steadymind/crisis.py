"""Turns a gate result into what the person sees: the reviewed crisis response.

The content (messages, crisis lines, plan prompts) is domain code in ``steadymind.safety``; this
module only gathers the person's country and own safety plan for it.
"""

from __future__ import annotations

from typing import Any

from steadymind.accounts.principal import Principal
from steadymind.gate import GateResult
from steadymind.storage.plans import SafetyPlanStore
from steadymind.tracking.vocabulary import EMOTION_SET


def crisis_payload(
    plans: SafetyPlanStore, p: Principal, result: GateResult
) -> dict[str, Any] | None:
    if not result.stops_flow:
        return None
    from steadymind.safety.policy import crisis_response

    response = crisis_response(result.level, p.country, plans.load(p))
    return dict(response.to_dict())


def suggested_emotions(result: GateResult | None) -> list[str]:
    """The model's labels that are words in our check-in vocabulary (neutral is not a feeling)."""
    if result is None or result.emotions is None:
        return []
    return [label for label in result.emotions.get("labels", []) if label in EMOTION_SET]


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
