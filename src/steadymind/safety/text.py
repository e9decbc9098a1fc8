"""Input validation and normalisation shared by every layer.

Normalisation folds case, Unicode look-alikes, zero-width characters, elongations ("dieeee") and
common chat spellings ("kms", "unalive", "kil myself") into forms the rules understand, so the
patterns can stay readable. It never raises on odd text: only wrong types and absurd sizes are
rejected, because a gate that refuses ordinary (if strange) text would fail open.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from steadymind.core.errors import ValidationError

# Above every surface's own limit (a journal entry: 200 characters of title and 100,000 of
# body): a surface refuses over-long text with a validation error before the gate sees it.
MAX_CHARS = 120_000
MAX_CONTEXT_MESSAGES = 20
CONTEXT_MESSAGES_USED = 6  # only the most recent messages carry "current" distress

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ELONGATED = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\s*(?:\r\n|[\n\r\u2028\u2029\x85])\s*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})

# Whole-word chat spellings and common misspellings -> canonical words. Why a table and not fuzzy
# matching: fuzzy matching on "kill"/"kiss" would cost precision everywhere; these are the forms
# people actually type.
_SPELLINGS: dict[str, str] = {
    "kms": "kill myself",
    "kys": "kill yourself",
    "unalive": "kill",
    "unaliving": "killing",
    "unalived": "killed",
    "kil": "kill",
    "kill's": "kills",
    "killmyself": "kill myself",
    "myslef": "myself",
    "mysef": "myself",
    "msyelf": "myself",
    "meself": "myself",
    "sucide": "suicide",
    "suicde": "suicide",
    "suicid": "suicide",
    "sewerslide": "suicide",
    "su1cide": "suicide",
    "suicidel": "suicidal",
    "sucidal": "suicidal",
    "ded": "dead",
    "dye": "die",
    "wanna": "want to",
    "gonna": "going to",
    "gunna": "going to",
    "gona": "going to",
    "finna": "going to",
    "tryna": "trying to",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "havent": "haven't",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "tn": "tonight",
    "tonite": "tonight",
    "2nite": "tonight",
    "2day": "today",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "pls": "please",
    "cuz": "because",
    "bc": "because",
    "sh": "self harm",
    "selfharm": "self harm",
    "self-harm": "self harm",
    "od": "overdose",
    "od'd": "overdosed",
    "oded": "overdosed",
    "pils": "pills",
    "pillz": "pills",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "stepdad": "step dad",
    "stepmum": "step mum",
    "stepmom": "step mom",
}
_UNALIVE_BARE = re.compile(r"\bunalive\b(?!\s+(my ?self|me|him|her|them|your ?self|us))")
_WORD = re.compile(r"[a-z0-9'\-]+")


def validate(text: object, context: object) -> tuple[str, list[str]]:
    """Check types and sizes; return the text and a list copy of the context."""
    if not isinstance(text, str):
        raise ValidationError("The text to check must be a string.")
    if len(text) > MAX_CHARS:
        raise ValidationError(f"The text is too long to check (over {MAX_CHARS} characters).")
    if context is None:
        return text, []
    if isinstance(context, str) or not isinstance(context, Sequence):
        raise ValidationError("The context must be a list of recent messages.")
    items = list(context)
    if len(items) > MAX_CONTEXT_MESSAGES:
        items = items[-MAX_CONTEXT_MESSAGES:]
    for item in items:
        if not isinstance(item, str):
            raise ValidationError("Each context message must be a string.")
        if len(item) > MAX_CHARS:
            raise ValidationError("A context message is too long to check.")
    return text, items


def clean(text: str) -> str:
    """Unicode-safe, printable form of the text (original case) for the encoder."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()


def _respell(match: re.Match[str]) -> str:
    word = match.group(0)
    return _SPELLINGS.get(word, word)


def normalise(text: str) -> str:
    """Lower-case, cleaned, respelled text for the rule layer, one line per line of the text.

    Line breaks are kept (as one "\\n"): a line is often a statement of its own ("not hungry" /
    "I want to die"), so the checks that *cancel* a match (idiom masks, negation, fiction,
    someone else) stay on its line, while the risk patterns read across lines (see ``flat``),
    so that a sentence wrapped by an editor ("I want to" / "kill myself") is still read whole.
    """
    lines = (_normalise_line(line) for line in _LINE_BREAK.split(text))
    return "\n".join(line for line in lines if line)


def flat(normalised: str) -> str:
    """The normalised text as one line (same length: each line break becomes a space)."""
    return normalised.replace("\n", " ")


def _normalise_line(text: str) -> str:
    low = clean(text).casefold()
    # "dieeee" -> "die", "sooo" -> "so": stretched letters are emphasis, not new words.
    low = _ELONGATED.sub(r"\1", low)
    low = _UNALIVE_BARE.sub("die", low)
    low = low.replace("0", "o") if re.search(r"[a-z]0[a-z]", low) else low
    low = _WORD.sub(_respell, low)
    return low


def is_meaningful(text: str) -> bool:
    """True when the text has at least one letter in any script (not only emoji or junk)."""
    return any(ch.isalpha() for ch in text)
