"""Response policy: what the person sees when the gate finds risk (pure domain, no rendering).

Below ``elevated`` there is no crisis response and the normal flow continues. At ``elevated`` and
``high`` the normal flow stops, no generated (LLM) text may be shown on this turn, and the person
sees a short message from ``copy.py``, their own safety plan if they have one, and crisis lines
for their country. Means information is never part of a response: nothing here echoes the
person's text or the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steadymind.safety import copy
from steadymind.safety.plan import SafetyPlan
from steadymind.safety.resources import CountryResources, for_country
from steadymind.safety.types import Category, RiskAssessment, RiskLevel


@dataclass(frozen=True, slots=True)
class CrisisResponse:
    level: RiskLevel
    title: str
    message: str
    urgent: tuple[str, ...]  # "call emergency services now" lines, shown first at high
    resources: CountryResources
    lines_intro: str
    plan: SafetyPlan | None
    plan_text: str  # PLAN_INTRO when a plan is shown, PLAN_INVITE otherwise
    notice: str
    allow_generated_text: bool = False  # never True: no LLM text on a crisis turn
    copy_version: str = copy.COPY_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.label,
            "title": self.title,
            "message": self.message,
            "urgent": list(self.urgent),
            "resources": self.resources.to_dict(),
            "lines_intro": self.lines_intro,
            "plan": self.plan.model_dump() if self.plan is not None else None,
            "plan_text": self.plan_text,
            "notice": self.notice,
            "allow_generated_text": self.allow_generated_text,
            "copy_version": self.copy_version,
        }


def _urgent(level: RiskLevel, categories: frozenset[Category], emergency: str) -> tuple[str, ...]:
    lines: list[str] = []
    if level >= RiskLevel.HIGH:
        lines.append(copy.EMERGENCY_NOW.format(emergency=emergency))
    if Category.HARM_TO_OTHERS in categories and level >= RiskLevel.HIGH:
        lines.append(copy.SOMEONE_ELSE_IN_DANGER.format(emergency=emergency))
    if Category.MEDICAL in categories:
        lines.append(copy.MEDICAL_NOW.format(emergency=emergency))
    if Category.ABUSE in categories:
        lines.append(copy.ABUSE_NOTE.format(emergency=emergency))
    return tuple(lines)


def crisis_response(
    assessment: RiskAssessment,
    country: str | None,
    plan: SafetyPlan | None = None,
    *,
    saved: bool = True,
) -> CrisisResponse | None:
    """The crisis response for an assessment, or None below ``elevated``.

    ``country`` is the ISO 3166 alpha-2 code from the person's settings (None: fallback lines);
    ``saved``: whether the text is kept (the notice must not say so where it is not).
    """
    if assessment.level < RiskLevel.ELEVATED:
        return None
    resources = for_country(country)
    high = assessment.level >= RiskLevel.HIGH
    shown_plan = plan if plan is not None and not plan.is_empty else None
    return CrisisResponse(
        level=assessment.level,
        title=copy.TITLE_HIGH if high else copy.TITLE_ELEVATED,
        message=copy.MESSAGE_HIGH if high else copy.MESSAGE_ELEVATED,
        urgent=_urgent(assessment.level, assessment.categories, resources.emergency),
        resources=resources,
        lines_intro=copy.FALLBACK_LINES_INTRO if resources.is_fallback else copy.LINES_INTRO,
        plan=shown_plan,
        plan_text=copy.PLAN_INTRO if shown_plan is not None else copy.PLAN_INVITE,
        notice=copy.NO_AI_NOTICE if saved else copy.NO_AI_NOTICE_UNSAVED,
    )


def allows_generated_text(assessment: RiskAssessment) -> bool:
    """False at ``elevated`` and above: callers must not show LLM text on this turn."""
    return assessment.level < RiskLevel.ELEVATED
