"""The reviewed safety copy: pinned sentences, no means information, every plan step present."""

from __future__ import annotations

import re

import pytest

from steadymind.safety import copy
from steadymind.safety.plan import SECTIONS

ALL_COPY = [
    value
    for name, value in vars(copy).items()
    if name.isupper() and isinstance(value, str) and name != "COPY_VERSION"
] + [text for step in copy.PLAN_STEPS.values() for text in step.values()]

# Words that would give means information or blame. A crisis message must contain none of them.
FORBIDDEN = re.compile(
    r"\b(dose|doses|mg|milligrams?|lethal|overdose|pills?|tablets?|bridge|height|metres?|meters|"
    r"rope|gun|knife|jump|hang|poison|fatal|method|how to|should have|selfish|attention)\b",
    re.IGNORECASE,
)


def test_copy_is_not_empty() -> None:
    assert all(text.strip() for text in ALL_COPY)


@pytest.mark.parametrize("text", ALL_COPY)
def test_copy_never_gives_means_or_blame(text: str) -> None:
    assert not FORBIDDEN.search(text), text


def test_high_copy_tells_to_call_emergency_services_now() -> None:
    assert copy.EMERGENCY_NOW == (
        "If you are in danger or think you might act on these thoughts, call {emergency} now, "
        "or go to your nearest emergency department."
    )


def test_elevated_message_is_warm_and_honest_about_being_a_program() -> None:
    assert copy.MESSAGE_ELEVATED.startswith("Thank you for telling me.")
    assert "I'm a program" in copy.MESSAGE_ELEVATED


def test_messages_are_short() -> None:
    for text in (copy.MESSAGE_ELEVATED, copy.MESSAGE_HIGH, copy.EMERGENCY_NOW):
        assert len(text.split()) <= 60


def test_every_plan_section_has_a_title_prompt_and_example() -> None:
    assert tuple(copy.PLAN_STEPS) == SECTIONS
    for step in copy.PLAN_STEPS.values():
        assert set(step) == {"title", "prompt", "example"}


def test_copy_has_a_version() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", copy.COPY_VERSION)
