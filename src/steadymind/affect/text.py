"""Emotion from text: the public interface of the shipped GoEmotions model.

    >>> model = load_emotion_model()
    >>> [r.labels for r in model.predict(["Thank you so much, this made my day!"])]
    [['gratitude']]

Rules a caller can rely on (each has a test):
- ``labels`` holds the 28-label names at or above their per-label thresholds (tuned on the
  GoEmotions dev split). When none passes, it holds the single most probable label, which for a
  bland text is ``neutral``. The same rule gives ``ekman``.
- ``valence`` and ``arousal`` are probability-weighted means of fixed per-label coordinates on
  [-1, 1] (``labels.VALENCE_AROUSAL``); a certain ``neutral`` gives (0, 0).
- Empty or whitespace-only text raises :class:`ValidationError`; nothing is guessed.
- Text that has no words or is clearly not English gets a low-confidence neutral reading
  (``supported`` is False, ``confidence`` 0); the raw scores are still reported.
- Text longer than the model's window (128 word pieces) is read from its beginning and the
  reading says ``truncated``.
- The artefact's sha256 is checked at load; a mismatch raises :class:`ModelError`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.affect.engine import OnnxEmotionEngine
from steadymind.affect.labels import EKMAN_LABELS, LABELS, VALENCE_AROUSAL, ekman_index
from steadymind.affect.normalize import looks_english, normalize
from steadymind.core.checksums import file_sha256
from steadymind.core.errors import ModelError, ValidationError

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_NAME = "emotions-minilm-l4-goemo-v2"
FORMAT_VERSION = 1
# A request may carry many texts; more than this is a client bug, not a workload.
MAX_TEXTS_PER_CALL = 1_000

_COORDS = np.array([VALENCE_AROUSAL[name] for name in LABELS], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class EmotionReading:
    """What the model read in one text. Floats are plain Python floats, safe for JSON."""

    labels: list[str]
    scores: dict[str, float]
    ekman: list[str]
    ekman_scores: dict[str, float]
    valence: float
    arousal: float
    confidence: float
    model_id: str
    truncated: bool = False
    supported: bool = True

    @property
    def top_label(self) -> str:
        return max(self.scores, key=self.scores.__getitem__)

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "ekman": list(self.ekman),
            "ekman_scores": {k: round(v, 4) for k, v in self.ekman_scores.items()},
            "valence": round(self.valence, 4),
            "arousal": round(self.arousal, 4),
            "confidence": round(self.confidence, 4),
            "model_id": self.model_id,
            "truncated": self.truncated,
            "supported": self.supported,
        }


class EmotionModel:
    """A loaded model. Thread-safe: onnxruntime sessions may be shared across threads."""

    def __init__(self, engine: OnnxEmotionEngine, manifest: dict[str, Any], model_id: str) -> None:
        self.engine = engine
        self.model_id = model_id
        self.thresholds = np.asarray(manifest["thresholds"], dtype=np.float32)
        self.ekman_thresholds = np.asarray(manifest["ekman_thresholds"], dtype=np.float32)
        self._ekman_index = ekman_index()

    def predict(self, texts: Sequence[str]) -> list[EmotionReading]:
        _validate(texts)
        if not texts:
            return []
        normalized = [normalize(t) for t in texts]
        probs, truncated = self.engine.probabilities(normalized)
        ekman = np.stack([probs[:, idx].max(axis=1) for idx in self._ekman_index], axis=1)
        return [
            self._reading(text, probs[i], ekman[i], truncated[i])
            for i, text in enumerate(normalized)
        ]

    def _reading(
        self,
        text: str,
        probs: npt.NDArray[np.float32],
        ekman: npt.NDArray[np.float32],
        truncated: bool,
    ) -> EmotionReading:
        scores = {name: float(p) for name, p in zip(LABELS, probs, strict=True)}
        ekman_scores = {name: float(p) for name, p in zip(EKMAN_LABELS, ekman, strict=True)}
        if not looks_english(text):
            return EmotionReading(
                ["neutral"], scores, ["neutral"], ekman_scores, 0.0, 0.0, 0.0,
                self.model_id, truncated, supported=False,
            )  # fmt: skip
        labels = _above(LABELS, probs, self.thresholds)
        valence, arousal = (probs @ _COORDS) / max(float(probs.sum()), 1e-6)
        return EmotionReading(
            labels=labels,
            scores=scores,
            ekman=_above(EKMAN_LABELS, ekman, self.ekman_thresholds),
            ekman_scores=ekman_scores,
            valence=_clip(valence),
            arousal=_clip(arousal),
            confidence=max(scores[name] for name in labels),
            model_id=self.model_id,
            truncated=truncated,
        )


def _above(
    names: Sequence[str], probs: npt.NDArray[np.float32], t: npt.NDArray[np.float32]
) -> list[str]:
    """Names at or above threshold, most probable first; the top name when none passes."""
    hits = [i for i in np.argsort(-probs) if probs[i] >= t[i]]
    return [names[i] for i in (hits or [int(np.argmax(probs))])]


def _clip(x: float) -> float:
    return float(min(1.0, max(-1.0, x)))


def _validate(texts: Sequence[str]) -> None:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise ValidationError("predict() takes a list of texts")
    if len(texts) > MAX_TEXTS_PER_CALL:
        raise ValidationError(f"at most {MAX_TEXTS_PER_CALL} texts per call")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValidationError("every text must be a string", details={"index": i})
        if not text.strip():
            raise ValidationError("text is empty", details={"index": i})


def _read_manifest(model_dir: Path) -> dict[str, Any]:
    path = model_dir / f"{MODEL_NAME}.json"
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError("the emotion model's manifest is missing or unreadable") from exc
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("labels") != list(LABELS):
        raise ModelError("the emotion model's manifest has an unsupported format")
    return manifest


def _verified(model_dir: Path, entry: dict[str, str]) -> Path:
    path = model_dir / entry["path"]
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise ModelError(f"emotion model file is missing: {entry['path']}") from exc
    if digest != entry["sha256"]:
        raise ModelError(
            f"emotion model file failed its checksum: {entry['path']}",
            details={"expected": entry["sha256"], "actual": digest},
        )
    return path


_LOCK = threading.Lock()


def load_emotion_model(model_dir: Path | None = None, *, threads: int = 1) -> EmotionModel:
    """The shipped model (or one at ``model_dir``), loaded once per process and then shared."""
    with _LOCK:
        return _load(Path(model_dir or MODELS_DIR).resolve(), threads)


@lru_cache(maxsize=4)
def _load(model_dir: Path, threads: int) -> EmotionModel:
    manifest = _read_manifest(model_dir)
    model_path = _verified(model_dir, manifest["files"]["model"])
    tokenizer_path = _verified(model_dir, manifest["files"]["tokenizer"])
    engine = OnnxEmotionEngine(
        model_path, tokenizer_path, max_tokens=int(manifest["max_tokens"]), threads=threads
    )
    model_id = f"{manifest['name']}+{manifest['files']['model']['sha256'][:12]}"
    return EmotionModel(engine, manifest, model_id)
