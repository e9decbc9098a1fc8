"""A practice's spoken lines in the optional language model's words, for a person who chose it.

    wording = reword(script, rephraser, owner)     # None: the reviewed words as written
    script = compose(request.model_copy(update={"wording": wording}))

Deterministic words stay the default: nothing here runs unless the companion offers a
``runtime.Rephraser`` and this person chose generated words. Only lines the composer marks
rewordable are sent (never a breathing cue, a step marked ``verbatim`` in the catalogue, such as
every spoken caution, nor the lines added for a hard moment), each once. A rewording has passed
the companion's output filter and the text seam's check of generated words; here it must also
keep the line's instruction (:func:`fault`): the same numbers, the same instruction words (in,
out, hold, nose, mouth, count...), no new mention of the body, and about the same length so that
it fits the line's time. A line whose rewording fails, errors or runs out of time keeps its
reviewed words; the whole rewording has :data:`BUDGET_SECONDS`, after which the rest keep theirs.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable

from steadymind.crypto.principal import Principal
from steadymind.features.practice.composer import Script, Wording
from steadymind.runtime import Rephraser

# The whole rewording, when a session starts: a person waits for it.
BUDGET_SECONDS = 30.0
LINE_SECONDS = 10.0
MAX_LINE_CHARS = 400

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "sixty": 60, "once": 1, "twice": 2,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}  # fmt: skip
_NUMBER = re.compile(r"\b(?:\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
# What a practice asks the person to do: each family the line names, the rewording must name.
INSTRUCTIONS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "in": r"\b(?:breathe in|breathing in|breath in|in-breath|in breath|inhal\w*|"
        r"in through|in for)\b",
        "out": r"\b(?:breathe out|breathing out|breath out|out-breath|out breath|exhal\w*|"
        r"out through|out for|let (?:it|the breath) out)\b",
        "hold": r"\bhold\w*\b",
        "nose": r"\bnose\b",
        "mouth": r"\bmouth\b",
        "count": r"\bcount\w*\b",
        "sigh": r"\bsigh\w*\b",
        "label": r"\b(?:label\w*|not(?:e|ing))\b",
        "see": r"\b(?:see|sees|seeing)\b",
        "hear": r"\b(?:hear|hears|hearing)\b",
        "touch": r"\b(?:touch|touching|feel|feeling)\b",
        "smell": r"\b(?:smell|smelling)\b",
        "taste": r"\b(?:taste|tasting)\b",
        "urge": r"\b(?:urge|urges|craving|cravings)\b",
        "wave": r"\bwave\w*\b",
        "walk": r"\b(?:step|steps|walk\w*|foot|feet)\b",
        "kind": r"\b(?:kind\w*|gentle|gently|wish\w*)\b",
    }.items()
}
# Parts of the body: a rewording may not bring one in (some people asked for no mention of it,
# and the catalogue's words were chosen with that in mind).
BODY = re.compile(
    r"\b(?:body|bodies|chest|belly|stomach|tummy|abdomen|shoulders?|neck|jaw|face|head|back|"
    r"arms?|hands?|fingers?|legs?|feet|foot|toes?|knees?|hips?|heart|lungs?|muscles?|skin|"
    r"throat|ribs?|spine)\b",
    re.IGNORECASE,
)


def numbers(text: str) -> Counter[float]:
    """The numbers a line says, in digits or words ("four", "4", "twice")."""
    found: Counter[float] = Counter()
    for match in _NUMBER.finditer(text):
        word = match.group().lower()
        found[float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)] += 1
    return found


def fault(original: str, new: str) -> str | None:
    """Why ``new`` may not stand for ``original`` (a reason from a fixed list), or None."""
    words, new_words = original.split(), new.split()
    if not new.strip() or "\n" in new.strip() or len(new) > MAX_LINE_CHARS:
        return "shape"
    if not max(2, len(words) // 2) <= len(new_words) <= len(words) + max(3, len(words) // 4):
        return "length"
    if numbers(original) != numbers(new):
        return "numbers"
    for name, pattern in INSTRUCTIONS.items():
        if pattern.search(original) and not pattern.search(new):
            return f"instruction:{name}"
    # For someone who asked for no mention of the body the line is already the catalogue's
    # wording without it, so this keeps theirs free of it too.
    if {m.lower() for m in BODY.findall(new)} - {m.lower() for m in BODY.findall(original)}:
        return "body"
    return None


def _clean(text: str) -> str:
    """The model's answer without the quotation marks some models put around it."""
    return text.strip().strip("\"'“”‘’").strip()


def reword(
    script: Script,
    rephraser: Rephraser | None,
    owner: Principal,
    *,
    budget: float = BUDGET_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Wording | None:
    """The script's rewordable lines in the model's words, or None when this person gets the
    reviewed words (no rephraser, or they did not choose it)."""
    by = None if rephraser is None else rephraser.rewording(owner)
    if rephraser is None or by is None:
        return None
    lines: dict[str, str] = {}
    kept: Counter[str] = Counter()
    deadline = clock() + budget
    for text in dict.fromkeys(s.text for s in script.voice if s.rewordable):
        left = deadline - clock()
        if left <= 0:
            kept["budget"] += 1
            continue
        answer = rephraser.rephrase(owner, text, timeout=min(left, LINE_SECONDS))
        if answer.text is None:
            kept[answer.reason or "empty"] += 1
            continue
        new = _clean(answer.text)
        why = fault(text, new)
        if why is not None:
            kept[why] += 1
        elif new != text:
            lines[text] = new
    return Wording(by=by, lines=lines, kept=dict(sorted(kept.items())))
