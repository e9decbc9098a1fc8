"""Train the learned severity layer of the safety gate from the Reddit C-SSRS data.

    python -m training.safety_severity [--data PATH] [--folds 5]

Data: ``../shared/data/crisis/reddit_cssrs_500.csv`` (``STEADYMIND_SHARED_DATA`` moves it; Gaur
et al., WWW 2019; CC BY; DATA.md: Train): 500 Reddit users, each with a list of posts and one
label on the C-SSRS-derived scale Supportive < Indicator < Ideation < Behavior < Attempt.

Features are the int8 MiniLM sentence embeddings of the encoder being built
(``build/models/safety/``, through ``steadymind.safety.encoder``), so training and runtime see
exactly the same numbers. A user is represented by the mean of their post embeddings.
The head is an L2-regularised softmax regression fitted in numpy (no scikit-learn at runtime or
here); it is small enough to store as JSON. Cross-validation (stratified by label) reports
per-level recall, mean absolute ordinal error and the confusion matrix; the final head is fitted
on all 500 users, and written as ``severity_head.json`` into the build folder. Embeddings are
cached outside the repository, keyed by data and model hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.safety.encoder import Encoder
from steadymind.safety.severity import HEAD_FILE, HEAD_ROLE, LABELS
from training.artefacts import record, working_copy
from training.datasets import read_cssrs
from training.paths import shared_data
from training.softmax import L2, STEPS, fit, linear_head, softmax, standardise

CACHE_DIR = Path.home() / ".cache" / "steadymind"
SEED = 20261123

Array = npt.NDArray[np.float64]


def default_data_path() -> Path:
    return shared_data() / "crisis" / "reddit_cssrs_500.csv"


def load_rows(path: Path) -> tuple[list[list[str]], npt.NDArray[np.int64]]:
    users = read_cssrs(path)
    labels = [LABELS.index(label) for _, label in users]
    return [posts for posts, _ in users], np.asarray(labels, dtype=np.int64)


def embed_users(path: Path, encoder: Encoder) -> tuple[Array, npt.NDArray[np.int64]]:
    """Mean post embedding per user, cached by (data sha, model id)."""
    key = hashlib.sha256(path.read_bytes()).hexdigest()[:16] + "-" + encoder.model_id
    cache = CACHE_DIR / f"cssrs-{key.replace('@', '_')}.npz"
    if cache.is_file():
        saved = np.load(cache)
        return saved["x"], saved["y"]
    users, y = load_rows(path)
    x = np.zeros((len(users), 384), dtype=np.float64)
    for i, posts in enumerate(users):
        vecs = np.stack([encoder.encode(p) for p in posts]) if posts else np.zeros((1, 384))
        mean = vecs.mean(axis=0)
        x[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y)
    return x, y


def folds(y: npt.NDArray[np.int64], k: int) -> list[npt.NDArray[np.int64]]:
    """Stratified fold indices, deterministic."""
    rng = np.random.default_rng(SEED)
    parts: list[list[int]] = [[] for _ in range(k)]
    for label in range(int(y.max()) + 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            parts[j % k].append(int(i))
    return [np.asarray(sorted(p), dtype=np.int64) for p in parts]


def cross_validate(x: Array, y: npt.NDArray[np.int64], k: int = 5) -> dict[str, Any]:
    """Out-of-fold predictions; the scaler is fitted inside each fold (no leakage)."""
    pred = np.zeros_like(y)
    for test in folds(y, k):
        train = np.setdiff1d(np.arange(len(y)), test)
        mu, sd = standardise(x[train])
        w, b = fit((x[train] - mu) / sd, y[train], n_classes=len(LABELS))
        pred[test] = softmax(((x[test] - mu) / sd) @ w + b).argmax(axis=1)
    return report(y, pred)


def report(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64]) -> dict[str, Any]:
    k = len(LABELS)
    confusion = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y, pred, strict=True):
        confusion[t, p] += 1
    recall = {LABELS[i]: float(confusion[i, i] / max(confusion[i].sum(), 1)) for i in range(k)}
    at_risk = y >= LABELS.index("Ideation")
    return {
        "n": len(y),
        "accuracy": float((y == pred).mean()),
        "per_level_recall": recall,
        "ordinal_mae": float(np.abs(y - pred).mean()),
        "off_by_more_than_one": float((np.abs(y - pred) > 1).mean()),
        "ideation_or_worse_recall": float((pred[at_risk] >= 2).mean()),
        "confusion": confusion.tolist(),
        "labels": list(LABELS),
    }


def save_head(
    fitted: tuple[Array, Array, Array, Array],
    cv: dict[str, Any],
    data_sha: str,
    encoder_id: str,
    out: Path,
) -> Path:
    w, b, mu, sd = fitted
    head = {
        "format_version": 1,
        "model_id": "cssrs-severity-softmax@1",
        "encoder_model_id": encoder_id,
        "labels": list(LABELS),
        **linear_head(w, b, mu, sd),
        "training": {
            "data": "reddit_cssrs_500.csv (Gaur et al. 2019, CC BY)",
            "data_sha256": data_sha,
            "l2": L2,
            "steps": STEPS,
            "cv": {key: cv[key] for key in ("accuracy", "ordinal_mae", "per_level_recall")},
        },
    }
    path = out / HEAD_FILE
    path.write_text(json.dumps(head) + "\n", encoding="utf-8")
    record(out, {HEAD_ROLE: HEAD_FILE})
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_path())
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"C-SSRS data not found at {args.data}", file=sys.stderr)
        return 2
    out = working_copy("safety")
    encoder = Encoder(out)
    x, y = embed_users(args.data, encoder)
    cv = cross_validate(x, y, args.folds)
    print(json.dumps(cv, indent=2))
    mu, sd = standardise(x)
    w, b = fit((x - mu) / sd, y, n_classes=len(LABELS))
    sha = hashlib.sha256(args.data.read_bytes()).hexdigest()
    path = save_head((w, b, mu, sd), cv, sha, encoder.model_id, out)
    print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
