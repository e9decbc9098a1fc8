"""The GoEmotions label set, the Ekman view of it, and the valence/arousal coordinates.

Everything here is plain data so that the runtime, the training script and the benchmark agree on
one definition. The Ekman mapping is the one published with GoEmotions (Demszky et al., 2020).
"""

from __future__ import annotations

from typing import Final

LABELS: Final[tuple[str, ...]] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)

EKMAN_MAPPING: Final[dict[str, tuple[str, ...]]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": (
        "joy",
        "amusement",
        "approval",
        "excitement",
        "gratitude",
        "love",
        "optimism",
        "relief",
        "pride",
        "admiration",
        "desire",
        "caring",
    ),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
    "neutral": ("neutral",),
}

EKMAN_LABELS: Final[tuple[str, ...]] = tuple(EKMAN_MAPPING)

# (valence, arousal) per label on [-1, 1]. Hand-set positions on Russell's circumplex, guided by
# the NRC VAD lexicon entries for the label words (rescaled from [0, 1] to [-1, 1] and rounded to
# a tenth). They are coarse on purpose: a reading's valence/arousal is a probability-weighted mean
# of these points, so it is an interpretable summary of the label scores, not a separate model.
VALENCE_AROUSAL: Final[dict[str, tuple[float, float]]] = {
    "admiration": (0.8, 0.3),
    "amusement": (0.8, 0.5),
    "anger": (-0.7, 0.8),
    "annoyance": (-0.6, 0.5),
    "approval": (0.6, 0.1),
    "caring": (0.7, 0.0),
    "confusion": (-0.3, 0.3),
    "curiosity": (0.4, 0.4),
    "desire": (0.5, 0.6),
    "disappointment": (-0.7, -0.2),
    "disapproval": (-0.6, 0.2),
    "disgust": (-0.8, 0.5),
    "embarrassment": (-0.6, 0.4),
    "excitement": (0.8, 0.9),
    "fear": (-0.8, 0.8),
    "gratitude": (0.8, 0.1),
    "grief": (-0.9, -0.3),
    "joy": (0.9, 0.6),
    "love": (0.9, 0.4),
    "nervousness": (-0.5, 0.7),
    "optimism": (0.7, 0.3),
    "pride": (0.7, 0.5),
    "realization": (0.1, 0.2),
    "relief": (0.6, -0.5),
    "remorse": (-0.7, -0.1),
    "sadness": (-0.8, -0.5),
    "surprise": (0.2, 0.8),
    "neutral": (0.0, 0.0),
}


def ekman_index() -> list[list[int]]:
    """For each Ekman label, the indices (into LABELS) of the fine labels it groups."""
    position = {name: i for i, name in enumerate(LABELS)}
    return [[position[name] for name in EKMAN_MAPPING[e]] for e in EKMAN_LABELS]
