"""Emotion recognition from text over the API. Each text passes the safety gate first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from steadymind.api.deps import PrincipalDep, ServicesDep
from steadymind.crisis import gate_view

router = APIRouter(tags=["affect"])


class AffectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: Annotated[
        list[Annotated[str, Field(max_length=100_000)]], Field(min_length=1, max_length=32)
    ]


class AffectResult(BaseModel):
    reading: dict[str, Any] | None = Field(
        description=(
            "labels, scores, ekman, valence, arousal, model_id; null when the gate stopped the flow"
        )
    )
    gate: dict[str, Any]


@router.post("/affect/text", response_model=list[AffectResult])
def affect_text(body: AffectIn, p: PrincipalDep, services: ServicesDep) -> list[AffectResult]:
    """Emotions in each text (28 GoEmotions labels, Ekman view, valence and arousal).

    At elevated risk and above no emotion reading is returned; the gate carries the crisis
    response instead. Nothing is stored."""
    results = []
    for text in body.texts:
        checked = services.gate.check(text, context=[], country=p.country)
        view = gate_view(services.plans, p, checked) or {}
        results.append(AffectResult(reading=checked.emotions, gate=view))
    return results
