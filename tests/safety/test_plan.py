"""Safety plan domain model: sections, limits, JSON round-trip, errors without content."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticError

from steadymind.core.errors import ValidationError
from steadymind.safety.plan import MAX_ITEMS, MAX_TEXT, SECTIONS, Contact, SafetyPlan

items = st.lists(st.text(min_size=1, max_size=50).map(str.strip).filter(bool), max_size=MAX_ITEMS)
contacts = st.lists(
    st.builds(
        Contact,
        name=st.text(min_size=1, max_size=30).map(str.strip).filter(bool),
        phone=st.from_regex(r"\A[0-9+ ]{0,15}\Z"),
    ),
    max_size=3,
)


def test_sections_follow_stanley_brown_order() -> None:
    assert SECTIONS == (
        "warning_signs",
        "coping_strategies",
        "distractions",
        "help_contacts",
        "professionals",
        "safe_environment",
        "reasons_for_living",
    )


@settings(derandomize=True, max_examples=50)
@given(items, items, contacts, items)
def test_json_round_trip(
    signs: list[str], coping: list[str], people: list[Contact], reasons: list[str]
) -> None:
    plan = SafetyPlan(
        warning_signs=signs,
        coping_strategies=coping,
        help_contacts=people,
        reasons_for_living=reasons,
    )
    assert SafetyPlan.from_json(plan.to_json()) == plan


def test_new_plan_is_empty_and_versioned() -> None:
    plan = SafetyPlan()
    assert plan.is_empty
    assert plan.format_version == 1
    assert '"format_version":1' in plan.to_json()


def test_too_many_items_are_rejected() -> None:
    with pytest.raises(PydanticError):
        SafetyPlan(warning_signs=["x"] * (MAX_ITEMS + 1))


def test_too_long_items_are_rejected() -> None:
    with pytest.raises(PydanticError):
        SafetyPlan(reasons_for_living=["x" * (MAX_TEXT + 1)])


def test_phone_numbers_are_checked() -> None:
    with pytest.raises(PydanticError):
        Contact(name="Sam", phone="call me maybe")


def test_bad_stored_json_raises_our_error_without_the_content() -> None:
    with pytest.raises(ValidationError) as info:
        SafetyPlan.from_json('{"warning_signs": ["' + "secret" * 100 + '"]}')
    assert "secret" not in str(info.value)
    assert "secret" not in str(info.value.details)
    assert info.value.details["fields"] == ["warning_signs.0"]


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        SafetyPlan.from_json('{"format_version": 1, "diary": "x"}')
