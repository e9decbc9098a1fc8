"""The feelings a person can pick: four groups by pleasantness and energy (as How We Feel groups
them), the model's labels mapped onto them for suggestions only, never shown raw."""

from __future__ import annotations

import pytest

from steadymind.affect.labels import LABELS, VALENCE_AROUSAL
from steadymind.affect.vocabulary import (
    EMOTION_SET,
    EMOTIONS,
    FROM_LABEL,
    QUADRANTS,
    accepted_words_text,
    display_words,
    quadrant_of,
    to_word,
    vocabulary_words,
)

# Model labels that are not everyday feeling words; none of them may be offered to a person.
RAW_LABELS = {"approval", "realization", "desire", "admiration", "disapproval", "neutral"}


def test_four_groups_by_pleasantness_and_energy_with_their_example_words() -> None:
    groups = {(q.pleasant, q.energy): q.words for q in QUADRANTS}
    assert set(groups) == {(False, "high"), (False, "low"), (True, "high"), (True, "low")}
    assert {"anxious", "angry", "stressed"} <= set(groups[(False, "high")])
    assert {"sad", "tired", "lonely"} <= set(groups[(False, "low")])
    assert {"excited", "joyful"} <= set(groups[(True, "high")])
    assert {"calm", "content", "grateful"} <= set(groups[(True, "low")])


def test_every_word_is_in_exactly_one_group_and_none_is_a_raw_model_label() -> None:
    words = [w for q in QUADRANTS for w in q.words]
    assert len(words) == len(set(words))
    assert tuple(words) == EMOTIONS
    assert not RAW_LABELS & EMOTION_SET
    assert all(w == w.strip().lower() and w for w in words)


def test_every_model_label_but_neutral_maps_onto_a_word_of_the_matching_pleasantness() -> None:
    assert set(FROM_LABEL) == set(LABELS)
    assert FROM_LABEL["neutral"] is None
    for label in LABELS:
        if label == "neutral":
            continue
        word = FROM_LABEL[label]
        assert word in EMOTION_SET, label
        quadrant = quadrant_of(word)
        assert quadrant is not None
        valence, _ = VALENCE_AROUSAL[label]
        assert quadrant.pleasant == (valence > 0), (label, word)


def test_suggestions_are_friendly_words_without_repeats() -> None:
    assert vocabulary_words(["joy", "neutral", "approval", "gratitude"]) == [
        "joyful",
        "satisfied",
        "grateful",
    ]
    assert vocabulary_words(["anger", "annoyance", "disapproval"]) == [
        "angry",
        "annoyed",
        "frustrated",
    ]
    assert vocabulary_words(["neutral"]) == []


@pytest.mark.parametrize(
    ("typed", "word"),
    [("Calm", "calm"), (" anxious ", "anxious"), ("gratitude", "grateful"), ("JOY", "joyful")],
)
def test_a_word_or_an_older_model_label_is_read_as_a_word(typed: str, word: str) -> None:
    assert to_word(typed) == word


@pytest.mark.parametrize("typed", ["hangry", "neutral", "", "   "])
def test_anything_else_is_not_a_feeling_word(typed: str) -> None:
    assert to_word(typed) is None


def test_words_stored_before_the_picker_read_as_friendly_words() -> None:
    """Check-ins saved when the picker offered the model's labels still read in plain words."""
    assert display_words(["gratitude", "calm", "realization", "grateful"]) == [
        "grateful",
        "calm",
        "reflective",
    ]


def test_the_accepted_words_are_listed_by_group() -> None:
    text = accepted_words_text()
    for quadrant in QUADRANTS:
        line = next(line for line in text.splitlines() if line.startswith(quadrant.title))
        assert all(word in line for word in quadrant.words)
    assert "approval" not in text


def test_the_groups_titles_say_what_they_hold_in_plain_words() -> None:
    titles = [q.title for q in QUADRANTS]
    assert titles == [
        "Unpleasant, high energy",
        "Pleasant, high energy",
        "Unpleasant, low energy",
        "Pleasant, low energy",
    ]


# The words the check-in picker offered before it was grouped (27 model labels and 22 everyday
# words): check-ins stored with any of them must still read, and still be accepted.
BEFORE = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride",
    "realization", "relief", "remorse", "sadness", "surprise",
    "anxious", "calm", "content", "lonely", "tired", "stressed", "overwhelmed", "frustrated",
    "hopeful", "hopeless", "irritable", "numb", "peaceful", "ashamed", "guilty", "bored",
    "jealous", "hurt", "restless", "focused", "motivated", "safe",
)  # fmt: skip


def test_every_word_the_picker_offered_before_still_reads_as_a_word() -> None:
    assert len(BEFORE) == 49
    assert all(to_word(word) in EMOTION_SET for word in BEFORE)
