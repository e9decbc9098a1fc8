"""Train the concern head: does this text call for a safety question? Learned from real writing.

    python -m training.safety_concern [--report PATH]

The learned layer of the crisis gate (v2, issue 11). Its v1 was the encoder's crisis output,
fitted only on messages the project wrote, with thresholds set recall-first on that writing: it
flagged 31 % of ordinary Reddit comments. This head is a logistic regression on the shipped
encoder's sentence embedding, fitted on text people wrote:

- **negatives**: GoEmotions train (Apache-2.0), 43k ordinary Reddit comments, sad, grieving and
  angry ones included; the few that carry risk are relabelled by the labelling protocol
  (``training/data/goemotions_risk_labels.jsonl``, docs/models/safety_labelling.md);
- **positives and hard negatives**: Reddit C-SSRS posts (CC BY) labelled at message level by the
  same protocol (``training/data/cssrs_message_labels.jsonl``): ``ideation`` and ``high`` are
  positives; ``none``, ``distress`` and ``history`` negatives;
- **augmentation**: the project's written set (``training/data/safety_train.jsonl``) at a weight
  below one, so that it may add phrasings but never defines the distribution.

Splits (no figure here is measured on text the head was fitted on):

- C-SSRS users with ``index % 5 == 0`` are the **test users**: never read here; the benchmark
  reports recall on them. Folds 1-3 fit the head (and choose its settings by cross-validation
  between them); fold 4 calibrates it.
- GoEmotions train: comments whose id hashes to ``0`` mod 10 are the **holdout** (calibration,
  the ordinary-text flag budget); the rest fit. GoEmotions dev is never read here (the benchmark
  reports it), nor is CounselChat (evaluation only).

Then: Platt calibration on the holdout and fold 4; the threshold is the score that at most
``FLAG_BUDGET`` of the ordinary holdout comments reach; per-chunk thresholds for a long text of
``n`` chunks keep its chance of a false flag at that of one short text; the cautious threshold
(a chunk the rules read as harmless) allows a tenth of the budget. The head is written into the
safety build (``build/models/safety``) for ``make promote MODEL=safety``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.safety.encoder import Encoder
from steadymind.safety.gate import SafetyGate
from steadymind.safety.semantic import CONCERN_HEAD, CONCERN_HEAD_ROLE, head_sha
from steadymind.safety.text import clean
from steadymind.safety.types import RiskLevel
from training.artefacts import record, working_copy
from training.datasets import VALIDATION_SETS, read_cssrs, read_jsonl
from training.logistic import calibrate, fit_binary, platt, reliability
from training.paths import BENCH_DATA, DATA, REPO, TRAIN_SET, shared_data

MODEL_ID = "concern-head@1"
SEED = 20261130
# Of the ordinary holdout comments, the share the head alone may flag: with the rules' own
# ~0.2 % it stays under the 2 % target with room for a 95 % interval. Fixed before any figure on
# GoEmotions dev or CounselChat was seen.
FLAG_BUDGET = 0.012
CAUTIOUS_SHARE = 0.1  # a chunk with a harmless reading gets a tenth of the budget
TAIL = 256  # highest ordinary scores kept: the rank for one chunk is ~35 of ~4,300
L2_GRID = (1000.0, 3000.0)
WRITTEN_WEIGHTS = (0.0, 0.05, 0.1)
OTHER_WEIGHTS = (0.05, 0.25, 0.5, 1.0)
TOLERANCE = 0.01  # of C-SSRS CV recall: within it, the written dev sets decide
CSSRS_LABELS = DATA / "cssrs_message_labels.jsonl"
GOEMOTIONS_LABELS = DATA / "goemotions_risk_labels.jsonl"
CACHE = REPO / "build" / "cache" / "embeddings"
POSITIVE = {"ideation", "high"}

Array = npt.NDArray[np.float64]


@dataclass
class Split:
    """Texts with labels (1: calls for a question), sample weights and where they came from."""

    texts: list[str] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    w: list[float] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    fold: list[int] = field(default_factory=list)  # C-SSRS user fold; 0 for other sources

    def add(self, text: str, label: int, weight: float, source: str, fold: int = 0) -> None:
        self.texts.append(text)
        self.y.append(label)
        self.w.append(weight)
        self.source.append(source)
        self.fold.append(fold)


def _bucket(key: str, k: int) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % k


def _label_rows(path: Path) -> list[dict[str, Any]]:
    """A label file's rows (its first line is a header with the agreement figures)."""
    return [r for r in read_jsonl(path) if "id" in r] if path.is_file() else []


def goemotions(split: dict[str, Split]) -> None:
    """Train comments: fit or holdout by id; relabelled risky ones count by their label."""
    relabelled = {r["id"]: r["label"] for r in _label_rows(GOEMOTIONS_LABELS)}
    path = shared_data() / "goemotions" / "train.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, comment_id = line.split("\t")[:3]
        label = int(relabelled.get(comment_id, "none") in POSITIVE)
        part = "holdout" if _bucket(comment_id, 10) == 0 else "fit"
        split[part].add(text, label, 1.0, "goemotions")


def cssrs(split: dict[str, Split]) -> None:
    """Message-level labels of the sampled posts; test users are skipped entirely."""
    labels = {r["id"]: r for r in _label_rows(CSSRS_LABELS)}
    users = read_cssrs(shared_data() / "crisis" / "reddit_cssrs_500.csv")
    for u, (posts, _) in enumerate(users):
        fold = u % 5
        if fold == 0:
            continue  # test users: the benchmark's, never read here
        for p, text in enumerate(posts):
            row = labels.get(f"u{u}p{p}")
            if row is None:
                continue
            part = "calibrate" if fold == 4 else "fit"
            label = int(row["label"] in POSITIVE)
            split[part].add(text, label, 1.0, f"cssrs:{row['label']}", fold)


# The categories real labelled text covers (C-SSRS: suicide, self-harm). For the others (abuse,
# eating, substance, psychosis or mania, harm to others, medical) the written set is the only
# source of positives there is, so it may weigh more there; the negatives stay real text.
REAL_CATEGORIES = frozenset({"suicide", "self-harm"})


def written(split: dict[str, Split]) -> None:
    for row in read_jsonl(TRAIN_SET):
        label = int(row["level"] in ("elevated", "high"))
        covered = label == 0 or bool(REAL_CATEGORIES & set(row.get("categories") or []))
        split["fit"].add(
            row["text"], label, 1.0, f"written{'' if covered else '-other'}:{row['kind']}"
        )


def embed(encoder: Encoder, texts: list[str]) -> Array:
    """Sentence embeddings as the gate computes them (cleaned text), cached text by text under
    ``build/cache`` for this encoder, so adding labels does not re-embed 43k comments."""
    if not texts:
        return np.zeros((0, 384))
    path = CACHE / f"{encoder.model_id}.npz"
    cache: dict[str, Array] = {}
    if path.is_file():
        saved = np.load(path)
        cache = dict(zip(saved["keys"].tolist(), saved["matrix"], strict=True))
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]  # noqa: S324 (a key)
    missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in cache]
    for k, t in missing:
        cache[k] = encoder.encode(clean(t)).astype(np.float64)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(cache)), matrix=np.stack(list(cache.values())))
    return np.stack([cache[k] for k in keys])


def weights(split: Split, written_weight: float, other_weight: float | None = None) -> Array:
    """Sample weights: written text at ``written_weight``, written positives of categories no
    real text covers at ``other_weight`` (the same when None), real text at its own weight."""
    w = np.asarray(split.w)
    other = written_weight if other_weight is None else other_weight
    w = np.where([s.startswith("written-other") for s in split.source], other, w)
    return np.where([s.startswith("written:") for s in split.source], written_weight, w)


def rule_flags(texts: list[str], contexts: list[list[str]] | None = None) -> npt.NDArray[np.bool_]:
    """Whether the rules and the context layer alone take a safety step on each text: the head
    is chosen for what it adds to them, as it works in the gate."""
    rules = SafetyGate()  # no learned layer
    contexts = contexts or [[] for _ in texts]
    found = [
        rules.assess(t, c).level >= RiskLevel.ELEVATED for t, c in zip(texts, contexts, strict=True)
    ]
    return np.asarray(found)


def select(z: Array, split: Split, hold: Array, dev: Validation) -> dict[str, Any]:
    """Grid over l2, the written weight and the weight of written positives in categories no
    real text covers. The criterion is real text: cross-validation over the C-SSRS users of
    folds 1-3, the recall of each held-out fold's positives by the rules or the head at its
    threshold (the score ``FLAG_BUDGET`` of the ordinary holdout reaches). Among the settings
    within ``TOLERANCE`` of the best, the best recall on the written dev sets (validation only,
    never fitted) wins; the rule was fixed before the grid ran."""
    y, folds = np.asarray(split.y), np.asarray(split.fold)
    by_rules = np.zeros(len(y), dtype=bool)
    real = np.flatnonzero([s.startswith("cssrs") for s in split.source])
    by_rules[real] = rule_flags([split.texts[i] for i in real])
    results = []
    for l2 in L2_GRID:
        for ww in WRITTEN_WEIGHTS:
            for wo in OTHER_WEIGHTS:
                caught = total = 0
                for fold in (1, 2, 3):
                    train = folds != fold
                    w, b = fit_binary(z[train], y[train], weights(split, ww, wo)[train], l2=l2)
                    threshold = float(np.quantile(hold @ w + b, 1 - FLAG_BUDGET))
                    held = (folds == fold) & (y == 1)
                    caught += int((((z @ w + b) >= threshold) | by_rules)[held].sum())
                    total += int(held.sum())
                w, b = fit_binary(z, y, weights(split, ww, wo), l2=l2)
                threshold = float(np.quantile(hold @ w + b, 1 - FLAG_BUDGET))
                written = dev.recall(w, b, threshold)
                real_recall = caught / max(total, 1)
                print(
                    f"  l2={l2:<7} written={ww:<5} other={wo:<5} C-SSRS CV recall "
                    f"{real_recall:.3f} ({caught}/{total}), written dev recall {written:.3f}"
                )
                results.append((real_recall, written, l2, ww, wo))
    best_real = max(r[0] for r in results)
    near = [r for r in results if r[0] >= best_real - TOLERANCE]
    real_recall, written, l2, ww, wo = max(near, key=lambda r: (r[1], r[0]))
    return {
        "cssrs_cv_recall": round(real_recall, 4),
        "written_dev_recall": round(written, 4),
        "l2": l2,
        "written_weight": ww,
        "other_weight": wo,
    }


@dataclass
class Validation:
    """The written dev sets (validation only): positives the rules miss decide ties."""

    z: Array
    by_rules: npt.NDArray[np.bool_]

    def recall(self, w: Array, b: float, threshold: float) -> float:
        return float((((self.z @ w + b) >= threshold) | self.by_rules).mean())


def validation(encoder: Encoder, mu: Array, sd: Array) -> Validation:
    rows = [r for name in VALIDATION_SETS[:2] for r in read_jsonl(BENCH_DATA / f"{name}.jsonl")]
    pos = [r for r in rows if r["level"] in ("elevated", "high")]
    z = (embed(encoder, [r["text"] for r in pos]) - mu) / sd
    return Validation(z, rule_flags([r["text"] for r in pos], [r["context"] for r in pos]))


def thresholds(hold_p: Array) -> dict[str, Any]:
    """The ordinary holdout's highest scores (the runtime derives the threshold for a text of
    any number of chunks from them) and the cautious threshold for chunks with a harmless
    reading."""
    tail = np.sort(hold_p)[::-1][:TAIL]
    cautious = tail[int(len(hold_p) * FLAG_BUDGET * CAUTIOUS_SHARE)]
    return {
        "ordinary_tail": [round(float(v), 6) for v in tail],
        "ordinary_n": len(hold_p),
        "flag_budget": FLAG_BUDGET,
        "cautious_threshold": round(float(cautious), 6),
    }


def threshold_for(limits: dict[str, Any], chunks: int) -> float:
    """As ``ConcernHead.threshold_for`` at runtime."""
    rank = int(limits["ordinary_n"] * limits["flag_budget"] / chunks)
    return float(limits["ordinary_tail"][min(rank, TAIL - 1)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args(argv)
    random.seed(SEED)
    split = {name: Split() for name in ("fit", "holdout", "calibrate")}
    goemotions(split)
    cssrs(split)
    written(split)
    for name, part in split.items():
        print(f"{name}: {len(part.y)} texts, {sum(part.y)} positive")
    encoder = Encoder()
    x = {name: embed(encoder, part.texts) for name, part in split.items()}
    mu, sd = x["fit"].mean(axis=0), x["fit"].std(axis=0) + 1e-6
    z = {name: (m - mu) / sd for name, m in x.items()}
    chosen = select(z["fit"], split["fit"], z["holdout"], validation(encoder, mu, sd))
    print(f"chosen: {chosen}")
    y_fit = np.asarray(split["fit"].y)
    fit_w = weights(split["fit"], chosen["written_weight"], chosen["other_weight"])
    w, b = fit_binary(z["fit"], y_fit, fit_w, l2=chosen["l2"])
    cal_logits = np.concatenate([z["holdout"] @ w + b, z["calibrate"] @ w + b])
    cal_y = np.concatenate([split["holdout"].y, split["calibrate"].y]).astype(np.float64)
    a, c = calibrate(cal_logits, cal_y)
    hold_p = platt(z["holdout"] @ w + b, a, c)
    cal_p = platt(z["calibrate"] @ w + b, a, c)
    limits = thresholds(hold_p)
    one = threshold_for(limits, 1)
    pos = np.asarray(split["calibrate"].y) == 1
    report = {
        "chosen": chosen,
        "threshold_one_chunk": one,
        "fold4_recall_at_threshold": float((cal_p >= one)[pos].mean()),
        "fold4_negatives_flagged": float((cal_p >= one)[~pos].mean()),
        "holdout_flagged": float((hold_p >= one).mean()),
        "reliability": reliability(np.concatenate([hold_p, cal_p]), cal_y),
        "counts": {name: [len(p.y), int(sum(p.y))] for name, p in split.items()},
    }
    print(json.dumps({k: v for k, v in report.items() if k != "reliability"}, indent=1))
    head = {
        "format_version": 1,
        "model_id": MODEL_ID,
        "encoder_model_id": encoder.model_id,
        "coef": np.round(w / sd, 8).tolist(),  # on the raw embedding: (x - mu) / sd @ w
        "intercept": round(float(b - (mu / sd) @ w), 8),
        "calibration": {"a": round(a, 6), "b": round(c, 6)},
        **limits,
        "training": {
            "cautious_share": CAUTIOUS_SHARE,
            "seed": SEED,
            **report,
        },
    }
    head["sha256"] = head_sha(head)
    build = working_copy("safety")
    (build / CONCERN_HEAD).write_text(json.dumps(head, indent=1), encoding="utf-8")
    # The encoder's own crisis output and its thresholds (v1 of the learned layer) are retired.
    record(build, {CONCERN_HEAD_ROLE: CONCERN_HEAD}, drop=("crisis_head",))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {build / CONCERN_HEAD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
