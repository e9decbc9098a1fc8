"""Choose the thresholds of the crisis head (the fine-tuned encoder's crisis output).

    python -m training.safety_finetune --validate     # training env: writes held-out scores
    python -m training.safety_crisis_head [--scores PATH]

The validation run fine-tunes the encoder with exactly the shipped recipe but on the written
training set only, and scores dev sets 1 and 2 and probe sets 1 and 2, which that model has not
seen. On those 324 messages this script simulates the gate: a message is flagged when the rules
and context flag it (``SafetyGate()``), or when the crisis score reaches ``threshold`` on a
message without a harmless reading (``readings.py``), or ``cautious_threshold`` on one with a
harmless reading. Recall first:

- ``cautious_threshold``: the score that at most ``CAUTIOUS_FLAG_RATE`` of the hard negatives
  *with* a harmless reading reach, and at least ``CAUTIOUS_FLOOR``: a message the rules read as
  harmless flags only when the model is nearly sure. (With 5 % alone it came out at 0.76 and
  let explicit negations through; on the validation sets every positive with a harmless
  reading is flagged by the rules or the context layer, so the floor costs no recall there);
- ``threshold``: then the highest score that keeps the simulated recall of elevated+high at
  ``TARGET_RECALL``;
- ``high_threshold`` (v4, on the ``high`` output): among the messages the simulated gate flags
  whose expected level is *below* ``high``, at most ``HIGH_OVERCALL_RATE`` may reach it (so the
  learned layer rarely tells someone at ``elevated`` to call emergency services), and at least
  ``HIGH_FLOOR``. It applies only to chunks without a harmless reading.

The shipped encoder is trained on more data (the training set, prototypes and dev sets 1 and 2),
so its scores on these sets are in-sample and are not used here. The report (with the sha256 of
the scores and the training data) is stored in ``crisis_head.json`` together with a checksum, in
the build folder ``build/models/safety/`` (for the encoder there).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from steadymind.models.manifest import read_manifest
from steadymind.safety import readings
from steadymind.safety.gate import SafetyGate
from steadymind.safety.semantic import CRISIS_HEAD, CRISIS_HEAD_ROLE, head_sha
from steadymind.safety.text import clean, is_meaningful
from steadymind.safety.types import RiskLevel
from training.artefacts import record, working_copy
from training.paths import TRAIN_SET

DEFAULT_SCORES = Path(tempfile.gettempdir()) / "safety_finetune_val.json"
TARGET_RECALL = 0.99
CAUTIOUS_FLAG_RATE = 0.05
CAUTIOUS_FLOOR = 0.95
HIGH_OVERCALL_RATE = 0.10
HIGH_FLOOR = 0.5


def simulate(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    gate = SafetyGate()
    rules = np.array(
        [gate.assess(r["text"], r["context"]).level >= RiskLevel.ELEVATED for r in rows]
    )
    reading = [
        readings.read(clean(r["text"]))[0][1] if is_meaningful(r["text"]) else "empty" for r in rows
    ]
    return {
        "rules": rules,
        "cautious": np.array([x is not None for x in reading]),
        "empty": np.array([x == "empty" for x in reading]),
        "score": np.array([float(r["score"]) for r in rows]),
        "high_score": np.array([float(r.get("high_score", 0.0)) for r in rows]),
        "y": np.array([r["level"] in ("elevated", "high") for r in rows]),
        "y_high": np.array([r["level"] == "high" for r in rows]),
        "hard": np.array([r["kind"].startswith("hn-") for r in rows]),
    }


def flagged(sim: dict[str, np.ndarray], t: float, tc: float) -> np.ndarray:
    learned = np.where(sim["cautious"], sim["score"] >= tc, sim["score"] >= t) & ~sim["empty"]
    result: np.ndarray = sim["rules"] | learned
    return result


def said_high(sim: dict[str, np.ndarray], t: float, th: float) -> np.ndarray:
    """Messages the learned layer calls ``high`` (flagged, no harmless reading, P(high) >= th)."""
    # Such a chunk is flagged by the learned layer itself, so no need to ask ``flagged``.
    result: np.ndarray = (
        (sim["score"] >= t) & ~sim["cautious"] & ~sim["empty"] & (sim["high_score"] >= th)
    )
    return result


def choose_high(sim: dict[str, np.ndarray], t: float, tc: float) -> float:
    below = flagged(sim, t, tc) & ~sim["y_high"] & ~sim["cautious"] & ~sim["empty"]
    scores = sim["high_score"][below]
    th = float(np.quantile(scores, 1 - HIGH_OVERCALL_RATE)) if len(scores) else 1.0
    return round(min(max(th, HIGH_FLOOR), 1.0), 4)


def choose(sim: dict[str, np.ndarray]) -> tuple[float, float]:
    hn_read = sim["score"][sim["hard"] & sim["cautious"]]
    tc = float(np.quantile(hn_read, 1 - CAUTIOUS_FLAG_RATE)) if len(hn_read) else 0.99
    tc = round(min(max(tc, CAUTIOUS_FLOOR), 0.99), 4)
    for t in sorted({round(float(s), 4) for s in sim["score"]} | {0.01}, reverse=True):
        if t > tc:
            continue
        if flagged(sim, t, tc)[sim["y"]].mean() >= TARGET_RECALL:
            return t, tc
    return 0.01, tc


def summary(sim: dict[str, np.ndarray], t: float, tc: float) -> dict[str, str]:
    f = flagged(sim, t, tc)
    return {
        "recall": f"{int(f[sim['y']].sum())}/{int(sim['y'].sum())}",
        "hard_negatives_flagged": f"{int(f[sim['hard']].sum())}/{int(sim['hard'].sum())}",
        "non_crisis_flagged": f"{int(f[~sim['y']].sum())}/{int((~sim['y']).sum())}",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scores", type=Path, default=DEFAULT_SCORES)
    parser.add_argument(
        "--held-out-scores",
        type=Path,
        help="scores of a writer's batch the validation model left out (safety_finetune "
        "--hold-out): reported with the chosen thresholds, never used to choose them",
    )
    args = parser.parse_args()
    raw = args.scores.read_bytes()
    scored: dict[str, list[dict[str, Any]]] = json.loads(raw)
    rows = [r for name in sorted(scored) for r in scored[name]]
    sim = simulate(rows)
    t, tc = choose(sim)
    th = choose_high(sim, t, tc)
    report: dict[str, Any] = {
        "target_recall": TARGET_RECALL,
        "cautious_flag_rate": CAUTIOUS_FLAG_RATE,
        "cautious_floor": CAUTIOUS_FLOOR,
        "high_overcall_rate": HIGH_OVERCALL_RATE,
        "high_floor": HIGH_FLOOR,
        "scores_sha256": hashlib.sha256(raw).hexdigest(),
        "train_set_sha256": hashlib.sha256(TRAIN_SET.read_bytes()).hexdigest(),
        "per_set": {},
    }
    for name in sorted(scored):
        report["per_set"][name] = summary(simulate(scored[name]), t, tc)
    if args.held_out_scores:
        held: dict[str, list[dict[str, Any]]] = json.loads(args.held_out_scores.read_bytes())
        report["held_out"] = {name: summary(simulate(part), t, tc) for name, part in held.items()}
    f = flagged(sim, t, tc)
    report["recall"] = float(f[sim["y"]].mean())
    report["hard_negative_flag_rate"] = float(f[sim["hard"]].mean())
    high = said_high(sim, t, th)
    report["high_called_by_learned_layer"] = {
        "expected_high": f"{int(high[sim['y_high']].sum())}/{int(sim['y_high'].sum())}",
        "expected_below_high": f"{int(high[~sim['y_high']].sum())}/{int((~sim['y_high']).sum())}",
    }
    out = working_copy("safety")
    head: dict[str, Any] = {
        "format_version": 4,
        "model_id": "crisis-finetuned-thresholds@4",
        "encoder_model_id": read_manifest(out).model_id,
        "threshold": t,
        "cautious_threshold": tc,
        "high_threshold": th,
        "validation": report,
    }
    head["sha256"] = head_sha(head)
    (out / CRISIS_HEAD).write_text(json.dumps(head, indent=1) + "\n", encoding="utf-8")
    record(out, {CRISIS_HEAD_ROLE: CRISIS_HEAD})
    print(json.dumps(head, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
