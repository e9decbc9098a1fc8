"""The fixed emotion vocabulary for check-ins: the 27 GoEmotions emotions plus everyday words.

The first 27 match the text-emotion model's labels, so its suggestions map onto words a person can
pick. The rest are words mood trackers find people reach for that GoEmotions lacks.
"""

from __future__ import annotations

from collections.abc import Iterable

from steadymind.affect.labels import LABELS

GOEMOTIONS: tuple[str, ...] = tuple(label for label in LABELS if label != "neutral")

EVERYDAY = (
    "anxious", "calm", "content", "lonely", "tired", "stressed", "overwhelmed", "frustrated",
    "hopeful", "hopeless", "irritable", "numb", "peaceful", "ashamed", "guilty", "bored",
    "jealous", "hurt", "restless", "focused", "motivated", "safe",
)  # fmt: skip

EMOTIONS: tuple[str, ...] = GOEMOTIONS + EVERYDAY
EMOTION_SET = frozenset(EMOTIONS)


def vocabulary_words(labels: Iterable[str]) -> list[str]:
    """The labels of a reading that are words a person can pick (neutral is not a feeling)."""
    return [label for label in labels if label in EMOTION_SET]
