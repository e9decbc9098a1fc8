"""The feelings picker: the person's own recent words first, then the four groups of
``affect.vocabulary`` (unpleasant or pleasant, high or low energy), each word shown once.

Each group is a fieldset of checkbox chips, so the picker works without a script and a screen
reader announces the group with each word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steadymind.affect.vocabulary import QUADRANTS, quadrant_of

RECENT = "recent"


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    words: tuple[str, ...]


def picker_groups(recent: Sequence[str], chosen: Sequence[str] = ()) -> list[Group]:
    """``recent``: the person's recent words (most used first); ``chosen``: the words of the
    check-in being edited, kept on the page even if this version's groups lack one."""
    strays = [w for w in chosen if quadrant_of(w) is None]
    first = tuple(dict.fromkeys([*recent, *strays]))
    groups = [Group(RECENT, "Your recent words", first)] if first else []
    for quadrant in QUADRANTS:
        words = tuple(w for w in quadrant.words if w not in first)
        groups.append(Group(quadrant.key, quadrant.title, words))
    return groups
