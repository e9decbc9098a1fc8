"""A mood chart as inline SVG, drawn on the server: no chart library, no script, CSP-clean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from steadymind.features.checkins.schemas import CheckInOut

WIDTH, HEIGHT, PAD = 640, 220, 28


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    mood_points: str
    energy_points: str
    dots: list[tuple[float, float, str]]
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]
    empty: bool


def _y(value: float) -> float:
    inner = HEIGHT - 2 * PAD
    return round(PAD + (5 - value) / 10 * inner, 1)


def mood_chart(checkins: list[CheckInOut], *, end: datetime, days: int) -> Chart:
    start = end - timedelta(days=days)
    span = (end - start).total_seconds()
    inner = WIDTH - 2 * PAD

    def x(at: datetime) -> float:
        return round(PAD + (at - start).total_seconds() / span * inner, 1)

    ordered = sorted((c for c in checkins if start <= c.at <= end), key=lambda c: c.at)
    mood = " ".join(f"{x(c.at)},{_y(c.mood)}" for c in ordered)
    energy = " ".join(f"{x(c.at)},{_y(c.energy)}" for c in ordered)
    dots = [(x(c.at), _y(c.mood), f"{c.at:%d %b %H:%M}: mood {c.mood:+d}") for c in ordered]
    step = max(days // 6, 1)
    x_ticks = [
        (x(start + timedelta(days=d)), f"{start + timedelta(days=d):%d %b}")
        for d in range(0, days + 1, step)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        mood_points=mood,
        energy_points=energy,
        dots=dots,
        y_ticks=[(_y(v), v) for v in (-5, 0, 5)],
        x_ticks=x_ticks,
        empty=not ordered,
    )
