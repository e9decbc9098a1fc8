"""The heart chart drawn on the server: lines inside their box, the first and last minute
marked, and the figures in words for everyone (and for a screen reader)."""

from __future__ import annotations

from typing import Any

import pytest

from steadymind.features.practice.chart import HEIGHT, LEFT, WIDTH, heart_chart
from steadymind.features.practice.live import LiveSession
from steadymind.features.practice.strap import SimulatedStrap


def _summary(minutes: float = 5.0) -> dict[str, Any]:
    live = LiveSession(mode="paced", pace_bpm=5.5)
    strap = SimulatedStrap(resonance_bpm=5.5, seed=3)
    rr = strap.record(minutes * 60, lambda _t: 5.5)
    for at in range(0, len(rr), 4):  # as a strap sends them: a few beats at a time
        live.add(rr[at : at + 4])
    return live.summary()


def _xy(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def test_a_real_session_s_summary_is_drawn_inside_the_box() -> None:
    summary = _summary()
    chart = heart_chart(summary)
    assert chart is not None and len(chart.panels) == 2
    for panel in chart.panels:
        xy = _xy(panel.points)
        assert len(xy) == len(summary["series"]) >= 2
        assert all(LEFT <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in xy)
        assert [x for x, _ in xy] == sorted(x for x, _ in xy)  # time runs left to right
        ys = [t.at for t in panel.y_ticks]
        assert ys == sorted(ys, reverse=True)  # higher values higher up
        assert panel.before is not None and panel.after is not None
    hr = chart.panels[0]
    assert hr.before is not None and hr.before.label == f"{summary['before']['hr']:.0f}"
    assert chart.first_band[0] == LEFT and chart.last_band[1] == WIDTH - 10


def test_the_figures_are_in_words() -> None:
    summary = {
        "series": [{"t": 5.0 * i, "hr": 70.0, "rmssd": 30.0 + i} for i in range(1, 25)],
        "before": {"hr": 70.2, "rmssd": 31.0}, "after": {"hr": 70.6, "rmssd": 52.4},
        "seconds": 120.0,
    }  # fmt: skip
    chart = heart_chart(summary)
    assert chart is not None
    assert chart.sentences[0] == (
        "Over 2 minutes, your heart rate went from 70 beats a minute in the first minute to 71 "
        "in the last (about the same)."
    )
    assert chart.sentences[1].startswith(
        "RMSSD, the beat-to-beat variation, went from 31 ms to 52 ms (21 ms higher)."
    )
    assert chart.sentences[2] == (
        "Along the way, heart rate stayed at about 70 beats a minute, and RMSSD ranged from 31 "
        "to 54 ms."
    )
    assert chart.minutes == (("0:55", "70", "41"), ("1:55", "70", "53"), ("2:00", "70", "54"))


@pytest.mark.parametrize("summary", [None, {}, {"series": [], "before": None, "after": None}])
def test_nothing_recorded_draws_nothing(summary: dict[str, Any] | None) -> None:
    assert heart_chart(summary) is None


def test_a_short_session_says_it_cannot_compare() -> None:
    chart = heart_chart(
        {
            "series": [{"t": 30.0, "hr": 66.0, "rmssd": 40.0}],
            "before": None,
            "after": None,
            "seconds": 40.0,
        }
    )
    assert chart is not None and chart.panels == ()
    assert chart.sentences == (
        "The session lasted 40 seconds: too short to compare the first minute with the last.",
    )
