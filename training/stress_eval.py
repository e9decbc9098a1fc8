"""Evaluate the wearables' strain estimate on WESAD-derived features, leave one subject out.

    python -m training.stress_eval FEATURES.csv [--json]

FEATURES.csv: one row per window with ``hr_mean`` (bpm), ``hrv_rmssd`` and ``hrv_sdnn`` (ms),
``label`` (WESAD: 1 baseline, 2 stress, 3 amusement) and ``subject``; docs/models/stress.md
names the file used and its licence. Nothing is trained for the app from it (the shipped rule,
``steadymind.features.wearables.stress``, has no fitted parameters); the file is read, never
copied into the repository.

The task is the WESAD paper's binary one: stress against everything else. Each held-out subject
is put in their own units as the app does (median, interquartile range / 1.349), in two ways:

- *label-free*: the usual is all of the subject's windows (as in the app, where the usual is
  the last two months, whatever they held);
- *from rest*: the usual is the subject's baseline condition (a calm reference, as a person
  would have after a quiet fortnight).

Compared, in the same run: the shipped rule; a logistic regression fitted on the other 14
subjects' normalised heart rate and HRV (what fitting would buy); and always answering "not
stress" (the majority). Printed per method: balanced accuracy, F1 of stress, ROC AUC, and the
spread of balanced accuracy over subjects.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.features.wearables.stress import THRESHOLD, score
from training.logistic import fit_binary
from training.stress_metrics import load, metrics, normalised

Array = npt.NDArray[np.float64]


def subject_features(data: dict[str, Array], subject: float, label_free: bool) -> Array:
    mine = data["subject"] == subject
    reference = mine if label_free else mine & (data["label"] == 1)
    return np.column_stack(
        [
            normalised(data[k][mine], data[k][reference])
            for k in ("hr_mean", "hrv_rmssd", "hrv_sdnn")
        ]
    )


def evaluate(data: dict[str, Array], label_free: bool) -> dict[str, Any]:
    subjects = sorted(set(data["subject"].tolist()))
    features = {s: subject_features(data, s, label_free) for s in subjects}
    truth = {s: (data["label"][data["subject"] == s] == 2).astype(np.int64) for s in subjects}
    results: dict[str, dict[str, list[Any]]] = {
        m: {"y": [], "p": [], "s": [], "per_subject": []} for m in ("rule", "fitted", "majority")
    }
    for held in subjects:
        x, y = features[held], truth[held]
        rule = score(x[:, 0], x[:, 1])
        train_x = np.vstack([features[s][:, :2] for s in subjects if s != held])
        train_y = np.concatenate([truth[s] for s in subjects if s != held])
        w, b = fit_binary(train_x, train_y, np.ones(len(train_y)), l2=1.0)
        fitted = x[:, :2] @ w + b
        for name, s, p in (
            ("rule", rule, (rule > THRESHOLD).astype(np.int64)),
            ("fitted", fitted, (fitted > 0).astype(np.int64)),
            ("majority", np.zeros(len(y)), np.zeros(len(y), dtype=np.int64)),
        ):
            results[name]["y"].append(y)
            results[name]["p"].append(p)
            results[name]["s"].append(s)
            results[name]["per_subject"].append(metrics(y, p, s)["balanced_accuracy"])
    out: dict[str, Any] = {}
    for name, r in results.items():
        y, p, s = (np.concatenate(r[k]) for k in ("y", "p", "s"))
        per = np.array(r["per_subject"])
        spread = {
            "subject_min": per.min(),
            "subject_median": np.median(per),
            "subject_max": per.max(),
        }
        out[name] = {**metrics(y, p, s), **{k: float(v) for k, v in spread.items()}}
    out["windows"] = len(data["label"])
    out["subjects"] = len(subjects)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("features", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = load(args.features)
    report = {mode: evaluate(data, mode == "label-free") for mode in ("label-free", "from rest")}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for mode, found in report.items():
        print(f"usual {mode}: {found['subjects']} subjects, {found['windows']} windows, LOSO")
        for name in ("rule", "fitted", "majority"):
            m = found[name]
            print(f"  {name:<9} balanced accuracy {m['balanced_accuracy']:.3f}  F1(stress) "
                  f"{m['f1_stress']:.3f}  AUC {m['auc']:.3f}  accuracy {m['accuracy']:.3f}  "
                  f"per subject {m['subject_min']:.2f}-{m['subject_max']:.2f} "
                  f"(median {m['subject_median']:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
