"""Words that often come with each thinking trap: clues, never proof.

They chose which real passages were worth labelling (``training/traps_sample.py``, round 2), and
the detector reads them beside the sentence embedding, as thirteen yes/no features: a cue raises
a trap's score only as far as the labelled data taught. "I always walk the dog at seven" matches
the overgeneralizing cue and is not a trap; the model learnt that too.
"""

# ruff: noqa: E501 (one pattern per trap reads best on one logical line)
from __future__ import annotations

import re

CUES: dict[str, str] = {
    "all-or-nothing thinking": r"\b(completely|totally|utterly|entirely) (ruined|useless|worthless|pointless"
    r"|failed|hopeless|alone)|\b(total|complete|utter) (failure|disaster|waste)|\bperfect(ly)?\b",
    "overgeneralizing": r"\b(always|never|every time|everyone|no one|nobody|nothing ever)\b",
    "labeling": r"\bi('m| am) (such )?(a|an) (loser|idiot|failure|burden|mess|disappointment|joke"
    r"|freak)|\bi('m| am) (so )?(stupid|worthless|pathetic|useless|ugly|disgusting)\b",
    "fortune telling": r"\b(i'll never|i will never|never going to|it will never|will always be"
    r"|no one will ever|i'll end up|i will end up|i'll always|it's never going)\b",
    "mind reading": r"\b(they|everyone|people|he|she) (all )?(think|thinks|hate|hates|judge|judges"
    r"|see me as|must think|probably think)\b",
    "emotional reasoning": r"\bi feel (like )?(a |an )?(burden|failure|worthless|stupid|useless"
    r"|nobody|no one)|\bfeel(s)? like (i'm|i am|everyone|nobody)\b",
    "should statements": r"\b(i should|i shouldn't|i must|i'm supposed to|i ought to|should have"
    r"|shouldn't have|should be able)\b",
    "personalizing": r"\b(my fault|because of me|i caused|i ruined|blame myself|if only i)\b",
    "disqualifying the positive": r"\b(doesn't count|just being nice|only said|just luck|only because"
    r"|they're just saying|didn't really mean)\b",
    "catastrophizing": r"\b(ruined my life|end of the world|disaster|can't survive|life is over"
    r"|everything is ruined|worst thing|unbearable|can't handle)\b",
    "comparing and despairing": r"\b(everyone else|all my friends|other people my age|compared to|why can't i be"
    r"|better than me|people my age)\b",
    "blaming": r"\b(it's (all )?(their|his|her|your) fault|they made me|he made me|she made me"
    r"|ruined my life|because of (them|him|her))\b",
    "negative feeling or emotion": r"\b(can't stop (feeling|thinking)|all i (think|feel)|consumed by"
    r"|stuck (feeling|in)|can't shake)\b",
}

_COMPILED = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in CUES.items()}


def cue_vector(text: str) -> list[float]:
    """1.0 for each trap whose cue the text matches, in the order of :data:`CUES`."""
    return [1.0 if pattern.search(text) else 0.0 for pattern in _COMPILED.values()]
