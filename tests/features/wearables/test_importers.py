"""FIT, Fitbit, Oura and CSV: each device's words become the same samples."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from steadymind.core.errors import ValidationError
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.importers import fit as fit_module
from steadymind.features.wearables.importers import importer, importers, no_progress
from steadymind.features.wearables.samples import Metric, Stage
from tests.features.wearables.synth import fit_night_and_day, fitbit_takeout, oura_export

NIGHT = datetime(2026, 9, 1, 21, 0, tzinfo=UTC)


def test_the_registry_finds_every_importer_by_its_file() -> None:
    assert set(importers()) == {"apple-health", "csv", "fit", "fitbit", "oura"}


def _fit(tmp_path: Path) -> Path:
    path = tmp_path / "watch.fit"
    path.write_bytes(fit_night_and_day(NIGHT))
    return path


def test_a_fit_file_gives_heart_rate_sleep_and_hrv_from_rr(tmp_path: Path) -> None:
    pytest.importorskip("neurokit2")
    s = importer("fit").read(_fit(tmp_path), no_progress)
    c = s.columns()
    assert (c.metric == Metric.HEART_RATE).sum() == 720
    assert set(c.offset) == {60}
    sleep = c.value[c.metric == Metric.SLEEP]
    assert list(sleep) == [Stage.CORE, Stage.DEEP, Stage.CORE, Stage.REM, Stage.AWAKE, Stage.CORE]
    hrv = c.value[c.metric == Metric.HRV_RMSSD]
    assert len(hrv) >= 11 and all(20 < v < 120 for v in hrv)
    assert s.problems == []


def test_rmssd_is_the_root_mean_square_of_successive_differences() -> None:
    pytest.importorskip("neurokit2")
    rr = np.array([800.0, 810, 790, 830, 800, 820] * 20)
    expected = float(np.sqrt(np.mean(np.diff(rr) ** 2)))
    assert fit_module.hrv_rmssd_function()(rr) == pytest.approx(expected, rel=0.01)


def test_without_the_hrv_extra_rr_is_left_out_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise ImportError("neurokit2")

    monkeypatch.setattr(fit_module, "hrv_rmssd_function", missing)
    s = importer("fit").read(_fit(tmp_path), no_progress)
    assert (s.columns().metric == Metric.HEART_RATE).sum() == 720
    assert [p.what for p in s.problems] == [fit_module.NO_HRV_LIBRARY]


def test_a_damaged_fit_keeps_what_came_before_and_says_where(tmp_path: Path) -> None:
    whole = fit_night_and_day(NIGHT)
    cut = tmp_path / "cut.fit"
    cut.write_bytes(whole[: len(whole) // 2])
    s = importer("fit").read(cut, no_progress)
    assert 0 < (s.columns().metric == Metric.HEART_RATE).sum() < 720
    assert s.problems[0].where.startswith("cut.fit, byte ")
    assert "ends early" in s.problems[0].what


def test_a_zip_of_fit_files_reads_each_and_names_a_bad_one(tmp_path: Path) -> None:
    archive = tmp_path / "garmin.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("DI_CONNECT/a.fit", fit_night_and_day(NIGHT))
        z.writestr("DI_CONNECT/b.fit", b"not a fit file at all")
    s = importer("fit").read(archive, no_progress)
    assert (s.columns().metric == Metric.HEART_RATE).sum() == 720
    assert any(p.where.startswith("b.fit") for p in s.problems)


def test_fitbit_takeout_reads_heart_steps_sleep_and_hrv_in_the_profiles_zone(
    tmp_path: Path,
) -> None:
    s = importer("fitbit").read(fitbit_takeout(tmp_path / "takeout.zip"), no_progress)
    c = s.columns()
    assert (c.metric == Metric.HEART_RATE).sum() == 60
    assert c.value[c.metric == Metric.STEPS].sum() == sum(40 + m for m in range(30))
    assert list(c.value[c.metric == Metric.RESTING_HR]) == [57.4]
    assert list(c.value[c.metric == Metric.HRV_RMSSD]) == [38.2]
    assert set(c.offset) == {120}  # Berlin in September
    values = d.daily(d.unique(c))
    night = d.day_number(date(2026, 9, 2))
    assert values[(night, "sleep.hours")][0] == pytest.approx(7.5)
    assert values[(night, "sleep.efficiency")][0] == pytest.approx(93.8, abs=0.1)
    assert [p.where for p in s.problems] == ["sleep-2026-09-03.json"]


def test_oura_reads_nights_readiness_and_activity(tmp_path: Path) -> None:
    s = importer("oura").read(oura_export(tmp_path / "oura.json"), no_progress)
    values = d.daily(d.unique(s.columns()))
    day = d.day_number(date(2026, 9, 2))
    assert values[(day, "sleep.hours")][0] == pytest.approx(7.0)
    assert values[(day, "sleep.efficiency")][0] == pytest.approx(87.5)
    assert values[(day, "hrv.rmssd")][0] == 41 and values[(day, "heart.resting")][0] == 52
    assert values[(day, "readiness.score")][0] == 81
    assert values[(day, "activity.steps")][0] == pytest.approx(8412)
    assert [p.where for p in s.problems] == ["sleep, record 2"]


def test_oura_refuses_something_else(tmp_path: Path) -> None:
    other = tmp_path / "o.json"
    other.write_text('{"hello": 1}')
    with pytest.raises(ValidationError):
        importer("oura").read(other, no_progress)


def test_a_csv_with_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "export.csv"
    data.write_text(
        "Date,Steps,HR,Sleep (h),Note\n"
        "02/09/2026 00:00,8000,,7.5,fine\n"
        "02/09/2026 09:30,,61,,\n"
        "03/09/2026 09:30,,sixty,,\n"
        "yesterday,,62,,\n"
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        'time = "Date"\nformat = "%d/%m/%Y %H:%M"\nutc_offset = "+01:00"\nsource = "Tracker"\n'
        '[columns]\nsteps = "Steps"\nheart_rate = "HR"\nsleep_hours = "Sleep (h)"\n'
    )
    s = importer("csv").read(data, no_progress, mapping=mapping)  # type: ignore[call-arg]
    values = d.daily(d.unique(s.columns()))
    day = d.day_number(date(2026, 9, 2))
    assert values[(day, "activity.steps")][0] == pytest.approx(8000)
    assert values[(day, "heart.mean")][0] == 61
    assert values[(day, "sleep.hours")][0] == pytest.approx(7.5)
    assert [(p.where, p.what) for p in s.problems] == [
        ("row 4, column HR", "a number that cannot be read"),
        ("row 5, column Date", "a time that cannot be read"),
    ]
    assert s.sources == ["Tracker"]


def test_a_csv_zip_carries_its_own_mapping_and_a_bad_mapping_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data.csv", "when,rhr\n2026-09-02T07:00:00+02:00,55\n")
        z.writestr("mapping.toml", 'time = "when"\n[columns]\nresting_heart_rate = "rhr"\n')
    s = importer("csv").read(archive, no_progress)
    assert list(s.columns().value) == [55] and list(s.columns().offset) == [120]
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\nmood = "m"\n')
    with pytest.raises(ValidationError):
        importer("csv").read(tmp_path / "data.zip", no_progress, mapping=bad)  # type: ignore[call-arg]
