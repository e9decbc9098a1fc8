"""Sample real Reddit passages for thinking-trap labelling and write them in shards.

    python -m training.traps_sample [--shards 4]

The protocol is docs/models/traps_labelling.md. Passages come from two sets the project may train
on: GoEmotions *training* comments (Apache-2.0; the dev split stays an evaluation set for the
safety gate) and short runs of sentences from Reddit C-SSRS posts (CC BY). GoEmotions is enriched
for comments whose emotion labels are unpleasant, since traps cluster there, with ordinary
comments kept as real negatives. Ids are ``g<row>`` (GoEmotions train.tsv line) and
``c<user>p<post>s<first sentence>`` (C-SSRS). The shards go to ``build/labelling/traps/`` (never
committed: the texts stay in ../shared/data) with an index of text hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

from steadymind.affect.labels import LABELS
from training.datasets import read_cssrs, read_goemotions
from training.paths import REPO, shared_data

SEED = 20261130
OUT = REPO / "build" / "labelling" / "traps"
UNPLEASANT = frozenset(
    {
        "sadness", "disappointment", "fear", "nervousness", "anger", "annoyance", "remorse",
        "embarrassment", "grief", "disgust", "disapproval",
    }
)  # fmt: skip
# How many passages of each kind.
GOEMO_UNPLEASANT, GOEMO_FIRST_PERSON, GOEMO_ANY = 700, 300, 200
CSSRS_PASSAGES = 1200
MIN_WORDS, MAX_CHARS = 6, 400
FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|i'd|i'll|me|my|myself)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def usable(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and len(text) <= MAX_CHARS


def goemotions_passages(path: Path, rng: random.Random) -> list[dict[str, str]]:
    texts, gold = read_goemotions(path)
    unpleasant = [LABELS.index(name) for name in UNPLEASANT]
    pools: dict[str, list[int]] = {"unpleasant": [], "first_person": [], "any": []}
    for i, text in enumerate(texts):
        if not usable(text):
            continue
        if gold[i, unpleasant].any():
            pools["unpleasant"].append(i)
        elif FIRST_PERSON.search(text):
            pools["first_person"].append(i)
        else:
            pools["any"].append(i)
    wanted = {"unpleasant": GOEMO_UNPLEASANT, "first_person": GOEMO_FIRST_PERSON, "any": GOEMO_ANY}
    chosen = [i for name, n in wanted.items() for i in rng.sample(pools[name], n)]
    return [{"id": f"g{i}", "text": texts[i]} for i in chosen]


def cssrs_passages(path: Path, rng: random.Random) -> list[dict[str, str]]:
    """Runs of one to three sentences, first person, from every user's posts."""
    pool: list[dict[str, str]] = []
    for u, (posts, _label) in enumerate(read_cssrs(path)):
        for p, post in enumerate(posts):
            sentences = [s.strip() for s in SENTENCE_END.split(post.strip()) if s.strip()]
            start = 0
            while start < len(sentences):
                run = rng.randint(1, 3)
                text = " ".join(sentences[start : start + run])
                if usable(text) and FIRST_PERSON.search(text):
                    pool.append({"id": f"c{u}p{p}s{start}", "text": text})
                start += run
    return rng.sample(pool, CSSRS_PASSAGES)


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
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rng = random.Random(SEED)  # noqa: S311 (a sample, not a secret)
    data = shared_data()
    passages = goemotions_passages(data / "goemotions" / "train.tsv", rng)
    passages += cssrs_passages(data / "crisis" / "reddit_cssrs_500.csv", rng)
    rng.shuffle(passages)
    write_shards(passages, args.shards, args.out)
    print(f"{len(passages)} passages in {args.shards} shards under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
