"""What the two thinking-trap training scripts share: the examples, the folds, the scores.

``training.traps`` (v1: logistic heads on a frozen embedding) and ``training.traps_finetune``
(v2: the encoder fine-tuned end to end) read the same data in the same way: the real passages
(texts rebuilt from ../shared/data and checked against the hashes the labels keep) and the
written examples; folds keep a C-SSRS writer's passages together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from training.datasets import read_jsonl
from training.paths import DATA, shared_data
from training.traps_passages import passages, text_sha

Array = npt.NDArray[np.float64]
LABELS = DATA / "traps_labels.jsonl"
WRITTEN = DATA / "traps_written.jsonl"
FOLDS = 5


@dataclass
class Example:
    text: str
    distorted: bool
    traps: list[str]
    group: str
    real: bool


def real_examples() -> list[Example]:
    rows = read_jsonl(LABELS)[1:]
    texts: dict[str, str] = {}
    for which in (1, 2):
        texts |= {p["id"]: p["text"] for p in passages(shared_data(), which)}
    found = []
    for r in rows:
        text = texts[r["id"]]
        if text_sha(text) != r["sha"]:
            raise SystemExit(f"{r['id']}: the source text changed since it was labelled")
        # A C-SSRS user's passages stay in one fold, so no fold learns a writer it is scored on.
        group = r["id"].split("p", 1)[0] if r["id"].startswith("c") else r["id"]
        found.append(Example(text, bool(r["distorted"]), list(r["traps"]), group, True))
    return found


def written_examples() -> list[Example]:
    if not WRITTEN.is_file():
        return []
    return [
        Example(r["text"], bool(r["distorted"]), list(r["traps"]), f"w{i}", False)
        for i, r in enumerate(read_jsonl(WRITTEN))
    ]


def folds(examples: list[Example]) -> npt.NDArray[np.int64]:
    """A fold per example, by a hash of its group (stable across runs and machines)."""
    return np.asarray(
        [int(hashlib.sha256(e.group.encode()).hexdigest(), 16) % FOLDS for e in examples]
    )


def auc(scores: Array, y: npt.NDArray[np.bool_]) -> float:
    """Area under the ROC curve (rank statistic)."""
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = y.sum()
    neg = len(y) - pos
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def youden(p: Array, y: npt.NDArray[np.bool_]) -> float:
    best, threshold = -1.0, 0.5
    for t in np.unique(np.round(p, 4)):
        sens = float(((p >= t) & y).sum() / max(y.sum(), 1))
        spec = float(((p < t) & ~y).sum() / max((~y).sum(), 1))
        if sens + spec - 1 > best:
            best, threshold = sens + spec - 1, float(t)
    return threshold
