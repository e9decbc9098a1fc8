"""Thinking-trap detector (a stable interface: later checks import it by this name).

    from steadymind.companion.traps import detect
    [reading] = detect(["Everyone at work thinks I'm useless."])
    reading.distorted   # True
    reading.traps       # ["mind reading", "labeling"]  (most likely first)
    reading.scores      # {"mind reading": 0.71, ...}  (all thirteen)

The model (``steadymind/models/traps/``, card: docs/models/traps.md) is a sentence embedding
(all-MiniLM-L6-v2, int8 ONNX) and thirteen yes/no cue features (:mod:`.cues`), read by one
logistic head for *distorted* and one per trap, trained by ``training/traps.py`` on real Reddit
writing labelled by the protocol in docs/models/traps_labelling.md. It reads only text that
already passed the text seam.
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.companion.cues import cue_vector
from steadymind.models import artefact_dir, onnx
from steadymind.models.manifest import Artefact, load_artefact

TRAPS: tuple[str, ...] = (
    "all-or-nothing thinking",
    "overgeneralizing",
    "labeling",
    "fortune telling",
    "mind reading",
    "emotional reasoning",
    "should statements",
    "personalizing",
    "disqualifying the positive",
    "catastrophizing",
    "comparing and despairing",
    "blaming",
    "negative feeling or emotion",
)
MODEL_DIR = artefact_dir("traps")
WHAT = "The thinking-trap model"
# At most this many traps are named for one text (the labelling protocol's limit).
MAX_TRAPS = 3


@dataclass(frozen=True)
class TrapReading:
    distorted: bool
    traps: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0))), dtype=np.float64)


class TrapDetector:
    """The shipped detector: thread-safe, one ONNX session on one thread.

    Two artefact shapes load: the encoder fine-tuned with its heads in the graph (outputs
    ``embedding``, ``distorted``, ``traps``: v2), or a plain encoder whose embedding, with the
    cue flags, is read by the logistic heads in ``heads.json`` (v1). Either way a long text is
    read in windows of up to three sentences, as the passages it learnt from were, and a trap
    anywhere in it counts: the score of a text is the highest of its windows.
    """

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        self.artefact: Artefact = load_artefact(directory)
        self.model_id = self.artefact.model_id
        max_tokens = int(self.artefact.setting("max_tokens"))
        self._session: Any = onnx.session(self.artefact.path("model"), what=WHAT)
        self._tokenizer = onnx.tokenizer(
            self.artefact.path("tokenizer"), max_tokens=max_tokens, what=WHAT
        )
        heads = json.loads(self.artefact.path("heads").read_text(encoding="utf-8"))
        if tuple(heads["traps"]) != TRAPS:
            raise ValueError("the trap head names other traps than this code")
        outputs = [o.name for o in self._session.get_outputs()]
        self._in_graph = "traps" in outputs
        self._threshold = float(heads["distorted"]["threshold"])
        self._trap_thresholds = np.asarray(heads["trap_thresholds"], dtype=np.float64)
        if not self._in_graph:
            self._mean = np.asarray(heads["mean"], dtype=np.float64)
            self._scale = np.asarray(heads["scale"], dtype=np.float64)
            self._w_distorted = np.asarray(heads["distorted"]["w"], dtype=np.float64)
            self._b_distorted = float(heads["distorted"]["b"])
            self._w_traps = np.asarray(heads["traps_w"], dtype=np.float64)
            self._b_traps = np.asarray(heads["traps_b"], dtype=np.float64)
        self._outputs = outputs

    def _run(self, text: str) -> list[Any]:
        enc = self._tokenizer.encode(text)
        feeds = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        return list(self._session.run(None, feeds))

    def _window(self, text: str) -> tuple[float, npt.NDArray[np.float64]]:
        """P(distorted) and the thirteen trap probabilities of one window of text."""
        out = self._run(text)
        if self._in_graph:
            named = dict(zip(self._outputs, out, strict=True))
            return float(named["distorted"][0]), np.asarray(named["traps"][0], dtype=np.float64)
        embedding = np.asarray(out[0][0], dtype=np.float64)
        raw = np.concatenate([embedding, cue_vector(text)])
        x = (raw - self._mean) / self._scale
        p_distorted = float(_sigmoid(np.asarray(x @ self._w_distorted + self._b_distorted)))
        return p_distorted, _sigmoid(self._w_traps @ x + self._b_traps)

    def read(self, text: str) -> TrapReading:
        if not text.strip():
            return TrapReading(False, [], {name: 0.0 for name in TRAPS})
        readings = [self._window(w) for w in windows(text)]
        p_distorted = max(r[0] for r in readings)
        p_traps = np.max(np.stack([r[1] for r in readings]), axis=0)
        scores = {name: round(float(p), 4) for name, p in zip(TRAPS, p_traps, strict=True)}
        distorted = p_distorted >= self._threshold
        traps: list[str] = []
        if distorted:
            order = np.argsort(-p_traps)
            traps = [TRAPS[i] for i in order if p_traps[i] >= self._trap_thresholds[i]]
            traps = (traps or [TRAPS[int(order[0])]])[:MAX_TRAPS]
        return TrapReading(distorted, traps, scores)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# The labelled passages were one to three sentences; a window is at most that.
WINDOW_SENTENCES = 3
MAX_WINDOWS = 12


def windows(text: str) -> list[str]:
    """``text`` in windows of up to three sentences, overlapping by one, at most twelve (the
    first ones: a thought record's answers and chat turns are far shorter)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) <= WINDOW_SENTENCES:
        return [" ".join(sentences) or text]
    step = WINDOW_SENTENCES - 1
    found = [
        " ".join(sentences[i : i + WINDOW_SENTENCES]) for i in range(0, len(sentences) - 1, step)
    ]
    return found[:MAX_WINDOWS]


_lock = threading.Lock()
_default: TrapDetector | None = None


def default_detector() -> TrapDetector:
    """The shipped detector, loaded once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = TrapDetector()
        return _default


def detect(texts: list[str]) -> list[TrapReading]:
    """One reading per text, in order."""
    detector = default_detector()
    return [detector.read(text) for text in texts]


@dataclass(frozen=True)
class Explanation:
    """A trap in plain words, and one question that helps test a thought caught in it."""

    name: str
    explain: str
    ask: str

    @property
    def explain_sentence(self) -> str:
        return self.explain[:1].upper() + self.explain[1:] + "."


@cache
def explanations() -> dict[str, Explanation]:
    """The reviewed words for every trap (``companion/copy/traps.toml``)."""
    text = resources.files("steadymind.companion.copy").joinpath("traps.toml").read_text("utf-8")
    raw = tomllib.loads(text)["traps"]
    if set(raw) != set(TRAPS):
        raise ValueError("copy/traps.toml does not explain exactly the thirteen traps")
    return {
        name: Explanation(name, str(raw[name]["explain"]), str(raw[name]["ask"])) for name in TRAPS
    }
