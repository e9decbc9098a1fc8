"""The insights' charts as inline SVG drawn on the server (the same for the page, the report and
its PDF): mood by weekday as bars, a questionnaire's totals over time, and the period's mood
with its daily range. Each has a title, a description and the numbers as a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from steadymind.features.insights.patterns import DailyTable
from steadymind.features.insights.views import Average

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 30


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str


@dataclass(frozen=True)
class Line:
    points: str
    band: str
    dots: list[tuple[float, float, str]]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    empty: bool


def _y(value: float, low: float, high: float) -> float:
    return round(TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM), 1)


def weekday_bars(averages: list[Average]) -> list[Bar]:
    """Bars from the zero line up (a good mood) or down (a low one), one per weekday."""
    slot = (WIDTH - LEFT - RIGHT) / len(averages)
    zero = _y(0, -5, 5)
    bars = []
    for i, a in enumerate(averages):
        x = round(LEFT + i * slot + slot * 0.2, 1)
        value = a.mood or 0.0
        top = min(zero, _y(value, -5, 5))
        height = max(abs(_y(value, -5, 5) - zero), 1.0)
        said = "no check-ins" if a.mood is None else f"{a.mood:+.1f} over {a.days} days"
        bars.append(
            Bar(x, top, round(slot * 0.6, 1), round(height, 1), a.name[:3], f"{a.name}: {said}")
        )
    return bars


def mood_line(table: DailyTable, first: date, last: date) -> Line:
    slots = (last - first).days + 1
    slot = (WIDTH - LEFT - RIGHT) / slots

    def x(day: date) -> float:
        return round(LEFT + ((day - first).days + 0.5) * slot, 1)

    days = sorted(d for d in table.mood if first <= d <= last)
    upper = [f"{x(d)},{_y(table.high.get(d, table.mood[d]), -5, 5)}" for d in days]
    lower = [f"{x(d)},{_y(table.low.get(d, table.mood[d]), -5, 5)}" for d in reversed(days)]
    step = max(slots // 6, 1)
    ticks = [first + timedelta(days=i) for i in range(0, slots, step)]
    return Line(
        points=" ".join(f"{x(d)},{_y(table.mood[d], -5, 5)}" for d in days),
        band=" ".join(upper + lower) if len(days) > 1 else "",
        dots=[
            (x(d), _y(table.mood[d], -5, 5), f"{d:%a %d %b}: {table.mood[d]:+.1f}") for d in days
        ],
        x_ticks=[(x(d), f"{d:%d %b}") for d in ticks],
        y_ticks=[(_y(v, -5, 5), f"{v:+d}" if v else "0") for v in (5, 0, -5)],
        empty=not days,
    )


def trend(points: list[tuple[date, int]], most: int) -> Line:
    """A questionnaire's totals, oldest first, on 0..most."""
    if not points:
        return Line("", "", [], [], [], True)
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return (
            round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)
            if len(points) > 1
            else WIDTH / 2
        )

    dots = [(x(d), _y(t, 0, most), f"{d:%d %b %Y}: {t}") for d, t in points]
    return Line(
        points=" ".join(f"{a},{b}" for a, b, _ in dots),
        band="",
        dots=dots,
        x_ticks=[(x(first), f"{first:%d %b}"), (x(last), f"{last:%d %b}")]
        if len(points) > 1
        else [(x(first), f"{first:%d %b}")],
        y_ticks=[(_y(v, 0, most), str(v)) for v in (most, most // 2, 0)],
        empty=False,
    )
