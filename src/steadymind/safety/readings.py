"""What the semantic layer reads, and when the rules know a harmless reading of it.

Two jobs, both cheap and rule-based:

- ``segments`` splits a long entry into chunks of a few sentences, so that risk written in one
  sentence of a long journal entry reaches the encoder (it reads only the first 128 tokens) and
  is not diluted by the ordinary sentences around it. Short messages stay whole.
- ``harmless_reading`` names a reading of one chunk under which alarming words are not the
  writer's own current risk: an idiom the rules masked, a match they suppressed as negated,
  fictional or about someone else, risk explicitly past and resolved, a question about means
  (the context layer owns those), a request for advice on helping someone else, or a joke
  marker. A named reading does *not* silence the learned layer: it only raises the score the
  learned layer needs (``semantic.CAUTIOUS_*``), so strong first-person risk still flags.
"""

from __future__ import annotations

import re

from steadymind.safety import context as ctx_layer
from steadymind.safety.patterns import DRUGS
from steadymind.safety.rules import FICTION, MY_RELATION, RuleResult, analyse, resolved
from steadymind.safety.text import flat, normalise

QUESTION_READINGS = frozenset({"means-question", "impersonal-question"})
# Medication taken as prescribed is everyday life (issue 11): the learned layer, which learned that
# talk of pills is close to risk, is not asked about such a chunk unless there is distress in the
# message or the conversation (then the dose rules and the question take over).
ROUTINE_MEDICATION = "routine-medication"
_MEDICATION = re.compile(
    r"\b(meds|medication|medicine|prescription|pills?|tablets?|doses?|antidepressant|"
    + DRUGS[1:-1]
    + r")\b"
)
_ROUTINE = re.compile(
    r"\b(as usual|like always|as always|as prescribed|prescri\w+|my (doctor|gp|psychiatrist|nurse)"
    r"|the doctor|every (day|morning|night|evening)|daily|remembered|started (the|my|on)|new dose"
    r"|upped|lowered|increased|refill\w*|pharmacy|picked up|for my (\w+ )?(headache|back|pain|cold"
    r"|flu|migraine|period|cramps|allergies|tooth|knee|neck|sleep)|to (help me )?sleep|(one|two|a) "
    r"(ibuprofen|aspirin|paracetamol|melatonin|tablets?|pills?))\b"
)
SEGMENT_WORDS = 40  # a message up to this many words is read whole
# Every chunk is read (issue 11): a risk in the last paragraph of a long entry counts. The cap
# only bounds the work on a pathological text, far above the journal's 100,000 characters.
MAX_SEGMENTS = 4_000
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")
_QUESTION = re.compile(
    r"\?|^\s*(how|what|which|where|when|is|are|does|do|can|could|would|will|should)\b"
)
_HELP_OTHER = re.compile(
    r"\b(how (do|can|should|could|would) (i|we) (help|support|talk|approach|bring|get|tell|ask"
    r"|reach|handle|respond)|what (can|should|do|could) (i|we) (say|do)|any (advice|tips|books)"
    r"|should i (say|tell|call|do|talk|report)|who (should|can|do) i (call|tell|talk)"
    r"|how to (help|support|talk to)|warning signs|worried about (him|her|them|my))\b"
)
_OTHER_SUBJECT = re.compile(r"\b(he|she|they|his|her|him|them|their|" + MY_RELATION + r")\b")
_SELF_RISK = re.compile(
    r"\bi(?:'m| am| feel| want| wanna| keep| can't| have| had| will|'ll|'ve)\b.{0,40}"
    r"\b(die|dying|dead|kill|hurt|cut|suicid\w*|end it|overdos\w*|starv\w*|purg\w*)"
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|us|our)\b")
_JOKE = re.compile(r"\b(lol|lmao|lmfao|haha\w*|jk|rofl|xd|kidding)\b|😂|🤣|💀")


def segments(text: str) -> list[str]:
    """The text whole when short; otherwise consecutive sentences joined up to ~40 words."""
    words = text.split()
    if len(words) <= SEGMENT_WORDS:
        return [text]
    out: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE.split(text):
        n = len(sentence.split())
        if current and sum(len(s.split()) for s in current) + n > SEGMENT_WORDS:
            out.append(" ".join(current))
            current = []
        if n > SEGMENT_WORDS:  # one very long sentence: cut it by words
            parts = sentence.split()
            out += [" ".join(parts[i : i + SEGMENT_WORDS]) for i in range(0, n, SEGMENT_WORDS)]
            continue
        current.append(sentence)
    if current:
        out.append(" ".join(current))
    return out[:MAX_SEGMENTS]


def harmless_reading(norm: str, rules: RuleResult) -> str | None:
    """Why this (normalised) chunk may be harmless, or None when nothing says so."""
    norm = flat(norm)
    if rules.masked:
        return "idiom"
    if rules.suppressed:
        return "negated-fiction-or-other-person"
    if resolved(norm) or any(e.signal.endswith(":resolved-history") for e in rules.evidence):
        return "resolved-history"
    if ctx_layer.means_question(norm) is not None and _QUESTION.search(norm):
        return "means-question"
    if _HELP_OTHER.search(norm) and _OTHER_SUBJECT.search(norm) and not _SELF_RISK.search(norm):
        return "helping-someone"
    if _JOKE.search(norm):
        return "joke"
    if FICTION.search(norm) and not _SELF_RISK.search(norm):
        return "fiction"
    if _QUESTION.search(norm) and not _FIRST_PERSON.search(norm) and len(norm.split()) <= 25:
        return "impersonal-question"
    if _MEDICATION.search(norm) and _ROUTINE.search(norm) and not rules.evidence:
        return ROUTINE_MEDICATION
    return None


def read(text: str, whole: RuleResult | None = None) -> list[tuple[str, str | None]]:
    """Chunks of ``text`` (original case, for the encoder) with their harmless reading.

    ``whole`` is the rule result of the whole message, reused when the message is one chunk.
    """
    chunks = segments(text)
    if len(chunks) == 1 and whole is not None:
        return [(text, harmless_reading(normalise(text), whole))]
    out = []
    for chunk in chunks:
        norm = normalise(chunk)
        out.append((chunk, harmless_reading(norm, analyse(norm))))
    return out
