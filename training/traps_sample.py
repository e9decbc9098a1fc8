"""Write the thinking-trap labelling shards of one round.

    python -m training.traps_sample [--round 1|2] [--shards 4]

The passages and why they were chosen: ``training/traps_passages.py``. The shards go to
``build/labelling/traps/`` (round 1) or ``traps2/`` (round 2), never committed (the texts stay in
../shared/data), with an index of text hashes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.paths import REPO, shared_data
from training.traps_passages import SEED, passages, text_sha

OUT = {1: REPO / "build" / "labelling" / "traps", 2: REPO / "build" / "labelling" / "traps2"}


def write_shards(passages: list[dict[str, str]], shards: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for k in range(shards):
        lines = [json.dumps(x, ensure_ascii=False) for x in passages[k::shards]]
        (out / f"shard_{k:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = {x["id"]: text_sha(x["text"]) for x in passages}
    (out / "index.json").write_text(json.dumps({"seed": SEED, "sha": index}), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--round", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    chosen = passages(shared_data(), args.round)
    write_shards(chosen, args.shards, OUT[args.round])
    print(f"{len(chosen)} passages in {args.shards} shards under {OUT[args.round]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
