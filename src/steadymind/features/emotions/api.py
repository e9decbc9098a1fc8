"""Emotion recognition from text over the API. Each text passes the text seam first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from steadymind.features.emotions import TEXT
from steadymind.ui.api import PrincipalDep, RuntimeDep, VerdictOut, verdict_out

router = APIRouter(tags=["affect"])


class AffectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: Annotated[
        list[Annotated[str, Field(max_length=100_000)]], Field(min_length=1, max_length=32)
    ]


class AffectResult(BaseModel):
    reading: dict[str, Any] | None = Field(
        description=(
            "labels, scores, ekman, valence, arousal, model_id; null when the gate stopped the "
            "flow or the text was blank"
        )
    )
    gate: VerdictOut | None


@router.post("/affect/text", response_model=list[AffectResult])
def affect_text(body: AffectIn, p: PrincipalDep, runtime: RuntimeDep) -> list[AffectResult]:
    """Emotions in each text (28 GoEmotions labels, Ekman view, valence and arousal).

    At elevated risk and above no emotion reading is returned; the gate carries the crisis
    response instead. Nothing is stored."""
    results = []
    for text in body.texts:
        verdict = runtime.seam.screen(text, surface=TEXT.name, owner=p).verdict
        reading = verdict.emotions if verdict is not None else None
        results.append(
            AffectResult(
                reading=None if reading is None else reading.to_dict(), gate=verdict_out(verdict)
            )
        )
    return results
