"""The text seam: what passing it means, surface by surface (steadymind/screen.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import ValidationError
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher, new_data_key
from steadymind.safety.plan import SafetyPlan
from steadymind.safety.types import RiskAssessment, Surface
from steadymind.screen import (
    FAIL_CLOSED_ID,
    Screened,
    TextSeam,
    Written,
    open_analysis,
    recorded_suggestions,
)
from steadymind.screen import Surface as TextSurface
from tests.support import FAKE_ELEVATED, FAKE_HIGH, FakeEmotions, FakeGate

ALICE = Principal("a" * 32, "alice", new_data_key(), "token", "t" * 32, "GB", "Europe/London")


class BrokenGate:
    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: Surface = "message"
    ) -> RiskAssessment:
        raise RuntimeError("the gate broke on: " + text)


class BrokenEmotions:
    def read(self, text: str) -> object:
        raise RuntimeError("no model")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def gate() -> FakeGate:
    return FakeGate()


@pytest.fixture
def emotions() -> FakeEmotions:
    return FakeEmotions()


@pytest.fixture
def seam(gate: FakeGate, emotions: FakeEmotions, clock: FrozenClock) -> TextSeam:
    seam = TextSeam(gate, emotions, clock)
    seam.register_surface(TextSurface("note"))
    seam.register_surface(TextSurface("chat", context="given"))
    seam.register_surface(TextSurface("alone", context="none"))
    seam.register_surface(TextSurface("check", context="given", stored=False, max_chars=20))
    return seam


def test_ordinary_text_is_read_for_emotions_after_the_gate(
    seam: TextSeam, gate: FakeGate, emotions: FakeEmotions
) -> None:
    verdict = seam.screen("a calm walk by the river", surface="note", owner=ALICE).verdict
    assert verdict is not None
    assert not verdict.stops_flow
    assert verdict.crisis is None
    assert verdict.suggested_emotions == ["joyful"]  # the model's "joy", as a word to pick
    assert gate.seen == [("a calm walk by the river", [])]
    assert emotions.read_texts == ["a calm walk by the river"]


def test_crisis_text_gets_the_crisis_response_and_no_emotion_reading(
    seam: TextSeam, emotions: FakeEmotions
) -> None:
    verdict = seam.screen(FAKE_HIGH, surface="note", owner=ALICE).verdict
    assert verdict is not None and verdict.stops_flow
    assert verdict.emotions is None and verdict.suggested_emotions == []
    assert emotions.read_texts == []
    assert verdict.crisis is not None
    assert verdict.crisis.resources.emergency == "999"  # Alice's country, GB
    assert verdict.crisis.allow_generated_text is False


def test_the_crisis_response_says_it_is_saved_only_where_the_text_is_stored(
    seam: TextSeam,
) -> None:
    stored = seam.screen(FAKE_HIGH, surface="note", owner=ALICE).verdict
    seam.register_surface(TextSurface("lookup", context="given", stored=False))
    checked = seam.screen(FAKE_HIGH, surface="lookup", owner=ALICE, context=[]).verdict
    assert stored is not None and stored.crisis is not None
    assert checked is not None and checked.crisis is not None
    assert "is saved" in stored.crisis.notice
    assert "saved" not in checked.crisis.notice.replace("not saved", "")
    assert "not saved" in checked.crisis.notice


def test_the_crisis_response_shows_the_persons_own_plan(seam: TextSeam) -> None:
    plan = SafetyPlan(reasons_for_living=["my niece Ava"])
    seam.set_plan_source(lambda owner: plan if owner.user_id == ALICE.user_id else None)
    verdict = seam.screen(FAKE_HIGH, surface="note", owner=ALICE).verdict
    assert verdict is not None and verdict.crisis is not None
    assert verdict.crisis.plan == plan


def test_a_plan_given_with_the_text_is_the_one_shown(seam: TextSeam) -> None:
    seam.set_plan_source(lambda owner: SafetyPlan(reasons_for_living=["old"]))
    new = SafetyPlan(reasons_for_living=["new"])
    verdict = seam.screen(FAKE_HIGH, surface="alone", owner=ALICE, plan=new).verdict
    assert verdict is not None and verdict.crisis is not None
    assert verdict.crisis.plan == new


def test_someone_not_logged_in_gets_the_lines_of_the_country_they_name(seam: TextSeam) -> None:
    verdict = seam.screen(FAKE_HIGH, surface="alone", country="US").verdict
    assert verdict is not None and verdict.crisis is not None
    assert verdict.crisis.resources.emergency == "911"


def test_recent_writing_of_the_last_day_is_the_context_oldest_first(
    seam: TextSeam, gate: FakeGate, clock: FrozenClock
) -> None:
    now = clock.now()
    notes = [(now - timedelta(hours=h), f"note {h}h ago") for h in (30, 5, 1)]
    entries = [(now - timedelta(hours=3), "entry 3h ago")]

    def recent_notes(owner: Principal, since: datetime, exclude: str | None) -> list[Written]:
        return [Written(at, text) for at, text in notes if at >= since]

    seam.register_context(recent_notes)
    seam.register_context(lambda owner, since, exclude: [Written(*e) for e in entries])
    seam.screen("and now this", surface="note", owner=ALICE)
    assert gate.seen[-1] == ("and now this", ["note 5h ago", "entry 3h ago", "note 1h ago"])


def test_only_the_last_three_texts_count_and_a_long_one_from_its_end(
    seam: TextSeam, gate: FakeGate, clock: FrozenClock
) -> None:
    now = clock.now()
    long = "x" * 9_000 + " the end"
    texts = [
        Written(now - timedelta(minutes=m), t)
        for m, t in ((40, "a"), (30, "b"), (20, "c"), (10, long))
    ]
    seam.register_context(lambda owner, since, exclude: texts)
    seam.screen("now", surface="note", owner=ALICE)
    context = gate.seen[-1][1]
    assert context[:2] == ["b", "c"]
    assert context[2].endswith(" the end") and len(context[2]) == 5_000


def test_the_row_being_rewritten_is_left_out_of_its_own_context(
    seam: TextSeam, gate: FakeGate, clock: FrozenClock
) -> None:
    rows = {"r1": "old version of this note", "r2": "another note"}
    seam.register_context(
        lambda owner, since, exclude: [
            Written(clock.now(), t) for rid, t in rows.items() if rid != exclude
        ]
    )
    seam.screen("new version", surface="note", owner=ALICE, exclude="r1")
    assert gate.seen[-1][1] == ["another note"]


def test_a_surface_with_given_context_reads_the_conversation_not_the_journal(
    seam: TextSeam, gate: FakeGate, clock: FrozenClock
) -> None:
    seam.register_context(lambda owner, since, exclude: [Written(clock.now(), "journal")])
    seam.screen("and you?", surface="chat", owner=ALICE, context=["hi", "how are you"])
    assert gate.seen[-1] == ("and you?", ["hi", "how are you"])
    seam.screen("alone", surface="alone", owner=ALICE)
    assert gate.seen[-1] == ("alone", [])


def test_blank_text_is_not_read_at_all(seam: TextSeam, gate: FakeGate) -> None:
    screened = seam.screen({"note": "   "}, surface="note", owner=ALICE)
    assert screened.verdict is None
    assert seam.screen({"note": None}, surface="note", owner=ALICE).verdict is None
    assert gate.seen == []


def test_parts_are_read_together_and_stored_apart(seam: TextSeam, gate: FakeGate) -> None:
    screened = seam.screen({"title": "Evening", "body": "quiet"}, surface="note", owner=ALICE)
    assert gate.seen[-1][0] == "Evening\nquiet"
    sealed = screened.seal(ALICE.cipher(), "journal_entries", "r" * 32)
    cipher = ALICE.cipher()
    assert cipher.decrypt("journal_entries", "title", "r" * 32, sealed.parts["title"] or b"") == (
        "Evening"
    )
    record = open_analysis(cipher, "journal_entries", "r" * 32, sealed.analysis)
    assert record is not None and record["v"] == 2 and record["action"] == "continue"
    assert record["safety"]["level"] == "none"
    assert recorded_suggestions(record) == ["joyful"]


def test_the_sealed_analysis_is_bound_to_its_row(seam: TextSeam) -> None:
    from steadymind.core.errors import DecryptionError

    sealed = seam.screen("kind words", surface="note", owner=ALICE).seal(
        ALICE.cipher(), "checkins", "1" * 32
    )
    with pytest.raises(DecryptionError):
        open_analysis(ALICE.cipher(), "checkins", "2" * 32, sealed.analysis)


def test_a_broken_gate_fails_closed_without_logging_the_text(
    emotions: FakeEmotions, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    seam = TextSeam(BrokenGate(), emotions, clock)
    seam.register_surface(TextSurface("note"))
    verdict = seam.screen("private words", surface="note", owner=ALICE).verdict
    assert verdict is not None and verdict.stops_flow
    assert verdict.assessment.model_id == FAIL_CLOSED_ID
    assert verdict.crisis is not None
    assert emotions.read_texts == []
    assert "private words" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_a_broken_emotion_model_lets_the_text_through_without_suggestions(
    gate: FakeGate, clock: FrozenClock
) -> None:
    seam = TextSeam(gate, BrokenEmotions(), clock)  # type: ignore[arg-type]
    seam.register_surface(TextSurface("note"))
    verdict = seam.screen("fine", surface="note", owner=ALICE).verdict
    assert verdict is not None and not verdict.stops_flow and verdict.emotions is None


def test_a_surface_that_stores_nothing_states_how_much_it_reads(seam: TextSeam) -> None:
    with pytest.raises(ValidationError, match="too long"):
        seam.screen("x" * 21, surface="check")


def test_an_unknown_surface_is_an_error(seam: TextSeam) -> None:
    with pytest.raises(ValidationError, match="Unknown text surface"):
        seam.screen("hello", surface="nowhere")


def test_a_surface_cannot_be_registered_twice(seam: TextSeam) -> None:
    with pytest.raises(ValueError, match="twice"):
        seam.register_surface(TextSurface("note"))


def test_screened_text_is_made_only_by_the_seam() -> None:
    with pytest.raises(TypeError, match=r"only by steadymind\.screen"):
        Screened("note", {"note": "smuggled"}, None)
    with pytest.raises(TypeError):
        Screened("note", {"note": "smuggled"}, None, issuer=object())


def test_repr_of_screened_text_and_its_verdict_never_shows_words_or_feelings(
    seam: TextSeam,
) -> None:
    screened = seam.screen("my secret diary line", surface="note", owner=ALICE)
    assert "secret" not in repr(screened) and "secret" not in str(screened)
    assert "joy" not in repr(screened.verdict)
    seam.set_plan_source(lambda owner: SafetyPlan(reasons_for_living=["my secret reason"]))
    crisis = seam.screen(FAKE_HIGH, surface="note", owner=ALICE).verdict
    assert "secret" not in repr(crisis) and "end my life" not in repr(crisis)


def test_the_record_version_stays_readable(seam: TextSeam) -> None:
    """Analyses sealed since the first release are {"v": 1, "safety": ..., "emotions": ...}."""
    old = {"v": 1, "safety": {"level": "none"}, "emotions": {"labels": ["joy", "neutral"]}}
    cipher = FieldCipher(ALICE.data_key, ALICE.user_id)
    blob = cipher.encrypt("checkins", "analysis", "3" * 32, json.dumps(old))
    assert recorded_suggestions(open_analysis(cipher, "checkins", "3" * 32, blob)) == ["joyful"]


# -- imports and questionnaires (issue 15) ----------------------------------------------------


def test_a_surface_that_suggests_nothing_is_read_by_the_gate_only(
    seam: TextSeam, gate: FakeGate, emotions: FakeEmotions
) -> None:
    seam.register_surface(TextSurface("old notes", context="none", suggests=False))
    verdict = seam.screen("a calm walk by the river", surface="old notes", owner=ALICE).verdict
    assert verdict is not None and verdict.emotions is None
    assert gate.seen == [("a calm walk by the river", [])]
    assert emotions.read_texts == []
    crisis = seam.screen(FAKE_HIGH, surface="old notes", owner=ALICE).verdict
    assert crisis is not None and crisis.action == "crisis"


def test_the_safety_step_asks_first_then_goes_straight_to_the_crisis_response(
    seam: TextSeam,
) -> None:
    from steadymind.safety.types import Category

    seam.register_surface(TextSurface("questionnaire", context="none"))
    first = seam.safety_step(ALICE, "questionnaire", frozenset({Category.SUICIDE}))
    assert first.action == "ask" and first.crisis is not None and first.stops_flow
    assert first.emotions is None
    # A text flagged in the last day: the answer is not asked about again.
    seam.register_context(lambda owner, since, exclude: [Written(since, "earlier", True)])
    again = seam.safety_step(ALICE, "questionnaire", frozenset({Category.SUICIDE}))
    assert again.action == "crisis" and again.repeated
    anonymous = seam.safety_step(None, "questionnaire", frozenset({Category.SUICIDE}))
    assert anonymous.action == "ask" and anonymous.crisis is not None


def test_numbers_are_sealed_bound_to_their_row() -> None:
    from steadymind.core.errors import DecryptionError
    from steadymind.screen import open_numbers, seal_numbers

    cipher = FieldCipher(new_data_key(), ALICE.user_id)
    blob = seal_numbers(cipher, "assessments", "row1", [0, 1, 2, 3])
    assert b"[0, 1" not in blob
    assert open_numbers(cipher, "assessments", "row1", blob) == [0, 1, 2, 3]
    with pytest.raises(DecryptionError):
        open_numbers(cipher, "assessments", "row2", blob)


class BatchGate(FakeGate):
    """The fake gate, reading a batch as its texts one by one (as the real gate does)."""

    def __init__(self, broken: bool = False) -> None:
        super().__init__()
        self.batches: list[list[str]] = []
        self.broken = broken

    def assess_many(
        self, texts: Sequence[str], *, surface: Surface = "message"
    ) -> list[RiskAssessment]:
        self.batches.append(list(texts))
        if self.broken:
            raise RuntimeError("the batch broke on: " + texts[0])
        return [self.assess(t, surface=surface) for t in texts]


NOTES = ["a calm walk", "", FAKE_HIGH, "  ", "tea with Sam", FAKE_ELEVATED]


def _records(screened: list[Screened]) -> list[object]:
    out: list[object] = []
    for s in screened:
        v = s.verdict
        out.append(None if v is None else (v.record(), v.action, v.repeated, v.crisis, s.parts))
    return out


@pytest.mark.parametrize("broken", [False, True])
def test_many_texts_screened_at_once_get_the_verdicts_each_gets_alone(
    emotions: FakeEmotions, clock: FrozenClock, broken: bool, caplog: pytest.LogCaptureFixture
) -> None:
    gate = BatchGate(broken)
    seam = TextSeam(gate, emotions, clock)
    seam.register_surface(TextSurface("alone", context="none", suggests=False))
    plan = SafetyPlan(warning_signs=["not sleeping"])
    many = seam.screen_many([{"note": n} for n in NOTES], surface="alone", country="GB", plan=plan)
    alone = [seam.screen({"note": n}, surface="alone", country="GB", plan=plan) for n in NOTES]
    assert _records(many) == _records(alone)
    assert [s.verdict is None for s in many] == [False, True, False, True, False, False]
    assert many[2].verdict is not None and many[2].verdict.action == "crisis"
    assert many[5].verdict is not None and many[5].verdict.action == "ask"
    assert gate.batches == [["a calm walk", FAKE_HIGH, "tea with Sam", FAKE_ELEVATED]]
    assert FAKE_HIGH not in caplog.text  # a broken batch is read one by one, never logged


def test_many_texts_of_a_surface_with_context_are_screened_one_by_one(seam: TextSeam) -> None:
    gate = BatchGate()
    seam.gate = gate
    seam.screen_many(["a calm walk", "tea"], surface="note", owner=ALICE)
    assert gate.batches == [] and [t for t, _ in gate.seen] == ["a calm walk", "tea"]
