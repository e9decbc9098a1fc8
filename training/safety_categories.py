"""Train the category head of the semantic layer: which kind of risk a flagged message carries.

    python -m training.safety_categories

Until v4 the semantic layer named the category of the nearest of 229 reviewed prototypes, and on
the unseen probes the category was often wrong even when the message was rightly flagged
(substance 0.20-0.38, harm-to-others 0.31-0.47 named *and* flagged). This head is a softmax
regression over the shipped encoder's sentence embedding, fitted in numpy like the severity head
(``training.softmax.fit``), on the elevated-or-worse single messages of the written training set
(``training/data/safety_train.jsonl``, one category each). It is not trained on the dev, test or
probe sets.

- **Model selection**: 5-fold cross-validation *grouped by written message* (a message and its
  journal and chat-spelling variants stay in one fold), over l2 in ``L2_GRID``; the best
  macro-recall wins.
- **Validation**: the elevated-or-worse messages of dev 1, dev 2, probe 1 and probe 2, which the
  head never sees: how often its category, and the nearest prototype's, is one of the expected
  categories. Messages that are themselves prototypes (66 of dev 1's 68) are left out: for them
  the nearest prototype is the message itself. Printed and stored in the head.
- **Output**: ``category_head.json`` with the encoder id and a checksum, both checked at load,
  in the build folder ``build/models/safety/`` (trained on the encoder there).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.safety.encoder import Encoder
from steadymind.safety.semantic import (
    CATEGORY_HEAD,
    CATEGORY_HEAD_ROLE,
    SemanticLayer,
    head_sha,
    load_prototypes,
)
from steadymind.safety.types import Category
from training.artefacts import record, working_copy
from training.datasets import VALIDATION_SETS, read_jsonl
from training.paths import BENCH_DATA, TRAIN_SET
from training.softmax import fit, linear_head, softmax, standardise

LABELS = tuple(c.value for c in Category)
L2_GRID = (0.01, 0.03, 0.1, 0.3)
FOLDS = 5
SEED = 20261123

Array = npt.NDArray[np.float64]


def training_rows(path: Path = TRAIN_SET) -> list[tuple[str, int, str]]:
    """(text, category index, group) for single elevated-or-worse messages with one category."""
    rows = []
    for row in read_jsonl(path):
        if row["context"] or row["level"] not in ("elevated", "high"):
            continue
        if len(row["categories"]) != 1:
            continue
        group = row["id"].removesuffix("-j").removesuffix("-n")
        rows.append((row["text"], LABELS.index(row["categories"][0]), group))
    return rows


def group_folds(groups: list[str], k: int = FOLDS) -> list[npt.NDArray[np.int64]]:
    """Fold indices with every member of a group in the same fold (deterministic)."""
    names = sorted(set(groups))
    rng = np.random.default_rng(SEED)
    rng.shuffle(names)
    fold_of = {name: i % k for i, name in enumerate(names)}
    return [np.flatnonzero([fold_of[g] == f for g in groups]) for f in range(k)]


def macro_recall(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64]) -> float:
    present = [c for c in range(len(LABELS)) if (y == c).any()]
    return float(np.mean([(pred[y == c] == c).mean() for c in present]))


def cross_validate(x: Array, y: npt.NDArray[np.int64], groups: list[str], l2: float) -> float:
    pred = np.zeros_like(y)
    for test in group_folds(groups):
        train = np.setdiff1d(np.arange(len(y)), test)
        mu, sd = standardise(x[train])
        w, b = fit((x[train] - mu) / sd, y[train], l2=l2, n_classes=len(LABELS))
        pred[test] = softmax(((x[test] - mu) / sd) @ w + b).argmax(axis=1)
    return macro_recall(y, pred)


def validation_rows(name: str) -> list[tuple[str, set[str]]]:
    prototypes = {p.text.casefold() for p in load_prototypes()}
    out = []
    for row in read_jsonl(BENCH_DATA / f"{name}.jsonl"):
        risky = row["level"] in ("elevated", "high") and row["categories"]
        if risky and row["text"].casefold() not in prototypes:
            out.append((row["text"], set(row["categories"])))
    return out


def validate(encoder: Encoder, head: dict[str, Any]) -> dict[str, Any]:
    """Category right (one of the expected) on the validation sets: head versus prototypes."""
    layer = SemanticLayer(encoder, use_category_head=False)
    w, b = np.asarray(head["coef"]), np.asarray(head["intercept"])
    mu, sd = np.asarray(head["mean"]), np.asarray(head["scale"])
    result: dict[str, Any] = {}
    for name in VALIDATION_SETS:
        rows = validation_rows(name)
        by_head = by_proto = 0
        for text, expected in rows:
            emb = encoder.encode(text)
            z = ((emb.astype(np.float64) - mu) / sd) @ w + b
            by_head += LABELS[int(np.argmax(z))] in expected
            proto = layer.nearest(emb)[0]
            by_proto += proto.category is not None and proto.category.value in expected
        result[name] = {"messages": len(rows), "head_right": by_head, "prototype_right": by_proto}
    return result


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    out = working_copy("safety")
    encoder = Encoder(out)
    rows = training_rows()
    x = np.stack([encoder.encode(t) for t, _, _ in rows]).astype(np.float64)
    y = np.asarray([c for _, c, _ in rows], dtype=np.int64)
    groups = [g for _, _, g in rows]
    cv = {l2: cross_validate(x, y, groups, l2) for l2 in L2_GRID}
    for l2, score in cv.items():
        print(f"l2 {l2}: grouped 5-fold macro-recall {score:.3f}")
    best = max(cv, key=lambda k: cv[k])
    mu, sd = standardise(x)
    w, b = fit((x - mu) / sd, y, l2=best, n_classes=len(LABELS))
    head: dict[str, Any] = {
        "format_version": 1,
        "model_id": "category-softmax@1",
        "encoder_model_id": encoder.model_id,
        "labels": list(LABELS),
        **linear_head(w, b, mu, sd),
        "training": {
            "messages": len(rows),
            "per_category": {LABELS[c]: int((y == c).sum()) for c in range(len(LABELS))},
            "l2": best,
            "cv_macro_recall": {str(k): round(v, 4) for k, v in cv.items()},
        },
    }
    head["validation"] = validate(encoder, head)
    head["sha256"] = head_sha(head)
    (out / CATEGORY_HEAD).write_text(json.dumps(head) + "\n", encoding="utf-8")
    record(out, {CATEGORY_HEAD_ROLE: CATEGORY_HEAD})
    print(json.dumps(head["training"] | {"validation": head["validation"]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
