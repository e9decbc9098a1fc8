"""Offline sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run with onnxruntime on one thread.

The artefact and its tokenizer are checked against the sha256 in ``models/encoder.json`` when
loaded: a corrupt or swapped model raises :class:`~steadymind.core.errors.ModelError` instead of
silently producing different risk scores.
Rebuilt by ``python -m steadymind.training.safety_finetune`` (see docs/models/safety.md).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from steadymind.core.checksums import file_sha256
from steadymind.core.errors import ModelError

MODELS_DIR = Path(__file__).parent / "models"
MANIFEST = "encoder.json"


def read_manifest(directory: Path, name: str) -> dict[str, Any]:
    try:
        data = json.loads((directory / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"Model manifest {name} is missing or unreadable.") from exc
    if not isinstance(data, dict) or data.get("format_version") != 1:
        raise ModelError(f"Model manifest {name} has an unknown format.")
    return data


def verify_files(directory: Path, files: dict[str, str]) -> None:
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise ModelError(f"Model file {name} is missing.")
        if file_sha256(path) != expected:
            raise ModelError(f"Model file {name} failed its checksum.")


class Outputs(NamedTuple):
    """One encoder run: the embedding and, for the fine-tuned encoder, its heads' probabilities."""

    embedding: npt.NDArray[np.float32]
    crisis: float | None  # P(elevated or worse); None for an encoder without the crisis head
    high: float | None  # P(high); None for an encoder exported before v4


class Encoder:
    """Text -> unit-length 384-d embedding. Thread-safe for concurrent ``encode`` calls."""

    def __init__(self, directory: Path = MODELS_DIR, *, threads: int = 1) -> None:
        manifest = read_manifest(directory, MANIFEST)
        files: dict[str, str] = manifest["files"]
        verify_files(directory, files)
        self.model_id: str = manifest["model_id"]
        self.max_tokens: int = int(manifest["max_tokens"])
        onnx_name = next(name for name in files if name.endswith(".onnx"))
        self._session, self._tokenizer = self._load(directory, onnx_name, threads)
        self._outputs = len(self._session.get_outputs())
        self._cache: dict[str, Outputs] = {}
        self._cache_lock = threading.Lock()

    def _load(self, directory: Path, onnx_name: str, threads: int) -> tuple[Any, Any]:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are runtime dependencies
            raise ModelError("onnxruntime and tokenizers are required for the encoder.") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            session = ort.InferenceSession(
                str(directory / onnx_name), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError("The sentence encoder could not be loaded.") from exc
        tokenizer.enable_truncation(max_length=self.max_tokens)
        return session, tokenizer

    def encode(self, text: str) -> npt.NDArray[np.float32]:
        """Embedding of ``text``; the last few are cached because several layers share them."""
        return self.run(text).embedding

    def crisis_score(self, text: str) -> float | None:
        """The fine-tuned crisis probability of ``text`` (same model run as ``encode``).

        None for an encoder exported without the crisis output.
        """
        return self.run(text).crisis

    @property
    def has_crisis_output(self) -> bool:
        return self._outputs >= 2

    def run(self, text: str) -> Outputs:
        """Every output of one encoder run on ``text``; the last few runs are cached."""
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

    def _encode(self, text: str) -> Outputs:
        enc = self._tokenizer.encode(text)
        feeds = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        outs = self._session.run(None, feeds)
        crisis = float(outs[1][0]) if len(outs) > 1 else None
        high = float(outs[2][0]) if len(outs) > 2 else None
        return Outputs(np.asarray(outs[0][0], dtype=np.float32), crisis, high)


_lock = threading.Lock()
_default: Encoder | None = None


def default_encoder() -> Encoder:
    """The shipped encoder, loaded once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = Encoder()
        return _default
