"""Merge the two labelling passes and the adjudication into the message-level label file.

    python -m training.cssrs_labels [--name cssrs|goemotions]

Reads ``build/labelling/<name>/`` (the shards, ``passA``/``passB`` labels and
``adjudicated.jsonl``), checks that every pass labelled exactly its shard, prints the agreement
(Cohen's kappa on the five labels and on *ideation or worse*), and writes
``training/data/<name>_message_labels.jsonl`` (cssrs) or ``goemotions_risk_labels.jsonl``:
ids, final labels, categories, evidence, and a short hash of each text (so a changed source is
noticed), never the texts themselves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from training.agreement import kappa
from training.datasets import read_jsonl
from training.paths import DATA, REPO

LABELS = ("none", "distress", "history", "ideation", "high")
OUT = {
    "cssrs": DATA / "cssrs_message_labels.jsonl",
    "goemotions": DATA / "goemotions_risk_labels.jsonl",
}


def _pass(path: Path, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = [r for r in read_jsonl(path) if r["id"] in set(ids)]
    by_id = {r["id"]: r for r in rows}
    if len(rows) != len(ids) or set(by_id) != set(ids):
        raise SystemExit(f"{path.name} does not label exactly its shard")
    for r in rows:
        if r["label"] not in LABELS:
            raise SystemExit(f"{path.name}: unknown label {r['label']!r} for {r['id']}")
    return by_id


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["label"] != b["label"]:
        return False
    if a["label"] == "high" and set(a["evidence"]) != set(b["evidence"]):
        return False
    return a["label"] not in ("ideation", "high") or a.get("category") == b.get("category")


def _pass_file(folder: Path, which: str, shard: Path) -> Path:
    """``passA_shard_00.jsonl`` beside a shard, or ``passA.jsonl`` for a single shard."""
    named = folder / f"pass{which}_{shard.name}"
    return named if named.is_file() else folder / f"pass{which}.jsonl"


def _labels(folder: Path, which: str, shards: list[Path]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for shard in shards:
        ids = [r["id"] for r in read_jsonl(shard)]
        found |= _pass(_pass_file(folder, which, shard), ids)
    return found


def _stats(ids: list[str], first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    a = [first[i]["label"] for i in ids]
    b = [second[i]["label"] for i in ids]
    pos = ("ideation", "high")
    return {
        "messages": len(ids),
        "agreement": round(sum(x == y for x, y in zip(a, b, strict=True)) / len(ids), 4),
        "kappa_five_labels": round(kappa(a, b), 4),
        "kappa_ideation_or_worse": round(kappa([x in pos for x in a], [x in pos for x in b]), 4),
        "adjudicated": sum(1 for i in ids if not _same(first[i], second[i])),
    }


def merge(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    shards = sorted(folder.glob("shard_*.jsonl"))
    texts = {r["id"]: r["text"] for s in shards for r in read_jsonl(s)}
    ids = list(texts)
    first, second = _labels(folder, "A", shards), _labels(folder, "B", shards)
    judged = folder / "adjudicated.jsonl"
    adjudicated = {r["id"]: r for r in read_jsonl(judged)} if judged.is_file() else {}
    final = []
    for i in ids:
        chosen = first[i] if _same(first[i], second[i]) else adjudicated.get(i)
        if chosen is None:
            raise SystemExit(f"{i}: the passes differ and there is no adjudication")
        sha = hashlib.sha256(texts[i].encode("utf-8")).hexdigest()[:16]
        keep = {k: chosen.get(k) for k in ("label", "category", "evidence")}
        final.append({"id": i, **keep, "sha": sha})
    stats = _stats(ids, first, second)
    stats["final"] = dict(Counter(r["label"] for r in final))
    return final, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", choices=sorted(OUT), default="cssrs")
    args = parser.parse_args(argv)
    final, stats = merge(REPO / "build" / "labelling" / args.name)
    header = {"protocol": "docs/models/safety_labelling.md", "agreement": stats}
    lines = [json.dumps({"header": header})] + [json.dumps(r) for r in final]
    OUT[args.name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps(stats, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
