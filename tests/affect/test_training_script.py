"""The training script is importable from the runtime environment (no torch) and says clearly
what is missing instead of failing with an ImportError deep inside."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from steadymind.affect.labels import LABELS
from steadymind.training import emotions


def test_reads_goemotions_tsv_into_a_label_matrix(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text("so happy\t17\tid1\nwhat?\t6,7\tid2\n\n", encoding="utf-8")
    texts, gold = emotions.read_split(path)
    assert texts == ["so happy", "what?"]
    assert gold.shape == (2, len(LABELS))
    assert [LABELS[i] for i in gold[1].nonzero()[0]] == ["confusion", "curiosity"]


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_training_without_the_train_extra_names_it() -> None:
    with pytest.raises(SystemExit, match=r"\[train\]"):
        emotions.main(["--data", "/nonexistent"])
