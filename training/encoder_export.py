"""Export the plain all-MiniLM-L6-v2 as an int8 ONNX sentence encoder (the safety layer's v1).

Run from the repository root in the training environment (``pip install -e '.[train]'``):

    python -m training.encoder_export

Writes ``build/models/minilm-plain/`` (not shipped since crisis head v2: the shipped safety
encoder comes from ``safety_finetune``, which fine-tunes the same checkpoint). The graph includes
mean pooling and L2 normalisation so that the runtime needs only onnxruntime, ``tokenizers`` and
numpy. Weights are quantised dynamically to int8: the artefact stays small (< 30 MB) and fast on
one core; the script checks that int8 embeddings stay close to the float ones before writing.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from steadymind.models.manifest import Manifest, hash_files, write_manifest
from training.minilm import (
    BASE_MODEL,
    MAX_TOKENS,
    TOKENIZER_FILE,
    checkpoint_dir,
    offline,
    quantize_int8,
    require_export,
    write_tokenizer,
)
from training.paths import build_dir

NAME = "minilm-plain"
ENCODER_FILE = "minilm-l6-v2-int8.onnx"
PROBE = [
    "I want to die",
    "this workout is killing me",
    "Had a lovely walk by the river this morning",
    "which bridges are taller than 25 m?",
]


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

    from steadymind.models import onnx

    tok = onnx.tokenizer(tokenizer_path, max_tokens=MAX_TOKENS)
    worst = 0.0
    sessions = [onnx.session(p) for p in (float_path, int8_path)]
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


def main() -> None:
    offline()
    torch, transformers = require_export()
    torch.set_num_threads(1)
    src = checkpoint_dir()
    out = build_dir(NAME)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        _export_float(torch, _pooled_module(torch, transformers, src), float_path)
        int8_path = Path(tmp) / ENCODER_FILE
        quantize_int8(float_path, int8_path)
        write_tokenizer(src, out / TOKENIZER_FILE)
        gap = _max_cosine_gap(float_path, int8_path, out / TOKENIZER_FILE)
        print(f"max cosine distance int8 vs float on probes: {gap:.4f}")
        if gap > 0.05:
            sys.exit("int8 encoder drifted too far from float; not writing it")
        shutil.copyfile(int8_path, out / ENCODER_FILE)
    manifest = Manifest(
        model_id="minilm-l6-v2-int8-onnx@1",
        source=BASE_MODEL,
        licence="Apache-2.0",
        card="docs/models/safety.md",
        files=hash_files(out, {"model": ENCODER_FILE, "tokenizer": TOKENIZER_FILE}),
        config={"max_tokens": MAX_TOKENS, "dim": 384, "outputs": ["embedding"]},
    )
    write_manifest(out, manifest)
    print(json.dumps(manifest.to_json(), indent=2))


if __name__ == "__main__":
    main()
