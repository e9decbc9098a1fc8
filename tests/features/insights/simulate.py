"""Simulated histories for the patterns' tests and benchmark: a mood that runs in streaks
(AR(1)), a few tags logged at random, and optionally one tag that moves the mood."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from steadymind.features.insights.patterns import DailyTable
from steadymind.runtime import DailyValue

START = date(2025, 1, 1)


def history(
    days: int,
    effect: float,
    seed: int,
    *,
    noise: float = 1.0,
    tags: int = 6,
    lag: int = 0,
    streak: float = 0.3,
) -> DailyTable:
    """``days`` days of mood (marginal SD ``noise``) and ``tags`` tags with prevalences between
    20 % and 60 %; tag ``t0`` raises the mood ``lag`` days later by ``effect``."""
    rng = np.random.default_rng(seed)
    present = rng.random((days + lag, tags)) < rng.uniform(0.2, 0.6, tags)
    values: list[DailyValue] = []
    previous = 0.0
    for i in range(days):
        previous = streak * previous + rng.normal(0, noise * np.sqrt(1 - streak**2))
        planted = effect * present[i - lag, 0] if i >= lag else 0.0
        day = START + timedelta(days=i)
        values.append(DailyValue(day, "mood", previous + planted, "mood", "amount"))
        values += [
            DailyValue(day, f"tag:t{j}", 1.0, f"“t{j}”") for j in range(tags) if present[i, j]
        ]
    return DailyTable.of(values)
