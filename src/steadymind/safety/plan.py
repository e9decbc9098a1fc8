"""The Stanley-Brown safety plan as a domain model (stored encrypted by the foundation layer).

Seven sections, in the order the person fills them in. Limits keep a plan readable in a crisis
and bound what the storage layer encrypts; ``format_version`` versions the persisted JSON.
The guided prompts for each section live in ``copy.py`` with the rest of the safety copy.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

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


# The two sections that list people: each item is a name, an optional phone and a note.
CONTACT_SECTIONS = frozenset({"help_contacts", "professionals"})
_PHONE_LIKE = re.compile(r"^[0-9+()\-. #*]{3,40}$")


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
        """Parse stored JSON; raises ``steadymind.core.errors.ValidationError`` on bad data."""
        from pydantic import ValidationError as PydanticError

        from steadymind.core.errors import ValidationError

        try:
            return cls.model_validate_json(data)
        except PydanticError as exc:
            # Only field locations, never values: a plan is sensitive text.
            fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
            raise ValidationError(
                "The safety plan is not valid.", details={"fields": fields}
            ) from exc


def plan_as_lines(plan: SafetyPlan | None) -> dict[str, list[str]]:
    """The plan as plain lines per section, the way a person types it in a form or a terminal:
    one item per line, contacts as ``name, phone, note``."""
    if plan is None:
        return {key: [] for key in SECTIONS}
    out: dict[str, list[str]] = {}
    for key in SECTIONS:
        items = getattr(plan, key)
        if key in CONTACT_SECTIONS:
            out[key] = [", ".join(p for p in (c.name, c.phone, c.note) if p) for c in items]
        else:
            out[key] = list(items)
    return out


def contact_from_line(line: str) -> dict[str, str]:
    """``name, phone, note``; when the second part is not a phone number it is the note."""
    name, _, rest = line.partition(",")
    phone, _, note = rest.strip().partition(",")
    if phone and not _PHONE_LIKE.fullmatch(phone.strip()):
        return {"name": name.strip(), "note": rest.strip()}
    return {"name": name.strip(), "phone": phone.strip(), "note": note.strip()}


def plan_from_lines(sections: dict[str, list[str]]) -> SafetyPlan:
    """Inverse of :func:`plan_as_lines`; blank lines are dropped. Raises pydantic's
    ``ValidationError`` for an item that breaks a limit."""
    values: dict[str, list[Any]] = {}
    for key in SECTIONS:
        lines = [line.strip() for line in sections.get(key, []) if line.strip()]
        values[key] = [contact_from_line(x) for x in lines] if key in CONTACT_SECTIONS else lines
    return SafetyPlan(**values)
