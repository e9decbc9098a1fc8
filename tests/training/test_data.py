"""The project's own training data: never a copy of an evaluation text."""

from __future__ import annotations

from training.datasets import read_jsonl
from training.paths import BENCH_DATA, TRAIN_SET

HELD_OUT = ("safety_test.jsonl", "safety_probe.jsonl", "safety_probe2.jsonl")
UNSEEN = tuple(f"safety_probe{n}.jsonl" for n in (3, 4, 5, 6))


def test_training_set_is_disjoint_from_the_evaluation_sets() -> None:
    texts = {row["text"].casefold() for row in read_jsonl(TRAIN_SET)}
    for name in HELD_OUT + UNSEEN:
        evals = {row["text"].casefold() for row in read_jsonl(BENCH_DATA / name)}
        assert not texts & evals, name
