"""Patterns with evidence: which of the person's factors go with a different mood, the same day
and the next, and how sure that is.

For each factor (a tag, a feeling, a finished exercise; an amount such as energy or sleep is
split at the person's own median) and each lag (0: the same day, 1: the next day), the days
with a mood are split into days with the factor and days without. The effect is the difference
of the mean moods (with minus without); its 95 % confidence interval is Welch's (unequal
variances, ``scipy.stats.ttest_ind``); its p-value is a permutation test of the same difference
(``scipy.stats.permutation_test``, which assumes no particular distribution); and the p-values
of every factor and lag tested are adjusted together by Benjamini-Hochberg
(``scipy.stats.false_discovery_control``), so that testing many tags does not make chance look
like a pattern. A pattern is said only when its adjusted p-value is at most ``ALPHA`` and both
sides have at least ``MIN_SIDE`` days; with fewer than ``MIN_DAYS`` days of mood nothing is.

What it cannot do, and the cards say so: it finds associations, not causes (a tag may go with
a good day because good days leave time for it); a mood that runs in streaks makes nearby days
alike, which a permutation of days ignores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

import numpy as np
from scipy import stats

from steadymind.runtime import DailyValue

OUTCOMES = ("mood", "mood.low", "mood.high")
MIN_DAYS = 28  # days with a mood before any pattern is looked for
MIN_SIDE = 10  # days with and days without, each, before a factor is tested
ALPHA = 0.05  # the false-discovery rate across every factor and lag tested
RESAMPLES = 4_999
LAGS = (0, 1)
CAUTION = "This is an association, not proof of cause."


@dataclass
class DailyTable:
    """The person's days: the mood (mean, low, high) and every factor's value per day."""

    mood: dict[date, float] = field(default_factory=dict)
    low: dict[date, float] = field(default_factory=dict)
    high: dict[date, float] = field(default_factory=dict)
    factors: dict[str, dict[date, float]] = field(default_factory=lambda: defaultdict(dict))
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, values: list[DailyValue]) -> DailyTable:
        table = cls()
        outcome = {"mood": table.mood, "mood.low": table.low, "mood.high": table.high}
        for v in values:
            if v.factor in outcome:
                outcome[v.factor][v.day] = v.value
                continue
            table.factors[v.factor][v.day] = v.value
            table.labels[v.factor] = v.label
            table.kinds[v.factor] = v.kind
        return table


@dataclass(frozen=True)
class Finding:
    factor: str
    outcome: str
    lag_days: int
    effect: float
    ci_low: float
    ci_high: float
    n_with: int
    n_without: int
    p_value: float
    p_adjusted: float
    text: str
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Analysis:
    findings: list[Finding]  # the patterns said, strongest evidence first
    tested: list[Finding]  # every factor and lag tested, said or not
    days: int  # days with a mood
    enough: bool
    message: str


def _split(table: DailyTable, factor: str, lag: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Moods on the day ``lag`` days after a day with the factor, and after a day without it.
    A presence factor is observed on any day with a mood (no value: without); an amount only on
    days it was logged, split at its median."""
    values = table.factors[factor]
    label = table.labels[factor]
    if table.kinds[factor] == "amount":
        cut = median(values.values())
        label = f"more {label} than usual (above {cut:g})"
        observed = {d: v > cut for d, v in values.items()}
    else:
        observed = {d: d in values for d in table.mood}
    with_: list[float] = []
    without: list[float] = []
    for day, present in observed.items():
        mood = table.mood.get(day + timedelta(days=lag))
        if mood is not None:
            (with_ if present else without).append(mood)
    return np.array(with_), np.array(without), label


def _difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.asarray(np.mean(x, axis=axis) - np.mean(y, axis=axis))


def _test(
    table: DailyTable, factor: str, lag: int, rng: np.random.Generator, resamples: int
) -> Finding | None:
    with_, without, label = _split(table, factor, lag)
    if len(with_) < MIN_SIDE or len(without) < MIN_SIDE:
        return None
    effect = float(_difference(with_, without))
    if np.var(with_) == 0 and np.var(without) == 0:
        low = high = effect  # every day on each side alike: no spread to make an interval of
    else:
        ci = stats.ttest_ind(with_, without, equal_var=False).confidence_interval(0.95)
        low, high = float(ci.low), float(ci.high)
    if np.ptp(np.concatenate([with_, without])) == 0:
        p = 1.0  # every mood the same: nothing to find
    else:
        p = float(
            stats.permutation_test(
                (with_, without),
                _difference,
                permutation_type="independent",
                vectorized=True,
                n_resamples=resamples,
                rng=rng,
            ).pvalue
        )
    return Finding(
        factor=factor,
        outcome="mood",
        lag_days=lag,
        effect=round(effect, 3),
        ci_low=round(low, 3),
        ci_high=round(high, 3),
        n_with=len(with_),
        n_without=len(without),
        p_value=p,
        p_adjusted=p,
        text="",
        label=label,
    )


def card(f: Finding) -> str:
    """The finding in plain words, with its evidence and its caution."""
    when = f"On days with {f.label}" if f.lag_days == 0 else f"On days after a day with {f.label}"
    way = "higher" if f.effect > 0 else "lower"
    return (
        f"{when}, your mood is {abs(f.effect):.1f} {way} on average ({f.n_with} days with, "
        f"{f.n_without} without; 95 % CI {f.ci_low:.1f} to {f.ci_high:.1f}). {CAUTION}"
    )


def find_patterns(
    table: DailyTable, *, seed: int = 0, resamples: int = RESAMPLES, alpha: float = ALPHA
) -> Analysis:
    days = len(table.mood)
    if days < MIN_DAYS:
        message = (
            f"Patterns need at least {MIN_DAYS} days with a check-in; there are {days} so far. "
            "Nothing is said until there is enough to go on."
        )
        return Analysis([], [], days, False, message)
    rng = np.random.default_rng(seed)
    tested = [
        found
        for factor in sorted(table.factors)
        for lag in LAGS
        if (found := _test(table, factor, lag, rng, resamples)) is not None
    ]
    if tested:
        adjusted = stats.false_discovery_control([f.p_value for f in tested], method="bh")
        tested = [_adjusted(f, float(p)) for f, p in zip(tested, adjusted, strict=True)]
    findings = sorted(
        (f for f in tested if f.p_adjusted <= alpha), key=lambda f: (f.p_adjusted, -abs(f.effect))
    )
    message = _message(days, tested, findings)
    return Analysis(findings, tested, days, True, message)


def _adjusted(f: Finding, p: float) -> Finding:
    done = Finding(**{**asdict(f), "p_adjusted": round(p, 4), "p_value": round(f.p_value, 4)})
    return Finding(**{**asdict(done), "text": card(done)})


def _message(days: int, tested: list[Finding], findings: list[Finding]) -> str:
    if not tested:
        return (
            f"{days} days with a check-in, but no tag or activity yet has {MIN_SIDE} days with it "
            f"and {MIN_SIDE} without, so there is nothing to compare."
        )
    if not findings:
        return (
            f"Across {days} days, none of the {len(tested)} comparisons shows a difference that "
            "is clear enough to tell apart from chance. That is a result too."
        )
    return (
        f"{len(findings)} of {len(tested)} comparisons across {days} days stand out from chance "
        "(after allowing for how many were made)."
    )
