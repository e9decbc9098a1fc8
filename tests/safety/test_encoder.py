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
from steadymind.safety.encoder import MODELS_DIR, Encoder, Outputs, default_encoder
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


def test_crisis_head_for_another_encoder_is_refused(tmp_path: Path) -> None:
    from steadymind.safety.semantic import CRISIS_HEAD, SemanticLayer

    target = _copy_models(tmp_path)
    head = (MODELS_DIR / CRISIS_HEAD).read_text(encoding="utf-8")
    (target / CRISIS_HEAD).write_text(head.replace(ENCODER_ID, "other@1"), encoding="utf-8")
    with pytest.raises(ModelError, match="different encoder"):
        SemanticLayer(default_encoder(), _seal(target))


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

    from steadymind.safety.semantic import CRISIS_HEAD, SemanticLayer

    target = _copy_models(tmp_path)
    head = json.loads((MODELS_DIR / CRISIS_HEAD).read_text(encoding="utf-8"))
    head["threshold"] = 0.99  # someone "fixing" false alarms by hand, and the manifest too
    (target / CRISIS_HEAD).write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(ModelError, match="crisis head failed its checksum"):
        SemanticLayer(default_encoder(), _seal(target))


def test_an_encoder_without_the_crisis_output_is_refused() -> None:
    from steadymind.safety.semantic import SemanticLayer

    class NoCrisis:
        model_id = default_encoder().model_id
        artefact = default_encoder().artefact
        has_crisis_output = False

        def encode(self, text: str) -> np.ndarray:
            return default_encoder().encode(text)

        def crisis_score(self, text: str) -> None:
            return None

    with pytest.raises(ModelError, match="crisis output"):
        SemanticLayer(NoCrisis())  # type: ignore[arg-type]


class _Scripted:
    """The shipped encoder's embeddings, with head outputs the test sets."""

    has_crisis_output = True

    def __init__(self, crisis: float, high: float | None) -> None:
        self.model_id = default_encoder().model_id
        self.artefact = default_encoder().artefact  # the shipped heads, unless a test passes some
        self.crisis, self.high = crisis, high

    def encode(self, text: str) -> np.ndarray:
        return default_encoder().encode(text)

    def crisis_score(self, text: str) -> float:
        return self.crisis

    def run(self, text: str) -> Outputs:
        return Outputs(self.encode(text), self.crisis, self.high)


def _head_dir(tmp_path: Path, **thresholds: float | None) -> Path:
    import json

    from steadymind.safety.semantic import CATEGORY_HEAD, CRISIS_HEAD, EMBEDDINGS, head_sha

    target = tmp_path / "heads"
    target.mkdir()
    for name in (EMBEDDINGS, CATEGORY_HEAD):
        shutil.copy(MODELS_DIR / name, target / name)
    head: dict[str, object] = {"encoder_model_id": default_encoder().model_id, **thresholds}
    head["sha256"] = head_sha(head)
    (target / CRISIS_HEAD).write_text(json.dumps(head), encoding="utf-8")
    return _seal(target)


@pytest.mark.parametrize(
    ("high", "reading", "expected"),
    [
        (0.9, None, "high"),  # P(high) at its threshold, no harmless reading
        (0.5, None, "elevated"),  # below the high threshold
        (None, None, "elevated"),  # an encoder without the high output
        (0.99, "negated", "elevated"),  # a harmless reading never lets the layer say high
    ],
)
def test_the_high_output_decides_high_only_without_a_harmless_reading(
    tmp_path: Path, high: float | None, reading: str | None, expected: str
) -> None:
    from steadymind.safety.semantic import SemanticLayer
    from steadymind.safety.types import RiskLevel

    target = _head_dir(tmp_path, threshold=0.1, cautious_threshold=0.95, high_threshold=0.9)
    layer = SemanticLayer(_Scripted(0.97, high), target)  # type: ignore[arg-type]
    (evidence,) = layer.assess([("some chunk of a message", reading)])
    assert evidence.level is RiskLevel.parse(expected)
    assert evidence.category is not None  # from the nearest prototype, never the person's words


def test_a_head_without_a_high_threshold_never_says_high(tmp_path: Path) -> None:
    from steadymind.safety.semantic import SemanticLayer
    from steadymind.safety.types import RiskLevel

    target = _head_dir(tmp_path, threshold=0.1, cautious_threshold=0.95)
    layer = SemanticLayer(_Scripted(0.97, 1.0), target)  # type: ignore[arg-type]
    (evidence,) = layer.assess([("some chunk of a message", None)])
    assert evidence.level is RiskLevel.ELEVATED


@pytest.mark.parametrize("bad", [0.0, -0.2, 1.5])
def test_an_out_of_range_high_threshold_is_refused(tmp_path: Path, bad: float) -> None:
    from steadymind.safety.semantic import SemanticLayer

    target = _head_dir(tmp_path, threshold=0.1, cautious_threshold=0.95, high_threshold=bad)
    with pytest.raises(ModelError, match="high threshold"):
        SemanticLayer(default_encoder(), target)


def test_one_run_gives_every_output_of_the_encoder() -> None:
    enc = default_encoder()
    out = enc.run("I feel calm today")
    assert np.allclose(out.embedding, enc.encode("I feel calm today"))
    assert out.crisis == enc.crisis_score("I feel calm today")
    assert out.high is None or 0.0 <= out.high <= 1.0


def test_the_category_head_names_a_category_for_a_flagged_chunk() -> None:
    from steadymind.safety.semantic import SemanticLayer
    from steadymind.safety.types import Category

    layer = SemanticLayer(_Scripted(0.97, 0.0))  # type: ignore[arg-type]
    assert "category-softmax@1" in layer.model_id
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

    target = _head_dir(tmp_path, threshold=0.1, cautious_threshold=0.95)
    head = json.loads((target / CATEGORY_HEAD).read_text(encoding="utf-8"))
    edit(head)
    (target / CATEGORY_HEAD).write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        SemanticLayer(default_encoder(), _seal(target))
