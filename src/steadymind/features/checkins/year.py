"""A year in pixels: the last twelve months, a row per month and a square per day, coloured by
the day's mean mood in five steps (``chart.LEVELS``).

Months run down and days across (1 to 31), so the grid is 31 squares wide whatever the month and
fits a 390 px phone at a size a finger can point to. A day without a check-in is an outline; a
day after today is not drawn. The same numbers, month by month, go into a table beside it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from steadymind.features.checkins.chart import LEVELS, Day, signed

WIDTH = 340
LABEL = 28  # the month names' column
HEAD = 14  # the day numbers' row
CELL = 10  # a day's square with its gap, across
ROW = 11.5  # a month's row with its gap, down: room for the month's name beside it
SIZE = 8.6  # a day's square
MONTHS = 12


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    level: int | None  # None: no check-in that day
    title: str


@dataclass(frozen=True)
class Month:
    label: str  # "Mar", beside the row
    name: str  # "March 2026", in the table
    y: float
    days: int
    checked_in: int
    mood: float | None
    lowest: float | None
    highest: float | None


@dataclass(frozen=True)
class Year:
    width: int
    height: int
    size: float
    cells: list[Cell]
    months: list[Month]
    day_ticks: list[tuple[float, int]]
    summary: str
    empty: bool


def months_back(today: date, count: int = MONTHS) -> list[tuple[int, int]]:
    """(year, month) of the last ``count`` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [divmod(i, 12) for i in range(index - count + 1, index + 1)]


def first_day(today: date) -> date:
    year, month = months_back(today)[0]
    return date(year, month + 1, 1)


def year_in_pixels(days: list[Day], today: date) -> Year:
    by_date = {d.date: d for d in days}
    cells: list[Cell] = []
    months: list[Month] = []
    for row, (year, month0) in enumerate(months_back(today)):
        month = month0 + 1
        y = round(HEAD + row * ROW, 1)
        length = calendar.monthrange(year, month)[1]
        dates = [date(year, month, n) for n in range(1, length + 1)]
        dates = [d for d in dates if d <= today]
        cells += [_cell(d, by_date.get(d), y) for d in dates]
        months.append(_month(date(year, month, 1), y, len(dates), by_date))
    shown = [d for d in days if first_day(today) <= d.date <= today]
    return Year(
        width=WIDTH,
        height=int(HEAD + MONTHS * ROW + 2),
        size=SIZE,
        cells=cells,
        months=months,
        day_ticks=[(_x(n) + SIZE / 2, n) for n in (1, 10, 20, 31)],
        summary=_summary(shown),
        empty=not shown,
    )


def _x(day_of_month: int) -> float:
    return round(LABEL + (day_of_month - 1) * CELL, 1)


def _cell(when: date, day: Day | None, y: float) -> Cell:
    if day is None:
        return Cell(_x(when.day), y, None, f"{when:%a %d %b %Y}: no check-in")
    title = f"{when:%a %d %b %Y}: mood {signed(day.mood)}, {LEVELS[day.level]}"
    return Cell(_x(when.day), y, day.level, title)


def _month(first: date, y: float, length: int, by_date: dict[date, Day]) -> Month:
    found = [
        d for d in by_date.values() if (d.date.year, d.date.month) == (first.year, first.month)
    ]
    moods = [d.mood for d in found]
    return Month(
        label=f"{first:%b}",
        name=f"{first:%B %Y}",
        y=y,
        days=length,
        checked_in=len(found),
        mood=fmean(moods) if moods else None,
        lowest=min(moods) if moods else None,
        highest=max(moods) if moods else None,
    )


def _summary(shown: list[Day]) -> str:
    if not shown:
        return "No check-ins in the last twelve months."
    counts = [sum(d.level == i for d in shown) for i in range(len(LEVELS))]
    parts = [f"{n} {LEVELS[i]}" for i, n in reversed(list(enumerate(counts))) if n]
    return (
        f"Daily mean mood on {len(shown)} days of the last twelve months with check-ins: "
        + ", ".join(parts)
        + "."
    )
