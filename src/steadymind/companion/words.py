"""Reading short answers: yes or no, a number on a scale, one of a few choices, a command.

Deliberately small and predictable: when an answer cannot be read the flow asks again with the
step's hint, rather than guessing what a person in distress meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Command = Literal["stop", "continue", "skip"]

_YES = frozenset(
    (
        "yes",
        "y",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "alright",
        "please",
        "definitely",
        "absolutely",
        "let's",
        "lets",
        "go on",
        "why not",
        "sounds good",
        "i'd like that",
    )
)
_NO = frozenset(
    ("no", "n", "nope", "nah", "not now", "no thanks", "no thank you", "maybe later", "not really")
)
_COMMANDS: dict[str, Command] = {
    "stop": "stop",
    "pause": "stop",
    "quit": "stop",
    "exit": "stop",
    "enough": "stop",
    "stop please": "stop",
    "let's stop": "stop",
    "can we stop": "stop",
    "continue": "continue",
    "resume": "continue",
    "carry on": "continue",
    "pick it up": "continue",
    "skip": "skip",
    "pass": "skip",
    "next": "skip",
}
_NUMBER = re.compile(r"[-+−]?\d+")
_WORDS = re.compile(r"[a-z']+")
# A longer answer that merely contains an option's label is talk, not a choice.
SHORT_ANSWER = 40
# A yes or no followed by at most this many words is still an answer to the question.
SHORT_WORDS = 4


def normal(text: str) -> str:
    """Lower case, curly quotes straightened, trailing punctuation and spaces gone."""
    text = text.replace("’", "'").replace("‘", "'").strip().lower()
    return re.sub(r"[\s.!?,;:]+$", "", re.sub(r"\s+", " ", text))


def yes_no(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None otherwise (an answer that talks on).

    A yes or no word leading a short answer counts ("sure, why not", "no, not today"); in a
    longer one it may be the start of something else ("no one listens to me")."""
    said = normal(text)
    if said in _YES:
        return True
    if said in _NO:
        return False
    first, *rest = re.split(r"[\s,.!]+", said) or [""]
    if len(rest) > SHORT_WORDS or (first in ("no", "n") and rest[:1] == ["one"]):
        return None
    if first in _YES:
        return True
    if first in _NO or said.startswith("not now"):
        return False
    return None


def command(text: str) -> Command | None:
    """A whole-message command ("stop", "continue", "skip"), never one buried in a sentence."""
    return _COMMANDS.get(normal(text))


def scale(text: str, low: int, high: int) -> int | None:
    """The one whole number in ``text`` within ``low``..``high`` ("about 70", "-2"), else None.
    "70%" reads as 70; two numbers ("60 or 70") are ambiguous and read as None."""
    found = _NUMBER.findall(text.replace("−", "-"))
    if len(found) != 1:
        return None
    value = int(found[0])
    return value if low <= value <= high else None


def choice(text: str, options: Sequence[tuple[str, str, Sequence[str]]]) -> str | None:
    """The id of the option a person chose, by its number ("2"), its label or one of its words;
    None when no option, or more than one, fits."""
    said = normal(text)
    if said.isdigit() and 1 <= int(said) <= len(options):
        return options[int(said) - 1][0]
    hits = [
        option_id
        for option_id, label, words in options
        if said == normal(label) or said in words or said == option_id
    ]
    if len(hits) == 1:
        return hits[0]
    # A label inside a short answer ("tomorrow I think"): only when exactly one fits.
    inside = [option_id for option_id, label, _ in options if normal(label) in said]
    return inside[0] if len(inside) == 1 and len(said) <= SHORT_ANSWER else None


def tokens(text: str) -> list[str]:
    return _WORDS.findall(normal(text))
