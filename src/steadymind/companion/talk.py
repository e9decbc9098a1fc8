"""Free talk that listens: what the companion hears in a turn, and the words it answers with.

Reflective listening after Miller & Rollnick (open questions, affirmations, reflections,
summaries). :func:`hear` reads a turn for the feelings and topics the person named (their own
words first, then the emotions the local model read), effort worth affirming, a request to
remember something, and which flows might fit. :class:`Phrases` picks the words from
``copy/talk.toml`` so that no variant comes back within :data:`NO_REPEAT_TURNS` turns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

NO_REPEAT_TURNS = 20


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Model labels and check-in words as the adjective a reflection needs ("you're feeling ...").
# Labels that are not feelings a person would name (approval, realization, desire...) are left
# out: the companion never reflects a model's label a person would not use.
FEELING_WORDS: dict[str, str] = {
    "sadness": "sad",
    "nervousness": "nervous",
    "fear": "scared",
    "anger": "angry",
    "annoyance": "annoyed",
    "disappointment": "disappointed",
    "remorse": "regretful",
    "grief": "grief-stricken",
    "embarrassment": "embarrassed",
    "disgust": "disgusted",
    "confusion": "confused",
    "gratitude": "grateful",
    "joy": "happy",
    "excitement": "excited",
    "optimism": "hopeful",
    "pride": "proud",
    "relief": "relieved",
    "amusement": "amused",
    "curiosity": "curious",
    "surprise": "surprised",
    "caring": "caring",
    "love": "loving",
}
OWN_FEELINGS = _words(
    """
    sad down low unhappy miserable depressed empty numb lonely alone isolated lost hopeless
    helpless worthless tired exhausted drained anxious nervous worried scared afraid frightened
    panicky tense stressed overwhelmed restless angry furious annoyed irritable frustrated
    resentful bitter hurt upset ashamed guilty embarrassed jealous confused stuck bored
    disappointed heartbroken calm content peaceful relieved grateful happy hopeful proud excited
    okay fine better safe motivated focused loved
    """
)
UNPLEASANT = _words(
    """
    sad down low unhappy miserable depressed empty numb lonely alone isolated lost hopeless
    helpless worthless tired exhausted drained anxious nervous worried scared afraid frightened
    panicky tense stressed overwhelmed restless angry furious annoyed irritable frustrated
    resentful bitter hurt upset ashamed guilty embarrassed jealous confused stuck bored
    disappointed heartbroken regretful grief-stricken disgusted
    """
)
PLEASANT = _words(
    """
    calm content peaceful relieved grateful happy hopeful proud excited loved amused
    """
)
LOW_ENERGY = _words(
    """
    sad down low empty numb lonely tired exhausted drained bored
    """
)

_OWN = re.compile(
    r"\b(?:i feel|i'm feeling|i am feeling|feeling|i'm|i am|i've been|i have been|i felt)"
    r"\s+(?:so |really |very |quite |a bit |a little |kind of |pretty |just |totally |super )*"
    r"([a-z-]+)"
)
TOPIC_NOUNS = _words(
    """
    boss mum mom mother dad father parents partner wife husband girlfriend boyfriend ex friend
    friends sister brother family son daughter kids children baby grandma grandad grandmother
    grandfather team manager colleague colleagues coworker coworkers teacher therapist doctor
    landlord flatmate roommate neighbour neighbor job work career exam exams test studies thesis
    school university uni college class classes interview presentation deadline project money
    rent debt bills health body weight sleep relationship marriage divorce breakup dog cat pet
    home house flat apartment move course grades shift
    """
)
_TOPIC = re.compile(r"\b(my|the|our|at|with|about)\s+(?:new |old |current |best |little )?([a-z]+)")
_FITS: dict[str, re.Pattern[str]] = {
    "overwhelmed": re.compile(
        r"\b(panic|panicking|can't breathe|cant breathe|freaking out|spiral(l)?ing|overwhelmed"
        r"|heart (is )?(racing|pounding)|shaking|too much right now|can't calm down)\b"
    ),
    "self-critical": re.compile(
        r"\b(i hate myself|what's wrong with me|i'm such an? |i'm (so )?(stupid|useless|pathetic"
        r"|worthless|a failure|an idiot|a loser|a mess|a disappointment)|i am (so )?(stupid"
        r"|useless|pathetic|worthless|a failure))"
    ),
    "worry": re.compile(
        r"\b(what if|worr(y|ied|ying)|can't stop thinking|keep thinking about|dread(ing)?)\b"
    ),
    "problem": re.compile(
        r"\b(don't know what to do|dont know what to do|what should i do|should i\b|can't decide"
        r"|how do i\b|what do i do|stuck between|no idea what to do)"
    ),
    "low-energy": re.compile(
        r"\b(no energy|can't get out of bed|stayed in bed|no motivation|can't be bothered"
        r"|nothing feels|don't enjoy|lost interest|can't get myself to|do nothing all day)"
    ),
}
_EFFORT = re.compile(
    r"\b(i tried|i managed|i did it|i finally|i've been trying|i'm trying|i made myself"
    r"|i kept going|i went to|i got through|i reached out|i asked for)\b"
)
_REMEMBER = re.compile(
    r"^(?:please |can you |could you |and )*(?:remember|don't forget|do not forget)"
    r"(?: that)?[:,]?\s+(.{3,300})$",
    re.DOTALL | re.IGNORECASE,
)
STOP_WORDS = _words(
    """
    about after again being could didn't doesn't don't every from have just know like maybe
    really should something that their them then there they thing things think this today want
    what when where which while with would your yours been feel feeling much very into
    """
)


@dataclass(frozen=True)
class Heard:
    """What the companion took from one turn of free talk (nothing here is stored)."""

    feelings: tuple[str, ...] = ()
    # Whether the first feeling is the person's own word ("I feel so alone"), not the model's.
    named: bool = False
    topics: tuple[str, ...] = ()
    fits: tuple[str, ...] = ()
    effort: bool = False
    remember: str | None = None
    short: bool = False


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").lower()).strip()


def own_feelings(text: str) -> list[str]:
    """Feeling words the person used of themselves ("I feel so alone" -> alone)."""
    return [w for w in _OWN.findall(_normal(text)) if w in OWN_FEELINGS]


def topics(text: str) -> list[str]:
    """Things the person named ("my sister" -> "your sister", "at work" -> "work")."""
    found: list[str] = []
    for det, noun in _TOPIC.findall(_normal(text)):
        if noun not in TOPIC_NOUNS:
            continue
        phrase = {"my": f"your {noun}", "our": f"your {noun}", "the": f"the {noun}"}.get(det, noun)
        if phrase not in found:
            found.append(phrase)
    return found


def content_words(text: str) -> set[str]:
    """Words that carry meaning: four letters or more, or a name ("Max", "Ana")."""
    words = {w for w in re.findall(r"[a-z']{4,}", _normal(text)) if w not in STOP_WORDS}
    names = {w.lower() for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b", text)}
    return words | names


def hear(text: str, emotions: Sequence[str] = (), *, distorted: bool = False) -> Heard:
    """Read one turn. ``emotions``: the feeling words the emotion model read (vocabulary
    words, strongest first); ``distorted``: the trap detector's verdict on the turn."""
    said = _normal(text)
    remember = _REMEMBER.match(text.strip().replace("’", "'"))
    feelings = list(dict.fromkeys(own_feelings(text)))
    named = bool(feelings)
    for label in emotions:
        word = FEELING_WORDS.get(label, label if label in OWN_FEELINGS else "")
        if word and word not in feelings:
            feelings.append(word)
    fits = [name for name, pattern in _FITS.items() if pattern.search(said)]
    if "overwhelmed" in feelings and "overwhelmed" not in fits:
        fits.append("overwhelmed")
    if distorted:
        fits.append("distorted")
    if any(f in LOW_ENERGY for f in feelings) and "low-energy" not in fits:
        fits.append("low-energy")
    if feelings and all(f in PLEASANT for f in feelings):
        fits.append("pleasant")
    return Heard(
        feelings=tuple(feelings[:3]),
        named=named,
        topics=tuple(topics(text)[:3]),
        fits=tuple(fits),
        effort=bool(_EFFORT.search(said)),
        remember=remember.group(1).strip() if remember else None,
        short=len(said.split()) <= 3,
    )


# Which fit to act on first: the acute before the reflective.
FIT_ORDER = (
    "overwhelmed",
    "self-critical",
    "distorted",
    "worry",
    "problem",
    "low-energy",
    "pleasant",
)


@dataclass(frozen=True)
class TalkCopy:
    version: str
    lists: Mapping[str, tuple[str, ...]]
    lines: Mapping[str, str]

    def line(self, name: str) -> str:
        return self.lines[name]


@cache
def talk_copy() -> TalkCopy:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("steadymind.companion.copy").joinpath("talk.toml").read_text("utf-8")
    )
    version = str(raw.pop("copy"))
    lists = {k: tuple(str(x) for x in v) for k, v in raw.items() if isinstance(v, list)}
    lines = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    return TalkCopy(version, lists, lines)


class Phrases:
    """Chooses variants so that none is used twice within :data:`NO_REPEAT_TURNS` turns.

    ``used`` is the state's list of ``[turn, key]`` pairs (kept in the session state, which the
    caller seals); the choice is deterministic: the first unused variant in an order that
    rotates with the turn, so a replayed conversation gets the same words.
    """

    def __init__(self, copy: TalkCopy, used: list[list[Any]], turn: int) -> None:
        self.copy = copy
        self.turn = turn
        self.used = [entry for entry in used if turn - int(entry[0]) <= NO_REPEAT_TURNS]

    def recent(self) -> set[str]:
        return {str(key) for _, key in self.used}

    def pick(self, category: str, **values: str) -> str:
        variants = self.copy.lists[category]
        recent = self.recent()
        start = (self.turn * 7) % len(variants)
        order = [(start + k) % len(variants) for k in range(len(variants))]
        fresh = [i for i in order if f"{category}:{i}" not in recent]
        index = fresh[0] if fresh else self._oldest(category, order)
        self.used.append([self.turn, f"{category}:{index}"])
        return fill(variants[index], values)

    def mark(self, key: str) -> None:
        """Record a fixed sentence (a flow's offer) as used this turn."""
        self.used.append([self.turn, key])

    def was_used(self, key: str) -> bool:
        return key in self.recent()

    def _oldest(self, category: str, order: list[int]) -> int:
        last: dict[int, int] = {}
        for turn, key in self.used:
            name, _, index = str(key).rpartition(":")
            if name == category:
                last[int(index)] = int(turn)
        return min(order, key=lambda i: last.get(i, -1))


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its ``{name}`` slots filled; ``{Name}`` takes a capitalised value."""
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
        out = out.replace("{" + name.capitalize() + "}", value[:1].upper() + value[1:])
    return out


def join_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
