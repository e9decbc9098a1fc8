"""The shipped encoder and severity head: checksums, shapes, failure modes."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from steadymind.core.errors import ModelError
from steadymind.models.manifest import MANIFEST_FILE, hash_files, read_manifest, write_manifest
from steadymind.safety.encoder import MODELS_DIR, Encoder, default_encoder
from steadymind.safety.severity import HEAD_FILE, SeverityModel

# The encoder manifest as written before the one model runtime (format 1), kept as a sample.
V1_MANIFEST = Path(__file__).parents[1] / "models" / "fixtures" / "safety-encoder-manifest-v1.json"


def test_embeddings_are_unit_length() -> None:
    vec = default_encoder().encode("I feel calm today")
    assert vec.shape == (384,)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    enc = default_encoder()
    a, b, c = (enc.encode(t) for t in ("I want to die", "I wish I were dead", "lovely lunch"))
    assert float(a @ b) > float(a @ c)


ENCODER_ID = read_manifest(MODELS_DIR).model_id


def _copy_models(tmp_path: Path) -> Path:
    """The shipped safety artefact in a temporary folder (the big file linked, not copied)."""
    target = tmp_path / "models"
    target.mkdir()
    for path in MODELS_DIR.iterdir():
        if path.suffix == ".onnx":
            (target / path.name).symlink_to(path)
        elif path.is_file():
            shutil.copy(path, target / path.name)
    return target


def _seal(target: Path) -> Path:
    """Rewrite ``target``'s manifest for the files now in it (roles as shipped).

    The manifest's checksums catch any edit; a test that edits a head and reseals reaches the
    head's own checks (encoder id, content checksum, shape) behind them.
    """
    shipped = read_manifest(MODELS_DIR)
    present = {role: f.path for role, f in shipped.files.items() if (target / f.path).exists()}
    write_manifest(target, dataclasses.replace(shipped, files=hash_files(target, present)))
    return target


def test_corrupt_model_file_raises_model_error(tmp_path: Path) -> None:
    target = _copy_models(tmp_path)
    (target / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        Encoder(target)


def test_missing_manifest_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing or unreadable"):
        Encoder(tmp_path)


def test_a_format_1_manifest_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    target = _copy_models(tmp_path)
    shutil.copyfile(V1_MANIFEST, target / MANIFEST_FILE)
    with pytest.raises(ModelError, match="version 1 predates the one model runtime"):
        Encoder(target)


def test_a_copied_artefact_loads_with_the_same_id(tmp_path: Path) -> None:
    assert Encoder(_copy_models(tmp_path)).model_id == default_encoder().model_id


def test_every_head_is_covered_by_the_manifest(tmp_path: Path) -> None:
    """The severity head has no checksum of its own: the manifest's catches an edit."""
    target = _copy_models(tmp_path)
    (target / HEAD_FILE).write_text((target / HEAD_FILE).read_text() + " ", encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        SeverityModel(default_encoder(), target)


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
    with pytest.raises(ModelError, match="different encoder"):
        SeverityModel(default_encoder(), _seal(target))


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
        SemanticLayer(default_encoder(), _seal(target))


def test_concern_head_for_another_encoder_is_refused(tmp_path: Path) -> None:
    from steadymind.safety.semantic import CONCERN_HEAD, SemanticLayer

    target = _copy_models(tmp_path)
    head = (MODELS_DIR / CONCERN_HEAD).read_text(encoding="utf-8")
    (target / CONCERN_HEAD).write_text(head.replace(ENCODER_ID, "other@1"), encoding="utf-8")
    with pytest.raises(ModelError, match="different encoder"):
        SemanticLayer(default_encoder(), _seal(target))


def test_concern_is_a_probability() -> None:
    from steadymind.safety.semantic import SemanticLayer

    layer = SemanticLayer(default_encoder())
    p_risk = layer.concern("I want to end my life")
    p_calm = layer.concern("lovely lunch with my mum")
    assert 0.0 <= p_calm < p_risk <= 1.0


def test_tampered_concern_thresholds_fail_their_checksum(tmp_path: Path) -> None:
    import json

    from steadymind.safety.semantic import CONCERN_HEAD, SemanticLayer

    target = _copy_models(tmp_path)
    head = json.loads((MODELS_DIR / CONCERN_HEAD).read_text(encoding="utf-8"))
    head["flag_budget"] = 0.001  # someone "fixing" questions by hand, and the manifest too
    (target / CONCERN_HEAD).write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(ModelError, match="concern head failed its checksum"):
        SemanticLayer(default_encoder(), _seal(target))


def test_the_shipped_head_was_fitted_on_real_text_with_a_flag_budget() -> None:
    import json

    from steadymind.safety.semantic import CONCERN_HEAD

    head = json.loads((MODELS_DIR / CONCERN_HEAD).read_text(encoding="utf-8"))
    assert 0.0 < head["flag_budget"] <= 0.02  # the ordinary-text target
    assert head["training"]["counts"]["holdout"][0] > 4000  # GoEmotions train comments held out
    assert head["cautious_threshold"] >= head["ordinary_tail"][int(
        head["ordinary_n"] * head["flag_budget"]
    )]  # fmt: skip


class _Scored:
    """The shipped layer with the concern the test sets for each chunk."""

    def __init__(self, scores: dict[str, float]) -> None:
        from steadymind.safety.semantic import SemanticLayer

        self.layer = SemanticLayer(default_encoder())
        self.layer.concern = scores.__getitem__  # type: ignore[method-assign]


def test_the_learned_layer_never_says_high() -> None:
    from steadymind.safety.types import RiskLevel

    (evidence,) = _Scored({"a chunk": 1.0}).layer.assess([("a chunk", None)])
    assert evidence.level is RiskLevel.ELEVATED
    assert evidence.basis is None
    assert evidence.category is not None  # from the category head, never the person's words


def test_a_long_text_needs_a_higher_score_than_a_short_one() -> None:
    from steadymind.safety.semantic import SemanticLayer

    head = SemanticLayer(default_encoder())._head
    thresholds = [head.threshold_for(n) for n in (1, 2, 5, 20, 100)]
    assert thresholds == sorted(thresholds) and thresholds[0] < thresholds[-1]


def test_every_chunk_is_read_and_the_risky_one_decides() -> None:
    from steadymind.safety.semantic import SemanticLayer

    head = SemanticLayer(default_encoder())._head
    ordinary = {f"ordinary {i}": 0.0 for i in range(30)}
    scored = _Scored({**ordinary, "the last paragraph": head.threshold_for(31) + 0.01})
    chunks = [(text, None) for text in [*ordinary, "the last paragraph"]]
    (evidence,) = scored.layer.assess(chunks)
    assert "concern:" in evidence.signal


def test_a_harmless_reading_needs_the_cautious_threshold() -> None:
    from steadymind.safety.semantic import SemanticLayer

    head = SemanticLayer(default_encoder())._head
    between = (head.threshold + head.cautious_threshold) / 2
    scored = _Scored({"a chunk": between})
    assert scored.layer.assess([("a chunk", None)])
    assert scored.layer.assess([("a chunk", "negated")]) == []


def test_the_category_head_names_a_category_for_a_flagged_chunk() -> None:
    from steadymind.safety.semantic import SemanticLayer
    from steadymind.safety.types import Category

    layer = SemanticLayer(default_encoder())
    assert "category-softmax@1" in layer.model_id
    layer.concern = lambda text: 1.0  # type: ignore[method-assign]
    (drink,) = layer.assess([("I've been drinking a bottle of vodka a day and driving", None)])
    assert drink.category is Category.SUBSTANCE
    (purge,) = layer.assess([("I make myself sick after every meal so I don't gain", None)])
    assert purge.category is Category.EATING


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda head: head.update(encoder_model_id="other@1"), "different encoder"),
        (lambda head: head["intercept"].__setitem__(0, 9.0), "checksum"),
        (lambda head: head.pop("coef"), "missing or unreadable"),
    ],
)
def test_a_bad_category_head_is_refused(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    import json

    from steadymind.safety.semantic import CATEGORY_HEAD, SemanticLayer

    target = _copy_models(tmp_path)
    head = json.loads((target / CATEGORY_HEAD).read_text(encoding="utf-8"))
    edit(head)
    (target / CATEGORY_HEAD).write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        SemanticLayer(default_encoder(), _seal(target))
