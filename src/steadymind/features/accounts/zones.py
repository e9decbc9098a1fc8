"""Time zones a person can choose: the IANA names this machine knows, for a searchable list in
settings (an ``<input list>`` with a ``<datalist>``: it searches as the person types and needs
no script) and for checking what comes back, whatever the browser let through."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from steadymind.core.errors import ValidationError
from steadymind.core.places import check_timezone

# Names that mean this machine ("localtime") or no place at all ("Factory").
_NOT_PLACES = frozenset({"localtime", "Factory"})
_REGIONS = (
    "Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip


@cache
def _known() -> dict[str, str]:
    """Every accepted name, by its case-folded form (so "europe/london" is Europe/London)."""
    return {name.casefold(): name for name in available_timezones() - _NOT_PLACES}


@cache
def zone_choices() -> tuple[str, ...]:
    """The list offered: UTC and every Region/City, sorted. Older aliases (US/Eastern, EST)
    are still accepted when typed, but not offered."""
    places = sorted(name for name in _known().values() if name.startswith(_REGIONS))
    return ("UTC", *places)


def detected_zone(name: str) -> str:
    """The zone a browser reported at sign-up (a hidden field the person never sees): a name it
    could not place ("Etc/Unknown") becomes UTC, which they can change in settings, rather than
    an error they cannot correct."""
    return _known().get(name.strip().casefold(), "UTC")


def known_zone(name: str) -> str:
    """The IANA name as it is spelt, for a name typed in any case; raises ValidationError."""
    found = _known().get(name.strip().casefold())
    if found is None:
        raise ValidationError(
            "Choose a time zone from the list, such as Europe/London or America/New_York."
        )
    return check_timezone(found)
