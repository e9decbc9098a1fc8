from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from steadymind.affect.labels import EKMAN_LABELS, LABELS
from steadymind.affect.metrics import (
    apply_thresholds,
    cross_fitted_macro_f1,
    ekman_gold,
    ekman_scores,
    f1_per_label,
    macro_f1,
    micro_f1,
    tune_thresholds,
)


def test_f1_matches_hand_computed_example() -> None:
    gold = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=bool)
    pred = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=bool)
    # label 0: tp 1, fp 1, fn 1 -> 0.5; label 1: tp 2, fp 0, fn 0 -> 1.0
    assert f1_per_label(gold, pred).tolist() == [0.5, 1.0]
    assert macro_f1(gold, pred) == 0.75
    assert micro_f1(gold, pred) == 2 * 3 / (2 * 3 + 1 + 1)


def test_label_never_predicted_nor_present_scores_zero() -> None:
    gold = np.zeros((3, 1), dtype=bool)
    assert f1_per_label(gold, gold).tolist() == [0.0]


def test_empty_rows_fall_back_to_top_label() -> None:
    probs = np.array([[0.1, 0.2, 0.05]], dtype=np.float32)
    pred = apply_thresholds(probs, np.full(3, 0.9, dtype=np.float32))
    assert pred.tolist() == [[False, True, False]]


def test_tuned_thresholds_separate_a_separable_label() -> None:
    probs = np.array([[0.9], [0.7], [0.3], [0.1]], dtype=np.float32)
    gold = np.array([[True], [True], [False], [False]])
    t = tune_thresholds(probs, gold)
    assert 0.3 < t[0] <= 0.7


def test_ekman_score_is_the_max_of_its_fine_labels() -> None:
    probs = np.zeros((1, len(LABELS)), dtype=np.float32)
    probs[0, LABELS.index("annoyance")] = 0.6
    probs[0, LABELS.index("anger")] = 0.2
    e = ekman_scores(probs)
    assert e.shape == (1, len(EKMAN_LABELS))
    assert e[0, EKMAN_LABELS.index("anger")] == np.float32(0.6)
    gold = probs > 0.5
    assert ekman_gold(gold)[0].tolist() == [e == "anger" for e in EKMAN_LABELS]


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float32, (20, 5), elements=st.floats(0, 1, width=32)))
def test_thresholded_predictions_always_have_a_label(probs: np.ndarray) -> None:
    t = np.full(5, 0.5, dtype=np.float32)
    assert apply_thresholds(probs, t).any(axis=1).all()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_cross_fitted_scores_are_probabilities(seed: int) -> None:
    rng = np.random.default_rng(seed)
    probs = rng.random((60, len(LABELS))).astype(np.float32)
    gold = rng.random((60, len(LABELS))) > 0.8
    fine, ekman = cross_fitted_macro_f1(probs, gold)
    assert 0.0 <= fine <= 1.0
    assert 0.0 <= ekman <= 1.0
