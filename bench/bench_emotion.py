"""Benchmark the shipped text-emotion model: accuracy, speed on one CPU thread, memory, baselines.

    .venv/bin/python bench/bench_emotion.py [--test PATH] [--model DIR] [--speed-texts N]

PATH is a GoEmotions-format TSV (text, comma-separated label ids, id); the default is the dev
split, on which the thresholds were tuned, so dev figures are optimistic: the cross-fitted figure
(thresholds tuned on one half of dev, scored on the other, both ways) is the honest one. Pass the
official test split for a held-out figure. DIR is a model folder (default: the shipped one); pass
``build/models/emotions`` to bench a rebuilt model before promoting it.

Baselines, run on the same texts:
- VADER compound >= 0.05 -> positive, <= -0.05 -> negative; scored with macro-F1 over the two
  polarity labels against GoEmotions' own sentiment grouping, next to the model's labels mapped
  the same way.
- NRC lexicon (nrclex): Ekman emotions whose words occur in the text, ``neutral`` when none;
  Ekman-7 macro-F1 next to the model's. nrclex's ``load_raw_text`` needs TextBlob's NLTK corpora,
  which are not available offline, so we tokenise with a regex (lower-case words, no lemmas) and
  use ``load_token_list``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from machine import cpu_description

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the training helpers live at the repository root

from steadymind.affect.labels import EKMAN_LABELS, LABELS  # noqa: E402
from steadymind.affect.metrics import (  # noqa: E402
    cross_fitted_macro_f1,
    ekman_gold,
    f1_per_label,
    macro_f1,
    micro_f1,
)
from steadymind.affect.text import MODELS_DIR, EmotionReading, load_emotion_model  # noqa: E402
from training.datasets import read_goemotions  # noqa: E402
from training.paths import shared_data  # noqa: E402

DEFAULT_TEST = shared_data() / "goemotions" / "dev.tsv"

POSITIVE = {
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy",
    "love", "optimism", "pride", "relief",
}  # fmt: skip
NEGATIVE = {
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear",
    "grief", "nervousness", "remorse", "sadness",
}  # fmt: skip

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from steadymind.affect.text import load_emotion_model
model = load_emotion_model(sys.argv[1], threads=1)
model.predict(["I can't wait to see you tomorrow!"])
first = time.perf_counter() - t0
texts = json.loads(sys.stdin.read())
for start in range(0, len(texts), 32):
    model.predict(texts[start:start + 32])
model.predict(["word " * 5000])
print(json.dumps({"first": first, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def as_matrix(readings: list[EmotionReading], names: tuple[str, ...], attr: str) -> np.ndarray:
    pos = {n: i for i, n in enumerate(names)}
    out = np.zeros((len(readings), len(names)), dtype=bool)
    for row, r in enumerate(readings):
        for name in getattr(r, attr):
            out[row, pos[name]] = True
    return out


def polarity(label_sets: list[set[str]]) -> np.ndarray:
    return np.array([[bool(s & POSITIVE), bool(s & NEGATIVE)] for s in label_sets], dtype=bool)


def vader_polarity(texts: list[str]) -> np.ndarray:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    compound = np.array([sia.polarity_scores(t)["compound"] for t in texts])
    return np.stack([compound >= 0.05, compound <= -0.05], axis=1)


def nrc_ekman(texts: list[str]) -> np.ndarray:
    from nrclex import NRCLex

    lex = NRCLex()
    out = np.zeros((len(texts), len(EKMAN_LABELS)), dtype=bool)
    for row, text in enumerate(texts):
        lex.load_token_list(re.findall(r"[a-z']+", text.lower()))
        found = [i for i, e in enumerate(EKMAN_LABELS) if lex.raw_emotion_scores.get(e, 0) > 0]
        out[row, found or [EKMAN_LABELS.index("neutral")]] = True
    return out


def speed(model_dir: Path, texts: list[str], n: int) -> dict[str, float]:
    model = load_emotion_model(model_dir, threads=1)
    sample = texts[:n]
    model.predict(sample[:32])  # warm-up
    lat = []
    for t in sample:
        start = time.perf_counter()
        model.predict([t])
        lat.append(time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(sample), 32):
        model.predict(sample[i : i + 32])
    b32 = len(sample) / (time.perf_counter() - start)
    q = statistics.quantiles(lat, n=100)
    return {
        "b1_tps": len(sample) / sum(lat),
        "b32_tps": b32,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
    }


def fresh_process(model_dir: Path, texts: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(model_dir)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    out: dict[str, float] = json.loads(done.stdout)
    out["wall"] = wall
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--test", type=Path, default=DEFAULT_TEST)
    p.add_argument("--model", type=Path, default=MODELS_DIR, help="a model folder")
    p.add_argument("--speed-texts", type=int, default=1024)
    args = p.parse_args()
    texts, gold = read_goemotions(args.test)
    cold = fresh_process(args.model, texts[:512])
    model = load_emotion_model(args.model, threads=1)
    readings = [r for i in range(0, len(texts), 512) for r in model.predict(texts[i : i + 512])]
    pred = as_matrix(readings, LABELS, "labels")
    e_pred, e_gold = as_matrix(readings, EKMAN_LABELS, "ekman"), ekman_gold(gold)
    probs = np.array([[r.scores[n] for n in LABELS] for r in readings], dtype=np.float32)
    cf_fine, cf_ekman = cross_fitted_macro_f1(probs, gold)
    fine_f1, ekman_f1 = macro_f1(gold, pred), macro_f1(e_gold, e_pred)
    gold_sets = [{LABELS[j] for j in np.flatnonzero(g)} for g in gold]
    pol_gold = polarity(gold_sets)
    pol_model = macro_f1(pol_gold, polarity([set(r.labels) for r in readings]))
    pol_vader = macro_f1(pol_gold, vader_polarity(texts))
    nrc = macro_f1(e_gold, nrc_ekman(texts))
    sp = speed(args.model, texts, args.speed_texts)

    print(f"model            {model.model_id}")
    print(f"cpu              {cpu_description()}")
    print(f"test file        {args.test} ({len(texts)} texts)")
    print("== accuracy (shipped thresholds)")
    print(f"macro-F1 28      {fine_f1:.4f}")
    print(f"macro-F1 Ekman-7 {ekman_f1:.4f}")
    print(f"micro-F1 28      {micro_f1(gold, pred):.4f}")
    print("== honest estimate: thresholds re-tuned on one half of this file, scored on the other")
    print(f"macro-F1 28      {cf_fine:.4f}  (cross-fitted)")
    print(f"macro-F1 Ekman-7 {cf_ekman:.4f}  (cross-fitted)")
    print("== per-label F1 (shipped thresholds)")
    per = f1_per_label(gold, pred)
    for i in np.argsort(-per):
        print(f"  {LABELS[i]:<15} {per[i]:.3f}  (support {int(gold[:, i].sum())})")
    print("== speed, one CPU thread (onnxruntime intra_op_num_threads=1)")
    print(f"batch 1          {sp['b1_tps']:.0f} texts/s")
    print(f"batch 32         {sp['b32_tps']:.0f} texts/s")
    print(f"latency/text b1  p50 {sp['p50_ms']:.2f} ms  p95 {sp['p95_ms']:.2f} ms")
    print(f"cold start       {cold['first']:.3f} s import+load+first prediction, fresh process")
    print(f"                 {cold['wall']:.3f} s whole fresh subprocess incl. 512 texts")
    rss = cold["rss_kb"] / 1024
    print(f"peak RSS         {rss:.0f} MB (fresh subprocess: load, 512 texts, 1 long text)")
    print("== baselines on the same texts")
    print(f"polarity macro-F1 (pos/neg)  model {pol_model:.4f}  VADER {pol_vader:.4f}  "
          f"ratio {pol_model / pol_vader:.2f}x")  # fmt: skip
    print(f"Ekman-7 macro-F1             model {ekman_f1:.4f}  NRC   {nrc:.4f}  "
          f"ratio {ekman_f1 / nrc:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
