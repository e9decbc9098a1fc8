"""Patterns with evidence: which of the person's factors go with a different mood, the same day
and the next, and how sure that is.

For each factor (a tag, a feeling, a finished exercise; an amount such as energy or sleep is
split at the person's own median) and each lag (0: the same day, 1: the next day), the days
with a mood are split into days with the factor and days without. Moods run in streaks (a low
day is often followed by another), so the days are not independent: the comparison is a
regression of the mood on the factor by generalised least squares with first-order
autocorrelated errors (``statsmodels`` ``OLS`` on the whitened days, which is ``GLS`` with the
AR(1) correlation of the days; see ``_whitener``), the carry-over ``rho`` estimated once from the
person's mood series alone (``statsmodels.tsa.stattools.acf``). The effect is that regression's
difference (with minus without), with its 95 % confidence interval; its p-value is a permutation
test of the same estimate (``scipy.stats.permutation_test``, shuffling which days had the
factor, so it assumes no particular distribution of moods); and the p-values of every factor and
lag tested are adjusted together by Benjamini-Hochberg (``scipy.stats.false_discovery_control``),
so that testing many tags does not make chance look like a pattern. A pattern is said only when
its adjusted p-value is at most ``ALPHA`` and both sides have at least ``MIN_SIDE`` days; with
fewer than ``MIN_DAYS`` days of mood nothing is.

Why the regression and not the plain difference of means (the first version): a day's mood is
partly yesterday's carried over, and that part is noise for the comparison; the whitened
regression takes it out, which gives the same test more power (at 120 days and a daily SD of 0.7,
a planted 0.5 was found in 73 % of histories before, in the figures of docs/insights.md now),
while the permutation keeps the false alarms at the rate set (``rho`` is a function of the moods
only, so shuffling the factor's days still gives the test's null distribution exactly).

What it cannot do, and the cards say so: it finds associations, not causes (a tag may go with
a good day because good days leave time for it); the permutation assumes the days with a factor
could have fallen on any days, which a factor that itself runs in streaks bends a little.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from steadymind.runtime import DailyValue

OUTCOMES = ("mood", "mood.low", "mood.high")
MIN_DAYS = 28  # days with a mood before any pattern is looked for
MIN_SIDE = 10  # days with and days without, each, before a factor is tested
ALPHA = 0.05  # the false-discovery rate across every factor and lag tested
RESAMPLES = 4_999
LAGS = (0, 1)
CAUTION = "This is an association, not proof of cause."
# Said on every card since the estimate allows for carry-over (plain words for the method).
ADJUSTED = "The figures allow for a mood carrying over from one day to the next."
# The carry-over assumed at most: a series that looks more persistent than this is short or
# drifting, and whitening it harder would leave little of each day.
MAX_RHO = 0.9
Array = npt.NDArray[np.float64]


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


@dataclass(frozen=True)
class _Sides:
    """The days compared for one factor and lag: the factor (1 with, 0 without) and the mood,
    with the day's place in the calendar (days since the first mood)."""

    present: Array
    mood: Array
    place: npt.NDArray[np.int64]
    label: str


def _split(table: DailyTable, factor: str, lag: int, first: date) -> _Sides:
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
    rows: list[tuple[int, float, float]] = []
    for day, present in observed.items():
        outcome = day + timedelta(days=lag)
        mood = table.mood.get(outcome)
        if mood is not None:
            rows.append(((outcome - first).days, float(present), mood))
    rows.sort()
    place = np.array([r[0] for r in rows], dtype=np.int64)
    return _Sides(np.array([r[1] for r in rows]), np.array([r[2] for r in rows]), place, label)


def carry_over(table: DailyTable) -> float:
    """How much of a day's mood carries over to the next (the lag-1 autocorrelation of the
    person's daily mood, calendar days with no mood left out of it), clipped to 0..MAX_RHO."""
    first, last = min(table.mood), max(table.mood)
    series = np.full((last - first).days + 1, np.nan)
    for day, mood in table.mood.items():
        series[(day - first).days] = mood
    if np.nanstd(series) == 0:
        return 0.0
    # statsmodels loads pandas: imported when patterns are looked for, not when the app starts.
    from statsmodels.tsa.stattools import acf

    rho = float(acf(series, nlags=1, missing="conservative", fft=False)[1])
    return float(np.clip(np.nan_to_num(rho), 0.0, MAX_RHO))


def _whitener(place: npt.NDArray[np.int64], rho: float) -> Any:
    """The whitening of days at calendar places ``place`` whose errors are AR(1) with
    correlation ``rho`` a day: each day less ``rho ** gap`` times the day before it (``gap``
    calendar days earlier), scaled to unit variance, the first day as it is. That is the
    inverse Cholesky factor of the correlation matrix ``rho ** |t - s|`` (W'W = R^-1), so OLS on
    whitened data is GLS (a test checks it against ``statsmodels.GLS``); gaps in the days are
    handled exactly."""
    step = rho ** np.diff(place).astype(np.float64)
    scale = np.sqrt(1.0 - step**2)

    def whiten(v: Array) -> Array:
        v = np.asarray(v, dtype=np.float64)
        rest = (v[..., 1:] - step * v[..., :-1]) / scale
        return np.concatenate([v[..., :1], rest], axis=-1)

    return whiten


def _estimate(sides: _Sides, rho: float) -> tuple[float, float, float]:
    """The GLS difference (with minus without) and its 95 % interval."""
    from statsmodels.regression.linear_model import OLS

    whiten = _whitener(sides.place, rho)
    design = np.column_stack([np.ones_like(sides.present), sides.present])
    fit = OLS(whiten(sides.mood), whiten(design.T).T).fit()
    low, high = fit.conf_int(0.05)[1]
    return float(fit.params[1]), float(low), float(high)


def _slope_statistic(sides: _Sides, rho: float) -> Any:
    """The GLS difference as a function of which days had the factor (the mood held fixed),
    vectorised over shuffles for ``scipy.stats.permutation_test``: with ``Wx`` the whitened
    factor and ``c`` the whitened constant (unit length), the slope is
    ``Wx . m / (|Wx|^2 - (c . Wx)^2)`` where ``m`` is the whitened mood with ``c`` projected
    out (the same number as ``_estimate``'s; a test checks it)."""
    whiten = _whitener(sides.place, rho)
    constant = whiten(np.ones_like(sides.mood))
    constant /= np.linalg.norm(constant)
    mood = whiten(sides.mood)
    mood -= (mood @ constant) * constant

    def statistic(present: Array, axis: int = -1) -> Array:
        x = whiten(np.moveaxis(present, axis, -1))
        along = x @ constant
        return np.asarray((x @ mood) / (np.einsum("...i,...i->...", x, x) - along**2))

    return statistic


def _test(
    table: DailyTable,
    factor: str,
    lag: int,
    rng: np.random.Generator,
    resamples: int,
    rho: float,
) -> Finding | None:
    sides = _split(table, factor, lag, min(table.mood))
    n_with = int(sides.present.sum())
    n_without = len(sides.present) - n_with
    if n_with < MIN_SIDE or n_without < MIN_SIDE:
        return None
    if np.ptp(sides.mood) == 0:
        effect, low, high, p = 0.0, 0.0, 0.0, 1.0  # every mood the same: nothing to find
    else:
        effect, low, high = _estimate(sides, rho)
        p = float(
            stats.permutation_test(
                (sides.present,),
                _slope_statistic(sides, rho),
                permutation_type="pairings",
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
        n_with=n_with,
        n_without=n_without,
        p_value=p,
        p_adjusted=p,
        text="",
        label=sides.label,
    )


def card(f: Finding) -> str:
    """The finding in plain words, with its evidence, how it was adjusted, and its caution."""
    when = f"On days with {f.label}" if f.lag_days == 0 else f"On days after a day with {f.label}"
    way = "higher" if f.effect > 0 else "lower"
    return (
        f"{when}, your mood is {abs(f.effect):.1f} {way} on average ({f.n_with} days with, "
        f"{f.n_without} without; 95 % CI {f.ci_low:.1f} to {f.ci_high:.1f}). {ADJUSTED} "
        f"{CAUTION}"
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
    rho = carry_over(table)  # of the moods alone: the same for every factor and every shuffle
    tested = [
        found
        for factor in sorted(table.factors)
        for lag in LAGS
        if (found := _test(table, factor, lag, rng, resamples, rho)) is not None
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
