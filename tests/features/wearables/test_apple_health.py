"""Reading an Apple Health export: the records we read, fast and record by record alike."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steadymind.core.errors import ValidationError
from steadymind.features.wearables.importers import importer, no_progress
from steadymind.features.wearables.importers.apple_health import BLOCK, dates
from steadymind.features.wearables.samples import Metric, Stage
from tests.features.wearables.synth import HEAD, PHONE, TAIL, WATCH, apple_export, record

AH = importer("apple-health")


def _xml(tmp_path: Path, *records: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(HEAD + "".join(records) + TAIL, encoding="utf-8")
    return path


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_each_kind_of_record_is_read_with_its_value_time_and_offset(tmp_path: Path) -> None:
    t0, t1 = _at("2026-09-01 07:00:00"), _at("2026-09-01 07:10:00")
    path = _xml(
        tmp_path,
        record("HKQuantityTypeIdentifierHeartRate", WATCH, t0, t0, "61", "count/min") + "/>\n",
        record("HKQuantityTypeIdentifierStepCount", PHONE, t0, t1, "420", "count") + "/>\n",
        record("HKQuantityTypeIdentifierActiveEnergyBurned", WATCH, t0, t1, "41.84", "kJ") + "/>\n",
        record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            WATCH,
            t0,
            t1,
            "HKCategoryValueSleepAnalysisAsleepREM",
        )
        + "/>\n",
        record(
            "HKCategoryTypeIdentifierMindfulSession", WATCH, t0, t1, "HKCategoryValueNotApplicable"
        )
        + "/>\n",
        record("HKDataTypeStateOfMind", PHONE, t0, t0, "-0.4") + "/>\n",
        record("HKQuantityTypeIdentifierBodyMass", PHONE, t0, t0, "70", "kg") + "/>\n",
    )
    s = AH.read(path, no_progress)
    c = s.columns()
    assert list(c.metric) == [
        Metric.HEART_RATE, Metric.STEPS, Metric.ACTIVE_ENERGY, Metric.SLEEP, Metric.MINDFUL,
        Metric.STATE_OF_MIND,
    ]  # fmt: skip
    assert list(c.value) == pytest.approx([61, 420, 10.0, Stage.REM, 10.0, -0.4])
    assert c.start[0] == t0.timestamp() and c.end[1] == t1.timestamp()
    assert set(c.offset) == {60}
    assert s.sources == ["Test Person’s Apple Watch", "Test Person’s iPhone"]
    assert s.problems == []


def test_a_zip_from_the_health_app_reads_like_its_xml(tmp_path: Path) -> None:
    xml = apple_export(tmp_path / "export.xml", days=3)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(xml, "apple_health_export/export.xml")
        z.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    from_xml, from_zip = AH.read(xml, no_progress), AH.read(archive, no_progress)
    assert len(from_xml) == len(from_zip) > 500
    assert np.array_equal(from_xml.columns().value, from_zip.columns().value)


def test_records_in_another_attribute_order_are_read_record_by_record(tmp_path: Path) -> None:
    odd = (
        ' <Record endDate="2026-09-01 08:00:00 +0200" value="58" unit="count/min"'
        ' startDate="2026-09-01 08:00:00 +0200" sourceName="Ring" '
        'type="HKQuantityTypeIdentifierRestingHeartRate"/>\n'
    )
    s = AH.read(_xml(tmp_path, odd), no_progress)
    assert list(s.columns().metric) == [Metric.RESTING_HR]
    assert s.columns().start[0] == _at("2026-09-01 06:00:00").timestamp()
    assert list(s.columns().offset) == [120] and s.sources == ["Ring"]


def test_a_malformed_record_is_reported_with_its_line_and_the_rest_imports(tmp_path: Path) -> None:
    t0 = _at("2026-09-01 07:00:00")
    good = record("HKQuantityTypeIdentifierHeartRate", WATCH, t0, t0, "61", "count/min") + "/>\n"
    bad_value = (
        record("HKQuantityTypeIdentifierHeartRate", WATCH, t0, t0, "sixty", "count/min") + "/>\n"
    )
    bad_date = good.replace('startDate="2026-09-01', 'startDate="2026-13-01')
    s = AH.read(_xml(tmp_path, good, bad_value, good, bad_date), no_progress)
    head_lines = HEAD.count("\n")
    assert len(s) == 2
    assert [p.where for p in s.problems] == [f"line {head_lines + 2}", f"line {head_lines + 4}"]
    assert "value" in s.problems[0].what and "date" in s.problems[1].what
    assert s.skipped == 2


def test_a_file_cut_off_in_a_record_is_reported_where_it_ends(tmp_path: Path) -> None:
    full = apple_export(tmp_path / "full.xml", days=2).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(full[: len(full) // 2 + 37])
    s = AH.read(cut, no_progress)
    assert 0 < len(s) < len(AH.read(tmp_path / "full.xml", no_progress))
    assert s.problems[-1].what == "the file ends in the middle of a record"


def test_something_else_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    other = tmp_path / "notes.xml"
    other.write_text("hello, this is not xml\n" * 10)
    with pytest.raises(ValidationError):
        AH.read(other, no_progress)


def test_progress_reaches_the_whole_file(tmp_path: Path) -> None:
    path = apple_export(tmp_path / "export.xml", days=2)
    seen: list[tuple[int, int]] = []
    AH.read(path, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_blocks_split_inside_a_record_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = apple_export(tmp_path / "export.xml", days=3)
    whole = AH.read(path, no_progress)
    monkeypatch.setattr("steadymind.features.wearables.importers.apple_health.BLOCK", 997)
    pieces = AH.read(path, no_progress)
    assert BLOCK > 997 and len(pieces) == len(whole) and pieces.problems == []
    # The same samples; the order within the file may differ (a block's beat readings are
    # added after its records), and nothing rests on that order (the save sorts).
    a, c = pieces.columns(), whole.columns()
    assert np.array_equal(
        a.start[np.lexsort((a.start, a.metric))], c.start[np.lexsort((c.start, c.metric))]
    )


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2090, 1, 1)),
       st.integers(min_value=-12 * 60, max_value=14 * 60))  # fmt: skip
def test_dates_convert_like_the_standard_library(when: datetime, offset: int) -> None:
    when = when.replace(microsecond=0)
    sign = "+" if offset >= 0 else "-"
    text = f"{when:%Y-%m-%d %H:%M:%S} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    seconds, offsets, ok = dates([text.encode()])
    expected = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").timestamp()
    assert ok[0] and seconds[0] == expected and offsets[0] == offset


def test_not_a_date_is_flagged_not_guessed() -> None:
    _, _, ok = dates([b"2026-09-01T07:00:00 +0100", b"2026-09-01 07:00:00 +0100", b"short"])
    assert list(ok) == [False, True, False]


def test_a_days_export_holds_a_night_steps_and_heart(tmp_path: Path) -> None:
    s = AH.read(apple_export(tmp_path / "export.xml", days=1, first=date(2026, 9, 1)), no_progress)
    metrics = set(s.columns().metric)
    assert {
        Metric.SLEEP,
        Metric.STEPS,
        Metric.HEART_RATE,
        Metric.RESTING_HR,
        Metric.HRV_SDNN,
    } <= metrics
