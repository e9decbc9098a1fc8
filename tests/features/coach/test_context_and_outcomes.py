"""The suggestions' context and reward (issue 16): the last check-in's energy and feelings sit
beside the time of day and mood, and what came of a suggested practice (its calm ratings
before and after, and whether it was finished) becomes the reward."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from steadymind.core.clock import FrozenClock
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.coach.bandit import DIMS, V1_DIMS, context_vector, feeling_shares, widen
from steadymind.features.coach.recommend import (
    OUTCOME_WINDOW,
    PRACTISED,
    Recommender,
    outcome_reward,
)
from steadymind.features.coach.tables import Suggestion
from steadymind.features.practice.schemas import FinishIn, StartIn
from steadymind.features.practice.service import PracticeService
from steadymind.runtime import Outcome
from tests.conftest import Persona
from tests.support import Services


def test_the_context_holds_energy_and_the_share_of_each_group_of_feelings() -> None:
    x = context_vector(9, -2, 3, ["anxious", "stressed", "calm", "not a picker word"])
    assert len(x) == DIMS
    assert x[4:6] == [-0.4, 0.6]
    # QUADRANTS' order: unpleasant-high, pleasant-high, unpleasant-low, pleasant-low.
    assert x[6:] == pytest.approx([2 / 3, 0.0, 0.0, 1 / 3])
    assert feeling_shares([]) == [0.0, 0.0, 0.0, 0.0]


def test_a_logged_context_of_the_first_version_reads_as_no_feelings_named() -> None:
    old = [1.0, 0.0, 1.0, 0.0, 0.2, -0.4]
    assert len(old) == V1_DIMS
    assert widen(old) == [*old, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("before", "after", "completed", "reward"),
    [
        (3, 7, True, 1.0),  # four points calmer, or more: the most
        (5, 5, True, 0.4),  # finished, no change
        (4, 6, True, 0.7),
        (6, 3, True, 0.0),  # less calm afterwards
        (None, None, True, 0.5),  # finished, no ratings
        (5, None, False, 0.1),  # started and left
    ],
)
def test_an_outcome_becomes_a_reward(
    before: int | None, after: int | None, completed: bool, reward: float
) -> None:
    outcome = Outcome("practice:x", FrozenClock().now(), before, after, completed)
    assert outcome_reward(outcome) == pytest.approx(reward)


def _recommender(services: Services) -> Recommender:
    recommender = services.runtime.get(Recommender)
    recommender.rng = np.random.default_rng(5)
    return recommender


def test_a_suggestion_reads_the_last_check_ins_energy_and_feelings(
    services: Services, alice: Persona
) -> None:
    services.checkins.create(
        alice.principal, CheckInIn(mood=-3, energy=4, emotions=["anxious", "restless"])
    )
    shown = _recommender(services).suggest(alice.principal)
    assert shown is not None
    with services.db.transaction() as tx:
        row = tx.get_one(Suggestion, shown.id)
        context, policy = list(row.context), row.policy
    assert policy == "linear-ts-v2" and len(context) == DIMS
    assert context[4:6] == [-0.6, 0.8]
    assert context[6:] == [1.0, 0.0, 0.0, 0.0]
    assert "your energy was +4" in shown.why and "tense or on edge" in shown.why


def _practise(
    services: Services, alice: Persona, practice: str, before: int, after: int | None
) -> None:
    practices = services.runtime.get(PracticeService)
    session, _ = practices.start(
        alice.principal, StartIn(practice=practice.split(":", 1)[1], calm_before=before)
    )
    if after is not None:
        practices.finish(alice.principal, session.id, FinishIn(calm_after=after))


def _shown_practice(services: Services, alice: Persona) -> tuple[Recommender, str, str]:
    recommender = _recommender(services)
    for _ in range(40):
        shown = recommender.suggest(alice.principal)
        assert shown is not None
        if shown.kind == "practice":
            return recommender, shown.id, shown.key
        recommender.not_for_me(alice.principal, shown.id)
    raise AssertionError("no practice was suggested")


def test_the_practices_before_and_after_ratings_become_the_suggestions_reward(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    recommender, suggestion, key = _shown_practice(services, alice)
    clock.advance(minutes=10)
    _practise(services, alice, key, before=3, after=7)
    assert recommender.settle(alice.principal) == 1
    [logged] = [e for e in recommender.history(alice.principal) if e.arm == key]
    assert logged.reward == 1.0
    with services.db.transaction() as tx:
        assert tx.get_one(Suggestion, suggestion).outcome == PRACTISED
    assert recommender.settle(alice.principal) == 0  # once only


def test_the_outcome_outweighs_the_persons_answer(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    recommender, suggestion, key = _shown_practice(services, alice)
    recommender.answer(alice.principal, suggestion, "helped")
    clock.advance(minutes=5)
    _practise(services, alice, key, before=6, after=6)
    recommender.settle(alice.principal)
    [logged] = [e for e in recommender.history(alice.principal) if e.arm == key]
    assert logged.reward == pytest.approx(0.4)


def test_a_practice_long_after_the_suggestion_or_another_one_is_not_its_outcome(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    recommender, suggestion, key = _shown_practice(services, alice)
    others = [
        a.key
        for s in services.runtime.suggestion_sources
        for a in s.activities(alice.principal)
        if a.kind == "practice" and a.key != key
    ]
    clock.advance(minutes=1)
    _practise(services, alice, others[0], before=2, after=9)
    clock.advance(seconds=OUTCOME_WINDOW.total_seconds() + 60)
    _practise(services, alice, key, before=2, after=9)
    assert recommender.settle(alice.principal) == 0
    with services.db.transaction() as tx:
        assert tx.get_one(Suggestion, suggestion).reward is None


def test_the_practice_feature_offers_its_sessions_as_outcomes(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    practices = services.runtime.get(PracticeService)
    start = clock.now()
    _practise(services, alice, "practice:box-breathing", before=4, after=6)
    _practise(services, alice, "practice:box-breathing", before=5, after=None)
    done, left = practices.outcomes(alice.principal, start - timedelta(seconds=1))
    assert (done.key, done.before, done.after, done.completed) == (
        "practice:box-breathing",
        4,
        6,
        True,
    )
    assert (left.before, left.after, left.completed) == (5, None, False)
