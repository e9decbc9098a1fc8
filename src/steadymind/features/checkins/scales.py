"""The two -5..+5 scales of a check-in, in words: a question, the words at each end, and a word
for every step, shown beside the number so that "+3" reads as "quite good"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    legend: str
    question: str
    words: tuple[str, ...]  # one per value, -5 to +5

    @property
    def low(self) -> str:
        return self.words[0]

    @property
    def high(self) -> str:
        return self.words[-1]

    def word(self, value: int) -> str:
        return self.words[max(-5, min(5, value)) + 5]

    def joined(self) -> str:
        """The words for the page's script, which keeps the word beside the slider current."""
        return "|".join(self.words)


MOOD = Scale(
    "mood",
    "Mood",
    "How pleasant or unpleasant do you feel?",
    ("very low", "low", "quite low", "a bit low", "slightly low", "okay",
     "slightly good", "a bit good", "quite good", "good", "very good"),
)  # fmt: skip

ENERGY = Scale(
    "energy",
    "Energy",
    "How much energy do you have?",
    ("no energy", "very low", "low", "a bit low", "slightly low", "steady",
     "slightly up", "a bit up", "high", "very high", "full of energy"),
)  # fmt: skip

SCALES = (MOOD, ENERGY)
