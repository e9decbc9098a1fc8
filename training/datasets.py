"""Readers of the data formats the scripts share: the project's JSONL sets and GoEmotions TSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.affect.labels import LABELS

# The validation model's held-out sets: not in its training data, used to choose thresholds
# (``safety_crisis_head``) and to compare category namers (``safety_categories``).
VALIDATION_SETS = ("safety_dev", "safety_dev2", "safety_probe", "safety_probe2")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of one of the project's JSONL files (training set, bench sets, prototypes)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_goemotions(path: Path) -> tuple[list[str], npt.NDArray[np.bool_]]:
    """GoEmotions TSV (text, comma-separated label ids, id) -> texts and a bool label matrix."""
    texts: list[str] = []
    rows: list[list[int]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            texts.append(parts[0])
            rows.append([int(x) for x in parts[1].split(",") if x])
    gold = np.zeros((len(texts), len(LABELS)), dtype=bool)
    for i, ids in enumerate(rows):
        gold[i, ids] = True
    return texts, gold
