"""The history charts as inline SVG, drawn on the server: no chart library, no script, CSP-clean.

Check-ins are grouped by the day they were made on, in the time zone they were made in (a 23:30
check-in in Tokyo belongs to that Tokyo day). Each day is drawn once, as its mean, with the range
from its lowest to its highest check-in; several check-ins on one day used to draw as a vertical
stroke. Mood is a line over a band (the range), energy a dashed line, and how strong the
feelings were a row of bars of its own, so that it never hides the lines.

One drawing serves every screen: on a phone the SVG is scaled to about half, so the page's CSS
sets its text larger there (and its strokes do not scale), rather than drawing it twice. The
calendar (``year``) colours each day of the last twelve months by its mean mood. Every mark has
a ``<title>``, every SVG a title and a description, and the page has the same numbers as tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from statistics import fmean
from zoneinfo import ZoneInfo

WIDTH = 640
LEFT, RIGHT, TOP = 36, 12, 14
PLOT = 260  # the height of the mood and energy plot
GAP = 44  # between the plot and the intensity row: room for the row's name
ROW = 36  # the height of the intensity row
UNDER = 34  # under the last row: the dates
LEVELS = ("very low", "low", "okay", "good", "very good")


@dataclass(frozen=True)
class Point:
    """The numbers of one check-in (plaintext columns: drawing a chart decrypts nothing)."""

    at: datetime
    tz: str
    mood: int
    energy: int
    intensity: int | None


@dataclass(frozen=True)
class Day:
    """One day's check-ins: the mean of each scale and its range."""

    date: date
    count: int
    mood: float
    mood_low: int
    mood_high: int
    energy: float
    energy_low: int
    energy_high: int
    intensity: float | None

    @property
    def level(self) -> int:
        """The day's mean mood as one of five steps (an index into ``LEVELS``)."""
        return sum(self.mood > edge for edge in (-2.5, -0.5, 0.5, 2.5))

    def summary(self) -> str:
        strength = "" if self.intensity is None else f"; how strong {plain(self.intensity)} of 10"
        mood = _range(self.mood_low, self.mood_high)
        energy = _range(self.energy_low, self.energy_high)
        return (
            f"{self.date:%a %d %b}: mood {signed(self.mood)} ({mood}), "
            f"energy {signed(self.energy)} ({energy}){strength}; {_count(self.count)}"
        )


def signed(value: float) -> str:
    """+1.5, -2, 0: a scale value as people read it (no "+0", no trailing ".0")."""
    text = f"{value:+.1f}".removesuffix(".0")
    return "0" if text in {"+0", "-0"} else text


def plain(value: float) -> str:
    """6, 6.5: a 0-10 value without a sign or a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


def _range(low: int, high: int) -> str:
    return f"{signed(low)}" if low == high else f"from {signed(low)} to {signed(high)}"


def _count(n: int) -> str:
    return "1 check-in" if n == 1 else f"{n} check-ins"


def local_day(point: Point) -> date:
    return point.at.astimezone(ZoneInfo(point.tz)).date()


def daily(points: list[Point]) -> list[Day]:
    """The points grouped by the day each was made on, in its own time zone; oldest first."""
    groups: dict[date, list[Point]] = defaultdict(list)
    for point in points:
        groups[local_day(point)].append(point)
    return [_day(d, group) for d, group in sorted(groups.items())]


def _day(when: date, group: list[Point]) -> Day:
    moods = [p.mood for p in group]
    energies = [p.energy for p in group]
    strengths = [p.intensity for p in group if p.intensity is not None]
    return Day(
        date=when,
        count=len(group),
        mood=fmean(moods),
        mood_low=min(moods),
        mood_high=max(moods),
        energy=fmean(energies),
        energy_low=min(energies),
        energy_high=max(energies),
        intensity=fmean(strengths) if strengths else None,
    )


# -- the line chart --------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    mood_line: str
    mood_band: str
    mood_ranges: list[tuple[float, float, float]]
    energy_ranges: list[tuple[float, float, float]]  # x, top, bottom: a day's energy range
    energy_line: str
    mood_dots: list[Mark]
    energy_dots: list[Mark]
    bars: list[Bar]
    row_top: int | None
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, bool]]  # x, label, whether a phone shows it too
    bottom: int
    summary: str
    empty: bool


# A day's energy range is drawn just right of its mood range, so the two never hide each other.
ENERGY_OFFSET = 3


def _y(value: float) -> float:
    return round(TOP + (5 - value) / 10 * PLOT, 1)


def line_chart(days: list[Day], first: date, last: date) -> Chart:
    """Daily means from ``first`` to ``last`` (inclusive), one slot per day."""
    shown = [d for d in days if first <= d.date <= last]
    slots = (last - first).days + 1
    slot = (WIDTH - LEFT - RIGHT) / slots

    def x(when: date) -> float:
        return round(LEFT + ((when - first).days + 0.5) * slot, 1)

    strong = [d for d in shown if d.intensity is not None]
    row_top = TOP + PLOT + GAP if strong else None
    bottom = row_top + ROW if row_top is not None else TOP + PLOT
    upper = [f"{x(d.date)},{_y(d.mood_high)}" for d in shown]
    lower = [f"{x(d.date)},{_y(d.mood_low)}" for d in reversed(shown)]
    return Chart(
        width=WIDTH,
        height=bottom + UNDER,
        mood_line=" ".join(f"{x(d.date)},{_y(d.mood)}" for d in shown),
        mood_band=" ".join(upper + lower) if len(shown) > 1 else "",
        mood_ranges=[
            (x(d.date), _y(d.mood_high), _y(d.mood_low)) for d in shown if d.mood_low < d.mood_high
        ],
        energy_ranges=[
            (round(x(d.date) + ENERGY_OFFSET, 1), _y(d.energy_high), _y(d.energy_low))
            for d in shown
            if d.energy_low < d.energy_high
        ],
        energy_line=" ".join(f"{x(d.date)},{_y(d.energy)}" for d in shown),
        mood_dots=[Mark(x(d.date), _y(d.mood), d.summary()) for d in shown],
        energy_dots=[Mark(x(d.date), _y(d.energy), d.summary()) for d in shown],
        bars=[_bar(x(d.date), d, slot, row_top) for d in strong if row_top is not None],
        row_top=row_top,
        y_ticks=[(_y(v), signed(v)) for v in (5, 0, -5)],
        x_ticks=_x_ticks(first, slots, x, 6),
        bottom=bottom,
        summary=_summary(shown, slots),
        empty=not shown,
    )


def _bar(x: float, day: Day, slot: float, top: int) -> Bar:
    strength = day.intensity or 0.0
    height = round(max(strength / 10 * ROW, 1.0), 1)
    width = round(min(max(slot * 0.6, 1.5), 14), 1)
    title = f"{day.date:%a %d %b}: how strong {plain(strength)} of 10"
    return Bar(round(x - width / 2, 1), round(top + ROW - height, 1), width, height, title)


def _x_ticks(
    first: date, slots: int, x: Callable[[date], float], most: int
) -> list[tuple[float, str, bool]]:
    """Up to ``most`` dates under the plot; a phone, with larger text, shows every other one."""
    days = [first + timedelta(days=i) for i in range(0, slots, max(ceil(slots / most), 1))]
    return [(x(d), f"{d:%d %b}", i % 2 == 0) for i, d in enumerate(days)]


def _summary(shown: list[Day], slots: int) -> str:
    if not shown:
        return f"No check-ins in the last {slots} days."
    moods = [d.mood for d in shown]
    lowest = min(d.mood_low for d in shown)
    highest = max(d.mood_high for d in shown)
    energy = fmean(d.energy for d in shown)
    return (
        f"Check-ins on {len(shown)} of the last {slots} days. Mood averaged "
        f"{signed(fmean(moods))} a day, from {signed(lowest)} at its lowest to "
        f"{signed(highest)} at its highest; energy averaged {signed(energy)}."
    )
