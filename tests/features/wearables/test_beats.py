"""An Apple Watch HRV reading's beat list becomes RR intervals and an RMSSD (beats.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from steadymind.features.wearables import beats as b
from steadymind.features.wearables.importers import importer, no_progress
from steadymind.features.wearables.samples import Metric
from tests.features.wearables.synth import HEAD, TAIL, WATCH, WATCH_DEVICE, apple_export, record

AH = importer("apple-health")
HRV = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
START = datetime(2026, 9, 1, 10, 59, 40, tzinfo=UTC)  # 11:59:40 AM at +01:00: over noon
# Intervals in hundredths of a second, as the export's clock times can hold them exactly.
RR = [95, 97, 93, 99, 96, 92, 98, 101, 94, 97, 95, 99, 93, 96, 100, 94, 97, 95, 98, 92,
      96, 99, 94, 97, 101, 95, 93, 98, 96, 94, 99, 97, 95, 92, 98, 96, 100, 94, 97, 95]  # fmt: skip


def _clock(seconds: float, *, english: bool = True) -> str:
    local = START + timedelta(hours=1, seconds=seconds)
    hundredths = round(local.microsecond / 10_000)
    if english:
        hour = local.hour % 12 or 12
        return f"{hour}:{local:%M:%S}.{hundredths:02d} {'AM' if local.hour < 12 else 'PM'}"
    return f"{local:%H:%M:%S},{hundredths:02d}"  # a 24-hour clock, a decimal comma


def _reading(rr: list[int], *, english: bool = True, skip: int | None = None) -> str:
    """One HRV record with its beat list; ``skip`` drops that beat (as the watch does with one
    it could not trust): the next time step is then two intervals, not one."""
    clock, lines = 0, []
    for i, interval in enumerate(rr):
        clock += interval
        if i != skip:
            bpm = round(6000 / interval)
            at = _clock(clock / 100, english=english)
            lines.append(f'   <InstantaneousBeatsPerMinute bpm="{bpm}" time="{at}"/>\n')
    head = record(HRV, WATCH, START, START + timedelta(minutes=1), "41.2", "ms", WATCH_DEVICE)
    listed = "".join(lines)
    return (
        f"{head}>\n  <HeartRateVariabilityMetadataList>\n{listed}"
        "  </HeartRateVariabilityMetadataList>\n </Record>\n"
    )


def _rmssd(rr_hundredths: list[int]) -> float:
    ms = np.array(rr_hundredths, dtype=float) * 10
    return float(np.sqrt(np.mean(np.diff(ms) ** 2)))


def _read(tmp_path: Path, *records: str) -> tuple[np.ndarray, np.ndarray]:
    path = tmp_path / "export.xml"
    path.write_text(HEAD + "".join(records) + TAIL, encoding="utf-8")
    s = AH.read(path, no_progress)
    assert s.problems == []
    c = s.columns()
    return c.value[c.metric == Metric.HRV_RMSSD], c.value[c.metric == Metric.HRV_SDNN]


def test_a_readings_beats_become_its_rmssd_beside_apples_sdnn(tmp_path: Path) -> None:
    rmssd, sdnn = _read(tmp_path, _reading(RR))
    # The first beat starts the list: the intervals are the steps between beats.
    assert list(rmssd) == pytest.approx([_rmssd(RR[1:])], abs=0.01)
    assert list(sdnn) == [pytest.approx(41.2)]


def test_a_24_hour_clock_with_a_decimal_comma_reads_the_same(tmp_path: Path) -> None:
    english, _ = _read(tmp_path, _reading(RR))
    other, _ = _read(tmp_path, _reading(RR, english=False))
    assert list(other) == pytest.approx(list(english))


def test_a_dropped_beat_is_a_gap_and_no_difference_is_taken_across_it(tmp_path: Path) -> None:
    rmssd, _ = _read(tmp_path, _reading(RR, skip=20))
    # Intervals RR[1..19] and RR[22..] (the step over the dropped beat is two intervals).
    first, second = np.diff(np.array(RR[1:20]) * 10.0), np.diff(np.array(RR[22:]) * 10.0)
    expected = float(np.sqrt(np.mean(np.concatenate([first, second]) ** 2)))
    assert list(rmssd) == pytest.approx([expected], abs=0.01)


def test_a_reading_too_short_gives_no_rmssd(tmp_path: Path) -> None:
    rmssd, sdnn = _read(tmp_path, _reading(RR[:12]))
    assert len(rmssd) == 0 and len(sdnn) == 1


def test_a_beat_list_split_across_blocks_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = apple_export(tmp_path / "export.xml", days=2)
    whole = AH.read(path, no_progress).columns()
    monkeypatch.setattr("steadymind.features.wearables.importers.apple_health.BLOCK", 601)
    pieces = AH.read(path, no_progress).columns()
    rr = whole.metric == Metric.HRV_RMSSD
    assert rr.sum() == 6  # three readings a day, each with a minute of beats
    assert np.array_equal(pieces.value[pieces.metric == Metric.HRV_RMSSD], whole.value[rr])
    assert len(pieces) == len(whole)


def test_numpy_and_neurokit2_agree_on_readings() -> None:
    pytest.importorskip("neurokit2")
    rng = np.random.default_rng(17)
    # Whole milliseconds: NeuroKit2 places beats on a 1000 Hz grid (Apple's times are hundredths).
    readings = [np.round(rng.normal(900, 50, rng.integers(40, 90))) / 1000 for _ in range(12)]
    rr = np.concatenate(readings)
    reading = np.repeat(np.arange(12), [len(r) for r in readings])
    fast = b.rmssd_many(rr, reading, 12)
    library = b.hrv_rmssd_function()
    assert list(fast) == pytest.approx([library(r * 1000) for r in readings], abs=0.011)


def test_a_synthetic_export_gives_a_daily_rmssd(tmp_path: Path) -> None:
    s = AH.read(apple_export(tmp_path / "export.xml", days=1, first=date(2026, 9, 1)), no_progress)
    c = s.columns()
    values = c.value[c.metric == Metric.HRV_RMSSD]
    assert len(values) == 3 and all(5 < v < 150 for v in values)
