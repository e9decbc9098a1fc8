"""The one safety gate every piece of user text passes before anything else reacts to it.

Surfaces (check-in notes, journal entries, later chat turns and thought records) call
``gate.check``. The crisis assessment runs first; the emotion model only runs when the normal flow
may continue (below ``elevated``), because at ``elevated`` and above nothing but the reviewed
crisis response may react to the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from steadymind.safety.types import Surface

log = logging.getLogger(__name__)

LEVELS = ("none", "low", "elevated", "high")
STOP_LEVELS = frozenset({"elevated", "high"})


@dataclass(frozen=True)
class GateResult:
    level: str
    categories: list[str]
    safety: dict[str, Any]
    emotions: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def stops_flow(self) -> bool:
        """At elevated and high the normal flow stops and the crisis response is shown."""
        return self.level in STOP_LEVELS

    def to_record(self) -> dict[str, Any]:
        return {"safety": self.safety, "emotions": self.emotions}


class TextGate(Protocol):
    def check(
        self, text: str, *, context: Sequence[str], country: str | None, surface: Surface = ...
    ) -> GateResult: ...


Assess = Callable[[str, list[str], Surface], Any]
Suggest = Callable[[str], dict[str, Any] | None]


def _default_assess(text: str, context: list[str], surface: Surface) -> Any:
    from steadymind.safety import assess

    return assess(text, context, surface=surface)


def _default_suggest(text: str) -> dict[str, Any] | None:
    from steadymind.affect.text import load_emotion_model

    reading = load_emotion_model().predict([text])[0]
    return dict(reading.to_dict())


class SafetyGate:
    """The production gate: crisis assessment, then emotion suggestions when it is safe to."""

    def __init__(
        self, assess: Assess = _default_assess, suggest: Suggest = _default_suggest
    ) -> None:
        self._assess = assess
        self._suggest = suggest

    def check(
        self,
        text: str,
        *,
        context: Sequence[str],
        country: str | None,
        surface: Surface = "message",
    ) -> GateResult:
        try:
            assessment = self._assess(text, list(context), surface)
            record = dict(assessment.to_dict())
            level = str(record["level"])
        except Exception as exc:
            # Fail closed: if the safety layer itself breaks, treat the text as needing care.
            log.error("safety assessment failed (%s); failing closed", type(exc).__name__)
            record = {
                "level": "elevated",
                "categories": [],
                "evidence": [],
                "model_id": "fail-closed",
            }
            level = "elevated"
        emotions = None
        if level not in STOP_LEVELS:
            try:
                emotions = self._suggest(text)
            except Exception as exc:
                # Suggestions are a convenience: the write goes on without them.
                log.warning("emotion suggestion failed (%s)", type(exc).__name__)
        return GateResult(
            level=level,
            categories=[str(c) for c in record.get("categories", [])],
            safety=record,
            emotions=emotions,
        )
