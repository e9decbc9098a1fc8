"""The questionnaires: published scoring and bands, and PHQ-9 item 9 always to the safety step."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steadymind.core.errors import ValidationError
from steadymind.features.insights.instruments import GAD7, INSTRUMENTS, PHQ9, PSS10, WHO5
from steadymind.features.insights.service import InsightService
from steadymind.runtime import Runtime
from tests.conftest import Persona


@pytest.mark.parametrize(
    ("inst", "answers", "total", "band"),
    [
        (PHQ9, [0, 1, 2, 0, 1, 0, 0, 1, 0], 5, "mild"),
        (PHQ9, [0] * 9, 0, "minimal"),
        (PHQ9, [1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "mild"),
        (PHQ9, [2, 2, 2, 1, 1, 1, 1, 0, 0], 10, "moderate"),
        (PHQ9, [2, 2, 2, 2, 2, 2, 2, 1, 0], 15, "moderately severe"),
        (PHQ9, [3] * 9, 27, "severe"),
        (GAD7, [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        (GAD7, [3, 3, 3, 3, 3, 0, 0], 15, "severe"),
        (WHO5, [5, 5, 5, 5, 5], 100, "well-being in the usual range"),
        (WHO5, [2, 2, 2, 3, 3], 48, "low well-being"),
        (WHO5, [1, 1, 1, 2, 2], 28, "very low well-being"),
        # PSS-10 items 4, 5, 7 and 8 are reversed: all "Never" is 4 x 4 = 16.
        (PSS10, [0] * 10, 16, "moderate stress"),
        (PSS10, [4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40, "high stress"),
        (PSS10, [0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, "low stress"),
    ],
)
def test_published_scoring_and_bands(
    inst: object, answers: list[int], total: int, band: str
) -> None:
    assert inst.score(answers) == (total, band)  # type: ignore[attr-defined]


def test_the_published_wording_of_phq9_item_9() -> None:
    assert PHQ9.items[8] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [w for _, w in PHQ9.options] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day",
    ]  # fmt: skip
    assert all(i.reference and i.licence for i in INSTRUMENTS.values())


@given(st.data())
def test_every_possible_answer_set_has_exactly_one_band(data: st.DataObject) -> None:
    inst = data.draw(st.sampled_from(list(INSTRUMENTS.values())))
    scores = [s for s, _ in inst.options]
    answers = data.draw(
        st.lists(st.sampled_from(scores), min_size=len(inst.items), max_size=len(inst.items))
    )
    total, band = inst.score(answers)
    assert 0 <= total <= inst.most
    assert [b.name for b in inst.bands if b.low <= total <= b.high] == [band]


@pytest.mark.parametrize("answers", [[0] * 8, [0] * 8 + [4], [0] * 8 + [-1]])
def test_a_wrong_answer_set_is_refused(answers: list[int]) -> None:
    with pytest.raises(ValidationError):
        PHQ9.score(answers)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item_9_above_not_at_all_goes_to_the_safety_step(
    runtime: Runtime, alice: Persona, item9: int
) -> None:
    taken, verdict = runtime.get(InsightService).take(alice.principal, "phq9", [0] * 8 + [item9])
    assert taken.total == item9
    assert verdict is not None and verdict.crisis is not None
    assert verdict.action == "ask"
    assert "116 123" in str(verdict.crisis)  # Samaritans, for Alice in GB


def test_phq9_item_9_at_not_at_all_is_just_a_score(runtime: Runtime, alice: Persona) -> None:
    taken, verdict = runtime.get(InsightService).take(alice.principal, "phq9", [3] * 8 + [0])
    assert (taken.total, taken.band, verdict) == (24, "severe", None)


def test_results_are_kept_with_their_answers_sealed_and_trended(
    runtime: Runtime, alice: Persona, bob: Persona
) -> None:
    insights = runtime.get(InsightService)
    insights.take(alice.principal, "gad7", [1] * 7)
    insights.take(alice.principal, "GAD-7", [2] * 7)
    history = insights.taken(alice.principal, "gad7")
    assert sorted(t.total for t in history) == [7, 14]
    assert sorted(tuple(t.answers or []) for t in history) == [(1,) * 7, (2,) * 7]
    assert insights.taken(bob.principal) == []


def test_a_schedule_says_when_a_questionnaire_is_due(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    insights.schedule(alice.principal, "phq9", 14)
    (due,) = insights.due(alice.principal)
    assert due["is_due"] and due["every_days"] == 14
    insights.take(alice.principal, "phq9", [0] * 9)
    (due,) = insights.due(alice.principal)
    assert not due["is_due"]
    assert (due["due"] - insights.today(alice.principal)).days == 14
