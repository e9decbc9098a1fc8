"""The crisis-line table: complete, well-formed, reviewed recently, with a safe fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from steadymind.core.errors import ValidationError
from steadymind.safety.resources import for_country, list_countries, normalise_country, table


def test_at_least_twenty_countries() -> None:
    assert len(table().countries) >= 20


@pytest.mark.parametrize("code", sorted(table().countries))
def test_every_country_is_complete(code: str) -> None:
    entry = table().countries[code]
    assert len(code) == 2 and code.isupper() and code.isalpha()
    assert entry.name and entry.emergency
    assert any(ch.isdigit() for ch in entry.emergency)
    assert entry.lines
    for line in entry.lines:
        assert line.name and line.contact and line.hours
        assert any(ch.isdigit() for ch in line.contact)


@pytest.mark.parametrize(
    ("code", "number"),
    [("US", "988"), ("GB", "116 123"), ("IE", "116 123"), ("CA", "988"), ("AU", "13 11 14")],
)
def test_known_lines(code: str, number: str) -> None:
    assert any(number in line.contact for line in for_country(code).lines)


@pytest.mark.parametrize(("code", "emergency"), [("US", "911"), ("GB", "999"), ("AU", "000")])
def test_known_emergency_numbers(code: str, emergency: str) -> None:
    assert emergency in for_country(code).emergency


def test_table_was_reviewed_within_six_months() -> None:
    reviewed = dt.date.fromisoformat(table().last_reviewed)
    assert reviewed <= dt.date.today()
    assert (dt.date.today() - reviewed).days <= 183, "re-review data/resources.toml"


def test_codes_are_case_insensitive_and_uk_means_gb() -> None:
    assert for_country("gb").code == "GB"
    assert for_country("UK").code == "GB"


def test_malformed_codes_are_rejected_in_settings_but_never_in_a_crisis() -> None:
    with pytest.raises(ValidationError):
        normalise_country("United Kingdom")
    assert for_country("United Kingdom").is_fallback


def test_list_countries_is_sorted_by_name_for_a_dropdown() -> None:
    countries = list_countries()
    assert [name for _, name in countries] == sorted(name for _, name in countries)
    assert ("GB", "United Kingdom") in countries
