"""The person's wearable days as factors for the insights: each day relative to their usual.

A value says how far the day was from this person's own usual: their median over the two months
before it, in units of their own middle-half spread (0 is a usual day, +1 a day as far above the
usual as their upper quartile is), never against a population. In the first weeks the usual is
read from all the days there are; with fewer than a week of days there is no usual and no
factor yet. Numbers only: nothing here is decrypted, so a job without the key could do the same.
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
        for row in self.service.values(owner.user_id, since, end):
            if row.factor in d.INSIGHT_FACTORS:
                history[row.factor].append((row.day, row.value))
        out = []
        for key, days in history.items():
            factor = d.FACTORS[key]
            for day, value in days:
                if day < start:
                    continue
                window = [v for x, v in days if day - timedelta(days=d.BASELINE_DAYS) <= x < day]
                if len(window) < d.MIN_DAYS:  # the first weeks: the usual of what there is
                    window = [v for _, v in days]
                base = d.baseline(key, window)
                if base is not None:
                    shown = round(base.relative(value), 3)
                    label = f"{factor.label}, against your usual"
                    out.append(DailyValue(day, f"wearable:{key}", shown, label, "amount"))
        return sorted(out, key=lambda v: (v.day, v.factor))
