"""Normalisation: chat spellings fold to canonical words; no text can make it raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steadymind.safety.rules import analyse
from steadymind.safety.text import flat, is_meaningful, normalise


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Not hungry\nI want to DIE", "not hungry\ni want to die"),
        ("one\r\n\r\n  two \n\n\nthree", "one\ntwo\nthree"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("\n\n  kms  \n", "kill myself"),
    ],
)
def test_normalise_keeps_one_line_break_per_break(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_flat_keeps_positions_and_drops_line_breaks(text: str) -> None:
    norm = normalise(text)
    assert len(flat(norm)) == len(norm)
    assert "\n" not in flat(norm)
