"""From measurements to one number per day, and from days to this person's usual.

De-duplication, by kind of metric, so that two devices (a phone and a watch, an old and a new
watch, two overlapping exports) never count the same time twice:

- a reading at an instant (heart rate, resting heart rate, HRV, State of Mind, readiness): one
  value per metric and start time; a second source's reading at the same second is dropped;
- a count over an interval (steps, active energy): each source's count is spread evenly over the
  minutes of its interval, and each minute takes the largest of the sources' counts (what Apple
  Health does by preferring one device at a time), so a phone and a watch in the same pocket are
  not added up;
- a stretch of time (sleep stages, mindful sessions): the union of the stretches.

A day is the person's own calendar day where the measurement was made (its recorded UTC
offset); a night belongs to the day it ends on (the morning you wake): sleep that ends after
18:00 counts towards the next morning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from steadymind.features.wearables.samples import ASLEEP_STAGES, Columns, Metric, Stage

EPOCH = date(1970, 1, 1)
INSTANT = frozenset(
    {Metric.HEART_RATE, Metric.RESTING_HR, Metric.HRV_SDNN, Metric.HRV_RMSSD, Metric.STATE_OF_MIND,
     Metric.READINESS}
)  # fmt: skip
COUNTED = frozenset({Metric.STEPS, Metric.ACTIVE_ENERGY})
STRETCH = frozenset({Metric.SLEEP, Metric.MINDFUL})


@dataclass(frozen=True)
class Factor:
    key: str  # stable: "sleep.hours"
    label: str  # plain words: "hours of sleep"
    unit: str  # "h", "%", "steps", "bpm", "ms"
    digits: int  # shown with this many decimals


FACTORS = {
    f.key: f
    for f in (
        Factor("sleep.hours", "hours of sleep", "h", 1),
        Factor("sleep.efficiency", "sleep efficiency", "%", 0),
        Factor("activity.steps", "steps", "steps", 0),
        Factor("activity.energy", "active energy", "kcal", 0),
        Factor("heart.resting", "resting heart rate", "bpm", 0),
        Factor("heart.mean", "average heart rate", "bpm", 0),
        Factor("hrv.sdnn", "heart-rate variability (SDNN)", "ms", 0),
        Factor("hrv.rmssd", "heart-rate variability (RMSSD)", "ms", 0),
        Factor("mind.minutes", "mindful minutes", "min", 0),
        Factor("mind.valence", "state of mind", "", 2),
        Factor("readiness.score", "readiness", "", 0),
    )
}
# What the insights read (the list); the others are shown on the page only.
INSIGHT_FACTORS = ("sleep.hours", "sleep.efficiency", "activity.steps", "heart.resting",
                   "hrv.sdnn", "hrv.rmssd")  # fmt: skip
MEANS = {
    Metric.HEART_RATE: "heart.mean",
    Metric.RESTING_HR: "heart.resting",
    Metric.HRV_SDNN: "hrv.sdnn",
    Metric.HRV_RMSSD: "hrv.rmssd",
    Metric.STATE_OF_MIND: "mind.valence",
    Metric.READINESS: "readiness.score",
}
SUMS = {Metric.STEPS: "activity.steps", Metric.ACTIVE_ENERGY: "activity.energy"}


def local_days(
    seconds: npt.NDArray[np.float64], offset: npt.NDArray[np.int16]
) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 in the person's own calendar where each was recorded."""
    return np.floor((seconds + offset.astype(np.float64) * 60) / 86400).astype(np.int64)


def day_of(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


def day_number(day: date) -> int:
    return (day - EPOCH).days


NIGHT_FROM = 6 * 3600  # sleep that ends after 18:00 belongs to the next day's night


def sample_days(c: Columns) -> npt.NDArray[np.int64]:
    """The day each sample is filed under: a stretch by its end, and sleep by the morning it
    leads to (a night from 23:00 to 07:00 is one night, even the stretches before midnight)."""
    at = c.start.copy()  # in place from here: one temporary column, not four
    stretch = np.isin(c.metric, list(STRETCH))
    at[stretch] = c.end[stretch]
    at[c.metric == Metric.SLEEP] += NIGHT_FROM
    at /= 60  # minutes, so that the offset (minutes) adds without a temporary column
    at += c.offset
    at /= 1440
    np.floor(at, out=at)
    days: npt.NDArray[np.int64] = at.astype(np.int32).astype(np.int64)
    return days


def unique(
    c: Columns, preferred: npt.NDArray[np.bool_] | None = None, *, consume: bool = False
) -> Columns:
    """One sample per key: (metric, start) for readings at an instant, (metric, start, end,
    source) for counts and stretches, whose overlaps between sources are resolved per minute
    (``daily``). Among equals, a ``preferred`` one (what was stored before) is kept, so a
    re-import changes nothing. With ``consume`` the given columns are reused for the result."""
    if not len(c):
        return c
    instant = np.isin(c.metric, list(INSTANT))
    source_key = np.where(instant, 0, c.source.astype(np.int32) + 1)
    end_key = np.where(instant, 0.0, c.end)
    del instant
    rank = np.zeros(len(c), dtype=np.int8) if preferred is None else (~preferred).astype(np.int8)
    order = np.lexsort((c.source, rank, source_key, end_key, c.start, c.metric))
    del rank
    # Compare neighbours key by key (one sorted key in memory at a time), then copy the kept
    # rows once: a few million samples stay within a few copies of one column.
    first = np.zeros(len(order), dtype=bool)
    first[0] = True
    for key in (c.metric, c.start, end_key, source_key):
        sorted_key = key[order]
        first[1:] |= sorted_key[1:] != sorted_key[:-1]
        del sorted_key
    del end_key, source_key
    keep = order[first]
    if not consume:
        return c.take(keep)
    # ``c`` is the caller's to give away: each column is replaced as it is copied, so the old
    # and the new samples are never both whole in memory.
    for name in ("metric", "start", "end", "value", "offset", "source"):
        setattr(c, name, getattr(c, name)[keep])
    return c


def daily(c: Columns) -> dict[tuple[int, str], tuple[float, int]]:
    """{(day number, factor): (value, how many samples)} from de-duplicated samples."""
    out: dict[tuple[int, str], tuple[float, int]] = {}
    days = sample_days(c)
    for metric, factor in MEANS.items():
        _means(c, days, metric, factor, out)
    for metric, factor in SUMS.items():
        _per_minute_sums(c, metric, factor, out)
    _sleep(c, days, out)
    _mindful(c, days, out)
    return out


def _means(
    c: Columns,
    days: npt.NDArray[np.int64],
    metric: Metric,
    factor: str,
    out: dict[tuple[int, str], tuple[float, int]],
) -> None:
    mask = c.metric == metric
    if not mask.any():
        return
    d, v = days[mask], c.value[mask]
    keys, inverse, counts = np.unique(d, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=v)
    for day, total, n in zip(keys, sums, counts, strict=True):
        out[(int(day), factor)] = (float(total / n), int(n))


def _per_minute_sums(
    c: Columns, metric: Metric, factor: str, out: dict[tuple[int, str], tuple[float, int]]
) -> None:
    """Each source's count spread over its minutes; each minute the largest source's share."""
    mask = c.metric == metric
    if not mask.any():
        return
    start, end, value = c.start[mask], c.end[mask], c.value[mask]
    source, offset = c.source[mask], c.offset[mask]
    first = np.floor(start / 60).astype(np.int64)
    minutes = np.maximum(1, np.ceil(end / 60).astype(np.int64) - first)
    minutes = np.minimum(minutes, 24 * 60)  # a count over more than a day is spread over one
    index = np.repeat(np.arange(len(first)), minutes)
    within = np.arange(len(index)) - np.repeat(np.cumsum(minutes) - minutes, minutes)
    minute = first[index] + within
    share = (value / minutes)[index]
    entry_day = local_days(minute.astype(np.float64) * 60, offset[index])
    # Sum per (minute, source) first (one source's own samples may share a minute) ...
    keys, first_of, inverse = np.unique(
        minute * 65536 + source[index].astype(np.int64), return_index=True, return_inverse=True
    )
    per_source = np.bincount(inverse, weights=share)
    # ... then keep the largest source in each minute ...
    minutes_seen, inverse = np.unique(keys // 65536, return_inverse=True)
    best = np.zeros(len(minutes_seen))
    np.maximum.at(best, inverse, per_source)
    minute_day = np.zeros(len(minutes_seen), dtype=np.int64)
    minute_day[inverse] = entry_day[first_of]
    # ... and add the minutes of each day.
    days, inverse = np.unique(minute_day, return_inverse=True)
    totals = np.bincount(inverse, weights=best)
    counted = dict(zip(*np.unique(local_days(start, offset), return_counts=True), strict=True))
    for day, total in zip(days, totals, strict=True):
        out[(int(day), factor)] = (float(round(total, 3)), int(counted.get(day, 1)))


def _union_seconds(intervals: list[tuple[float, float]]) -> float:
    total, current_start, current_end = 0.0, None, None
    for s, e in sorted(intervals):
        if current_end is None or s > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = s, e
        else:
            current_end = max(current_end, e)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total


def _sleep(
    c: Columns, days: npt.NDArray[np.int64], out: dict[tuple[int, str], tuple[float, int]]
) -> None:
    mask = c.metric == Metric.SLEEP
    asleep: dict[int, list[tuple[float, float]]] = defaultdict(list)
    in_bed: dict[int, list[tuple[float, float]]] = defaultdict(list)
    measured_bed: set[int] = set()
    for day, s, e, stage in zip(days[mask], c.start[mask], c.end[mask], c.value[mask], strict=True):
        d = int(day)
        in_bed[d].append((float(s), float(e)))
        if Stage(int(stage)) in ASLEEP_STAGES:
            asleep[d].append((float(s), float(e)))
        else:
            measured_bed.add(d)  # "in bed" or "awake": efficiency means something
    for d, stretches in asleep.items():
        seconds = _union_seconds(stretches)
        out[(d, "sleep.hours")] = (round(seconds / 3600, 3), len(stretches))
        if d in measured_bed:
            bed = _union_seconds(in_bed[d])
            if bed > 0:
                out[(d, "sleep.efficiency")] = (round(100 * seconds / bed, 1), len(in_bed[d]))


def _mindful(
    c: Columns, days: npt.NDArray[np.int64], out: dict[tuple[int, str], tuple[float, int]]
) -> None:
    mask = c.metric == Metric.MINDFUL
    by_day: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for day, s, e in zip(days[mask], c.start[mask], c.end[mask], strict=True):
        by_day[int(day)].append((float(s), float(e)))
    for d, stretches in by_day.items():
        out[(d, "mind.minutes")] = (round(_union_seconds(stretches) / 60, 1), len(stretches))


# -- this person's usual -----------------------------------------------------------------------

BASELINE_DAYS = 60  # the usual is read from the last two months before the day
MIN_DAYS = 7  # fewer days than this: no usual yet


@dataclass(frozen=True)
class Baseline:
    """This person's usual for one factor: the middle half of their own recent days."""

    factor: str
    low: float  # the 25th percentile
    usual: float  # the median
    high: float  # the 75th percentile
    days: int

    def place(self, value: float) -> str:
        """ "low", "usual" or "high" for this person (never against a population)."""
        if value < self.low:
            return "low"
        if value > self.high:
            return "high"
        return "usual"

    def relative(self, value: float) -> float:
        """How far from the usual, in the person's own spread (0 is their median)."""
        spread = max(self.high - self.low, 1e-9)
        return (value - self.usual) / spread


def baseline(factor: str, values: list[float]) -> Baseline | None:
    if len(values) < MIN_DAYS:
        return None
    low, usual, high = np.percentile(values, [25, 50, 75])
    return Baseline(factor, float(low), float(usual), float(high), len(values))
