"""The emotion training script is importable from the runtime environment (no torch) and says
clearly what is missing instead of failing with an ImportError deep inside."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from steadymind.affect.labels import LABELS
from training import emotions
from training.datasets import read_goemotions
from training.paths import SHARED_DATA_ENV, build_dir


def test_reads_goemotions_tsv_into_a_label_matrix(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text("so happy\t17\tid1\nwhat?\t6,7\tid2\n\n", encoding="utf-8")
    texts, gold = read_goemotions(path)
    assert texts == ["so happy", "what?"]
    assert gold.shape == (2, len(LABELS))
    assert [LABELS[i] for i in gold[1].nonzero()[0]] == ["confusion", "curiosity"]


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_training_without_the_train_extra_names_it() -> None:
    with pytest.raises(SystemExit, match=r"\[train\]"):
        emotions.main(["--data", "/nonexistent"])


def test_distillation_options_parse() -> None:
    args = emotions.parse_args(
        ["--name", "student", "--layers", "4", "--teacher", "t.onnx", "--distill-weight", "0.3"]
    )
    assert (args.name, args.layers, args.teacher, args.distill_weight) == (
        "student",
        4,
        Path("t.onnx"),
        0.3,
    )
    plain = emotions.parse_args([])
    assert plain.layers is None and plain.teacher is None and plain.checkpoint is None


def test_it_reads_shared_data_and_writes_to_the_build_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path))
    args = emotions.parse_args([])
    assert args.data == tmp_path / "goemotions"
    assert args.out == build_dir("emotions")


def test_teacher_soft_targets_are_what_the_runtime_reads() -> None:
    """The teacher's probabilities come from the same engine and normalisation as serving."""
    from steadymind.affect.text import MODELS_DIR, load_emotion_model
    from steadymind.models.manifest import load_artefact

    shipped = load_artefact(MODELS_DIR)
    texts = ["Thank you so much 😊", "I'm so scared about tomorrow"]
    soft = emotions.teacher_probs(
        shipped.path("model"), shipped.path("tokenizer"), texts, threads=1
    )
    assert soft.shape == (2, len(LABELS))
    served = load_emotion_model().predict(texts)
    for row, reading in zip(soft, served, strict=True):
        scores = dict(zip(LABELS, row.tolist(), strict=True))
        assert max(abs(p - reading.scores[name]) for name, p in scores.items()) < 1e-5
