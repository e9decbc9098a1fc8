"""The person's wearable days as factors for the insights: each day relative to their usual.

A value says how far the day was from this person's own usual: their median over the two months
before it, in units of their own middle-half spread (0 is their median day, +1 a day one
interquartile range above it), never against a population. In the first weeks the usual is
read from the person's first two months of days; with fewer than a week of days there is no
usual and no factor yet. Numbers only: nothing is decrypted, so a job without the key could do
the same.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from steadymind.crypto.principal import Principal
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.service import WearableService
from steadymind.runtime import DailyValue


class WearableFactors:
    def __init__(self, service: WearableService) -> None:
        self.service = service

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
        since = start - timedelta(days=d.BASELINE_DAYS)
        history: dict[str, list[tuple[date, float]]] = defaultdict(list)
        # Past the end too: in the first weeks the usual is that of the person's first days.
        for row in self.service.values(owner.user_id, since, end + timedelta(d.BASELINE_DAYS)):
            if row.factor in d.INSIGHT_FACTORS:
                history[row.factor].append((row.day, row.value))
        out = []
        for key, days in history.items():
            factor = d.FACTORS[key]
            for day, value in days:
                if day < start or day > end:
                    continue
                window = [v for x, v in days if day - timedelta(days=d.BASELINE_DAYS) <= x < day]
                if len(window) < d.MIN_DAYS:  # the first weeks: the usual of the first days
                    window = [v for x, v in days if x < days[0][0] + timedelta(d.BASELINE_DAYS)]
                base = d.baseline(key, window)
                if base is not None:
                    shown = round(base.relative(value), 3)
                    label = f"{factor.label}, against your usual"
                    out.append(DailyValue(day, f"wearable:{key}", shown, label, "amount"))
        return sorted(out, key=lambda v: (v.day, v.factor))
