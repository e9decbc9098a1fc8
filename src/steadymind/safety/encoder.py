"""Offline sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run with onnxruntime on one thread.

The safety artefact (``steadymind/models/safety/``: the encoder, its tokenizer and the heads and
prototype embeddings built on it) is loaded by the one model runtime, which checks every file
against the sha256 in its manifest: a corrupt or swapped model raises
:class:`~steadymind.core.errors.ModelError` instead of silently producing different risk scores.
Rebuilt by ``python -m training.safety_finetune`` (see docs/models/safety.md).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.models import artefact_dir, onnx
from steadymind.models.manifest import Artefact, load_artefact

MODELS_DIR = artefact_dir("safety")
WHAT = "The sentence encoder"


class Encoder:
    """Text -> unit-length 384-d embedding. Thread-safe for concurrent ``encode`` calls."""

    def __init__(self, directory: Path = MODELS_DIR, *, threads: int = 1) -> None:
        # The whole artefact is verified here, so the layers built on this encoder (semantic,
        # severity) read their heads from ``self.artefact`` without hashing anything again.
        self.artefact: Artefact = load_artefact(directory)
        self.model_id: str = self.artefact.model_id
        self.max_tokens: int = int(self.artefact.setting("max_tokens"))
        self._session: Any = onnx.session(self.artefact.path("model"), threads=threads, what=WHAT)
        self._tokenizer = onnx.tokenizer(
            self.artefact.path("tokenizer"), max_tokens=self.max_tokens, what=WHAT
        )
        # The graph also has the crisis and high outputs of its fine-tuning (v4); since the
        # concern head (v5) only the sentence embedding is read.
        self._embedding = self._session.get_outputs()[0].name
        self._cache: dict[str, npt.NDArray[np.float32]] = {}
        self._cache_lock = threading.Lock()

    def encode(self, text: str) -> npt.NDArray[np.float32]:
        """Embedding of ``text``; the last few are cached because several layers share them."""
        with self._cache_lock:
            cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._encode(text)
        with self._cache_lock:
            if len(self._cache) >= 8:
                self._cache.pop(next(iter(self._cache)))
            self._cache[text] = result
        return result

    def _encode(self, text: str) -> npt.NDArray[np.float32]:
        enc = self._tokenizer.encode(text)
        feeds = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        (embedding,) = self._session.run([self._embedding], feeds)
        return np.asarray(embedding[0], dtype=np.float32)


def heads_artefact(encoder: Encoder, directory: Path | None) -> Artefact:
    """Where the layers built on ``encoder`` read their heads: the encoder's own (verified)
    artefact, or the model folder at ``directory`` (verified here)."""
    return encoder.artefact if directory is None else load_artefact(directory)


_lock = threading.Lock()
_default: Encoder | None = None


def default_encoder() -> Encoder:
    """The shipped encoder, loaded once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = Encoder()
        return _default
