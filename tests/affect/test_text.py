from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steadymind.affect.labels import EKMAN_LABELS, LABELS
from steadymind.affect.text import (
    MODEL_NAME,
    MODELS_DIR,
    EmotionModel,
    EmotionReading,
    load_emotion_model,
)
from steadymind.core.errors import ModelError, ValidationError
from steadymind.models.manifest import MANIFEST_FILE

# The emotion manifest as written before the one model runtime (format 1), kept as a sample.
V1_MANIFEST = Path(__file__).parents[1] / "models" / "fixtures" / "emotions-manifest-v1.json"


def test_reading_has_every_score_and_at_least_one_label(model: EmotionModel) -> None:
    (r,) = model.predict(["I finally passed my driving test!"])
    assert isinstance(r, EmotionReading)
    assert list(r.scores) == list(LABELS)
    assert list(r.ekman_scores) == list(EKMAN_LABELS)
    assert all(0.0 <= p <= 1.0 for p in r.scores.values())
    assert r.labels and set(r.labels) <= set(LABELS)
    assert r.ekman and set(r.ekman) <= set(EKMAN_LABELS)
    assert -1.0 <= r.valence <= 1.0 and -1.0 <= r.arousal <= 1.0
    assert r.supported and not r.truncated


def test_labels_are_those_above_threshold_most_probable_first(model: EmotionModel) -> None:
    for r in model.predict(["Thank you so much, I love it!", "ok", "Why would you do that?"]):
        above = {n for i, n in enumerate(LABELS) if r.scores[n] >= model.thresholds[i]}
        assert set(r.labels) == (above or {r.top_label})
        assert [r.scores[n] for n in r.labels] == sorted(
            (r.scores[n] for n in r.labels), reverse=True
        )
        assert r.confidence == r.scores[r.labels[0]]


def test_model_id_names_the_model_and_its_checksum(model: EmotionModel) -> None:
    manifest = json.loads((MODELS_DIR / MANIFEST_FILE).read_text())
    (r,) = model.predict(["hello"])
    assert r.model_id == f"{MODEL_NAME}+{manifest['files']['model']['sha256'][:12]}"


def test_loading_twice_returns_the_same_model() -> None:
    assert load_emotion_model() is load_emotion_model()


def test_predicting_the_same_text_twice_gives_the_same_reading(model: EmotionModel) -> None:
    assert model.predict(["I am furious."]) == model.predict(["I am furious."])


def test_a_reading_does_not_depend_on_its_batch_mates(model: EmotionModel) -> None:
    """Texts run one at a time by default (see engine.py: int8 dynamic quantization would
    otherwise let batch-mates shift a text's scores)."""
    texts = [
        "I am furious.",
        "This is a much longer sentence about a calm walk in the park.",
        "yay",
    ]
    batch = model.predict(texts)
    single = [model.predict([t])[0] for t in texts]
    for a, b in zip(batch, single, strict=True):
        assert a.labels == b.labels
        assert all(math.isclose(a.scores[n], b.scores[n], abs_tol=1e-6) for n in LABELS)


def test_empty_list_gives_empty_result(model: EmotionModel) -> None:
    assert model.predict([]) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_or_whitespace_text_is_rejected(model: EmotionModel, text: str) -> None:
    with pytest.raises(ValidationError) as info:
        model.predict(["fine", text])
    assert info.value.details == {"index": 1}


@pytest.mark.parametrize("texts", ["a bare string", [b"bytes"], [None]])
def test_non_text_input_is_rejected(model: EmotionModel, texts: object) -> None:
    with pytest.raises(ValidationError):
        model.predict(texts)  # type: ignore[arg-type]


def test_hundred_kilobytes_is_truncated_and_says_so(model: EmotionModel) -> None:
    text = "I am so grateful for my friends. " * 3100
    assert len(text.encode()) > 100_000
    (r,) = model.predict([text])
    assert r.truncated
    assert "gratitude" in r.labels
    assert r.to_dict()["truncated"] is True


def test_short_text_is_not_truncated(model: EmotionModel) -> None:
    assert not model.predict(["word " * 50])[0].truncated


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin heute sehr traurig und müde, weil alles schiefgeht",
        "今日はとても悲しいです",
        "Сегодня я очень устал и мне грустно",
        "🦄🦄🦄",
        "12345 !!! ???",
    ],
)
def test_foreign_or_wordless_text_gives_low_confidence_neutral(
    model: EmotionModel, text: str
) -> None:
    (r,) = model.predict([text])
    assert not r.supported
    assert r.labels == ["neutral"] and r.ekman == ["neutral"]
    assert r.confidence == 0.0 and r.valence == 0.0 and r.arousal == 0.0


@pytest.mark.parametrize(("text", "label"), [("😭😭😭", "sadness"), ("😂😂", "amusement")])
def test_emoji_only_text_is_read_through_its_words(
    model: EmotionModel, text: str, label: str
) -> None:
    (r,) = model.predict([text])
    assert r.supported
    assert label in r.labels[:2]


def test_positive_text_has_positive_valence_and_negative_text_negative(
    model: EmotionModel,
) -> None:
    happy, sad = model.predict(
        ["I'm so happy today, everything went great!", "I feel so sad and alone."]
    )
    assert happy.valence > 0.3
    assert sad.valence < -0.3


def test_to_dict_is_json_safe_and_complete(model: EmotionModel) -> None:
    (r,) = model.predict(["What a lovely surprise!"])
    d = json.loads(json.dumps(r.to_dict()))
    assert set(d) == {
        "labels", "scores", "ekman", "ekman_scores", "valence", "arousal", "confidence",
        "model_id", "truncated", "supported",
    }  # fmt: skip
    assert d["labels"] == r.labels


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """The shipped artefact in a temporary folder (the big file linked, not copied)."""
    for path in MODELS_DIR.iterdir():
        if path.suffix == ".onnx":
            (tmp_path / path.name).symlink_to(path)
        elif path.is_file():
            shutil.copyfile(path, tmp_path / path.name)
    return tmp_path


def test_copied_artefact_loads(model_copy: Path) -> None:
    assert load_emotion_model(model_copy).predict(["hi"])[0].labels


def test_checksum_mismatch_refuses_to_load(model_copy: Path) -> None:
    tok = model_copy / "tokenizer.json"
    tok.write_text(tok.read_text().replace("[UNK]", "[UNX]", 1))
    with pytest.raises(ModelError, match="checksum"):
        load_emotion_model(model_copy)


def test_missing_model_file_refuses_to_load(model_copy: Path) -> None:
    (model_copy / f"{MODEL_NAME}.onnx").unlink()
    with pytest.raises(ModelError, match="missing"):
        load_emotion_model(model_copy)


def _edit_manifest(model_dir: Path, key: str, value: object) -> None:
    path = model_dir / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    manifest[key] = value
    path.write_text(json.dumps(manifest))


def test_unknown_manifest_version_refuses_to_load(model_copy: Path) -> None:
    _edit_manifest(model_copy, "format_version", 99)
    with pytest.raises(ModelError, match="unsupported format"):
        load_emotion_model(model_copy)


def test_a_format_1_manifest_is_refused_with_a_clear_error(model_copy: Path) -> None:
    shutil.copyfile(V1_MANIFEST, model_copy / MANIFEST_FILE)
    with pytest.raises(ModelError, match="version 1 predates the one model runtime"):
        load_emotion_model(model_copy)


def test_an_id_that_does_not_name_the_weights_refuses_to_load(model_copy: Path) -> None:
    _edit_manifest(model_copy, "model_id", f"{MODEL_NAME}+000000000000")
    with pytest.raises(ModelError, match="does not name its weights"):
        load_emotion_model(model_copy)


def test_labels_in_another_order_refuse_to_load(model_copy: Path) -> None:
    path = model_copy / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    manifest["config"]["labels"] = sorted(LABELS, reverse=True)
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="labels"):
        load_emotion_model(model_copy)


def test_missing_manifest_refuses_to_load(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="manifest"):
        load_emotion_model(tmp_path)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=300).filter(lambda s: s.strip()))
def test_any_non_blank_text_gives_a_reading(model: EmotionModel, text: str) -> None:
    (r,) = model.predict([text])
    assert r.labels and r.ekman
