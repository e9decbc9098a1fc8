"""Normalisation: chat spellings fold to canonical words; no text can make it raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steadymind.safety.rules import analyse
from steadymind.safety.text import is_meaningful, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("KMS", "kill myself"),
        ("i wanna dieeeee", "i want to die"),
        ("gonna kil myslef", "going to kill myself"),
        ("I’m", "i'm"),
        ("sui\u200bcide", "suicide"),
        ("i want to unalive myself", "i want to kill myself"),
        ("i want to unalive", "i want to die"),
    ],
)
def test_spellings_are_normalised(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@settings(derandomize=True, max_examples=200)
@given(st.text(max_size=300))
def test_normalise_and_rules_accept_any_text(text: str) -> None:
    analyse(normalise(text))


def test_emoji_only_is_not_meaningful() -> None:
    assert not is_meaningful("😀😀")
    assert is_meaningful("日本")
