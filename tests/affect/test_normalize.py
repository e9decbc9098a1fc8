from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steadymind.affect.normalize import has_words, looks_english, normalize


def test_common_emoji_become_words() -> None:
    assert normalize("😭😭").split() == ["crying", "crying"]
    assert "love" in normalize("❤️ you")


@pytest.mark.parametrize(
    "text",
    [
        "I had a rough day at work and I just want to sleep",
        "awesome game!!",
        "Thanks",
        "wtf",
    ],
)
def test_english_and_short_texts_count_as_english(text: str) -> None:
    assert looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin heute sehr traurig und müde, weil alles schiefgeht",
        "Je suis très fatigué aujourd'hui mais content quand même",
        "今日はとても悲しいです",
        "Сегодня я очень устал",
        "🦄🦄🦄",
    ],
)
def test_clearly_foreign_or_wordless_texts_do_not_count_as_english(text: str) -> None:
    assert not looks_english(text)


def test_emoji_and_punctuation_have_no_words() -> None:
    assert not has_words("🦄 !!! 123")
    assert has_words("ok")


@given(st.text(max_size=200))
def test_normalize_and_checks_accept_any_text(text: str) -> None:
    normalize(text)
    has_words(text)
    looks_english(text)
