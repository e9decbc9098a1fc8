"""The feelings a person can pick, in four groups by how pleasant and how energetic they are.

The groups follow How We Feel (and Russell's circumplex, which ``labels.VALENCE_AROUSAL`` also
uses): unpleasant with high energy (anxious, angry), unpleasant with low energy (sad, tired),
pleasant with high energy (excited, joyful), pleasant with low energy (calm, grateful). Within a
group, the words people reach for most often come first.

The emotion model speaks GoEmotions labels ("approval", "realization", "desire"). Those are
annotation categories, not words a person uses for themselves, so they are never offered: each
maps onto one word here (``FROM_LABEL``), and the model's reading becomes suggestions in these
words only. Check-ins stored when the picker still listed the labels read in these words too
(``display_words``), and the API still accepts a label, storing its word (``to_word``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Energy = Literal["high", "low"]


@dataclass(frozen=True)
class Quadrant:
    key: str
    title: str
    pleasant: bool
    energy: Energy
    words: tuple[str, ...]


QUADRANTS: Final[tuple[Quadrant, ...]] = (
    Quadrant(
        "unpleasant-high", "Unpleasant, high energy", False, "high",
        ("anxious", "stressed", "angry", "frustrated", "overwhelmed", "annoyed", "nervous",
         "scared", "irritable", "restless", "jealous", "embarrassed", "confused", "disgusted"),
    ),
    Quadrant(
        "pleasant-high", "Pleasant, high energy", True, "high",
        ("excited", "joyful", "hopeful", "proud", "motivated", "inspired", "amused", "curious",
         "eager", "focused", "surprised"),
    ),
    Quadrant(
        "unpleasant-low", "Unpleasant, low energy", False, "low",
        ("sad", "tired", "lonely", "disappointed", "hurt", "hopeless", "numb", "bored",
         "guilty", "ashamed", "grieving"),
    ),
    Quadrant(
        "pleasant-low", "Pleasant, low energy", True, "low",
        ("calm", "content", "grateful", "relaxed", "relieved", "peaceful", "safe", "loving",
         "caring", "satisfied", "reflective"),
    ),
)  # fmt: skip

# Each GoEmotions label as the word a person would use; ``neutral`` is not a feeling to pick.
FROM_LABEL: Final[dict[str, str | None]] = {
    "admiration": "inspired", "amusement": "amused", "anger": "angry", "annoyance": "annoyed",
    "approval": "satisfied", "caring": "caring", "confusion": "confused",
    "curiosity": "curious", "desire": "eager", "disappointment": "disappointed",
    "disapproval": "frustrated", "disgust": "disgusted", "embarrassment": "embarrassed",
    "excitement": "excited", "fear": "scared", "gratitude": "grateful", "grief": "grieving",
    "joy": "joyful", "love": "loving", "nervousness": "nervous", "optimism": "hopeful",
    "pride": "proud", "realization": "reflective", "relief": "relieved", "remorse": "guilty",
    "sadness": "sad", "surprise": "surprised", "neutral": None,
}  # fmt: skip

EMOTIONS: Final[tuple[str, ...]] = tuple(w for q in QUADRANTS for w in q.words)
EMOTION_SET: Final[frozenset[str]] = frozenset(EMOTIONS)
_QUADRANT_OF: Final[dict[str, Quadrant]] = {w: q for q in QUADRANTS for w in q.words}


def to_word(word: str) -> str | None:
    """A typed word (any case and spacing) or a model label as a word of the picker, else None."""
    word = " ".join(word.split()).lower()
    if word in EMOTION_SET:
        return word
    return FROM_LABEL.get(word)


def quadrant_of(word: str) -> Quadrant | None:
    return _QUADRANT_OF.get(word)


def vocabulary_words(labels: Iterable[str]) -> list[str]:
    """The model's labels of a reading as words a person can pick, in order, each once."""
    words = (FROM_LABEL.get(label) for label in labels)
    return list(dict.fromkeys(w for w in words if w is not None))


def display_words(stored: Iterable[str]) -> list[str]:
    """Stored words as a person reads them: older model labels as their words, each once; a
    word this version does not know is kept as it was stored rather than dropped."""
    return list(dict.fromkeys(to_word(w) or w for w in stored))


def accepted_words_text() -> str:
    """Every word, a line per group: what the command line shows when a word is not one."""
    return "\n".join(f"{q.title}: {', '.join(q.words)}" for q in QUADRANTS)
