"""The views people expect, from the daily table: mood by weekday, by tag, and the week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from steadymind.features.insights.patterns import DailyTable

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Average:
    name: str
    mood: float | None
    days: int


def by_weekday(table: DailyTable) -> list[Average]:
    groups: dict[int, list[float]] = defaultdict(list)
    for day, mood in table.mood.items():
        groups[day.weekday()].append(mood)
    return [
        Average(name, fmean(groups[i]) if groups[i] else None, len(groups[i]))
        for i, name in enumerate(WEEKDAYS)
    ]


def by_tag(table: DailyTable, most: int = 20) -> list[Average]:
    """Mean mood on the days with each tag or activity (presence factors), most days first."""
    out = []
    for key, days in table.factors.items():
        if table.kinds.get(key) != "presence":
            continue
        moods = [table.mood[d] for d in days if d in table.mood]
        if moods:
            out.append(Average(table.labels[key], fmean(moods), len(moods)))
    return sorted(out, key=lambda a: (-a.days, a.name))[:most]


@dataclass(frozen=True)
class Week:
    first: date
    last: date
    days: int
    mood: float | None
    before: float | None
    best: tuple[date, float] | None
    lowest: tuple[date, float] | None
    tags: list[tuple[str, int]]

    def summary(self) -> str:
        if self.mood is None:
            return "No check-ins in the last seven days."
        text = f"Check-ins on {self.days} of the last 7 days; mood averaged {self.mood:+.1f}"
        if self.before is not None:
            change = self.mood - self.before
            if abs(change) < 0.25:
                text += ", about the same as the week before"
            else:
                way = "higher" if change > 0 else "lower"
                text += f", {abs(change):.1f} {way} than the week before ({self.before:+.1f})"
        return text + "."


def week(table: DailyTable, today: date) -> Week:
    days = [today - timedelta(days=i) for i in range(7)]
    earlier = [today - timedelta(days=i) for i in range(7, 14)]
    moods = {d: table.mood[d] for d in days if d in table.mood}
    before = [table.mood[d] for d in earlier if d in table.mood]
    counts: dict[str, int] = defaultdict(int)
    for key, present in table.factors.items():
        if table.kinds.get(key) == "presence":
            n = sum(1 for d in days if d in present)
            if n:
                counts[table.labels[key]] += n
    best = max(moods.items(), key=lambda kv: kv[1]) if moods else None
    lowest = min(moods.items(), key=lambda kv: kv[1]) if moods else None
    return Week(
        first=days[-1],
        last=today,
        days=len(moods),
        mood=fmean(moods.values()) if moods else None,
        before=fmean(before) if before else None,
        best=best,
        lowest=lowest,
        tags=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
    )
