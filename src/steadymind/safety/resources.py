"""Crisis lines and emergency numbers by country, from the reviewed ``data/resources.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from steadymind.core.errors import ValidationError
from steadymind.core.places import normalise_country

DATA = Path(__file__).parent / "data" / "resources.toml"
__all__ = ["CountryResources", "CrisisLine", "for_country", "list_countries", "normalise_country"]


@dataclass(frozen=True, slots=True)
class CrisisLine:
    name: str
    contact: str
    hours: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "contact": self.contact, "hours": self.hours}


@dataclass(frozen=True, slots=True)
class CountryResources:
    code: str
    name: str
    emergency: str
    lines: tuple[CrisisLine, ...]
    is_fallback: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "emergency": self.emergency,
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
