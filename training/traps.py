"""Train the thinking-trap detector (``steadymind.companion.traps``) and write its artefact.

    python -m training.encoder_export     # once: build/models/minilm-plain/ (the encoder)
    python -m training.traps              # build/models/traps/, then: make promote MODEL=traps

Data (docs/models/traps.md): real Reddit passages labelled by two annotators and an adjudication
(``training/data/traps_labels.jsonl``, texts rebuilt from ../shared/data by
``training.traps_passages`` and checked against their hashes), and examples the project wrote from
the published definitions (``training/data/traps_written.jsonl``). The evaluation sets (the
Therapist Q&A set, CounselChat) are never read here.

Features: the plain all-MiniLM-L6-v2 sentence embedding (int8 ONNX) and the thirteen cue flags
(``steadymind.companion.cues``), standardised. Heads: one weighted logistic regression for
*distorted* and one per trap. Everything chosen here is chosen by five-fold cross-validation on
the **real** passages only (the written ones are in every training fold and never scored):

- the ridge strength and the weight of written examples for each head;
- the *distorted* threshold: Youden's J (sensitivity + specificity - 1) on out-of-fold real
  predictions, a point that does not depend on how common traps are in the data, since they are
  rare in Reddit comments and common in what a person writes in a thought record;
- each trap's listing threshold (a second or third trap is named only above it).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.companion.cues import cue_vector
from steadymind.companion.traps import TRAPS
from steadymind.models import onnx
from steadymind.models.manifest import Manifest, hash_files, read_manifest, write_manifest
from training.logistic import calibrate, fit_binary, platt
from training.minilm import MAX_TOKENS
from training.paths import build_dir
from training.traps_data import (
    FOLDS,
    Example,
    auc,
    folds,
    real_examples,
    written_examples,
    youden,
)

Array = npt.NDArray[np.float64]
NAME = "traps"
ENCODER = "minilm-plain"
L2_GRID = (10.0, 100.0, 1000.0)
WRITTEN_WEIGHTS = (0.0, 0.25, 1.0)
MIN_TRAP_THRESHOLD = 0.3


class Embedder:
    def __init__(self, directory: Path) -> None:
        manifest = read_manifest(directory)
        self._session = onnx.session(directory / manifest.files["model"].path)
        self._tokenizer = onnx.tokenizer(
            directory / manifest.files["tokenizer"].path, max_tokens=MAX_TOKENS
        )
        self._output = self._session.get_outputs()[0].name

    def __call__(self, text: str) -> npt.NDArray[np.float32]:
        enc = self._tokenizer.encode(text)
        feeds = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        (out,) = self._session.run([self._output], feeds)
        return np.asarray(out[0], dtype=np.float32)


def features(examples: list[Example], embed: Embedder) -> Array:
    rows = [
        np.concatenate([embed(e.text).astype(np.float64), cue_vector(e.text)]) for e in examples
    ]
    return np.asarray(rows, dtype=np.float64)


def _weights(examples: list[Example], written: float) -> Array:
    return np.asarray([1.0 if e.real else written for e in examples])


def oof_logits(
    x: Array, y: npt.NDArray[np.bool_], examples: list[Example], l2: float, written: float
) -> Array:
    """Out-of-fold logits for every example (the real ones are the ones scored)."""
    fold = folds(examples)
    real = np.asarray([e.real for e in examples])
    out = np.zeros(len(examples))
    w_all = _weights(examples, written)
    for k in range(FOLDS):
        test = (fold == k) & real
        train = ~test & (w_all > 0)
        mean, scale = x[train].mean(0), x[train].std(0) + 1e-6
        w, b = fit_binary((x[train] - mean) / scale, y[train].astype(np.int64), w_all[train], l2=l2)
        out[test] = ((x[test] - mean) / scale) @ w + b
    return out


def choose(
    x: Array, y: npt.NDArray[np.bool_], examples: list[Example], what: str
) -> tuple[float, float, Array, dict[str, Any]]:
    """The (l2, written weight) with the best out-of-fold AUC on the real examples."""
    real = np.asarray([e.real for e in examples])
    grid: dict[str, float] = {}
    best: tuple[float, float, float, Array] | None = None
    weights = WRITTEN_WEIGHTS if (~real).any() else (0.0,)
    for l2 in L2_GRID:
        for written in weights:
            logits = oof_logits(x, y, examples, l2, written)
            score = auc(logits[real], y[real])
            grid[f"l2={l2:g},written={written:g}"] = round(score, 4)
            if best is None or score > best[0] + 1e-4:
                best = (score, l2, written, logits)
    assert best is not None
    print(f"{what}: best real out-of-fold AUC {best[0]:.4f} at l2={best[1]:g}, written={best[2]:g}")
    return best[1], best[2], best[3], {"grid_auc": grid, "auc": round(best[0], 4)}


def best_f1_threshold(p: Array, y: npt.NDArray[np.bool_]) -> float:
    best, threshold = -1.0, 0.5
    for t in np.unique(np.round(p, 3)):
        tp = float(((p >= t) & y).sum())
        f1 = 2 * tp / max(float((p >= t).sum() + y.sum()), 1.0)
        if f1 > best:
            best, threshold = f1, float(t)
    return max(threshold, MIN_TRAP_THRESHOLD)


def fit_final(
    x: Array,
    y: npt.NDArray[np.bool_],
    examples: list[Example],
    l2: float,
    written: float,
    a: float,
    b: float,
    mean: Array,
    scale: Array,
) -> tuple[Array, float]:
    w_all = _weights(examples, written)
    keep = w_all > 0
    w, bias = fit_binary((x[keep] - mean) / scale, y[keep].astype(np.int64), w_all[keep], l2=l2)
    # Platt's scaling folded in: sigmoid(a * (x.w + bias) + b).
    return a * w, a * bias + b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=build_dir(NAME))
    args = parser.parse_args(argv)
    encoder_dir = build_dir(ENCODER)
    if not (encoder_dir / "manifest.json").is_file():
        raise SystemExit("run `python -m training.encoder_export` first (the plain encoder)")
    examples = real_examples() + written_examples()
    embed = Embedder(encoder_dir)
    x = features(examples, embed)
    real = np.asarray([e.real for e in examples])
    print(
        f"{real.sum()} real passages ({sum(e.distorted for e in examples if e.real)} distorted),"
        f" {(~real).sum()} written"
    )
    mean, scale = x.mean(0), x.std(0) + 1e-6

    y = np.asarray([e.distorted for e in examples])
    l2, written, logits, report = choose(x, y, examples, "distorted")
    a, b = calibrate(logits[real], y[real].astype(np.float64))
    p = platt(logits[real], a, b)
    threshold = youden(p, y[real])
    w_d, b_d = fit_final(x, y, examples, l2, written, a, b, mean, scale)
    report |= {"l2": l2, "written_weight": written, "threshold": round(threshold, 4)}

    trap_w, trap_b, trap_t, trap_report = [], [], [], {}
    distorted_real = real & y
    for name in TRAPS:
        yt = np.asarray([name in e.traps for e in examples])
        if yt[real].sum() < 3:
            # Too few real examples to score: the written ones decide alone, at a fixed setting.
            l2_t, written_t, logits_t = 10.0, 1.0, None
            at, bt = 1.0, 0.0
        else:
            l2_t, written_t, logits_t, rep = choose(x, yt, examples, name)
            trap_report[name] = rep | {"real_positives": int(yt[real].sum())}
            at, bt = calibrate(logits_t[real], yt[real].astype(np.float64))
        w_t, b_t = fit_final(x, yt, examples, l2_t, written_t, at, bt, mean, scale)
        trap_w.append(w_t)
        trap_b.append(b_t)
        if logits_t is not None:
            trap_t.append(
                best_f1_threshold(platt(logits_t[distorted_real], at, bt), yt[distorted_real])
            )
        else:
            trap_t.append(0.5)

    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    encoder = read_manifest(encoder_dir)
    for role in ("model", "tokenizer"):
        shutil.copy2(encoder_dir / encoder.files[role].path, out / encoder.files[role].path)
    heads = {
        "traps": list(TRAPS),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "distorted": {"w": w_d.tolist(), "b": b_d, "threshold": threshold},
        "traps_w": [w.tolist() for w in trap_w],
        "traps_b": trap_b,
        "trap_thresholds": trap_t,
    }
    (out / "heads.json").write_text(json.dumps(heads), encoding="utf-8")
    files = {
        "model": encoder.files["model"].path,
        "tokenizer": encoder.files["tokenizer"].path,
        "heads": "heads.json",
    }
    hashed = hash_files(out, files)
    manifest = Manifest(
        model_id=f"traps-minilm-l6-v2-int8@1-{hashed['heads'].sha256[:8]}",
        source=encoder.source + "; heads trained by training.traps",
        licence="Apache-2.0 (encoder); heads: the project's (data: GoEmotions Apache-2.0, "
        "Reddit C-SSRS CC BY, written examples the project's own)",
        card="docs/models/traps.md",
        files=hashed,
        config={"max_tokens": MAX_TOKENS, "dim": int(x.shape[1] - len(TRAPS)), "cues": True},
        training={
            "real_passages": int(real.sum()),
            "real_distorted": int(distorted_real.sum()),
            "written": int((~real).sum()),
            "distorted_head": report,
            "trap_heads": trap_report,
        },
    )
    write_manifest(out, manifest)
    print(
        json.dumps(
            {"distorted": report, "thresholds": dict(zip(TRAPS, trap_t, strict=True))}, indent=1
        )
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
