"""Benchmark the insights (issue 15): patterns on simulated histories, a 10-year Daylio import,
and the personal forecast against persistence.

    .venv/bin/python bench/bench_insights.py [--runs 200] [--noise 0.7,1.0] [--rows 20000]
        [--esm-data PATH]

1. **Patterns.** For each history length (30 to 365 days) and each noise level, ``--runs``
   simulated histories with a planted effect (tag t0 raises the same day's mood by 0.5) and
   ``--runs`` with none. Mood is AR(1) (phi 0.3: moods run in streaks) with the given marginal
   SD on the -5..+5 scale; six tags with prevalences between 20 % and 60 %. Printed: the share of
   planted histories in which t0 is found (power) and the share of null histories in which
   anything at all is said (false alarms), per length. The targets: >= 80 % at 120 days,
   <= 5 % false alarms. The baseline is the same test without Benjamini-Hochberg (each p-value
   against 0.05 on its own), measured in the same run: it finds more and says far more on null
   histories, which is why the correction is there.
2. **Import.** A Daylio export of ``--rows`` rows (ten years, five or six entries a day, a
   quarter with notes of 5-40 words, custom moods placed once) is made with a fixed seed and
   imported through the real service into a fresh SQLite database, with the shipped crisis gate
   reading every note. Printed: the seconds and rows per second, the peak of Python's allocated
   memory (tracemalloc) at a tenth, half and all of the rows, and the baseline measured in the
   same run: the same rows saved one at a time through the check-in service (as a script using
   the API would), timed on a sample and scaled up.
3. **Forecast.** Rolling-origin, one day ahead, mean absolute error of the forecast against
   persistence ("tomorrow like today") and the person's own mean: on simulated people and on the
   public experience-sampling data set of Kossakowski et al. (2017), "Data from 'Critical
   Slowing Down as a Personalized Early Warning Signal for Depression'", Journal of Open
   Psychology Data 5(1):1, https://doi.org/10.5334/jopd.29 (OSF j4fg8; licence CC BY 4.0): one
   person, 239 days, ten beeps a day. Give its ESMdata.csv with ``--esm-data`` or
   STEADYMIND_ESM_DATA; it is read from there and never copied into the repository. The daily
   mood is the mean over the day's beeps of the standardised positive items minus the
   standardised negative items.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from machine import cpu_description

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from steadymind.core.clock import FrozenClock  # noqa: E402
from steadymind.core.config import Settings  # noqa: E402
from steadymind.db.engine import Database, make_engine  # noqa: E402
from steadymind.db.migrate import upgrade  # noqa: E402
from steadymind.features import build_runtime  # noqa: E402
from steadymind.features.accounts.accounts import Accounts  # noqa: E402
from steadymind.features.accounts.credentials import Credentials  # noqa: E402
from steadymind.features.checkins.schemas import CheckInIn  # noqa: E402
from steadymind.features.checkins.service import CheckInService  # noqa: E402
from steadymind.features.insights import patterns as pat  # noqa: E402
from steadymind.features.insights.forecast import evaluate  # noqa: E402
from steadymind.features.insights.service import InsightService  # noqa: E402
from steadymind.screen import shipped_seam  # noqa: E402
from tests.features.insights.simulate import history  # noqa: E402

LENGTHS = (30, 60, 90, 120, 180, 365)
SEED = 15
WORDS = tuple(
    [
        "walk",
        "work",
        "tired",
        "friends",
        "dinner",
        "slept",
        "late",
        "coffee",
        "rain",
        "sun",
        "park",
        "read",
        "call",
        "mum",
        "sister",
        "meeting",
        "deadline",
        "quiet",
        "gym",
        "swim",
        "calm",
        "anxious",
        "happy",
        "long",
        "day",
        "evening",
        "morning",
        "bus",
        "train",
        "cooked",
        "cinema",
        "music",
        "garden",
        "dog",
        "cat",
        "headache",
        "better",
        "worse",
        "slow",
        "good",
        "okay",
        "busy",
        "week",
    ]
)
MOODS = ("rad", "good", "meh", "bad", "awful", "sleepy", "proud")
ACTIVITIES = ("work", "friends", "family", "walk", "sport", "reading", "gaming", "shopping",
              "cleaning", "good meal", "movies", "date", "travel", "meditation")  # fmt: skip


# -- 1. patterns ------------------------------------------------------------------------------


def _uncorrected(analysis: pat.Analysis) -> list[pat.Finding]:
    """The baseline: every test against 0.05 on its own (the same permutation p-values)."""
    return [f for f in analysis.tested if f.p_value <= 0.05]


def bench_patterns(runs: int, noises: list[float], lengths: tuple[int, ...] = LENGTHS) -> None:
    print("\n1. Patterns: planted effect 0.5 (tag t0, same day) and null histories")
    print(f"   {runs} planted and {runs} null histories per length; AR(1) phi 0.3, six tags")
    for noise in noises:
        print(f"\n   mood SD {noise} (effect = {0.5 / noise:.2f} SD)")
        print("   days   found (BH)   false alarms (BH)   found (no BH)   false alarms (no BH)")
        for days in lengths:
            t0 = time.perf_counter()
            found = alarms = raw_found = raw_alarms = 0
            for seed in range(runs):
                planted = history(days, 0.5, seed, noise=noise)
                null = history(days, 0.0, 10_000 + seed, noise=noise)
                a = pat.find_patterns(planted, resamples=999)
                b = pat.find_patterns(null, resamples=999)
                found += any(f.factor == "tag:t0" and f.lag_days == 0 for f in a.findings)
                alarms += bool(b.findings)
                raw = _uncorrected(a)
                raw_found += any(f.factor == "tag:t0" and f.lag_days == 0 for f in raw)
                raw_alarms += bool(_uncorrected(b))
            each = (time.perf_counter() - t0) / (2 * runs)
            print(
                f"   {days:4d}   {found / runs:10.0%}   {alarms / runs:17.1%}   "
                f"{raw_found / runs:13.0%}   {raw_alarms / runs:20.1%}   "
                f"({each * 1000:.0f} ms an analysis)"
            )


# -- 2. import --------------------------------------------------------------------------------


def daylio_export(rows: int, rng: random.Random, notes: float) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities",
                     "note_title", "note"])  # fmt: skip
    day = date(2016, 12, 1)
    written = 0
    while written < rows:
        for _ in range(rng.choice((4, 5, 6, 7))):
            if written == rows:
                break
            at = f"{rng.randrange(7, 23):02d}:{rng.randrange(60):02d}"
            acts = " | ".join(rng.sample(ACTIVITIES, rng.randrange(0, 4)))
            note = ""
            if rng.random() < notes:
                note = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 40)))
            writer.writerow([day.isoformat(), f"{day:%B %d}", f"{day:%A}", at,
                             rng.choice(MOODS), acts, "", note])  # fmt: skip
            written += 1
        day += timedelta(days=1)
    return out.getvalue().encode()


class TimedGate:
    """The shipped gate, with the time spent in it added up."""

    def __init__(self, gate: Any) -> None:
        self.gate = gate
        self.seconds = 0.0

    def assess(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.gate.assess(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0

    def assess_many(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.gate.assess_many(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


def _cpu() -> float:
    """User and system CPU seconds of this process (all its threads): fairer than the wall
    clock on a machine shared with other work."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _runtime(folder: Path) -> tuple[Any, Any, TimedGate]:
    url = f"sqlite:///{folder / 'steadymind.db'}"
    engine = make_engine(url)
    upgrade(engine)
    clock = FrozenClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    settings = Settings(
        data_dir=folder, database_url=url, argon2_time_cost=1, argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )  # fmt: skip
    seam = shipped_seam(clock)
    gate = TimedGate(seam.gate)
    seam.gate = gate
    runtime = build_runtime(settings, db=Database(engine), clock=clock, seam=seam)
    runtime.seam.warm_up()
    gate.seconds = 0.0
    runtime.get(Accounts).sign_up("bench", "a long and quiet bench walk", country="GB")
    token = runtime.get(Credentials).log_in_token(
        "bench", "a long and quiet bench walk", client="bench", name="bench"
    )
    return runtime, token.principal, gate


def _import_once(data: bytes, *, traced: bool = False) -> tuple[float, float, int, float, float]:
    """Seconds, peak traced memory (MB, when ``traced``), rows added, seconds in the gate, CPU
    seconds (user and system)."""
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as folder:
        runtime, principal, gate = _runtime(Path(folder))
        insights = runtime.get(InsightService)
        if traced:
            tracemalloc.start()
        t0, c0 = time.perf_counter(), _cpu()
        outcome = insights.import_daylio(principal, data, moods={"sleepy": -1, "proud": 3})
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else 0.0
        if traced:
            tracemalloc.stop()
        return seconds, peak, outcome.added, gate.seconds, cpu


def _one_at_a_time(data: bytes, sample: int) -> float:
    """The baseline: rows saved one by one through the check-in service (a transaction, a
    screening and a seal each), on the first ``sample`` rows."""
    from steadymind.features.insights.daylio import DEFAULT_MOODS, local, read_rows

    rows = read_rows(data)[:sample]
    scale = {**DEFAULT_MOODS, "sleepy": -1, "proud": 3}
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as folder:
        runtime, principal, _ = _runtime(Path(folder))
        checkins = runtime.get(CheckInService)
        t0 = time.perf_counter()
        for r in rows:
            at = local(r.day, r.at, "UTC")
            checkins.create(principal, CheckInIn(at=at, mood=scale[r.mood], energy=0,
                                                 tags=list(r.tags), note=r.note))  # fmt: skip
        return time.perf_counter() - t0


def _first(data: bytes, rows: int) -> bytes:
    return b"\n".join(data.split(b"\n")[: rows + 1]) + b"\n"


def _batched_embeddings(encoder: Any, texts: list[str], size: int) -> list[np.ndarray]:
    """The encoder run on padded batches of ``size`` texts sorted by length (not shipped)."""
    tokens = [encoder._tokenizer.encode(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(tokens[i].ids))
    out: dict[int, np.ndarray] = {}
    for start in range(0, len(order), size):
        rows = order[start : start + size]
        width = max(len(tokens[i].ids) for i in rows)
        feeds = {
            name: np.array([getattr(tokens[i], a) + [0] * (width - len(tokens[i].ids))
                            for i in rows], dtype=np.int64)
            for name, a in (("input_ids", "ids"), ("attention_mask", "attention_mask"),
                            ("token_type_ids", "type_ids"))
        }  # fmt: skip
        (found,) = encoder._session.run(["embedding"], feeds)
        out.update(zip(rows, found, strict=True))
    return [out[i] for i in range(len(texts))]


def bench_batching(count: int = 400) -> None:
    """Why the gate reads each note alone: what batching the encoder would save, and how far
    it would move the concern score (the int8 model quantises activations per run)."""
    from steadymind.safety.encoder import default_encoder
    from steadymind.safety.semantic import SemanticLayer

    encoder = default_encoder()
    head = SemanticLayer(encoder)._head
    rng = random.Random(SEED)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 40))) for _ in range(count)]
    c0 = _cpu()
    alone = [encoder._encode(t) for t in texts]
    cpu_alone = (_cpu() - c0) / count * 1000
    print(f"   encoder on {count} notes alone: {cpu_alone:.1f} ms CPU a note")
    limit = head.threshold
    for size in (8, 32):
        c0 = _cpu()
        batched = _batched_embeddings(encoder, texts, size)
        cpu = (_cpu() - c0) / count * 1000
        p1 = np.array([head.probability(e) for e in alone])
        p2 = np.array([head.probability(e) for e in batched])
        flips = int(np.sum((p1 >= limit) != (p2 >= limit)))
        moved = max(float(np.abs(a - b).max()) for a, b in zip(alone, batched, strict=True))
        print(f"   batches of {size:2d}: {cpu:.1f} ms CPU a note ({cpu / cpu_alone:.0%}); "
              f"concern score moved by up to {np.abs(p1 - p2).max():.3f} "
              f"(embedding by up to {moved:.3f} "
              f"a dimension); flagged changed for {flips} of {count} notes")  # fmt: skip


def bench_import(rows: int, notes: float) -> None:
    print(f"\n2. Import: a Daylio export of {rows:,} rows (ten years), shipped crisis gate")
    for share in (0.0, notes):
        data = daylio_export(rows, random.Random(SEED), share)
        seconds, _, added, gate, cpu = _import_once(data)
        print(
            f"   {share:4.0%} of rows with a note ({len(data) / 2**20:.1f} MB): {seconds:5.2f} s "
            f"({added / seconds:,.0f} rows/s), of which the crisis gate {gate:5.2f} s; "
            f"CPU (user+system) {cpu:5.2f} s; under 10 s: {'met' if seconds < 10 else 'NOT met'}"
        )
    plain = daylio_export(rows, random.Random(SEED), 0.0)
    print("   memory (tracemalloc peak, no notes):")
    for part in (rows // 10, rows // 2, rows):
        _, peak, added, _, _ = _import_once(_first(plain, part), traced=True)
        print(f"     {added:6,} rows: {peak:6.1f} MB ({peak * 2**20 / added / 1024:.2f} KB a row)")
    sample = min(1000, rows)
    noted = daylio_export(rows, random.Random(SEED), notes)
    base = _one_at_a_time(noted, sample) * rows / sample
    print(f"   baseline, one check-in at a time with {notes:.0%} notes (timed on {sample:,}, "
          f"scaled): {base:.1f} s; the import is {base / seconds:.1f}x faster")  # fmt: skip
    bench_batching()


# -- 3. forecast ------------------------------------------------------------------------------

POSITIVE = ("mood_relaxed", "mood_satisfi", "mood_enthus", "mood_cheerf", "mood_strong")
NEGATIVE = ("mood_down", "mood_irritat", "mood_lonely", "mood_anxious", "mood_suspic",
            "mood_guilty", "mood_doubt")  # fmt: skip


def esm_daily(path: Path) -> np.ndarray:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    items = POSITIVE + NEGATIVE
    values = {i: np.array([float(r[i]) if r[i] not in ("", "NA") else np.nan for r in rows])
              for i in items}  # fmt: skip
    z = {i: (v - np.nanmean(v)) / np.nanstd(v) for i, v in values.items()}
    warnings.simplefilter("ignore", RuntimeWarning)  # a beep with no answers is a NaN, as meant
    beep = np.nanmean([z[i] for i in POSITIVE], axis=0) - np.nanmean(
        [z[i] for i in NEGATIVE], axis=0
    )
    days = [datetime.strptime(r["date"], "%d/%m/%y").date() for r in rows]
    by_day: dict[date, list[float]] = {}
    for d, v in zip(days, beep, strict=True):
        if not np.isnan(v):
            by_day.setdefault(d, []).append(float(v))
    first, last = min(by_day), max(by_day)
    span = (last - first).days + 1
    return np.array([np.mean(by_day[d]) if (d := first + timedelta(days=i)) in by_day else np.nan
                     for i in range(span)])  # fmt: skip


def _print_eval(name: str, e: object) -> None:
    m, p, o = e.model, e.persistence, e.own_mean  # type: ignore[attr-defined]
    verdict = "ships (beats persistence)" if m < p else "not shipped (persistence is better)"
    print(f"   {name:34s} n={e.tests:4d}  MAE model {m:.3f}  persistence {p:.3f} "  # type: ignore[attr-defined]
          f"({m / p:.2f}x)  own mean {o:.3f}  -> {verdict}")  # fmt: skip


def bench_forecast(esm: Path | None) -> None:
    print("\n3. Forecast: rolling-origin, one day ahead, mean absolute error")
    rng = np.random.default_rng(SEED)
    for phi in (0.0, 0.3, 0.6, 0.9):
        errors = []
        for _ in range(50):
            x = np.zeros(180)
            for i in range(1, 180):
                x[i] = phi * x[i - 1] + rng.normal(0, 1)
            errors.append(evaluate(x))
        model = float(np.mean([e.model for e in errors]))
        pers = float(np.mean([e.persistence for e in errors]))
        mean = float(np.mean([e.own_mean for e in errors]))
        beats = np.mean([e.beats_persistence for e in errors])
        print(
            f"   simulated AR(1) phi {phi}: MAE model {model:.3f}  persistence {pers:.3f} "
            f"({model / pers:.2f}x)  own mean {mean:.3f}; shipped for {beats:.0%} of 50 people"
        )
    if esm is None or not esm.exists():
        print("   public ESM data: not given (--esm-data PATH to ESMdata.csv); skipped")
        return
    daily = esm_daily(esm)
    _print_eval(
        f"Kossakowski et al. 2017 ({np.count_nonzero(~np.isnan(daily))} days)", evaluate(daily)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--noise", default="0.7,1.0")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--notes", type=float, default=0.25, help="share of rows with a note")
    parser.add_argument("--esm-data", type=Path, default=os.environ.get("STEADYMIND_ESM_DATA"))
    parser.add_argument("--only", choices=("patterns", "import", "forecast"))
    parser.add_argument("--lengths", default=",".join(map(str, LENGTHS)), help="days, e.g. 120")
    args = parser.parse_args(argv)
    print(f"insights benchmark; machine: {cpu_description()}")
    if args.only in (None, "forecast"):
        bench_forecast(args.esm_data)
    if args.only in (None, "import"):
        bench_import(args.rows, args.notes)
    if args.only in (None, "patterns"):
        lengths = tuple(int(n) for n in args.lengths.split(","))
        bench_patterns(args.runs, [float(n) for n in args.noise.split(",")], lengths)


if __name__ == "__main__":
    main()
