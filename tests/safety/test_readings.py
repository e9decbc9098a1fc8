"""Chunking of long entries, harmless readings, and how they combine with the learned layer."""

from __future__ import annotations

from steadymind.safety import readings
from steadymind.safety.gate import SafetyGate
from steadymind.safety.rules import analyse
from steadymind.safety.text import normalise
from steadymind.safety.types import Evidence, RiskLevel

E, H = RiskLevel.ELEVATED, RiskLevel.HIGH
FILLER = (
    "Woke up early and made porridge. The bus was late again so I walked part of the way. "
    "Work was meetings all morning and a long call with a supplier after lunch. "
    "My sister sent photos of the new puppy which made me smile. Cooked a stir fry for tea. "
)


def _reading(text: str) -> str | None:
    norm = normalise(text)
    return readings.harmless_reading(norm, analyse(norm))


def test_short_messages_stay_whole() -> None:
    assert readings.segments("I feel fine today") == ["I feel fine today"]


def test_long_entries_are_cut_into_chunks_that_keep_every_word() -> None:
    text = FILLER * 4 + "Last sentence here."
    chunks = readings.segments(text)
    assert len(chunks) > 1
    assert all(len(c.split()) <= readings.SEGMENT_WORDS for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_harmless_readings_are_named() -> None:
    assert _reading("this commute is killing me") == "idiom"
    assert _reading("I would never hurt myself") is not None
    assert _reading("I used to cut but I stopped years ago, doing well now") == ("resolved-history")
    assert _reading("my cousin has been cutting herself, how can I help her?") is not None
    assert _reading("how tall is the tower in the park?") is not None


def test_first_person_risk_has_no_harmless_reading() -> None:
    assert _reading("I want to disappear and never come back") is None
    assert _reading("everyone would be better off if I was gone") is None


def _recording_gate() -> tuple[SafetyGate, list[list[tuple[str, str | None]]]]:
    seen: list[list[tuple[str, str | None]]] = []

    def semantic(chunks: list[tuple[str, str | None]]) -> list[Evidence]:
        seen.append(list(chunks))
        return []

    return SafetyGate(lambda _: 0.0, semantic=semantic, severity_id="fake@1"), seen  # type: ignore[arg-type]


def test_a_harmless_reading_is_passed_on_not_used_to_skip_the_learned_layer() -> None:
    gate, seen = _recording_gate()
    gate.assess("my neighbour's dog is killing me with the barking lol")
    assert seen and seen[0][0][1] is not None


def test_a_question_after_distress_loses_its_harmless_reading() -> None:
    gate, seen = _recording_gate()
    gate.assess("how tall is the tower in the park?", ["I can't cope, nobody would care"])
    assert seen and seen[-1][0][1] is None
    gate.assess("how tall is the tower in the park?", ["planning a day out with the kids"])
    assert seen[-1][0][1] is not None


def test_risk_in_one_sentence_of_a_long_entry_is_found(full_gate: SafetyGate) -> None:
    text = FILLER * 3 + "Honestly I don't think I want to be alive much longer. " + FILLER
    assert full_gate.assess(text).level >= E


def test_a_long_ordinary_entry_is_not_flagged(full_gate: SafetyGate) -> None:
    """Fixed in v5: every chunk is read, and a text of n chunks needs the score that only a
    share 1/n of the ordinary budget reaches (it was a known limit until then)."""
    assert full_gate.assess(FILLER * 5).level < E


def test_helping_someone_else_is_not_a_crisis(full_gate: SafetyGate) -> None:
    for text in (
        "my cousin has been cutting herself, how can I help her?",
        "my flatmate told me he has been feeling suicidal, what should I say to him?",
    ):
        assert full_gate.assess(text).level < E, text


def test_past_abuse_is_disclosed_however_long_ago(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("my stepdad used to hit me when mum was out").level >= E
    assert rules_gate.assess("a teacher molested me when i was 9").level >= E


def test_partner_threat_is_not_masked_as_an_idiom(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("my husband is going to kill me").level >= E
    assert rules_gate.assess("my boyfriend keeps threatening to hurt me").level >= E
    everyday = "my wife is going to kill me when she sees the dent in the car"
    assert rules_gate.assess(everyday).level < E


def test_asking_how_to_die_is_high_without_context(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("what is the most painless way to die").level is H
    assert rules_gate.assess("how do i kill myself").level is H


def test_still_here_is_part_of_a_resolved_story_but_still_thinking_is_not(
    rules_gate: SafetyGate,
) -> None:
    resolved = "I tried to end my life ten years ago. I'm so glad I'm still here"
    assert rules_gate.assess(resolved).level < E
    current = "I tried to end my life ten years ago and I still think about it every day"
    assert rules_gate.assess(current).level >= E


def test_a_relative_with_an_adjective_is_still_someone_else(rules_gate: SafetyGate) -> None:
    for relative in ("my little brother", "my older sister", "my twin brother", "my step dad"):
        worry = f"{relative} has been self harming, how do I talk to them about it"
        assert rules_gate.assess(worry).level < E, relative
    assert rules_gate.assess("I have been self harming again").level >= E
