"""The personal forecast: evaluated rolling-origin, offered only where it beats persistence."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from steadymind.features.insights.forecast import evaluate, personal_forecast

TODAY = date(2026, 6, 30)


def _moods(values: np.ndarray) -> dict[date, float]:
    start = TODAY - timedelta(days=len(values) - 1)
    return {start + timedelta(days=i): float(v) for i, v in enumerate(values)}


def _ar(phi: float, n: int, seed: int, mean: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + rng.normal(0, 1)
    return mean + x


def test_on_a_mood_that_returns_to_its_usual_the_forecast_beats_persistence() -> None:
    values = _ar(0.3, 180, 1)
    evaluation = evaluate(values)
    assert evaluation.tests > 100
    assert evaluation.model < evaluation.persistence
    forecast = personal_forecast(_moods(values), TODAY)
    assert forecast is not None
    assert [d for d, _ in forecast.days] == [TODAY + timedelta(days=d) for d in (1, 2, 3)]
    assert 0 <= forecast.pull <= 1
    assert "not a promise" in forecast.text()


def test_no_forecast_without_enough_days() -> None:
    assert personal_forecast(_moods(_ar(0.3, 20, 2)), TODAY) is None


def test_no_forecast_where_it_does_not_beat_persistence() -> None:
    # A mood that drifts like a random walk: today is the best guess for tomorrow.
    walk = np.cumsum(np.random.default_rng(3).normal(0, 1, 180))
    evaluation = evaluate(walk)
    assert evaluation.model > evaluation.persistence
    assert evaluation.own_mean > evaluation.persistence  # the mean so far is worse still
    assert personal_forecast(_moods(walk), TODAY) is None


def test_each_forecast_uses_only_the_days_before_it() -> None:
    values = _ar(0.3, 120, 4)
    changed = values.copy()
    changed[-1] += 100  # the last day cannot change the forecasts made before it
    a, b = evaluate(values[:-1]), evaluate(changed[:-1])
    assert a == b
