from __future__ import annotations

import pytest

from steadymind.companion import words


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Yes", True), ("yeah.", True), ("ok let's do it", True), ("sure, why not", True),
     ("no", False), ("Not now", False), ("no thanks", False),
     ("I don't know what I want", None), ("", None)],
)  # fmt: skip
def test_yes_no(text: str, expected: bool | None) -> None:
    assert words.yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("70", 70), ("about 70%", 70), ("-2", -2), ("−3", -3), ("+4", 4), ("60 or 70", None),
     ("101", None), ("none", None)],
)  # fmt: skip
def test_scale_reads_one_whole_number_in_range(text: str, expected: int | None) -> None:
    low = -5 if (expected is not None and expected < 0) or text.startswith(("−", "+")) else 0
    assert words.scale(text, low, 100) == expected


def test_choice_by_number_label_or_word_and_never_a_guess() -> None:
    options = [("yes", "Yes", ("i did",)), ("partly", "Partly", ("a bit",)), ("no", "No", ())]
    assert words.choice("2", options) == "partly"
    assert words.choice("Partly.", options) == "partly"
    assert words.choice("I did", options) == "yes"
    assert words.choice("4", options) is None
    assert words.choice("maybe", options) is None


def test_commands_are_whole_messages_only() -> None:
    assert words.command("Stop") == "stop"
    assert words.command("continue") == "continue"
    assert words.command("I can't stop thinking about it") is None
