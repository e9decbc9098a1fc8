"""The shipped encoder and severity head: checksums, shapes, failure modes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from steadymind.errors import ModelError
from steadymind.safety.encoder import MANIFEST, MODELS_DIR, Encoder, default_encoder, read_manifest
from steadymind.safety.severity import SeverityModel


def test_embeddings_are_unit_length() -> None:
    vec = default_encoder().encode("I feel calm today")
    assert vec.shape == (384,)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    enc = default_encoder()
    a, b, c = (enc.encode(t) for t in ("I want to die", "I wish I were dead", "lovely lunch"))
    assert float(a @ b) > float(a @ c)


ENCODER_ID = read_manifest(MODELS_DIR, MANIFEST)["model_id"]


def _copy_models(tmp_path: Path) -> Path:
    target = tmp_path / "models"
    target.mkdir()
    for name in ("encoder.json", "tokenizer.json", "severity_head.json"):
        shutil.copy(MODELS_DIR / name, target / name)
    onnx = next(MODELS_DIR.glob("*.onnx"))
    (target / onnx.name).symlink_to(onnx)
    return target


def test_corrupt_model_file_raises_model_error(tmp_path: Path) -> None:
    target = _copy_models(tmp_path)
    (target / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        Encoder(target)


def test_missing_manifest_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        Encoder(tmp_path)


def test_severity_probabilities_sum_to_one() -> None:
    score = SeverityModel(default_encoder()).score("I don't want to be here anymore")
    assert len(score.probabilities) == 5
    assert abs(sum(score.probabilities) - 1.0) < 1e-5
    assert 0.0 <= score.risk <= 1.0
    assert score.label in {"Supportive", "Indicator", "Ideation", "Behavior", "Attempt"}


def test_severity_head_for_another_encoder_is_refused(tmp_path: Path) -> None:
    target = _copy_models(tmp_path)
    head = (target / "severity_head.json").read_text(encoding="utf-8")
    (target / "severity_head.json").write_text(
        head.replace(ENCODER_ID, "other@1"), encoding="utf-8"
    )
    with pytest.raises(ModelError):
        SeverityModel(default_encoder(), target)


def test_stale_prototype_embeddings_are_refused(tmp_path: Path) -> None:
    from steadymind.safety.semantic import EMBEDDINGS, SemanticLayer

    target = tmp_path / "models"
    target.mkdir()
    saved = np.load(MODELS_DIR / EMBEDDINGS)
    np.savez(
        target / EMBEDDINGS,
        embeddings=saved["embeddings"],
        prototypes_sha256=np.array("0" * 64),
        encoder_model_id=saved["encoder_model_id"],
    )
    with pytest.raises(ModelError, match="stale"):
        SemanticLayer(default_encoder(), target)


def test_crisis_head_for_another_encoder_is_refused(tmp_path: Path) -> None:
    from steadymind.safety.semantic import CRISIS_HEAD, EMBEDDINGS, SemanticLayer

    target = _copy_models(tmp_path)
    shutil.copy(MODELS_DIR / EMBEDDINGS, target / EMBEDDINGS)
    head = (MODELS_DIR / CRISIS_HEAD).read_text(encoding="utf-8")
    (target / CRISIS_HEAD).write_text(head.replace(ENCODER_ID, "other@1"), encoding="utf-8")
    with pytest.raises(ModelError, match="different encoder"):
        SemanticLayer(default_encoder(), target)


def test_crisis_probability_is_a_probability() -> None:
    from steadymind.safety.semantic import SemanticLayer

    layer = SemanticLayer(default_encoder())
    p_risk = layer.crisis_probability("I want to end my life")
    p_calm = layer.crisis_probability("lovely lunch with my mum")
    assert 0.0 <= p_calm < p_risk <= 1.0


def test_shipped_encoder_has_the_crisis_output() -> None:
    enc = default_encoder()
    assert enc.has_crisis_output
    score = enc.crisis_score("I feel calm today")
    assert score is not None and 0.0 <= score <= 1.0


def test_tampered_crisis_thresholds_fail_their_checksum(tmp_path: Path) -> None:
    import json

    from steadymind.safety.semantic import CRISIS_HEAD, EMBEDDINGS, SemanticLayer

    target = _copy_models(tmp_path)
    shutil.copy(MODELS_DIR / EMBEDDINGS, target / EMBEDDINGS)
    head = json.loads((MODELS_DIR / CRISIS_HEAD).read_text(encoding="utf-8"))
    head["threshold"] = 0.99  # someone "fixing" false alarms by hand
    (target / CRISIS_HEAD).write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        SemanticLayer(default_encoder(), target)


def test_an_encoder_without_the_crisis_output_is_refused() -> None:
    from steadymind.safety.semantic import SemanticLayer

    class NoCrisis:
        model_id = default_encoder().model_id
        has_crisis_output = False

        def encode(self, text: str) -> np.ndarray:
            return default_encoder().encode(text)

        def crisis_score(self, text: str) -> None:
            return None

    with pytest.raises(ModelError, match="crisis output"):
        SemanticLayer(NoCrisis())  # type: ignore[arg-type]
