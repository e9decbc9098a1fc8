"""Crisis lines and emergency numbers by country, from the reviewed ``data/resources.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from steadymind.core.errors import ValidationError
from steadymind.core.places import normalise_country

DATA = Path(__file__).parent / "data" / "resources.toml"
__all__ = ["CountryResources", "CrisisLine", "for_country", "list_countries", "normalise_country"]


@dataclass(frozen=True, slots=True)
class ContactAction:
    """One thing a person can tap: call a number or text a word to one."""

    kind: Literal["call", "text"]
    label: str
    href: str  # tel: or sms: (RFC 3966, RFC 5724)


_NUMBER = r"(\+?\d[\d -]*\d)"
_CALL = re.compile(rf"call {_NUMBER}(?: or {_NUMBER})?", re.IGNORECASE)
_CALL_OR_TEXT = re.compile(rf"call or text {_NUMBER}", re.IGNORECASE)
_TEXT = re.compile(rf"text (\w+) to {_NUMBER}", re.IGNORECASE)


def _digits(number: str) -> str:
    return re.sub(r"[^\d+]", "", number)


def contact_actions(contact: str) -> tuple[ContactAction, ...]:
    """The calls and texts a contact line offers, as tappable links ("Call 116 123", "Text
    SHOUT to 85258", "Call or text 988"); none for a line that is only words."""
    both = _CALL_OR_TEXT.search(contact)
    if both:
        number = both.group(1)
        return (
            ContactAction("call", f"Call {number}", f"tel:{_digits(number)}"),
            ContactAction("text", f"Text {number}", f"sms:{_digits(number)}"),
        )
    actions = []
    call = _CALL.search(contact)
    if call:
        for number in filter(None, call.groups()):
            actions.append(ContactAction("call", f"Call {number}", f"tel:{_digits(number)}"))
    for word, number in _TEXT.findall(contact):
        label, href = f"Text {word} to {number}", f"sms:{_digits(number)}?body={word}"
        actions.append(ContactAction("text", label, href))
    return tuple(actions)


def emergency_action(emergency: str) -> ContactAction | None:
    """The emergency number as one tap ("999"); None when it is a sentence (the fallback)."""
    return (
        ContactAction("call", f"Call {emergency}", f"tel:{_digits(emergency)}")
        if (re.fullmatch(r"\+?\d{2,4}", emergency.strip()))
        else None
    )


@dataclass(frozen=True, slots=True)
class CrisisLine:
    name: str
    contact: str
    hours: str

    @property
    def actions(self) -> tuple[ContactAction, ...]:
        return contact_actions(self.contact)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "contact": self.contact,
            "hours": self.hours,
            "actions": [{"kind": a.kind, "label": a.label, "href": a.href} for a in self.actions],
        }


@dataclass(frozen=True, slots=True)
class CountryResources:
    code: str
    name: str
    emergency: str
    lines: tuple[CrisisLine, ...]
    is_fallback: bool = False

    @property
    def emergency_action(self) -> ContactAction | None:
        return emergency_action(self.emergency)

    def to_dict(self) -> dict[str, Any]:
        action = self.emergency_action
        return {
            "code": self.code,
            "name": self.name,
            "emergency": self.emergency,
            "emergency_href": None if action is None else action.href,
            "lines": [line.to_dict() for line in self.lines],
            "is_fallback": self.is_fallback,
        }


@dataclass(frozen=True, slots=True)
class ResourceTable:
    last_reviewed: str
    countries: dict[str, CountryResources]
    fallback_emergency: str
    fallback_text: str


@cache
def table(path: Path = DATA) -> ResourceTable:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    countries = {
        code: CountryResources(
            code=code,
            name=entry["name"],
            emergency=entry["emergency"],
            lines=tuple(CrisisLine(**line) for line in entry["lines"]),
        )
        for code, entry in raw["countries"].items()
    }
    return ResourceTable(
        last_reviewed=raw["last_reviewed"],
        countries=countries,
        fallback_emergency=raw["fallback"]["emergency"],
        fallback_text=raw["fallback"]["text"],
    )


def for_country(country: str | None) -> CountryResources:
    """Resources for a country code; unknown, missing or malformed codes get the fallback.

    Never raises: a typo in someone's settings must not stand between them and help.
    """
    try:
        code = normalise_country(country)
    except ValidationError:
        code = None
    data = table()
    if code is not None and code in data.countries:
        return data.countries[code]
    return CountryResources(
        code=code or "",
        name="",
        emergency=data.fallback_emergency,
        lines=(CrisisLine("Find a Helpline", data.fallback_text, "directory"),),
        is_fallback=True,
    )


def list_countries() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a sign-up dropdown."""
    return sorted(((c.code, c.name) for c in table().countries.values()), key=lambda p: p[1])
