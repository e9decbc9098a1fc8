"""The real passages for thinking-trap labelling, rebuilt from ../shared/data on demand.

The protocol is docs/models/traps_labelling.md. Passages come from two sets the project may train
on: GoEmotions *training* comments (Apache-2.0; the dev split stays an evaluation set for the
safety gate) and short runs of sentences from Reddit C-SSRS posts (CC BY). GoEmotions is enriched
for comments whose emotion labels are unpleasant, since traps cluster there, with ordinary
comments kept as real negatives. Ids are ``g<row>`` (GoEmotions train.tsv line) and
``c<user>p<post>s<first sentence>`` (C-SSRS).

Round 1 is the sample above. In real writing only about one passage in sixteen holds a trap, too
few to learn thirteen of them, so round 2 draws 2,400 more from the passages round 1 did not take,
most of them matching a *cue* of one trap (words such as "always", "my fault", "everyone else": a
cue only makes a passage worth reading, the annotators decide), spread evenly over the thirteen,
with the rest drawn as before. Cue-matched passages that hold no trap are the hard negatives a
detector most needs.

Both rounds are drawn with fixed seeds, so the labelling shards (``training.traps_sample``) and
the training script (``training.traps``) rebuild the same passages; the label file keeps a hash of
every text to prove it.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

from steadymind.affect.labels import LABELS
from steadymind.companion.cues import CUES
from training.datasets import read_cssrs, read_goemotions

SEED = 20261130
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
ROUND2_PER_CUE, ROUND2_TOTAL = 170, 2400


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


def all_passages(data: Path, rng: random.Random) -> list[dict[str, str]]:
    """Every usable GoEmotions training comment and C-SSRS run of sentences (first person)."""
    texts, _gold = read_goemotions(data / "goemotions" / "train.tsv")
    found = [{"id": f"g{i}", "text": t} for i, t in enumerate(texts) if usable(t)]
    for u, (posts, _label) in enumerate(read_cssrs(data / "crisis" / "reddit_cssrs_500.csv")):
        for p, post in enumerate(posts):
            sentences = [s.strip() for s in SENTENCE_END.split(post.strip()) if s.strip()]
            start = 0
            while start < len(sentences):
                run = rng.randint(1, 3)
                text = " ".join(sentences[start : start + run])
                if usable(text) and FIRST_PERSON.search(text):
                    found.append({"id": f"c{u}p{p}s{start}", "text": text})
                start += run
    return found


def round_two(data: Path, taken: set[str], rng: random.Random) -> list[dict[str, str]]:
    """Passages round 1 did not take (nor overlap: a C-SSRS post already sampled is skipped),
    most of them cue-matched, evenly over the traps."""
    posts_taken = {i.rsplit("s", 1)[0] for i in taken if i.startswith("c")}
    pool = [
        x
        for x in all_passages(data, rng)
        if x["id"] not in taken and x["id"].rsplit("s", 1)[0] not in posts_taken
    ]
    chosen: dict[str, dict[str, str]] = {}
    for pattern in CUES.values():
        cue = re.compile(pattern, re.IGNORECASE)
        matches = [x for x in pool if x["id"] not in chosen and cue.search(x["text"])]
        for x in rng.sample(matches, min(ROUND2_PER_CUE, len(matches))):
            chosen[x["id"]] = x
    rest = [x for x in pool if x["id"] not in chosen and FIRST_PERSON.search(x["text"])]
    for x in rng.sample(rest, ROUND2_TOTAL - len(chosen)):
        chosen[x["id"]] = x
    return list(chosen.values())


def passages(data: Path, which: int) -> list[dict[str, str]]:
    """The passages of round ``which`` (1 or 2), in labelling order."""
    rng = random.Random(SEED)  # noqa: S311 (a sample, not a secret)
    chosen = goemotions_passages(data / "goemotions" / "train.tsv", rng)
    chosen += cssrs_passages(data / "crisis" / "reddit_cssrs_500.csv", rng)
    if which == 2:
        chosen = round_two(data, {x["id"] for x in chosen}, random.Random(SEED + 2))  # noqa: S311
    rng.shuffle(chosen)
    return chosen
