"""Sample Reddit C-SSRS posts for message-level labelling and write them in shards.

    python -m training.cssrs_sample [--shards 8]

The sample and its protocol are described in docs/models/safety_labelling.md. Posts are named
``u<user index>p<post index>`` (file order of the shared CSV) and shuffled across shards so that
no annotator sees a user's posts together or in order; the user-level label is not written. The
shards go to ``build/labelling/cssrs/`` (never committed: the texts stay in ../shared/data).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from training.datasets import read_cssrs
from training.paths import REPO, shared_data

SEED = 20261130
MIN_CHARS, MAX_CHARS = 20, 1200
# Posts to sample per user-level label (None: all of them). Users labelled Attempt or Behavior
# wrote most of the posts that carry current risk; the others supply real hard negatives
# (supportive replies that say "suicide", distress without risk).
PER_LABEL: dict[str, int | None] = {
    "Attempt": None,
    "Behavior": 1100,
    "Ideation": 1000,
    "Indicator": 225,
    "Supportive": 225,
}
OUT = REPO / "build" / "labelling" / "cssrs"


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sample(path: Path, rng: random.Random) -> list[dict[str, str]]:
    by_label: dict[str, list[dict[str, str]]] = {label: [] for label in PER_LABEL}
    for u, (posts, label) in enumerate(read_cssrs(path)):
        for p, text in enumerate(posts):
            if MIN_CHARS <= len(text) <= MAX_CHARS:
                by_label[label].append({"id": f"u{u}p{p}", "text": text, "sha": text_sha(text)})
    chosen: list[dict[str, str]] = []
    for label, want in PER_LABEL.items():
        pool = by_label[label]
        chosen += pool if want is None or want >= len(pool) else rng.sample(pool, want)
    rng.shuffle(chosen)
    return chosen


def write_shards(posts: list[dict[str, str]], shards: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for k in range(shards):
        part = posts[k::shards]
        lines = [json.dumps({"id": x["id"], "text": x["text"]}, ensure_ascii=False) for x in part]
        (out / f"shard_{k:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = {x["id"]: x["sha"] for x in posts}
    header = {"seed": SEED, "per_label": PER_LABEL, "chars": [MIN_CHARS, MAX_CHARS]}
    (out / "index.json").write_text(json.dumps({"sample": header, "sha": index}), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    posts = sample(shared_data() / "crisis" / "reddit_cssrs_500.csv", random.Random(SEED))  # noqa: S311 (a sample, not a secret)
    write_shards(posts, args.shards, args.out)
    print(f"{len(posts)} posts in {args.shards} shards under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
