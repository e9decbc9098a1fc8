"""Importing into a person's store: idempotent, one value per metric and time, all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from steadymind.core.errors import NotFound, ValidationError
from steadymind.features.wearables.service import WearableService
from steadymind.features.wearables.tables import DayValue, ImportRun, SampleDay
from steadymind.runtime import Runtime
from tests.conftest import Persona
from tests.features.wearables.synth import HEAD, PHONE, TAIL, WATCH, apple_export, record

FIRST = date(2026, 9, 1)


@pytest.fixture
def wearables(runtime: Runtime) -> WearableService:
    return runtime.get(WearableService)


def _rows(runtime: Runtime) -> tuple[int, int]:
    with runtime.db.transaction() as tx:
        samples = tx.scalar(select(func.count()).select_from(SampleDay))
        days = tx.scalar(select(func.count()).select_from(DayValue))
    return int(samples or 0), int(days or 0)


def _xml(tmp_path: Path, name: str, *records: str) -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(records) + TAIL, encoding="utf-8")
    return path


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_an_export_becomes_daily_numbers(
    wearables: WearableService, alice: Persona, tmp_path: Path
) -> None:
    path = apple_export(tmp_path / "export.xml", first=FIRST, days=10)
    summary = wearables.run(alice.principal, "apple-health", path)
    assert summary.status == "done" and summary.added == summary.samples_read > 0
    assert summary.duplicates == 0 and summary.problems == []
    days = wearables.days(alice.principal.user_id, FIRST, FIRST + timedelta(days=9))
    assert len(days) == 10
    second = days[1].values
    assert 5 < second["sleep.hours"] < 9 and 50 < second["sleep.efficiency"] <= 100
    assert 1000 < second["activity.steps"] < 14 * 900
    assert 50 <= second["heart.resting"] <= 66 and 10 < second["hrv.sdnn"] < 90


def test_re_importing_the_same_export_adds_nothing(
    wearables: WearableService, alice: Persona, tmp_path: Path, runtime: Runtime
) -> None:
    path = apple_export(tmp_path / "export.xml", first=FIRST, days=5)
    first = wearables.run(alice.principal, "apple-health", path)
    before = (_rows(runtime), wearables.sample_count(alice.principal.user_id))
    again = wearables.run(alice.principal, "apple-health", path)
    assert again.added == 0 and again.duplicates == first.samples_read
    assert (_rows(runtime), wearables.sample_count(alice.principal.user_id)) == before


def test_two_devices_at_one_time_leave_one_value(
    wearables: WearableService, alice: Persona, tmp_path: Path
) -> None:
    """The same heart rate second from a watch and a ring; steps counted by a phone and a watch
    over the same minutes; a night recorded by both: nothing counts twice."""
    at = _utc(FIRST, 9)
    hr = "HKQuantityTypeIdentifierHeartRate"
    steps = "HKQuantityTypeIdentifierStepCount"
    sleep = "HKCategoryTypeIdentifierSleepAnalysis"
    core = "HKCategoryValueSleepAnalysisAsleepCore"
    one = _xml(
        tmp_path, "watch.xml",
        record(hr, WATCH, at, at, "60", "count/min") + "/>\n",
        record(steps, WATCH, at, at + timedelta(minutes=10), "1000", "count") + "/>\n",
        record(sleep, WATCH, _utc(FIRST, 0), _utc(FIRST, 6), core) + "/>\n",
    )  # fmt: skip
    two = _xml(
        tmp_path, "phone.xml",
        record(hr, "Ring", at, at, "64", "count/min") + "/>\n",
        record(steps, PHONE, at, at + timedelta(minutes=10), "800", "count") + "/>\n",
        record(sleep, PHONE, _utc(FIRST, 1), _utc(FIRST, 7), core) + "/>\n",
    )  # fmt: skip
    wearables.run(alice.principal, "apple-health", one)
    wearables.run(alice.principal, "apple-health", two)
    values = wearables.days(alice.principal.user_id, FIRST, FIRST)[0].values
    assert values["heart.mean"] == 60  # the value stored first stays
    assert values["activity.steps"] == pytest.approx(1000)  # the larger count, not 1800
    assert values["sleep.hours"] == pytest.approx(7)  # 00:00-07:00, not 12 hours


def test_a_malformed_record_is_reported_and_the_rest_saved(
    wearables: WearableService, alice: Persona, tmp_path: Path
) -> None:
    at = _utc(FIRST, 9)
    hr = "HKQuantityTypeIdentifierHeartRate"
    path = _xml(
        tmp_path, "export.xml",
        record(hr, WATCH, at, at, "60", "count/min") + "/>\n",
        record(hr, WATCH, at, at, "NaN", "count/min") + "/>\n",
    )  # fmt: skip
    summary = wearables.run(alice.principal, "apple-health", path)
    assert summary.added == 1 and summary.skipped == 1
    assert summary.problems[0].where == f"line {HEAD.count(chr(10)) + 2}"
    assert wearables.summary(alice.principal, summary.id).problems == summary.problems


def test_a_file_that_cannot_be_read_writes_nothing(
    wearables: WearableService, alice: Persona, tmp_path: Path, runtime: Runtime
) -> None:
    other = tmp_path / "export.xml"
    other.write_text("not an export\n")
    with pytest.raises(ValidationError):
        wearables.run(alice.principal, "apple-health", other)
    assert _rows(runtime) == (0, 0)
    assert [r.status for r in wearables.runs(alice.principal)] == ["failed"]


def test_a_failure_while_saving_rolls_back_every_day(
    wearables: WearableService,
    alice: Persona,
    tmp_path: Path,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = apple_export(tmp_path / "export.xml", first=FIRST, days=3)
    calls = {"n": 0}
    real = wearables._merge_day

    def failing(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 10:
            raise OSError("disk went away")
        return real(*args)

    monkeypatch.setattr(wearables, "_merge_day", failing)
    with pytest.raises(OSError):
        wearables.run(alice.principal, "apple-health", path)
    assert calls["n"] == 10 and _rows(runtime) == (0, 0)


def test_daily_numbers_only_keeps_no_samples(
    wearables: WearableService, alice: Persona, tmp_path: Path, runtime: Runtime
) -> None:
    path = apple_export(tmp_path / "export.xml", first=FIRST, days=4)
    wearables.run(alice.principal, "apple-health", path)
    wearables.set_keep_samples(alice.principal, False)
    assert _rows(runtime)[0] == 0 and _rows(runtime)[1] > 0
    days_before = wearables.days(alice.principal.user_id, FIRST, FIRST + timedelta(days=3))
    wearables.run(alice.principal, "apple-health", path)
    assert _rows(runtime)[0] == 0
    assert wearables.days(alice.principal.user_id, FIRST, FIRST + timedelta(days=3)) == days_before


def test_a_day_is_usual_low_or_high_for_this_person(
    wearables: WearableService, alice: Persona, tmp_path: Path
) -> None:
    path = apple_export(tmp_path / "export.xml", first=FIRST, days=30)
    wearables.run(alice.principal, "apple-health", path)
    usual = wearables.baselines(alice.principal.user_id, FIRST + timedelta(days=30))
    sleep = usual["sleep.hours"]
    assert sleep.days == 30 and sleep.low <= sleep.usual <= sleep.high
    assert sleep.place(sleep.usual) == "usual"
    assert sleep.place(sleep.low - 1) == "low" and sleep.place(sleep.high + 1) == "high"


def test_another_persons_import_is_not_found(
    wearables: WearableService, alice: Persona, bob: Persona, tmp_path: Path
) -> None:
    summary = wearables.run(
        alice.principal, "apple-health", apple_export(tmp_path / "e.xml", days=1)
    )
    with pytest.raises(NotFound):
        wearables.summary(bob.principal, summary.id)
    assert wearables.days(bob.principal.user_id, FIRST, FIRST + timedelta(days=3)) == []


def test_samples_are_unreadable_without_the_key(
    wearables: WearableService, alice: Persona, tmp_path: Path, runtime: Runtime
) -> None:
    wearables.run(alice.principal, "apple-health", apple_export(tmp_path / "e.xml", days=1))
    with runtime.db.transaction() as tx:
        blobs = list(tx.scalars(select(SampleDay.samples_ct)))
        reports = list(tx.scalars(select(ImportRun.report_ct)))
    assert blobs and all(b"Apple Watch" not in blob and b"SMW1" not in blob for blob in blobs)
    assert all(r is not None and b"[" not in r[:1] for r in reports)


def test_a_damaged_day_does_not_hide_the_others(
    wearables: WearableService, alice: Persona, tmp_path: Path, runtime: Runtime
) -> None:
    path = apple_export(tmp_path / "e.xml", first=FIRST, days=3)
    wearables.run(alice.principal, "apple-health", path)
    with runtime.db.transaction() as tx:
        rows = list(tx.scalars(select(SampleDay)))
        rows[0].samples_ct = rows[0].samples_ct[:-1] + bytes([rows[0].samples_ct[-1] ^ 1])
    with runtime.db.transaction() as tx:
        readable = wearables.chunks(tx, alice.principal, 0, 10**6)
    assert len(readable) == len(rows) - 1
    again = wearables.run(alice.principal, "apple-health", path)
    assert again.added == rows[0].count  # the damaged day is written again from the file


def test_batches_of_days_give_the_same_numbers_as_one(
    runtime: Runtime, alice: Persona, bob: Persona, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Days are merged and sealed a batch at a time; a count over midnight at a batch's edge
    still reaches both days."""
    wearables = runtime.get(WearableService)
    path = apple_export(tmp_path / "e.xml", first=FIRST, days=7)
    wearables.run(alice.principal, "apple-health", path)
    monkeypatch.setattr("steadymind.features.wearables.service.BATCH_DAYS", 2)
    wearables.run(bob.principal, "apple-health", path)
    last = FIRST + timedelta(days=6)
    assert wearables.days(bob.principal.user_id, FIRST, last) == wearables.days(
        alice.principal.user_id, FIRST, last
    )


def test_strain_is_read_against_the_persons_usual_and_says_how_sure() -> None:
    from steadymind.features.wearables.daily import Baseline
    from steadymind.features.wearables.stress import estimate, for_day

    heart = Baseline("heart.resting", 55, 58, 61, 30)
    hrv = Baseline("hrv.sdnn", 40, 48, 56, 30)
    strained = estimate(66, 30, heart, hrv)
    assert strained.level == "higher" and strained.sureness == "fairly sure"
    calm = estimate(52, 58, heart, hrv)
    assert calm.level == "lower" and calm.model_id.startswith("strain-logreg-stresspredict@")
    mixed = estimate(66, 60, heart, hrv)  # both up: the two point different ways
    assert mixed.sureness == "not sure"
    new = estimate(66, 30, Baseline("heart.resting", 55, 58, 61, 8), hrv)
    assert new.sureness == "not sure" and "8 days" in new.reasons[-1]
    assert estimate(None, 30, heart, hrv).level is None
    rmssd_day = for_day({"heart.resting": 66, "hrv.rmssd": 20}, {"heart.resting": heart,
                        "hrv.rmssd": Baseline("hrv.rmssd", 30, 35, 40, 30)})  # fmt: skip
    assert rmssd_day.level == "higher"


def test_strain_reads_rmssd_from_beats_before_apples_sdnn_when_both_have_a_usual() -> None:
    from steadymind.features.wearables.daily import Baseline
    from steadymind.features.wearables.stress import for_day

    usual = {"heart.resting": Baseline("heart.resting", 55, 58, 61, 30),
             "hrv.sdnn": Baseline("hrv.sdnn", 40, 48, 56, 30),
             "hrv.rmssd": Baseline("hrv.rmssd", 30, 35, 40, 30)}  # fmt: skip
    # SDNN says calm (high), RMSSD says strain (low): the reasons follow RMSSD.
    both = for_day({"heart.resting": 66, "hrv.sdnn": 70, "hrv.rmssd": 20}, usual)
    assert both.level == "higher" and "variability below" in both.reasons[1]
    # Without a usual for RMSSD yet (the first days of beats), SDNN is read.
    no_usual = {k: v for k, v in usual.items() if k != "hrv.rmssd"}
    first = for_day({"heart.resting": 66, "hrv.sdnn": 70, "hrv.rmssd": 20}, no_usual)
    assert "variability above" in first.reasons[1]


def test_the_shipped_strain_model_is_verified_and_never_raises_strain_for_higher_hrv() -> None:
    from steadymind.features.wearables.stress import model

    shipped = model()
    assert shipped.weights[0] > 0 and shipped.weights[1] <= 0  # its card says why
    assert shipped.probability(1.0, 0.0) > shipped.probability(0.0, 0.0)
    assert shipped.probability(0.0, 1.0) <= shipped.probability(0.0, 0.0)
    assert 0 < shipped.lower < shipped.higher < 1


def test_days_reach_the_insights_relative_to_the_persons_usual(
    runtime: Runtime, alice: Persona, tmp_path: Path
) -> None:
    from steadymind.features.wearables.factors import WearableFactors

    runtime.get(WearableService).run(
        alice.principal, "apple-health", apple_export(tmp_path / "e.xml", first=FIRST, days=30)
    )
    (source,) = [s for s in runtime.factor_sources if isinstance(s, WearableFactors)]
    values = source.daily_values(
        alice.principal, FIRST + timedelta(days=20), FIRST + timedelta(days=29)
    )
    by_factor: dict[str, list[float]] = {}
    for v in values:
        assert v.kind == "amount" and v.label.endswith("against your usual")
        by_factor.setdefault(v.factor, []).append(v.value)
    assert set(by_factor) == {
        "wearable:sleep.hours", "wearable:sleep.efficiency", "wearable:activity.steps",
        "wearable:heart.resting", "wearable:hrv.sdnn", "wearable:hrv.rmssd",  # from its beats
    }  # fmt: skip
    assert all(len(days) == 10 for days in by_factor.values())
    # In the person's own spreads: centred near 0, not in hours or steps.
    assert all(abs(v) < 10 for days in by_factor.values() for v in days)
    assert source.daily_values(alice.principal, FIRST, FIRST + timedelta(days=3))  # first days too
