"""The result of a safety check: level, categories, evidence, and which models decided.

``RiskAssessment.evidence`` quotes the person's own words so that a decision can be reviewed by
them (or, with their consent, by their care team). It is sensitive text: never log it, never put
it in an exception message; ``to_dict()`` exists for the person's own JSON output.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal

# Where a text was written: a message (check-in note, journal entry, chat turn) or the text of
# the person's safety plan, which the gate reads item by item (see ``safety.gate``).
Surface = Literal["message", "safety-plan"]


class RiskLevel(enum.IntEnum):
    """Ordered risk levels; compare with ``>=`` (``level >= RiskLevel.ELEVATED``)."""

    NONE = 0
    LOW = 1
    ELEVATED = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> RiskLevel:
        return cls[value.strip().upper()]

    def __str__(self) -> str:
        return self.label


class Category(enum.StrEnum):
    SELF_HARM = "self-harm"
    SUICIDE = "suicide"
    ABUSE = "abuse"
    HARM_TO_OTHERS = "harm-to-others"
    EATING = "eating"
    SUBSTANCE = "substance"
    PSYCHOSIS_MANIA = "psychosis-mania"
    MEDICAL = "medical"


# What makes risk ``high`` (the crisis response at once, without asking first): explicit
# evidence in the words, never the strength of a feeling or a model's score alone.
Basis = Literal[
    "plan", "intent", "time", "means", "preparation", "attempt", "danger-now", "context"
]  # fmt: skip
BASES: frozenset[str] = frozenset(Basis.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One signal behind a decision: which layer, which rule, and the matched words (user text).

    ``basis`` names the explicit evidence behind a ``high`` (a plan, intent, a time, means, a
    preparation, an attempt now, danger now, or the conversation's context); the gate lowers
    ``high`` evidence without one to ``elevated``."""

    layer: str
    signal: str
    level: RiskLevel
    category: Category | None = None
    phrase: str = ""
    source: str = "message"  # "message" or "context"
    basis: Basis | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "signal": self.signal,
            "level": self.level.label,
            "category": self.category.value if self.category else None,
            "phrase": self.phrase,
            "source": self.source,
            "basis": self.basis,
        }


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    level: RiskLevel
    categories: frozenset[Category] = field(default_factory=frozenset)
    evidence: tuple[Evidence, ...] = ()
    model_id: str = ""
    failed_layers: tuple[str, ...] = ()

    @property
    def needs_crisis_response(self) -> bool:
        """At ``elevated`` and above the normal flow stops and no generated text is shown."""
        return self.level >= RiskLevel.ELEVATED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form. Contains user text in ``evidence``: for the person, never for logs."""
        return {
            "level": self.level.label,
            "categories": sorted(c.value for c in self.categories),
            "evidence": [e.to_dict() for e in self.evidence],
            "model_id": self.model_id,
            "failed_layers": list(self.failed_layers),
            "needs_crisis_response": self.needs_crisis_response,
        }

    def __repr__(self) -> str:
        # The default repr would print evidence (user text) into logs and tracebacks.
        cats = ",".join(sorted(c.value for c in self.categories))
        return (
            f"RiskAssessment(level={self.level.label}, categories=[{cats}], "
            f"model_id={self.model_id!r})"
        )
