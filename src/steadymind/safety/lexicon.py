"""The Suicide Risk Lexicon (Low et al., 2024; Apache-2.0), extracted from construct-tracker.

We ship only its data (``data/suicide_risk_lexicon.json``, see ``data/NOTICE.md``): the package
itself pins old numpy/pandas and pulls spaCy, sentence-transformers and litellm, which a privacy-
first runtime must not carry. Tokens are matched as whole words on normalised text.

Lexicon constructs feed three signals, each with a stop list of tokens too ambiguous for that use
(the lexicon was built for measuring constructs across posts, not for gating single messages):
passive ideation and active ideation (-> ``elevated`` suicide evidence, subject to the same
negation and framing checks as the curated rules), and distress (-> ``low``, and the
"recent distress" that turns a means question into ``high``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "suicide_risk_lexicon.json"

PASSIVE = "Passive suicidal ideation"
ACTIVE = "Active suicidal ideation & suicidal planning"
MEANS = "Lethal means for suicide"
DISTRESS = (
    "Hopelessness",
    "Burdensomeness",
    "Entrapment & desire to escape",
    "Emotional pain & psychache",
    "Depressed mood",
    "Emptiness",
    "Loneliness & isolation",
    "Defeat & feeling like a failure",
    "Shame, self-disgust, & worthlessness",
    "Existential meaninglessness & purposelessness",
    "Grief & bereavement",
    "Anxiety",
    "Panic",
    "Finances & work stress",
    "Fatigue & tired",
)

# Ambiguous for single messages (idioms, everyday words, means named without intent).
_STOP_IDEATION = {
    "giving up",
    "give up",
    "fade out",
    "fading away",
    "fade away",
    "escape from reality",
    "oblivion",
    "rest in peace",
    "lifeless",
    "permanent rest",
    "eternal sleep",
    "painless death",
    "peaceful death",
    "do with live",
    "stop live",
    "feel like die",
    "force to exist",
    "think about die",
    "tired of live",
    "killing me",
    "on the edge",
    "quick and easy",
    "easy and painless",
    "quick and painless",
    "make a will",
    "write a will",
    "carbon monoxide",
    "crash my car",
    "wreck my car",
    "wreck my truck",
    "slam my car",
    "i'll die",
    "i will die",
    "i'll be dead",
    "i will be dead",
    "will be dead",
    "hit by a train",
    "hit by the train",
    "drowning",
    "suffocation",
    "poison",
    "cutting",
    "attempt",
    "cut",
    "overdose",
    "over dose",
    "overdosing",
    "self-harm",
    "suicidal behavior",
    "burn myself alive",
    "i could disappear",
    "want to jump",
    "end it all",
    "suffocating my",
    "want to be done with this",
    "kill i",
    "pull the trigger",
}
_STOP_DISTRESS_SINGLE_OK = {
    "hopeless",
    "hopelessness",
    "helpless",
    "worthless",
    "burden",
    "trapped",
    "desperate",
    "miserable",
    "depressed",
    "depression",
    "empty",
    "lonely",
    "alone",
    "numb",
    "despair",
    "exhausted",
    "overwhelmed",
    "anxious",
    "panic",
    "grief",
    "grieving",
    "heartbroken",
    "pointless",
    "useless",
    "failure",
    "ashamed",
    "unemployed",
    "fired",
    "broke",
    "debt",
    "crying",
    "sad",
    "unbearable",
    "agony",
    "suffering",
    "isolated",
    "devastated",
}


@dataclass(frozen=True, slots=True)
class Lexicon:
    passive: re.Pattern[str]
    active: re.Pattern[str]
    distress: re.Pattern[str]
    n_tokens: int


def _alternation(tokens: list[str]) -> re.Pattern[str]:
    ordered = sorted({t.casefold() for t in tokens}, key=len, reverse=True)
    body = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<![\w'])({body})(?![\w'])")


def _ideation_tokens(tokens: list[str]) -> list[str]:
    return [t for t in tokens if " " in t.strip() and t.casefold() not in _STOP_IDEATION]


def _distress_tokens(tokens: list[str]) -> list[str]:
    keep = []
    for t in tokens:
        low = t.casefold()
        if " " in low or low in _STOP_DISTRESS_SINGLE_OK:
            keep.append(t)
    return keep


@cache
def load(path: Path = DATA) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    constructs: dict[str, dict[str, list[str]]] = data["constructs"]
    distress: list[str] = sorted(_STOP_DISTRESS_SINGLE_OK)
    for name in DISTRESS:
        distress += _distress_tokens(constructs[name]["tokens"])
    distress += [t for t in constructs[PASSIVE]["tokens"] if " " in t]
    n = sum(len(c["tokens"]) for c in constructs.values())
    return Lexicon(
        passive=_alternation(_ideation_tokens(constructs[PASSIVE]["tokens"])),
        active=_alternation(_ideation_tokens(constructs[ACTIVE]["tokens"])),
        distress=_alternation(distress),
        n_tokens=n,
    )
