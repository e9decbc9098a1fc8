"""What the strain scripts share: WESAD's window features, the person's own units, metrics.

(``training/stress_eval.py`` and ``training/stress_predict.py`` import these; a script never
imports another script.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt

from steadymind.features.wearables.stress import IQR_TO_SD

Array = npt.NDArray[np.float64]


def load(path: Path) -> dict[str, Array]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = {name: np.array([float(r[name]) for r in rows]) for name in
               ("hr_mean", "hrv_rmssd", "hrv_sdnn", "label", "subject")}  # fmt: skip
    return columns


def normalised(values: Array, reference: Array) -> Array:
    low, mid, high = np.percentile(reference, [25, 50, 75])
    spread = max((high - low) / IQR_TO_SD, 1e-6)
    out: Array = (values - mid) / spread
    return out


def auc(y: npt.NDArray[np.int64], s: Array) -> float:
    """Mann-Whitney AUC; tied scores share their average rank (a constant scores 0.5)."""
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts + 1
    ranks = (first + (counts - 1) / 2)[inverse]
    positives = y == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def metrics(
    y: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64], s: Array
) -> dict[str, float]:
    tp = int(((predicted == 1) & (y == 1)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    tn = int(((predicted == 0) & (y == 0)).sum())
    recall = tp / max(tp + fn, 1)
    specificity = tn / max(tn + fp, 1)
    precision = tp / max(tp + fp, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {
        "balanced_accuracy": (recall + specificity) / 2,
        "accuracy": (tp + tn) / len(y),
        "f1_stress": f1,
        "recall_stress": recall,
        "auc": auc(y, s) if 0 < y.sum() < len(y) else float("nan"),
    }
