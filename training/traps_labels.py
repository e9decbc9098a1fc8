"""Merge the two thinking-trap passes and the adjudication into the label file.

    python -m training.traps_labels [--round N --disagreements FILE]

Reads ``build/labelling/traps/`` and ``traps2/`` (rounds 1 and 2: the shards, ``pass_a``/``pass_b``
and ``adjudicated.jsonl``),
checks that every pass labelled exactly its shard with the thirteen names, prints the agreement
(Cohen's kappa on *distorted*; agreement on the first trap where both say distorted) and writes
``training/data/traps_labels.jsonl``: ids, final labels and a short hash of each text, never the
text. ``--disagreements`` writes the passages the adjudication must read (protocol:
docs/models/traps_labelling.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from steadymind.companion.traps import TRAPS
from training.agreement import kappa
from training.datasets import read_jsonl
from training.paths import DATA, REPO

# Round 1: a plain sample; round 2: cue-enriched (training/traps_sample.py says why).
ROUNDS = {1: REPO / "build" / "labelling" / "traps", 2: REPO / "build" / "labelling" / "traps2"}
OUT = DATA / "traps_labels.jsonl"


def _pass(folder: Path, shard: Path) -> dict[str, dict[str, Any]]:
    ids = [r["id"] for r in read_jsonl(shard)]
    rows = read_jsonl(folder / shard.name)
    if [r["id"] for r in rows] != ids:
        raise SystemExit(f"{folder.name}/{shard.name} does not label exactly its shard")
    for r in rows:
        unknown = set(r["traps"]) - set(TRAPS)
        if unknown or bool(r["traps"]) != bool(r["distorted"]) or len(r["traps"]) > 3:
            raise SystemExit(f"{folder.name}/{shard.name}: bad label for {r['id']}")
    return {r["id"]: r for r in rows}


def agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The passes agree when both say not distorted, or both say distorted and share a trap."""
    if a["distorted"] != b["distorted"]:
        return False
    return not a["distorted"] or bool(set(a["traps"]) & set(b["traps"]))


def combine(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Shared traps first (in the first pass's order), then the rest of both, at most three."""
    shared = [t for t in a["traps"] if t in b["traps"]]
    rest = [t for t in a["traps"] + b["traps"] if t not in shared]
    return list(dict.fromkeys(shared + rest))[:3]


def stats(ids: list[str], a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    da = [a[i]["distorted"] for i in ids]
    db = [b[i]["distorted"] for i in ids]
    both = [i for i in ids if a[i]["distorted"] and b[i]["distorted"]]
    first_same = sum(a[i]["traps"][0] == b[i]["traps"][0] for i in both)
    return {
        "passages": len(ids),
        "kappa_distorted": round(kappa(da, db), 4),
        "distorted_a": sum(da),
        "distorted_b": sum(db),
        "both_distorted": len(both),
        "first_trap_agreement": round(first_same / len(both), 4) if both else None,
        "kappa_first_trap": round(
            kappa([a[i]["traps"][0] for i in both], [b[i]["traps"][0] for i in both]), 4
        )
        if both
        else None,
        "adjudicated": sum(1 for i in ids if not agree(a[i], b[i])),
    }


def merge(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    shards = sorted(folder.glob("shard_*.jsonl"))
    texts = {r["id"]: r["text"] for s in shards for r in read_jsonl(s)}
    ids = list(texts)
    a: dict[str, dict[str, Any]] = {}
    b: dict[str, dict[str, Any]] = {}
    for shard in shards:
        a |= _pass(folder / "pass_a", shard)
        b |= _pass(folder / "pass_b", shard)
    judged_file = folder / "adjudicated.jsonl"
    judged = {r["id"]: r for r in read_jsonl(judged_file)} if judged_file.is_file() else {}
    final, missing = [], []
    for i in ids:
        if agree(a[i], b[i]):
            label = {"distorted": a[i]["distorted"], "traps": combine(a[i], b[i])}
        elif i in judged:
            label = {"distorted": judged[i]["distorted"], "traps": judged[i]["traps"]}
        else:
            missing.append(i)
            continue
        sha = hashlib.sha256(texts[i].encode("utf-8")).hexdigest()[:16]
        final.append({"id": i, **label, "sha": sha})
    figures = stats(ids, a, b)
    figures["final_distorted"] = sum(r["distorted"] for r in final)
    figures["final_first_trap"] = dict(Counter(r["traps"][0] for r in final if r["traps"]))
    return final, figures, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, choices=sorted(ROUNDS))
    parser.add_argument("--disagreements", type=Path)
    args = parser.parse_args(argv)
    if args.disagreements is not None:
        folder = ROUNDS[args.round or 1]
        _final, figures, missing = merge(folder)
        print(json.dumps(figures, indent=1))
        texts = {r["id"]: r["text"] for s in folder.glob("shard_*.jsonl") for r in read_jsonl(s)}
        lines = [json.dumps({"id": i, "text": texts[i]}, ensure_ascii=False) for i in missing]
        args.disagreements.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(missing)} passages to adjudicate in {args.disagreements}")
        return 0
    rows: list[dict[str, Any]] = []
    agreement: dict[str, Any] = {}
    for number, folder in ROUNDS.items():
        final, figures, missing = merge(folder)
        if missing:
            raise SystemExit(f"round {number}: {len(missing)} passages differ, not adjudicated")
        agreement[f"round_{number}"] = figures
        rows += [{**r, "round": number} for r in final]
    header = {"protocol": "docs/models/traps_labelling.md", "agreement": agreement}
    lines = [json.dumps({"header": header})] + [json.dumps(r) for r in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps(agreement, indent=1))
    print(f"wrote {len(rows)} labels to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
