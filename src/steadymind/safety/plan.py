"""The Stanley-Brown safety plan as a domain model (stored encrypted by the foundation layer).

Seven sections, in the order the person fills them in. Limits keep a plan readable in a crisis
and bound what the storage layer encrypts; ``format_version`` versions the persisted JSON.
The guided prompts for each section live in ``copy.py`` with the rest of the safety copy.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_ITEMS = 10
MAX_TEXT = 300

Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[0-9+()\-. #*]*$")
]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Item
    phone: Phone = ""
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)] = ""


SECTIONS = (
    "warning_signs",
    "coping_strategies",
    "distractions",
    "help_contacts",
    "professionals",
    "safe_environment",
    "reasons_for_living",
)
Section = Literal[
    "warning_signs",
    "coping_strategies",
    "distractions",
    "help_contacts",
    "professionals",
    "safe_environment",
    "reasons_for_living",
]


class SafetyPlan(BaseModel):
    """Stanley & Brown (2012) safety planning intervention, in the person's own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: Literal[1] = 1
    warning_signs: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    coping_strategies: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    distractions: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    help_contacts: list[Contact] = Field(default_factory=list, max_length=MAX_ITEMS)
    professionals: list[Contact] = Field(default_factory=list, max_length=MAX_ITEMS)
    safe_environment: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)
    reasons_for_living: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in SECTIONS)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> SafetyPlan:
        """Parse stored JSON; raises ``steadymind.errors.ValidationError`` on bad data."""
        from pydantic import ValidationError as PydanticError

        from steadymind.errors import ValidationError

        try:
            return cls.model_validate_json(data)
        except PydanticError as exc:
            # Only field locations, never values: a plan is sensitive text.
            fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
            raise ValidationError(
                "The safety plan is not valid.", details={"fields": fields}
            ) from exc
