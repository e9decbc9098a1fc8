"""Where a person is: their country (for crisis lines) and time zone, validated in one place.

Both sign-up and the crisis-line lookup read countries; before this module they validated them
twice and only one of them understood "UK". Messages never quote what was typed beyond a time
zone name (which is not sensitive).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from steadymind.core.errors import ValidationError

# Not ISO 3166, but what people type; the ISO code is what we store.
_ALIASES = {"UK": "GB"}
COUNTRY_HINT = "Country must be a two-letter ISO 3166 code such as GB or US."


def normalise_country(country: str | None) -> str | None:
    """An ISO 3166 alpha-2 code in capitals, or None for none given; raises ValidationError."""
    if country is None or not country.strip():
        return None
    code = country.strip().upper()
    code = _ALIASES.get(code, code)
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValidationError(COUNTRY_HINT)
    return code


def check_timezone(name: str) -> str:
    """An IANA time zone name that this machine knows; raises ValidationError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name!r}") from None
    return name
