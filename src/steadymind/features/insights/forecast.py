"""A personal forecast of the next days' mood, shown only where it has beaten "tomorrow will be
like today" on the person's own history.

The model is one a person can follow: tomorrow is pulled from today's mood toward their usual
mood (the mean of their last ``WINDOW`` days), by an amount learnt from their own days (the
least-squares slope of tomorrow's distance from the usual on today's, kept between 0 and 1):

    forecast = usual + k * (today - usual)       and, d days ahead, usual + k**d * (today - usual)

It is evaluated rolling-origin: for every day from ``MIN_TRAIN`` on, the model is fitted on the
days before it only and forecasts the next day; its mean absolute error is compared with
persistence (tomorrow = the last mood logged) and with the person's own mean so far. The
forecast is offered only when it beats persistence over at least ``MIN_TESTS`` such days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

WINDOW = 28
MIN_TRAIN = 21
MIN_TESTS = 14
HORIZON = 3


@dataclass(frozen=True)
class Evaluation:
    tests: int
    model: float
    persistence: float
    own_mean: float

    @property
    def beats_persistence(self) -> bool:
        return self.tests >= MIN_TESTS and self.model < self.persistence


@dataclass(frozen=True)
class Forecast:
    days: list[tuple[date, float]]
    usual: float
    pull: float
    evaluation: Evaluation

    def text(self) -> str:
        first = self.days[0][1]
        carry = (
            "a day's mood has not tended to carry over to the next"
            if self.pull < 0.05
            else f"a day tends to carry about {self.pull:.0%} of its distance from your usual "
            "into the next"
        )
        return (
            f"Tomorrow's mood may be around {first:+.1f} (your usual lately is {self.usual:+.1f}; "
            f"{carry}). On your own "
            f"history this was off by {self.evaluation.model:.1f} on average, against "
            f'{self.evaluation.persistence:.1f} for "tomorrow like today". A forecast, not a '
            "promise: what you do changes it."
        )


def _fit(values: np.ndarray) -> tuple[float, float]:
    """(usual, pull) from consecutive values (NaN for a day without a mood)."""
    recent = values[-WINDOW:]
    usual = float(np.nanmean(recent))
    today, tomorrow = values[:-1] - usual, values[1:] - usual
    pairs = ~np.isnan(today) & ~np.isnan(tomorrow)
    x, y = today[pairs], tomorrow[pairs]
    denominator = float(np.dot(x, x))
    pull = float(np.clip(np.dot(x, y) / denominator, 0.0, 1.0)) if denominator > 0 else 0.0
    return usual, pull


def _last(values: np.ndarray) -> float:
    seen = values[~np.isnan(values)]
    return float(seen[-1])


def evaluate(values: np.ndarray) -> Evaluation:
    """Rolling-origin, one day ahead: each forecast uses only the days before it."""
    model, persistence, own_mean = [], [], []
    for t in range(MIN_TRAIN, len(values) - 1):
        actual = values[t + 1]
        history = values[: t + 1]
        if np.isnan(actual) or np.count_nonzero(~np.isnan(history)) < MIN_TRAIN // 2:
            continue
        usual, pull = _fit(history)
        last = _last(history)
        model.append(abs(usual + pull * (last - usual) - actual))
        persistence.append(abs(last - actual))
        own_mean.append(abs(float(np.nanmean(history)) - actual))
    if not model:
        return Evaluation(0, float("nan"), float("nan"), float("nan"))
    return Evaluation(
        len(model), float(np.mean(model)), float(np.mean(persistence)), float(np.mean(own_mean))
    )


def series(mood: dict[date, float], last: date, days: int) -> np.ndarray:
    first = last - timedelta(days=days - 1)
    return np.array([mood.get(first + timedelta(days=i), np.nan) for i in range(days)], dtype=float)


def personal_forecast(mood: dict[date, float], today: date, days: int = 180) -> Forecast | None:
    """The next ``HORIZON`` days, or None where the forecast has not beaten persistence."""
    values = series(mood, today, days)
    if np.count_nonzero(~np.isnan(values)) < MIN_TRAIN + MIN_TESTS:
        return None
    evaluation = evaluate(values)
    if not evaluation.beats_persistence:
        return None
    usual, pull = _fit(values)
    last = _last(values)
    ahead = [
        (today + timedelta(days=d), usual + pull**d * (last - usual)) for d in range(1, HORIZON + 1)
    ]
    return Forecast(ahead, usual, pull, evaluation)
