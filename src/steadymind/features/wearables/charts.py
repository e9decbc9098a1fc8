"""The wearables page's charts as inline SVG, drawn on the server (no script, CSP-clean).

Each factor is one small chart of the last days: a bar per day, the person's own usual as a
shaded band (their middle half: the 25th to the 75th percentile of the two months before), and
under it, in the same columns, the day's mood from their check-ins, so that sleep, steps, heart
and mood are read side by side. Every bar has a ``<title>``; the page has the numbers as a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from steadymind.features.wearables import daily as d

WIDTH, LEFT, RIGHT = 640, 56, 12
PLOT, TOP, MOOD_ROW, UNDER = 110, 10, 40, 24


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    place: str  # low, usual, high, or "" (no usual yet)
    title: str


@dataclass
class MoodDot:
    x: float
    y: float
    title: str


@dataclass
class Chart:
    key: str
    label: str
    unit: str
    width: int = WIDTH
    height: int = TOP + PLOT + MOOD_ROW + UNDER
    bars: list[Bar] = field(default_factory=list)
    band: tuple[float, float] | None = None  # y of the usual's high and low
    usual_y: float | None = None
    usual_text: str = ""
    top_label: str = ""
    moods: list[MoodDot] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    mood_top: float = TOP + PLOT + 8
    left: int = LEFT
    plot_bottom: int = TOP + PLOT
    summary: str = ""

    @property
    def title(self) -> str:
        return sentence_case(self.label)

    @property
    def empty(self) -> bool:
        return not self.bars


def sentence_case(text: str) -> str:
    """ "hours of sleep" -> "Hours of sleep" (Jinja's capitalize would lower "SDNN")."""
    return text[:1].upper() + text[1:]


def number(key: str, value: float) -> str:
    factor = d.FACTORS[key]
    return f"{value:,.{factor.digits}f}"


def chart(
    key: str,
    days: list[date],
    values: dict[date, float],
    usual: d.Baseline | None,
    moods: dict[date, float],
) -> Chart:
    factor = d.FACTORS[key]
    c = Chart(key, factor.label, factor.unit)
    step = (WIDTH - LEFT - RIGHT) / max(len(days), 1)
    shown = [v for v in values.values()] + ([usual.high] if usual else [])
    top = max(shown, default=1.0) * 1.1 or 1.0
    c.top_label = f"{top / 1000:.0f}k" if top >= 10_000 else number(key, top)  # fits a phone

    def y(value: float) -> float:
        return TOP + PLOT - PLOT * max(value, 0) / top

    if usual is not None:
        c.band = (y(usual.high), y(usual.low))
        c.usual_y = y(usual.usual)
        c.usual_text = (
            f"your usual: {number(key, usual.low)} to {number(key, usual.high)} {factor.unit}"
        )
    for i, day in enumerate(days):
        x = LEFT + i * step
        if day in values:
            value = values[day]
            place = usual.place(value) if usual else ""
            words = f" ({place} for you)" if place else ""
            c.bars.append(
                Bar(
                    x + step * 0.15, y(value), step * 0.7, TOP + PLOT - y(value), place,
                    f"{day:%a %d %b}: {number(key, value)} {factor.unit}{words}",
                )
            )  # fmt: skip
        if day in moods:
            mood = moods[day]
            my = c.mood_top + (MOOD_ROW - 8) * (5 - mood) / 10
            c.moods.append(MoodDot(x + step / 2, my, f"{day:%a %d %b}: mood {mood:+.1f}"))
        if (i % 7 == 0 and i + 3 < len(days)) or i == len(days) - 1:  # no two labels touch
            c.x_ticks.append((x + step / 2, f"{day:%d %b}"))
    c.summary = _summary(key, days, values, usual)
    return c


def _summary(
    key: str, days: list[date], values: dict[date, float], usual: d.Baseline | None
) -> str:
    factor = d.FACTORS[key]
    if not values:
        return f"No {factor.label} in these days."
    counts = {"low": 0, "usual": 0, "high": 0}
    if usual is not None:
        for value in values.values():
            counts[usual.place(value)] += 1
    text = f"{sentence_case(factor.label)} on {len(values)} of {len(days)} days"
    if usual is None:
        return text + "; not enough days yet to know your usual."
    return (
        f"{text}: {counts['usual']} usual for you, {counts['low']} lower and "
        f"{counts['high']} higher (your usual is {number(key, usual.low)} to "
        f"{number(key, usual.high)} {factor.unit})."
    )


def last_days(end: date, count: int) -> list[date]:
    return [end - timedelta(days=count - 1 - i) for i in range(count)]
