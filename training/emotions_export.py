"""Export the fine-tuned emotion model to int8 ONNX, tune thresholds on dev, write the manifest.

A helper of ``training.emotions`` (which also re-exports a saved checkpoint:
``python -m training.emotions --checkpoint PATH``). Steps: fp32 ONNX (probabilities out) ->
dynamic int8 quantization -> dev probabilities from both through the runtime's own engine and
tokenisation -> per-label thresholds tuned on dev (fine and Ekman) -> a format-2 manifest with
the sha256 of every file, in the build folder (``build/models/emotions/`` by default). Both fp32
and int8 dev figures go into the manifest so the card can show what quantization cost.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

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
from steadymind.models.manifest import Manifest, hash_files, write_manifest
from training.datasets import read_goemotions
from training.minilm import BASE_MODEL, MAX_TOKENS, TOKENIZER_FILE, quantize_int8

log = logging.getLogger("training.emotions")

CARD = "docs/models/emotions.md"


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


def dev_probs(onnx_path: Path, tok_path: Path, texts: list[str]) -> npt.NDArray[np.float32]:
    """Dev probabilities through the runtime engine, so tuning sees what users will get."""
    from steadymind.affect.engine import OnnxEmotionEngine
    from steadymind.affect.normalize import normalize

    engine = OnnxEmotionEngine(onnx_path, tok_path, max_tokens=MAX_TOKENS, threads=2)
    return engine.probabilities([normalize(t) for t in texts])[0]


Matrix = npt.NDArray[Any]


def evaluate(probs: Matrix, gold: Matrix, t: Matrix, te: Matrix) -> dict[str, float]:
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
    quantize_int8(fp32, int8)
    shutil.copyfile(tok_path, out / TOKENIZER_FILE)
    write_build_manifest(fp32, int8, out / TOKENIZER_FILE, args)


def write_build_manifest(fp32: Path, int8: Path, tok: Path, args: argparse.Namespace) -> None:
    t, te, metrics = tune_on_dev(fp32, int8, tok, args.data / "dev.tsv")
    path = write_manifest(int8.parent, build_manifest(int8, tok, args, (t, te), metrics))
    log.info("wrote %s (%d bytes model)", path, int8.stat().st_size)


def tune_on_dev(
    fp32: Path, int8: Path, tok: Path, dev: Path
) -> tuple[Matrix, Matrix, dict[str, dict[str, float]]]:
    """Thresholds tuned on the int8 model's dev probabilities, and dev figures of both models."""
    texts, gold = read_goemotions(dev)
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
    return t, te, metrics


def build_manifest(
    int8: Path,
    tok: Path,
    args: argparse.Namespace,
    thresholds: tuple[Matrix, Matrix],
    metrics: dict[str, dict[str, float]],
) -> Manifest:
    t, te = thresholds
    base = BASE_MODEL + (f", first {args.layers} layers" if args.layers else "")
    teacher = args.teacher.name if args.teacher else None
    return Manifest(
        # The id names the weights (the runtime checks it): readings record it.
        model_id=f"{args.name}+{file_sha256(int8)[:12]}",
        source=f"{base}; fine-tuned on GoEmotions train"
        + (f", distilled from {teacher}" if teacher else ""),
        licence="Apache-2.0",
        card=CARD,
        files=hash_files(int8.parent, {"model": int8.name, "tokenizer": tok.name}),
        config={
            "name": args.name,
            "max_tokens": MAX_TOKENS,
            "labels": list(LABELS),
            "thresholds": [round(float(x), 3) for x in t],
            "ekman_labels": list(EKMAN_LABELS),
            "ekman_mapping": {k: list(v) for k, v in EKMAN_MAPPING.items()},
            "ekman_thresholds": [round(float(x), 3) for x in te],
        },
        training={
            "settings": {
                k: str(v)
                for k, v in vars(args).items()
                if k not in {"out", "work", "data", "checkpoint", "teacher"}
            },
            "dev_metrics": metrics,
            "base_model": base,
            "teacher": teacher,
        },
    )
