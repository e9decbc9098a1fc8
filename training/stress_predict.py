"""A fitted strain model from licensed data: Stress-Predict (MIT), checked against the rule.

    python -m training.stress_predict STRESS_PREDICT_DIR [--wesad FEATURES.csv] [--json]

STRESS_PREDICT_DIR: a checkout of the public repository ``italha-d/Stress-Predict-Dataset``
(MIT licence, Talha Iqbal 2022): 35 healthy volunteers with an Empatica E4 on the wrist, three
stress tasks (Stroop colour-word test, interview, hyperventilation) with rest between them. Read:
``Raw_data/SXX/IBI.csv`` (the watch's inter-beat intervals: a start time, then seconds since it
and the interval in seconds) and ``Processed_data/Improved_All_Combined_hr_rsp_binary.csv``
(per participant and second, label 1 during a stress task, 0 otherwise: the task times).

Windows as in the WESAD features the rule was checked on: 60 s, every 10 s, kept only when the
whole window is one label and holds at least 30 consecutive beats; per window the mean heart
rate (60 / mean interval) and RMSSD of consecutive beats (an interval whose time step does not
match it means a beat was dropped there: no difference is taken across it).

Each participant is put in their own units as the app does (label-free: median and IQR / 1.349
of all their windows), and a logistic regression on (z heart rate, z RMSSD), the rule's own two
inputs, is compared with the rule ``(z_hr - z_hrv) / 2 > 0.5``:

1. leave one subject out on Stress-Predict (fitted on the other 34 each time);
2. on WESAD's windows (``--wesad``, evaluation only, non-commercial: never trained on), with the
   model fitted on all of Stress-Predict, per WESAD subject (each one held out by construction).

The model ships only if it beats the rule on WESAD (docs/models/stress.md records the outcome):
``--out build/models/stress`` writes it (``coefficients.json`` and a manifest with the figures),
and ``python -m training.promote stress`` copies it into the package.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.features.wearables.stress import THRESHOLD, score
from training.logistic import fit_binary
from training.stress_metrics import load as load_wesad
from training.stress_metrics import metrics, normalised

Array = npt.NDArray[np.float64]
WINDOW, STEP, MIN_BEATS = 60.0, 10.0, 30
L2 = 1.0
# Probabilities for the app's three words, set before any evaluation: "more strain than usual"
# from even odds, "less" below one in five.
HIGHER, LOWER = 0.5, 0.2
SOURCE = "italha-d/Stress-Predict-Dataset (commit f49d2eae603f90c3f0140fbbbae7c0480d651023)"


def stress_intervals(processed: Path) -> dict[int, list[tuple[float, float, int]]]:
    """Per participant: (start, end, label) runs of the per-second labels."""
    runs: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with processed.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            who, at, label = int(row["Participant"]), float(row["Time(sec)"]), int(row["Label"])
            mine = runs[who]
            if mine and mine[-1][2] == label and at - mine[-1][1] <= 2:
                mine[-1] = (mine[-1][0], at + 1, label)
            else:
                mine.append((at, at + 1, label))
    return runs


def beats(ibi: Path) -> tuple[Array, Array]:
    """(the time each beat ended, seconds since the epoch; its interval in seconds)."""
    lines = ibi.read_text(encoding="utf-8").splitlines()
    start = float(lines[0].split(",")[0])
    pairs = np.array([[float(x) for x in line.split(",")] for line in lines[1:] if line.strip()])
    if len(pairs) == 0:
        return np.zeros(0), np.zeros(0)
    return start + pairs[:, 0], pairs[:, 1]


def windows(
    at: Array, rr: Array, runs: list[tuple[float, float, int]]
) -> list[tuple[float, float, int]]:
    """(mean heart rate, RMSSD, label) of each whole-label window with enough beats."""
    consecutive = np.zeros(len(at), dtype=bool)
    consecutive[1:] = np.abs(np.diff(at) - rr[1:]) < 0.05
    out = []
    for first, last, label in runs:
        t = first
        while t + WINDOW <= last:
            inside = (at >= t) & (at < t + WINDOW)
            if inside.sum() >= MIN_BEATS:
                index = np.flatnonzero(inside)
                ms = rr[index] * 1000
                pairs = consecutive[index[1:]]
                if pairs.sum() >= MIN_BEATS - 1:
                    diffs = np.diff(ms)[pairs]
                    rmssd = float(np.sqrt(np.mean(diffs**2)))
                    out.append((60_000 / float(ms.mean()), rmssd, label))
            t += STEP
    return out


def load_stress_predict(folder: Path) -> dict[str, Array]:
    runs = stress_intervals(folder / "Processed_data" / "Improved_All_Combined_hr_rsp_binary.csv")
    rows: list[tuple[float, float, int, int]] = []
    for who, mine in sorted(runs.items()):
        ibi = folder / "Raw_data" / f"S{who:02d}" / "IBI.csv"
        if not ibi.exists():
            continue
        at, rr = beats(ibi)
        rows += [(hr, rmssd, label, who) for hr, rmssd, label in windows(at, rr, mine)]
    table = np.array(rows)
    return {"hr_mean": table[:, 0], "hrv_rmssd": table[:, 1], "stress": table[:, 2],
            "subject": table[:, 3]}  # fmt: skip


def features(data: dict[str, Array]) -> dict[float, Array]:
    """Per subject: (z heart rate, z RMSSD) in the subject's own units (label-free)."""
    out = {}
    for s in sorted(set(data["subject"].tolist())):
        mine = data["subject"] == s
        out[s] = np.column_stack(
            [normalised(data[k][mine], data[k][mine]) for k in ("hr_mean", "hrv_rmssd")]
        )
    return out


def truth(data: dict[str, Array]) -> dict[float, npt.NDArray[np.int64]]:
    return {
        s: data["stress"][data["subject"] == s].astype(np.int64)
        for s in sorted(set(data["subject"].tolist()))
    }


def fit(x: Array, y: npt.NDArray[np.int64]) -> tuple[Array, float]:
    """Logistic regression on (z heart rate, z HRV), with HRV's weight kept at or below zero.

    Physiology says strain lowers HRV. Fitted freely on Stress-Predict, HRV's weight comes out
    positive (+0.23): one of its three tasks is hyperventilation, whose deep fast breathing
    raises RMSSD, so the data teach that high HRV is stress. A person whose HRV rose would be
    told their strain rose, against the reasons the screen gives. So where the free fit gives
    HRV a positive weight, the model is fitted again on heart rate alone (HRV's weight 0). This
    was decided from the training data and physiology, before the constrained model was run on
    WESAD; the free fit's figures are in the model card too."""
    weights, bias = fit_binary(x, y, np.ones(len(y)), l2=L2)
    if weights[1] <= 0:
        return weights, bias
    heart, bias = fit_binary(x[:, :1], y, np.ones(len(y)), l2=L2)
    return np.array([heart[0], 0.0]), bias


def compare(
    feats: dict[float, Array], ys: dict[float, npt.NDArray[np.int64]], model: Any
) -> dict[str, Any]:
    """The rule and a model (``model(held_out) -> (w, b)``) on every subject held out."""
    collected: dict[str, dict[str, list[Any]]] = {
        m: {"y": [], "p": [], "s": [], "per": []} for m in ("rule", "fitted")
    }
    for held, x in feats.items():
        y = ys[held]
        w, b = model(held)
        rule, fitted = score(x[:, 0], x[:, 1]), x @ w + b
        for name, s, above in (("rule", rule, rule > THRESHOLD), ("fitted", fitted, fitted > 0)):
            p: npt.NDArray[np.int64] = np.asarray(above, dtype=np.int64)
            for k, v in (("y", y), ("p", p), ("s", s)):
                collected[name][k].append(v)
            collected[name]["per"].append(metrics(y, p, s)["balanced_accuracy"])
    out: dict[str, Any] = {"subjects": len(feats), "windows": int(sum(len(y) for y in ys.values()))}
    for name, r in collected.items():
        ya, pa, sa = (np.concatenate(r[k]) for k in ("y", "p", "s"))
        per = np.array(r["per"])
        found = metrics(ya.astype(np.int64), pa.astype(np.int64), sa)
        out[name] = {
            **found,
            "subject_median": float(np.median(per)),
            "subject_min": float(per.min()),
        }
    return out


def run(folder: Path, wesad: Path | None) -> dict[str, Any]:
    data = load_stress_predict(folder)
    feats, ys = features(data), truth(data)

    def loso(held: float) -> tuple[Array, float]:
        x = np.vstack([feats[s] for s in feats if s != held])
        return fit(x, np.concatenate([ys[s] for s in ys if s != held]))

    report: dict[str, Any] = {"stress_predict_loso": compare(feats, ys, loso)}
    w, b = fit(np.vstack(list(feats.values())), np.concatenate(list(ys.values())))
    report["model"] = {"weights": [float(v) for v in w], "bias": float(b)}
    if wesad is not None:
        raw = load_wesad(wesad)
        stress = (raw["label"] == 2).astype(np.float64)
        other = {"hr_mean": raw["hr_mean"], "hrv_rmssd": raw["hrv_rmssd"], "stress": stress,
                 "subject": raw["subject"]}  # fmt: skip
        report["wesad"] = compare(features(other), truth(other), lambda held: (w, b))
    return report


def write_model(out: Path, report: dict[str, Any]) -> str:
    """``coefficients.json`` and its manifest in ``out``; the model's id."""
    import hashlib

    from steadymind.models.manifest import Manifest, hash_files, write_manifest

    out.mkdir(parents=True, exist_ok=True)
    model = report["model"]
    coefficients = {"inputs": ["z_heart_rate", "z_hrv"], "weights": model["weights"],
                    "bias": model["bias"], "higher": HIGHER, "lower": LOWER}  # fmt: skip
    data = json.dumps(coefficients, indent=2) + "\n"
    (out / "coefficients.json").write_text(data, encoding="utf-8")
    model_id = f"strain-logreg-stresspredict@1-{hashlib.sha256(data.encode()).hexdigest()[:8]}"
    figures = {k: report[k] for k in ("stress_predict_loso", "wesad") if k in report}
    manifest = Manifest(
        model_id=model_id,
        source=f"logistic regression trained by training.stress_predict on {SOURCE}",
        licence="MIT (Stress-Predict dataset, Talha Iqbal 2022); the coefficients: the project's",
        card="docs/models/stress.md",
        files=hash_files(out, {"coefficients": "coefficients.json"}),
        config={"window_seconds": WINDOW, "l2": L2},
        training={"figures": figures, "min_beats": MIN_BEATS, "step_seconds": STEP},
    )
    write_manifest(out, manifest)
    return model_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--wesad", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=Path, help="write the model here (build/models/stress)")
    args = parser.parse_args()
    report = run(args.folder, args.wesad)
    if args.out is not None:
        print(f"wrote {write_model(args.out, report)} to {args.out}")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"model fitted on all of Stress-Predict: {report['model']}")
    for part in ("stress_predict_loso", "wesad"):
        if part not in report:
            continue
        found = report[part]
        print(f"{part}: {found['subjects']} subjects, {found['windows']} windows")
        for name in ("rule", "fitted"):
            m = found[name]
            print(f"  {name:<7} balanced accuracy {m['balanced_accuracy']:.3f}  F1(stress) "
                  f"{m['f1_stress']:.3f}  AUC {m['auc']:.3f}  accuracy {m['accuracy']:.3f}  "
                  f"per subject median {m['subject_median']:.2f} "
                  f"(min {m['subject_min']:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
