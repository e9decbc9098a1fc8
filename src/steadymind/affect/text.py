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
- The artefact (``steadymind/models/emotions/``) is loaded by the one model runtime, which checks
  every file's sha256: a mismatch raises :class:`ModelError`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.affect.engine import OnnxEmotionEngine
from steadymind.affect.labels import EKMAN_LABELS, LABELS, VALENCE_AROUSAL, ekman_index
from steadymind.affect.normalize import looks_english, normalize
from steadymind.core.errors import ModelError, ValidationError
from steadymind.models import artefact_dir
from steadymind.models.manifest import Artefact, load_artefact

MODELS_DIR = artefact_dir("emotions")
MODEL_NAME = "emotions-minilm-l4-goemo-v2"
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

    def __init__(self, engine: OnnxEmotionEngine, config: Mapping[str, Any], model_id: str) -> None:
        self.engine = engine
        self.model_id = model_id
        self.thresholds = np.asarray(config["thresholds"], dtype=np.float32)
        self.ekman_thresholds = np.asarray(config["ekman_thresholds"], dtype=np.float32)
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


def _checked_config(artefact: Artefact) -> Mapping[str, Any]:
    """The model's config, refused unless it reads out this version's labels in this order."""
    config = artefact.config
    if config.get("labels") != list(LABELS) or config.get("ekman_labels") != list(EKMAN_LABELS):
        raise ModelError("the emotion model's labels are not the ones this version reads")
    for key, size in (("thresholds", len(LABELS)), ("ekman_thresholds", len(EKMAN_LABELS))):
        if not isinstance(config.get(key), list) or len(config[key]) != size:
            raise ModelError(f"the emotion model's {key} do not match its labels")
    # Stored readings record the id, so it must name these very weights.
    weights = artefact.manifest.files.get("model")
    if weights is None or artefact.model_id != f"{config.get('name')}+{weights.sha256[:12]}":
        raise ModelError("the emotion model's id does not name its weights")
    return config


_LOCK = threading.Lock()


def load_emotion_model(model_dir: Path | None = None, *, threads: int = 1) -> EmotionModel:
    """The shipped model (or one at ``model_dir``), loaded once per process and then shared."""
    with _LOCK:
        return _load(Path(model_dir or MODELS_DIR).resolve(), threads)


@lru_cache(maxsize=4)
def _load(model_dir: Path, threads: int) -> EmotionModel:
    artefact = load_artefact(model_dir)  # every file's sha256 checked
    config = _checked_config(artefact)
    engine = OnnxEmotionEngine(
        artefact.path("model"),
        artefact.path("tokenizer"),
        max_tokens=int(artefact.setting("max_tokens")),
        threads=threads,
    )
    return EmotionModel(engine, config, artefact.model_id)
