"""The heart's side of a session, drawn on the server: heart rate and RMSSD over time, the first
and the last minute marked, as inline SVG (no script, no library, no other origin) and as words.

    chart = heart_chart(session.biofeedback)   # None: nothing was recorded
    chart.panels          # one small plot per measure, stacked on a phone, side by side wider
    chart.sentences       # the figures in words (what a screen reader reads, and everyone sees)
    chart.minutes         # the figures minute by minute, for a table

Each plot has its own scale (beats a minute; milliseconds): two lines on two axes in one box
are hard to read, the more so at 390 px. The SVG's coordinates are a fixed 320 x 150 box that the
page scales to its width, so the labels stay about 11 px on a phone. Numbers only: nothing here
is text a person wrote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 320.0, 150.0
LEFT, RIGHT, TOP, BOTTOM = 34.0, 10.0, 26.0, 24.0
MINUTE = 60.0


@dataclass(frozen=True)
class Tick:
    at: float  # the SVG coordinate
    label: str


@dataclass(frozen=True)
class Mark:
    """The mean of the first or the last minute: a short level line over its band."""

    x1: float
    x2: float
    y: float
    label: str


@dataclass(frozen=True)
class Panel:
    key: str  # "hr" | "rmssd": the CSS class of its line
    title: str
    unit: str
    points: str  # the polyline's points, "x,y x,y ..."
    y_ticks: tuple[Tick, ...]
    before: Mark | None
    after: Mark | None


@dataclass(frozen=True)
class HeartChart:
    seconds: float
    panels: tuple[Panel, ...]
    x_ticks: tuple[Tick, ...]
    first_band: tuple[float, float]  # x from, x to: the first minute
    last_band: tuple[float, float]  # the last minute
    sentences: tuple[str, ...]
    minutes: tuple[tuple[str, str, str], ...]  # (time, heart rate, RMSSD), one a minute
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM


def heart_chart(summary: dict[str, Any] | None) -> HeartChart | None:
    """The chart of a session's biofeedback summary, or None when it has no figures at all."""
    if not summary:
        return None
    series = [p for p in summary.get("series") or [] if _point(p)]
    before, after = summary.get("before"), summary.get("after")
    if not series and not (before and after):
        return None
    seconds = max(float(summary.get("seconds") or 0.0), *(p["t"] for p in series), 1.0)
    x = _scale(0.0, seconds, LEFT, WIDTH - RIGHT)
    first = (x(0.0), x(min(MINUTE, seconds)))
    last = (x(max(seconds - MINUTE, 0.0)), x(seconds))
    panels = tuple(
        _panel(key, title, unit, series, x, first, last, before, after)
        for key, title, unit in (("hr", "Heart rate", "bpm"), ("rmssd", "RMSSD", "ms"))
    )
    return HeartChart(
        seconds=seconds,
        panels=panels if len(series) >= 2 else (),
        x_ticks=_time_ticks(seconds, x),
        first_band=first,
        last_band=last,
        sentences=tuple(_sentences(series, seconds, before, after)),
        minutes=_minutes(series),
    )


def _point(p: Any) -> bool:
    return isinstance(p, dict) and all(
        isinstance(p.get(k), int | float) for k in ("t", "hr", "rmssd")
    )


def _scale(lo: float, hi: float, a: float, b: float) -> Any:
    span = (hi - lo) or 1.0
    return lambda v: round(a + (v - lo) / span * (b - a), 1)


def _nice_range(values: list[float]) -> tuple[float, float, float]:
    """A low, a high and a tick step that hold ``values`` with a little room."""
    lo, hi = min(values), max(values)
    if hi - lo < 4:
        lo, hi = lo - 2, hi + 2
    raw = (hi - lo) / 3
    step = 10 ** math.floor(math.log10(raw))
    step = next(s * step for s in (1, 2, 5, 10) if s * step >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _panel(
    key: str,
    title: str,
    unit: str,
    series: list[dict[str, float]],
    x: Any,
    first: tuple[float, float],
    last: tuple[float, float],
    before: dict[str, float] | None,
    after: dict[str, float] | None,
) -> Panel:
    values = [p[key] for p in series]
    values += [m[key] for m in (before, after) if m and m.get(key) is not None]
    lo, hi, step = _nice_range(values or [0.0, 1.0])
    y = _scale(lo, hi, HEIGHT - BOTTOM, TOP)
    ticks = []
    v = lo
    while v <= hi + step / 2:
        ticks.append(Tick(y(v), f"{v:g}"))
        v += step
    points = " ".join(f"{x(p['t'])},{y(p[key])}" for p in series)
    return Panel(
        key=key,
        title=title,
        unit=unit,
        points=points,
        y_ticks=tuple(ticks),
        before=_mark(before, key, first, y),
        after=_mark(after, key, last, y),
    )


def _mark(
    minute: dict[str, float] | None, key: str, band: tuple[float, float], y: Any
) -> Mark | None:
    if not minute or minute.get(key) is None:
        return None
    value = float(minute[key])
    return Mark(band[0], band[1], y(value), f"{value:.0f}")


def _time_ticks(seconds: float, x: Any) -> tuple[Tick, ...]:
    minutes = seconds / MINUTE
    step = next(s for s in (1, 2, 5, 10, 15, 30, 60) if minutes / s <= 5)
    return tuple(Tick(x(m * MINUTE), f"{m} min") for m in range(0, int(minutes) + 1, step))


def _minutes(series: list[dict[str, float]]) -> tuple[tuple[str, str, str], ...]:
    """The last figures of each minute (the table under the chart)."""
    by_minute: dict[int, dict[str, float]] = {}
    for p in series:
        by_minute[int(p["t"] // MINUTE)] = p
    return tuple(
        (_clock(p["t"]), f"{p['hr']:.0f}", f"{p['rmssd']:.0f}")
        for _, p in sorted(by_minute.items())
    )


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _length(seconds: float) -> str:
    if seconds < MINUTE - 0.5:
        return f"{seconds:.0f} seconds"
    minutes = max(round(seconds / MINUTE), 1)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _change(before: float, after: float, unit: str, *, places: int = 0) -> str:
    diff = round(after - before, places)
    if abs(diff) < 1:
        return "about the same"
    return f"{abs(diff):.0f}{unit} {'lower' if diff < 0 else 'higher'}"


def _sentences(
    series: list[dict[str, float]],
    seconds: float,
    before: dict[str, float] | None,
    after: dict[str, float] | None,
) -> list[str]:
    said = []
    if before and after:
        hb, ha = float(before["hr"]), float(after["hr"])
        rb, ra = float(before["rmssd"]), float(after["rmssd"])
        said.append(
            f"Over {_length(seconds)}, your heart rate went from {hb:.0f} beats a minute in the "
            f"first minute to {ha:.0f} in the last ({_change(hb, ha, '')})."
        )
        said.append(
            f"RMSSD, the beat-to-beat variation, went from {rb:.0f} ms to {ra:.0f} ms "
            f"({_change(rb, ra, ' ms')}). Higher often goes with being more relaxed, though it "
            "varies from person to person and day to day."
        )
    else:
        said.append(
            f"The session lasted {_length(seconds)}: too short to compare the first minute "
            "with the last."
        )
    if len(series) >= 2:
        hrs = [p["hr"] for p in series]
        rs = [p["rmssd"] for p in series]
        said.append(
            f"Along the way, heart rate {_range(hrs, ' beats a minute')}, "
            f"and RMSSD {_range(rs, ' ms')}."
        )
    return said


def _range(values: list[float], unit: str) -> str:
    lo, hi = f"{min(values):.0f}", f"{max(values):.0f}"
    return f"stayed at about {lo}{unit}" if lo == hi else f"ranged from {lo} to {hi}{unit}"
