"""Multi-label metrics and threshold tuning on plain numpy arrays.

Shared by the training script (threshold tuning), the benchmark and the tests, so that every
figure in the model card is computed by the same few lines.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from steadymind.affect.labels import ekman_index

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

# Candidate thresholds: fine steps where the rare labels live, coarser above.
THRESHOLD_GRID: tuple[float, ...] = tuple(
    round(float(t), 3)
    for t in np.concatenate([np.arange(0.02, 0.3, 0.01), np.arange(0.3, 0.91, 0.025)])
)


def f1_per_label(gold: BoolArray, pred: BoolArray) -> npt.NDArray[np.float64]:
    """F1 for each column; a label with no gold and no predicted positives scores 0 (sklearn's
    ``zero_division=0``), which is the convention of the GoEmotions paper's macro-F1."""
    tp = (gold & pred).sum(axis=0).astype(np.float64)
    fp = (~gold & pred).sum(axis=0).astype(np.float64)
    fn = (gold & ~pred).sum(axis=0).astype(np.float64)
    denom = 2 * tp + fp + fn
    f1: npt.NDArray[np.float64] = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return f1


def macro_f1(gold: BoolArray, pred: BoolArray) -> float:
    return float(f1_per_label(gold, pred).mean())


def micro_f1(gold: BoolArray, pred: BoolArray) -> float:
    tp = float((gold & pred).sum())
    fp = float((~gold & pred).sum())
    fn = float((gold & ~pred).sum())
    denom = 2 * tp + fp + fn
    return 2 * tp / denom if denom else 0.0


def ekman_scores(probs: FloatArray) -> FloatArray:
    """Ekman probability = the largest probability among the fine labels it groups."""
    return np.stack([probs[:, idx].max(axis=1) for idx in ekman_index()], axis=1)


def ekman_gold(gold: BoolArray) -> BoolArray:
    return np.stack([gold[:, idx].any(axis=1) for idx in ekman_index()], axis=1)


def apply_thresholds(probs: FloatArray, thresholds: FloatArray) -> BoolArray:
    """Labels at or above their threshold; a row with none gets its top label.

    Every GoEmotions example has at least one label, so an empty prediction is always wrong; the
    top label (usually ``neutral`` when nothing stands out) is the best single guess.
    """
    pred = probs >= thresholds[None, :]
    empty = ~pred.any(axis=1)
    pred[empty, probs[empty].argmax(axis=1)] = True
    return pred


def tune_thresholds(probs: FloatArray, gold: BoolArray) -> FloatArray:
    """Per-label threshold that maximises that label's F1 on (probs, gold)."""
    best = np.full(probs.shape[1], 0.5, dtype=np.float32)
    best_f1 = np.full(probs.shape[1], -1.0)
    for t in THRESHOLD_GRID:
        f1 = f1_per_label(gold, probs >= t)
        better = f1 > best_f1
        best[better] = t
        best_f1[better] = f1[better]
    return best


def cross_fitted_macro_f1(
    probs: FloatArray, gold: BoolArray, *, seed: int = 13
) -> tuple[float, float]:
    """Honest estimate: tune thresholds on one random half, score the other, and swap.

    Returns the mean of the two held-out macro-F1 figures for (fine labels, Ekman labels).
    """
    order = np.random.default_rng(seed).permutation(len(probs))
    halves = (order[: len(order) // 2], order[len(order) // 2 :])
    fine, ekman = [], []
    e_probs, e_gold = ekman_scores(probs), ekman_gold(gold)
    for tune, score in (halves, halves[::-1]):
        t = tune_thresholds(probs[tune], gold[tune])
        fine.append(macro_f1(gold[score], apply_thresholds(probs[score], t)))
        te = tune_thresholds(e_probs[tune], e_gold[tune])
        ekman.append(macro_f1(e_gold[score], apply_thresholds(e_probs[score], te)))
    return float(np.mean(fine)), float(np.mean(ekman))
