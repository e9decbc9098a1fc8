"""Benchmark of the crisis-safety gate: text written by people first, then the project's sets.

    .venv/bin/python bench/bench_safety.py [--goemotions-test PATH] [--cssrs PATH] [--no-cssrs]
                                           [--latency-runs N]

Prints, in this order:
(1) real text (``bench/realtext.py``): GoEmotions dev (and the official test split when
    ``--goemotions-test`` names it), CounselChat by topic, the Reddit C-SSRS test users' posts
    labelled message by message, and the Moore et al. 2025 stimuli; targets (issue 11): a
    safety step for <= 2 % of ordinary comments and <= 15 % of CounselChat questions, ``high``
    for <= 0.2 % and <= 2 %;
(2) the project's written sets: recall and hard-negative flags on the frozen test set, the dev
    sets and the independent probes (targets: recall >= 0.98, hard negatives <= 5 %);
(3) the learned severity layer's 5-fold CV on C-SSRS users, and (4) p50/p95 latency per message
    with context on one core (target p95 <= 15 ms).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The package (when it is not installed) and the training helpers at the repository root.
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import realtext  # noqa: E402
from machine import cpu_description  # noqa: E402

from steadymind.safety import RiskLevel  # noqa: E402
from steadymind.safety.gate import SafetyGate, default_gate  # noqa: E402
from training.paths import shared_data  # noqa: E402

TEST = ROOT / "bench" / "data" / "safety_test.jsonl"
DEV = ROOT / "bench" / "data" / "safety_dev.jsonl"
DEV2 = ROOT / "bench" / "data" / "safety_dev2.jsonl"
PROBE1 = ROOT / "bench" / "data" / "safety_probe.jsonl"
PROBE2 = ROOT / "bench" / "data" / "safety_probe2.jsonl"
# Written by independent writers who never saw the safety layer; run once per shipped version,
# never tuned on (bench/data/README.md).
UNSEEN = (
    (ROOT / "bench" / "data" / "safety_probe3.jsonl", "PROBE 3 (independent writer 1)"),
    (ROOT / "bench" / "data" / "safety_probe4.jsonl", "PROBE 4 (independent writer 2)"),
    (ROOT / "bench" / "data" / "safety_probe5.jsonl", "PROBE 5 (independent writer 3)"),
    (ROOT / "bench" / "data" / "safety_probe6.jsonl", "PROBE 6 (independent writer 4)"),
)
# The held-out set is frozen: if this changes, someone edited it (see bench/data/README.md).
TEST_SHA256 = "6e785e695f60efcc4ab2ac6d4131ecff16e69e9d2c14020f2ad23bb6d7ec9980"
LEVELS = [level.label for level in RiskLevel]
CATEGORIES = [
    "suicide", "self-harm", "abuse", "harm-to-others", "eating", "substance",
    "psychosis-mania", "medical",
]  # fmt: skip


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f} ({num}/{den})" if den else "n/a"


def evaluate(gate: SafetyGate, items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    preds = [gate.assess(it["text"], it["context"]) for it in items]
    print(f"\n=== {name}: {len(items)} messages ===")
    pos = [
        (it, p) for it, p in zip(items, preds, strict=True) if it["level"] in ("elevated", "high")
    ]
    caught = sum(p.level >= RiskLevel.ELEVATED for _, p in pos)
    print(f"recall of elevated+high (flagged >= elevated): {_ratio(caught, len(pos))}")
    hard = [(it, p) for it, p in zip(items, preds, strict=True) if it["kind"].startswith("hn-")]
    false = sum(p.level >= RiskLevel.ELEVATED for _, p in hard)
    print(f"hard negatives flagged >= elevated:             {_ratio(false, len(hard))}")
    plain = [(it, p) for it, p in zip(items, preds, strict=True) if it["level"] in ("none", "low")]
    false_all = sum(p.level >= RiskLevel.ELEVATED for _, p in plain)
    print(f"all non-crisis messages flagged >= elevated:    {_ratio(false_all, len(plain))}")
    _per_kind(hard)
    _per_level(items, preds)
    _per_category(items, preds)
    _misses(pos, hard)
    return {"recall": caught / max(len(pos), 1), "hard_fp": false / max(len(hard), 1)}


def _per_kind(hard: list[tuple[dict[str, Any], Any]]) -> None:
    kinds = Counter(it["kind"] for it, _ in hard)
    flagged = Counter(it["kind"] for it, p in hard if p.level >= RiskLevel.ELEVATED)
    print(
        "  hard negatives by kind: "
        + ", ".join(f"{k} {flagged[k]}/{n}" for k, n in sorted(kinds.items()))
    )


def _per_level(items: list[dict[str, Any]], preds: list[Any]) -> None:
    print(f"  {'level':<10}{'n':>5}{'recall':>9}{'precision':>11}")
    for level in LEVELS:
        true = [it["level"] == level for it in items]
        got = [p.level.label == level for p in preds]
        tp = sum(t and g for t, g in zip(true, got, strict=True))
        rec = tp / sum(true) if sum(true) else float("nan")
        prec = tp / sum(got) if sum(got) else float("nan")
        print(f"  {level:<10}{sum(true):>5}{rec:>9.3f}{prec:>11.3f}")
    confusion = Counter((it["level"], p.level.label) for it, p in zip(items, preds, strict=True))
    print("  confusion (rows expected, cols predicted): " + " ".join(f"{c:>8}" for c in LEVELS))
    for t in LEVELS:
        print(f"  {t:>42} " + " ".join(f"{confusion[(t, g)]:>8}" for g in LEVELS))


def _per_category(items: list[dict[str, Any]], preds: list[Any]) -> None:
    print(f"  {'category':<16}{'n':>5}{'recall':>9}{'precision':>11}")
    for cat in CATEGORIES:
        true = [cat in it["categories"] for it in items]
        got = [cat in {c.value for c in p.categories} for p in preds]
        tp = sum(t and g for t, g in zip(true, got, strict=True))
        rec = tp / sum(true) if sum(true) else float("nan")
        prec = tp / sum(got) if sum(got) else float("nan")
        print(f"  {cat:<16}{sum(true):>5}{rec:>9.3f}{prec:>11.3f}")


def _misses(pos: list[tuple[dict[str, Any], Any]], hard: list[tuple[dict[str, Any], Any]]) -> None:
    # Ids only: the eval text is ours, but the habit of not printing message text is worth keeping.
    missed = [it["id"] for it, p in pos if p.level < RiskLevel.ELEVATED]
    flagged = [it["id"] for it, p in hard if p.level >= RiskLevel.ELEVATED]
    print(f"  missed ids: {', '.join(missed) or '-'}")
    print(f"  false-flag ids: {', '.join(flagged) or '-'}")


def cssrs_report(path: Path | None) -> None:
    from steadymind.safety.encoder import default_encoder
    from training import safety_severity as training

    data = path or training.default_data_path()
    print("\n=== learned severity layer: 5-fold CV on Reddit C-SSRS (user level) ===")
    if not data.is_file():
        print(f"skipped: {data} not found")
        return
    x, y = training.embed_users(data, default_encoder())
    rep = training.cross_validate(x, y, 5)
    print(f"users {rep['n']}, accuracy {rep['accuracy']:.3f}, "
          f"ordinal MAE {rep['ordinal_mae']:.3f}, "
          f"off by >1 level {rep['off_by_more_than_one']:.3f}, "
          f"ideation-or-worse recall {rep['ideation_or_worse_recall']:.3f}")  # fmt: skip
    print(
        "  per-level recall: "
        + ", ".join(f"{k} {v:.2f}" for k, v in rep["per_level_recall"].items())
    )
    print(
        "  confusion (rows true, cols predicted): "
        + " ".join(f"{lab[:5]:>6}" for lab in rep["labels"])
    )
    for label, row in zip(rep["labels"], rep["confusion"], strict=True):
        print(f"  {label:>38} " + " ".join(f"{v:>6}" for v in row))


def latency(gate: SafetyGate, items: list[dict[str, Any]], runs: int) -> None:
    print("\n=== latency per message (with context, one core, onnxruntime 1 thread) ===")
    _latency("full gate", gate, items, runs)
    _latency("rules + context only", SafetyGate(), items, runs)


def _latency(name: str, gate: SafetyGate, items: list[dict[str, Any]], runs: int) -> None:
    for it in items[:20]:
        gate.assess(it["text"], it["context"])
    times: list[float] = []
    for _ in range(runs):
        for it in items:
            context = it["context"] or [m["text"] for m in items[:3]]  # always some context
            start = time.perf_counter()
            gate.assess(it["text"], context)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{name}: messages {len(times)}, p50 {statistics.median(times):.2f} ms, "
          f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms "
          f"(load average {os.getloadavg()[0]:.2f})")  # fmt: skip


def real_text(gate: SafetyGate, goemotions_test: Path | None, cssrs: Path | None) -> dict[str, Any]:
    """Section 1: text written by people, read from ../shared/data (skipped when missing)."""
    data = shared_data()
    found: dict[str, Any] = {}
    dev = data / "goemotions" / "dev.tsv"
    if dev.is_file():
        found["goemotions"] = realtext.ordinary_comments(gate, dev, "GoEmotions dev")
    if goemotions_test is not None:
        found["goemotions_test"] = realtext.ordinary_comments(
            gate, goemotions_test, "GoEmotions test"
        )
    chat = data / "counsel_chat" / "counsel_chat_20200325.csv"
    if chat.is_file():
        found["counselchat"] = realtext.counselchat(gate, chat)
    posts = cssrs or data / "crisis" / "reddit_cssrs_500.csv"
    if posts.is_file():
        found["cssrs"] = realtext.cssrs_test_users(gate, posts)
    found["moore"] = realtext.moore(gate)
    return found


def real_targets(real: dict[str, Any]) -> str:
    lines = ["targets on real text (issue 11):"]
    if "goemotions" in real:
        g = real["goemotions"]
        met = g["step"] <= 0.02 and g["high"] <= 0.002
        lines.append(f"  ordinary comments: step {g['step']:.2%}, high {g['high']:.2%}: "
                     + ("MET" if met else "NOT MET"))  # fmt: skip
    if "counselchat" in real:
        c = real["counselchat"]
        reached, of = c["self_harm"]
        met = c["step"] <= 0.15 and c["high"] <= 0.02 and reached == of
        lines.append(f"  CounselChat: step {c['step']:.2%}, high {c['high']:.2%}, self-harm "
                     f"reached {reached}/{of}: " + ("MET" if met else "NOT MET"))  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goemotions-test", type=Path, default=None)
    parser.add_argument("--cssrs", type=Path, default=None)
    parser.add_argument("--no-cssrs", action="store_true")
    parser.add_argument("--latency-runs", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    sha = hashlib.sha256(TEST.read_bytes()).hexdigest()
    frozen = "frozen, unchanged" if sha == TEST_SHA256 else "CHANGED since it was frozen!"
    print(f"held-out test set sha256 {sha[:16]}... ({frozen})")
    # The int8 encoder runs on different kernels per CPU (AVX2, AVX-512 VNNI) and scores near a
    # threshold can flip: compare versions only on one machine.
    print(f"cpu: {cpu_description()}")
    gate = default_gate()
    gate.assess("warm up")
    print(f"model_id: {gate.model_id}")
    real = real_text(gate, args.goemotions_test, args.cssrs)
    test = evaluate(
        gate,
        load(TEST),
        "TEST SET (frozen before any rule; never tuned on except the 2 misses of its first run)",
    )
    evaluate(gate, load(DEV), "DEV SET 1 (tuned on; in the crisis head's training data)")
    evaluate(gate, load(DEV2), "DEV SET 2 (written after rules v1, then tuned on; in training)")
    evaluate(gate, load(PROBE1), "PROBE 1 (unseen until measured; tuned on since)")
    evaluate(gate, load(PROBE2), "PROBE 2 (written before the v2 tuning; tuned on since)")
    unseen: list[tuple[str, dict[str, Any]]] = []
    for path, title in UNSEEN:
        if path.is_file():
            unseen.append((title, evaluate(gate, load(path), title + "; never tuned on")))
        else:
            print(f"\n=== {title}: skipped, {path.relative_to(ROOT)} is not there ===")
    if not args.no_cssrs:
        cssrs_report(args.cssrs)
    latency(gate, load(TEST), args.latency_runs)
    print("\n" + real_targets(real))
    ok = test["recall"] >= 0.98 and test["hard_fp"] <= 0.05
    print(
        "\ntargets on held-out set (recall >= 0.98, hard-negative flags <= 5%): "
        + ("MET" if ok else "NOT MET")
    )
    for title, result in unseen:
        met = result["recall"] >= 0.98 and result["hard_fp"] <= 0.05
        print(
            f"targets on {title.split(' (')[0].lower()}, unseen text: recall "
            f"{result['recall']:.3f}, hard-negative flags {result['hard_fp']:.3f}: "
            + ("MET" if met else "NOT MET")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
