"""Reading many texts at once (an import's notes) gives each exactly the verdict and the scores
it gets alone."""

from __future__ import annotations

import numpy as np

from steadymind.safety.encoder import default_encoder
from steadymind.safety.gate import SafetyGate, _load_default_severity
from steadymind.safety.readings import SEGMENT_WORDS, segments
from steadymind.safety.text import clean
from steadymind.safety.types import Surface

ORDINARY = "Walked to the park with Sam, coffee after, a slow and quiet Sunday."
LONG = " ".join(
    [
        "Work was long again and the meeting ran over, then the bus was late.",
        "I cooked pasta and called my sister about the weekend plans for mum's birthday.",
        "The garden needs weeding and the dog wanted two walks in the rain today.",
        "Read a few chapters before bed; the book is slow but I like the characters a lot.",
    ]
    * 6
)
LONG_WITH_RISK = LONG + " Honestly I have been thinking I want to die and nobody would notice."
# Two chunks, the second flagged by the learned layer (the semantic evidence carries its score).
TWO_CHUNKS = (
    "Work was long again and the meeting ran over, then the bus was late. I cooked pasta and "
    "called my sister about the weekend plans for mum's birthday. The garden needs weeding and "
    "the dog wanted two walks in the rain today. I am a burden to everyone around me and nobody "
    "cares if I am here or not."
)
TEXTS = [
    ORDINARY,
    "",
    "   ",
    "🙂🙂",
    "ok",
    "meh day",
    "I wish I could go to sleep and never wake up",
    "I've saved up my pills and I'm ready",
    "I have been putting my affairs in order and giving my things away",
    "sat in the garage with the engine running for a while tonight",
    "I don't want to be here anymore",
    "everyone would be better off without me",
    "I'm dying to see that film lol",
    "my friend said she wants to kill herself, how do I help her?",
    "Took my meds as prescribed this morning, then the gym.",
    "my throat is swelling up and I can hardly breathe",  # the learned layer alone
    "Nobody cares if I am here or not",
    "the pain is too much I can not cope",  # the severity layer's low
    TWO_CHUNKS,
    LONG,
    LONG_WITH_RISK,
    ORDINARY,  # the same text twice in one batch
    "Ich bin müde und traurig heute",
    "a " * 400,
]


def _one_by_one(texts: list[str], surface: Surface = "message") -> list[dict[str, object]]:
    # A fresh gate on the same shipped encoder, assessing each text alone.
    gate = SafetyGate(load_severity=_load_default_severity)
    return [gate.assess(text, surface=surface).to_dict() for text in texts]


def test_the_varied_set_has_long_chunked_crisis_and_empty_texts() -> None:
    assert len(segments(clean(LONG_WITH_RISK))) > 2 and len(LONG.split()) > SEGMENT_WORDS
    assert len(segments(clean(TWO_CHUNKS))) == 2
    found = _one_by_one(TEXTS)
    assert {f["level"] for f in found} == {"none", "low", "elevated", "high"}
    layers = {e["layer"] for f in found for e in f["evidence"]}  # type: ignore[attr-defined]
    assert layers == {"rules", "semantic", "severity"}


def test_the_gate_gives_each_text_of_a_batch_its_verdict_alone(full_gate: SafetyGate) -> None:
    batched = [a.to_dict() for a in full_gate.assess_many(TEXTS)]
    assert batched == _one_by_one(TEXTS)  # levels, categories, evidence with its scores


def test_a_safety_plan_in_a_batch_is_read_item_by_item_as_alone(full_gate: SafetyGate) -> None:
    plans = ["Warning signs: not sleeping\nCar keys with my brother", "Call Sam\nWalk the dog"]
    batched = [a.to_dict() for a in full_gate.assess_many(plans, surface="safety-plan")]
    assert batched == _one_by_one(plans, "safety-plan")


def test_a_text_twice_in_a_batch_is_read_once() -> None:
    read: list[str] = []

    def severity(text: str) -> float:
        read.append(text)
        return 0.0

    gate = SafetyGate(severity, semantic=lambda chunks: [], severity_id="fake@1")
    found = gate.assess_many(["a calm day", "a long walk", "a calm day"])
    assert read == ["a calm day", "a long walk"]
    assert found[0] is found[2] and len(found) == 3


def test_the_int8_encoder_reads_a_padded_batch_differently() -> None:
    """Why the gate does not batch the encoder: the int8 model quantises its activations with
    one scale per run, so the padding and the other texts of a batch change a text's embedding.
    If this ever fails, an encoder can be batched with verdicts unchanged: do it then."""
    encoder = default_encoder()
    alone = [encoder._encode(t) for t in (ORDINARY, TWO_CHUNKS)]
    tokens = [encoder._tokenizer.encode(t) for t in (ORDINARY, TWO_CHUNKS)]
    width = max(len(e.ids) for e in tokens)
    feeds = {
        name: np.array([getattr(e, attr) + [0] * (width - len(e.ids)) for e in tokens])
        for name, attr in (
            ("input_ids", "ids"),
            ("attention_mask", "attention_mask"),
            ("token_type_ids", "type_ids"),
        )
    }
    (batched,) = encoder._session.run(["embedding"], feeds)
    assert float(np.abs(batched[0] - alone[0]).max()) > 1e-3
