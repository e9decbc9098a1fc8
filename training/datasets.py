"""Readers of the data formats the scripts share: the project's JSONL sets and GoEmotions TSV."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.affect.labels import LABELS

# The written dev and probe sets: never in the concern head's training data (dev 1 and 2 were in
# the v4 encoder's); dev 1 and 2 break ties when the head is chosen (``safety_concern``).
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


def parse_posts(cell: str) -> list[str]:
    """The Post column is a Python list literal; a few rows are malformed, so split them by hand."""
    try:
        posts = ast.literal_eval(cell)
        if isinstance(posts, list):
            return [str(p) for p in posts if str(p).strip()]
    except (ValueError, SyntaxError):
        pass
    body = cell.strip().removeprefix("[").removesuffix("]").strip("'\"")
    parts = [p.strip() for chunk in body.split("', '") for p in chunk.split('", "')]
    return [p for p in parts if p]


def read_cssrs(path: Path) -> list[tuple[list[str], str]]:
    """Reddit C-SSRS (Gaur et al. 2019): one (posts, user-level label) pair per user, in file
    order, so that ``u<user index>p<post index>`` names a post for good."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        return [(parse_posts(row["Post"]), row["Label"].strip()) for row in csv.DictReader(handle)]
