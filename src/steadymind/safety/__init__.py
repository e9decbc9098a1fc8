"""Crisis safety: one gate for every text a person writes.

    from steadymind.safety import assess, crisis_response
    result = assess(text, context=recent_messages)
    response = crisis_response(result, country="GB", plan=plan)  # None below "elevated"

See docs/models/safety.md for how the layers work and what they cannot do.
"""

from steadymind.safety.gate import SafetyGate, assess, default_gate
from steadymind.safety.plan import Contact, SafetyPlan
from steadymind.safety.policy import CrisisResponse, allows_generated_text, crisis_response
from steadymind.safety.resources import CountryResources, CrisisLine, for_country, list_countries
from steadymind.safety.types import Category, Evidence, RiskAssessment, RiskLevel

__all__ = [
    "Category",
    "Contact",
    "CountryResources",
    "CrisisLine",
    "CrisisResponse",
    "Evidence",
    "RiskAssessment",
    "RiskLevel",
    "SafetyGate",
    "SafetyPlan",
    "allows_generated_text",
    "assess",
    "crisis_response",
    "default_gate",
    "for_country",
    "list_countries",
]
