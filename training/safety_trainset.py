"""Build the crisis head's training set from the project's hand-written message lists.

    python -m training.safety_trainset

Sources (``training/data/raw_*.txt``, written for this purpose by the project, never copied or
paraphrased from the test or probe sets): one message per line as ``level|category|kind|text``
(level n/l/e/h, category code or ``-``, kind as in ``bench/data/README.md``). The builder adds
two kinds of derived messages, deterministically (fixed seed):

- *journal*: a written message placed among two to four ordinary diary sentences
  (``raw_filler.txt``), so that risk hidden in one sentence of a long entry is learned and
  measured, and harmless long entries with an alarming-sounding sentence are too;
- *noisy*: chat spelling of a written message (no apostrophes, "u", "rn", "tonite", doubled
  letters, lower case), because people do not write like the lists.

and context pairs (``raw_context.txt``): a means question (``Q``) after a distressing message is
``high``, after an ordinary one ``none``; an explicit question about dying (``X``) is ``high`` after
either. Output: ``training/data/safety_train.jsonl`` in the bench format.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

from training.paths import DATA, TRAIN_SET

OUT = TRAIN_SET
SEED = 20261123
LEVELS = {"n": "none", "l": "low", "e": "elevated", "h": "high"}
CATS = {
    "s": "suicide",
    "sh": "self-harm",
    "ab": "abuse",
    "hto": "harm-to-others",
    "eat": "eating",
    "sub": "substance",
    "psy": "psychosis-mania",
    "med": "medical",
}
_NOISE = (
    (r"\bi'm\b", "im"),
    (r"\bdon't\b", "dont"),
    (r"\bcan't\b", "cant"),
    (r"\bi've\b", "ive"),
    (r"\byou\b", "u"),
    (r"\bright now\b", "rn"),
    (r"\btonight\b", "tonite"),
    (r"\bbecause\b", "cuz"),
    (r"\breally\b", "rly"),
    (r"\bmyself\b", "myslef"),
    (r"\bsuicide\b", "sucide"),
    (r"\bto be honest\b", "tbh"),
    (r"\bgoing to\b", "gonna"),
    (r"\bwant to\b", "wanna"),
)


def read_written() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("raw_*.txt")):
        if path.name in ("raw_filler.txt", "raw_context.txt"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            level, cat, kind, text = line.split("|", 3)
            rows.append(
                {
                    "id": f"{path.stem.removeprefix('raw_')}-{n + 1:03d}",
                    "text": text.strip(),
                    "context": [],
                    "level": LEVELS[level],
                    "categories": [CATS[cat]] if cat != "-" and level in "eh" else [],
                    "kind": kind,
                    "source": "written",
                }
            )
    return rows


def noisy(text: str, rng: random.Random) -> str:
    out = text.lower()
    for pattern, repl in _NOISE:
        if rng.random() < 0.7:
            out = re.sub(pattern, repl, out)
    out = out.replace("'", "") if rng.random() < 0.5 else out
    out = out.rstrip(".!") + rng.choice(["", "", " lol", " idk", " ...", " tbh"])
    return out


def journal(text: str, filler: list[str], rng: random.Random) -> str:
    parts = rng.sample(filler, rng.randint(2, 4))
    sentence = text[0].upper() + text[1:]
    sentence = sentence if sentence[-1] in ".!?" else sentence + "."
    parts.insert(rng.randint(0, len(parts)), sentence)
    return " ".join(parts)


def derived(rows: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    filler = (DATA / "raw_filler.txt").read_text(encoding="utf-8").splitlines()
    out: list[dict[str, Any]] = []
    for row in rows:
        if rng.random() < 0.35:
            out.append(row | {"id": row["id"] + "-j", "text": journal(row["text"], filler, rng),
                              "source": "journal"})  # fmt: skip
        if rng.random() < 0.3:
            text = noisy(row["text"], rng)
            if text != row["text"]:
                out.append(row | {"id": row["id"] + "-n", "text": text, "source": "noisy"})
    return out


def context_pairs() -> list[dict[str, Any]]:
    lines = (DATA / "raw_context.txt").read_text(encoding="utf-8").splitlines()
    by: dict[str, list[str]] = {"Q": [], "X": [], "D": [], "N": []}
    for line in lines:
        if line.strip():
            key, text = line.split("|", 1)
            by[key].append(text)
    out = []
    # Q: harmless alone, high after distress. X: explicit about dying, high in any context.
    questions = [(q, False) for q in by["Q"]] + [(q, True) for q in by["X"]]
    for i, (question, explicit) in enumerate(questions):
        distress = by["D"][i % len(by["D"])]
        plain = by["N"][i % len(by["N"])]
        base = {"text": question, "topic": ["suicide"], "source": "context"}
        high = {"level": "high", "categories": ["suicide"], "kind": "pos"}
        alone = high if explicit else {"level": "none", "categories": [], "kind": "hn-means"}
        out.append(base | {"id": f"ctx-{i + 1:03d}-d", "context": [distress]} | high)
        out.append(base | {"id": f"ctx-{i + 1:03d}-n", "context": [plain]} | alone)
    return out


def build() -> list[dict[str, Any]]:
    rng = random.Random(SEED)  # noqa: S311 - data augmentation, not security
    rows = read_written()
    return rows + derived(rows, rng) + context_pairs()


def main() -> int:
    rows = build()
    OUT.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    single = [r for r in rows if not r["context"]]
    pos = sum(r["level"] in ("elevated", "high") for r in single)
    print(f"wrote {OUT.name}: {len(rows)} messages ({len(single)} single, {pos} elevated+)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
