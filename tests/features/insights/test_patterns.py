"""Patterns: planted effects are found, null histories stay quiet, nothing is said without
enough days, and each card carries its evidence and its caution."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
import statsmodels.api as sm

from steadymind.features.insights.patterns import (
    ADJUSTED,
    CAUTION,
    MIN_DAYS,
    MIN_SIDE,
    DailyTable,
    _estimate,
    _Sides,
    _slope_statistic,
    carry_over,
    find_patterns,
)
from steadymind.runtime import DailyValue
from tests.features.insights.simulate import history

RUNS = 30


def _found(table: DailyTable, lag: int = 0) -> bool:
    analysis = find_patterns(table, resamples=999)
    return any(f.factor == "tag:t0" and f.lag_days == lag for f in analysis.findings)


def test_a_planted_same_day_effect_is_found_in_most_histories() -> None:
    hits = sum(_found(history(240, 0.8, seed)) for seed in range(RUNS))
    assert hits >= 0.8 * RUNS


def test_a_planted_next_day_effect_is_found_at_lag_one() -> None:
    hits = sum(_found(history(240, 0.8, seed, lag=1), lag=1) for seed in range(RUNS))
    assert hits >= 0.8 * RUNS


def test_null_histories_rarely_say_anything() -> None:
    said = sum(
        bool(find_patterns(history(180, 0.0, 500 + s), resamples=999).findings) for s in range(RUNS)
    )
    assert said <= 3  # 10 % of 30 at most; the bench measures the rate over hundreds


def test_nothing_is_said_before_enough_days() -> None:
    analysis = find_patterns(history(MIN_DAYS - 1, 3.0, 1))
    assert analysis.findings == [] and analysis.tested == []
    assert not analysis.enough
    assert f"at least {MIN_DAYS} days" in analysis.message


def test_a_factor_with_too_few_days_on_one_side_is_not_tested() -> None:
    values = []
    for i in range(60):
        day = date(2026, 1, 1) + timedelta(days=i)
        values.append(DailyValue(day, "mood", float(i % 5), "mood", "amount"))
        if i < MIN_SIDE - 1:
            values.append(DailyValue(day, "tag:rare", 1.0, "“rare”"))
    analysis = find_patterns(DailyTable.of(values))
    assert analysis.enough and analysis.tested == []
    assert "nothing to compare" in analysis.message


def test_a_card_gives_the_effect_its_interval_the_days_and_the_caution() -> None:
    analysis = find_patterns(history(240, 1.5, 7), resamples=999)
    card = next(f for f in analysis.findings if f.factor == "tag:t0" and f.lag_days == 0)
    assert card.ci_low < card.effect < card.ci_high
    assert card.ci_low > 0
    assert card.p_adjusted <= 0.05 and card.p_adjusted >= card.p_value
    assert card.n_with + card.n_without == 240
    assert card.text.startswith("On days with “t0”, your mood is ")
    assert f"({card.n_with} days with, {card.n_without} without; 95 % CI" in card.text
    assert card.text.endswith(CAUTION)


def test_an_amount_is_split_at_the_persons_median() -> None:
    values = []
    for i in range(80):
        day = date(2026, 1, 1) + timedelta(days=i)
        sleep = 5.0 + (i % 4)
        values.append(DailyValue(day, "sleep.hours", sleep, "hours of sleep", "amount"))
        mood = (1.0 if sleep > 6.5 else -1.0) + (i % 3) * 0.1
        values.append(DailyValue(day, "mood", mood, "mood", "amount"))
    analysis = find_patterns(DailyTable.of(values), resamples=999)
    same_day = next(f for f in analysis.findings if f.lag_days == 0)
    assert same_day.effect == pytest.approx(2.0, abs=0.05)
    assert "more hours of sleep than usual (above 6.5)" in same_day.text


def _gappy_sides() -> tuple[_Sides, float]:
    rng = np.random.default_rng(3)
    place = np.sort(rng.choice(200, size=90, replace=False)).astype(np.int64)  # days missing
    present = (rng.random(90) < 0.4).astype(float)
    mood = rng.normal(0, 1, 90) + 0.7 * present
    return _Sides(present, mood, place, "“t”"), 0.45


def test_the_whitened_regression_is_gls_with_the_days_ar1_correlation() -> None:
    sides, rho = _gappy_sides()
    effect, low, high = _estimate(sides, rho)
    correlation = rho ** np.abs(np.subtract.outer(sides.place, sides.place))
    design = np.column_stack([np.ones(90), sides.present])
    gls = sm.GLS(sides.mood, design, sigma=correlation).fit()
    assert effect == pytest.approx(gls.params[1], abs=1e-9)
    assert (low, high) == pytest.approx(tuple(gls.conf_int(0.05)[1]), abs=1e-9)


def test_the_permutation_statistic_is_the_same_estimate() -> None:
    sides, rho = _gappy_sides()
    statistic = _slope_statistic(sides, rho)
    assert float(statistic(sides.present)) == pytest.approx(_estimate(sides, rho)[0], abs=1e-9)
    shuffled = np.stack([np.roll(sides.present, k) for k in (1, 5)])
    for k, value in zip((1, 5), statistic(shuffled), strict=True):
        moved = _Sides(np.roll(sides.present, k), sides.mood, sides.place, "")
        assert float(value) == pytest.approx(_estimate(moved, rho)[0], abs=1e-9)


def test_without_carry_over_the_effect_is_the_difference_of_means() -> None:
    sides, _ = _gappy_sides()
    with_, without = sides.mood[sides.present == 1], sides.mood[sides.present == 0]
    assert _estimate(sides, 0.0)[0] == pytest.approx(with_.mean() - without.mean(), abs=1e-9)


def test_the_carry_over_is_read_from_the_mood_alone() -> None:
    streaky = history(365, 0.0, 4, streak=0.6)
    assert carry_over(streaky) == pytest.approx(0.6, abs=0.12)
    assert carry_over(history(365, 0.0, 4, streak=0.0)) < 0.12


def test_a_card_says_in_plain_words_that_carry_over_is_allowed_for() -> None:
    analysis = find_patterns(history(240, 1.5, 7), resamples=999)
    assert all(ADJUSTED in f.text for f in analysis.findings)
    assert "carrying over from one day to the next" in ADJUSTED
