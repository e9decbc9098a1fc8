"""Made-up wearable exports for the tests and the benchmark: nobody's real data.

``apple_export`` writes an ``export.xml`` the way the Health app does (its DTD head, ``<Me>``,
records of many types we do not read, metadata children, workouts, activity summaries) for a
person with a watch and a phone, day after day, from a seeded random generator, so the same
arguments always give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-11-01 09:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth=""
 HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"
 HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet"/>
"""
TAIL = "</HealthData>\n"
WATCH = "Test Person&#x2019;s Apple Watch"
PHONE = "Test Person&#x2019;s iPhone"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x283b61e50&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.1&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x283b62210&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone14,5, software:17.1&gt;"
)


def stamp(at: datetime, offset: int = 60) -> str:
    local = at.astimezone(UTC) + timedelta(minutes=offset)
    sign = "+" if offset >= 0 else "-"
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"


def record(
    kind: str,
    source: str,
    start: datetime,
    end: datetime,
    value: str,
    unit: str | None = None,
    device: str | None = None,
    offset: int = 60,
) -> str:
    unit_attr = f' unit="{unit}"' if unit else ""
    device_attr = f' device="{device}"' if device else ""
    version = "10.1" if source == WATCH else "17.1"
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="{version}"{device_attr}'
        f'{unit_attr} creationDate="{stamp(end, offset)}" startDate="{stamp(start, offset)}"'
        f' endDate="{stamp(end, offset)}" value="{value}"'
    )


def _closed(line: str) -> str:
    return line + "/>\n"


def day_records(day: date, rng: random.Random, offset: int = 60) -> Iterator[str]:
    """One day of a person with a watch and a phone (times in UTC, shown at ``offset``)."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(minutes=offset)
    yield from _night(midnight, rng, offset)
    hr = "HKQuantityTypeIdentifierHeartRate"
    for minute in range(7 * 60, 23 * 60, 4):
        at = midnight + timedelta(minutes=minute, seconds=rng.randrange(60))
        bpm = f"{rng.gauss(72, 8):.0f}"
        line = record(hr, WATCH, at, at, bpm, "count/min", WATCH_DEVICE, offset)
        yield (
            line
            + '>\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
            + " </Record>\n"
        )
    for hour in range(8, 22):
        start = midnight + timedelta(hours=hour, minutes=rng.randrange(30))
        end = start + timedelta(minutes=rng.randrange(5, 25))
        for source, device in ((PHONE, PHONE_DEVICE), (WATCH, WATCH_DEVICE)):
            steps = str(rng.randrange(80, 900))
            kind = "HKQuantityTypeIdentifierStepCount"
            yield _closed(record(kind, source, start, end, steps, "count", device, offset))
        energy = f"{rng.uniform(5, 60):.3f}"
        kind = "HKQuantityTypeIdentifierActiveEnergyBurned"
        yield _closed(record(kind, WATCH, start, end, energy, "kcal", WATCH_DEVICE, offset))
        kind = "HKQuantityTypeIdentifierBasalEnergyBurned"
        yield _closed(record(kind, WATCH, start, end, "61.2", "kcal", WATCH_DEVICE, offset))
        kind = "HKQuantityTypeIdentifierDistanceWalkingRunning"
        yield _closed(record(kind, PHONE, start, end, "0.412", "km", PHONE_DEVICE, offset))
    resting = midnight + timedelta(hours=21)
    kind = "HKQuantityTypeIdentifierRestingHeartRate"
    yield _closed(
        record(kind, WATCH, resting, resting, str(rng.randrange(52, 66)), "count/min", None, offset)
    )
    yield from _hrv(midnight, rng, offset)
    if rng.random() < 0.3:
        start = midnight + timedelta(hours=18)
        kind = "HKCategoryTypeIdentifierMindfulSession"
        value = "HKCategoryValueNotApplicable"
        yield _closed(
            record(kind, WATCH, start, start + timedelta(minutes=5), value, None, None, offset)
        )
    yield (
        f' <ActivitySummary dateComponents="{day:%Y-%m-%d}" activeEnergyBurned="412"'
        ' activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="kcal"/>\n'
    )


def _hrv(midnight: datetime, rng: random.Random, offset: int) -> Iterator[str]:
    kind = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
    for hour in (3, 9, 15):
        at = midnight + timedelta(hours=hour, minutes=rng.randrange(60))
        line = record(
            kind,
            WATCH,
            at,
            at + timedelta(minutes=1),
            f"{rng.gauss(45, 10):.4f}",
            "ms",
            WATCH_DEVICE,
            offset,
        )
        # The same draws from ``rng`` as ever (other tests' numbers rest on its stream), then a
        # minute of beats from a generator seeded by them.
        seed = [rng.randrange(55, 75) for _ in range(8)]
        beats = "".join(beat_lines(at + timedelta(minutes=offset), random.Random(str(seed))))
        listed = (
            f"  <HeartRateVariabilityMetadataList>\n{beats}  </HeartRateVariabilityMetadataList>"
        )
        yield f"{line}>\n{listed}\n </Record>\n"


def beat_lines(local: datetime, rng: random.Random, seconds: float = 60.0) -> Iterator[str]:
    """A minute of an Apple Watch HRV reading's beats, as the export lists them: the
    instantaneous rate (whole bpm) and the clock time of each beat, from ``local`` on."""
    clock, heart = 0.0, rng.uniform(55, 75)
    while clock < seconds:
        rr = 60 / heart + rng.gauss(0, 0.035)  # beat-to-beat variation
        clock += rr
        at = clock_time(local, clock)
        yield f'   <InstantaneousBeatsPerMinute bpm="{round(60 / rr)}" time="{at}"/>\n'


def clock_time(local: datetime, seconds: float) -> str:
    """Apple's clock time of a beat in an English export: "7:19:04.34 AM"."""
    at = local + timedelta(seconds=seconds)
    hour = at.hour % 12 or 12
    hundredths = at.microsecond // 10_000
    return f"{hour}:{at:%M:%S}.{hundredths:02d} {'AM' if at.hour < 12 else 'PM'}"


def _night(midnight: datetime, rng: random.Random, offset: int) -> Iterator[str]:
    """The night that ends this morning: in bed from about 23:00, stages until about 07:00."""
    kind = "HKCategoryTypeIdentifierSleepAnalysis"
    bed = midnight - timedelta(minutes=60 + rng.randrange(30))
    wake = midnight + timedelta(hours=7, minutes=rng.randrange(-45, 45))
    yield _closed(
        record(kind, PHONE, bed, wake, "HKCategoryValueSleepAnalysisInBed", None, None, offset)
    )
    at = bed + timedelta(minutes=15)
    stages = ("AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake")
    while at < wake:
        stage = stages[rng.randrange(len(stages))]
        end = min(wake, at + timedelta(minutes=rng.randrange(10, 50)))
        value = f"HKCategoryValueSleepAnalysis{stage}"
        yield _closed(record(kind, WATCH, at, end, value, None, WATCH_DEVICE, offset))
        at = end


def write_apple_export(
    out: IO[str], first: date, days: int, seed: int = 7, offset: int = 60
) -> None:
    rng = random.Random(seed)
    out.write(HEAD)
    for i in range(days):
        for line in day_records(first + timedelta(days=i), rng, offset):
            out.write(line)
    out.write(TAIL)


def apple_export(path: Path, first: date = date(2026, 9, 1), days: int = 14, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_apple_export(out, first, days, seed)
    return path


def fit_night_and_day(first: datetime, offset_minutes: int = 60, seed: int = 3) -> bytes:
    """A watch's FIT file: a night of sleep stages, then an hour of heart rate with RR
    intervals (a chest strap's), written with the tests' own encoder."""
    from tests.features.wearables.fitwriter import FitWriter

    rng = random.Random(seed)
    w = FitWriter().file_id(first).activity(first, offset_minutes)
    at = first
    for level in (2, 3, 2, 4, 1, 2):  # light, deep, light, rem, awake, light
        w.sleep_level(at, level)
        at += timedelta(minutes=50)
    w.sleep_level(at, 1)
    at += timedelta(hours=1)
    for second in range(0, 3600, 5):
        now = at + timedelta(seconds=second)
        w.heart_rate(now, 60 + rng.randrange(12))
        beats = [rng.gauss(0.85, 0.04) for _ in range(5)]
        if second == 600:
            beats[2] = 3.1  # a missed beat: dropped before HRV is read
        w.rr(beats[: 5 if second % 10 else 4])
    return w.to_bytes()


def fitbit_takeout(path: Path, day: date = date(2026, 9, 2), zone: str = "Europe/Berlin") -> Path:
    """A Takeout .zip with one day of Fitbit data in the Global Export Data layout."""
    import json
    import zipfile

    base = "Takeout/Fitbit/Global Export Data/"
    us = f"{day:%m/%d/%y}"
    heart = [{"dateTime": f"{us} 06:{m:02d}:05", "value": {"bpm": 60 + m % 7, "confidence": 2}}
             for m in range(0, 60)]  # fmt: skip
    steps = [{"dateTime": f"{us} 08:{m:02d}:00", "value": str(40 + m)} for m in range(30)]
    resting = [{"dateTime": f"{us} 00:00:00", "value": {"date": us, "value": 57.4, "error": 6.8}}]
    eve = day - timedelta(days=1)
    night = {
        "logId": 1, "dateOfSleep": day.isoformat(),
        "startTime": f"{eve}T23:00:00.000", "endTime": f"{day}T07:00:00.000",
        "levels": {"data": [
            {"dateTime": f"{eve}T23:00:00.000", "level": "wake", "seconds": 1800},
            {"dateTime": f"{eve}T23:30:00.000", "level": "light", "seconds": 9000},
            {"dateTime": f"{day}T02:00:00.000", "level": "deep", "seconds": 5400},
            {"dateTime": f"{day}T03:30:00.000", "level": "rem", "seconds": 12600},
        ]},
    }  # fmt: skip
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Takeout/Fitbit/Your Profile/Profile.csv", f"id,timezone\nX,{zone}\n")
        z.writestr(f"{base}heart_rate-{day}.json", json.dumps(heart))
        z.writestr(f"{base}steps-{day}.json", json.dumps(steps))
        z.writestr(f"{base}resting_heart_rate-{day}.json", json.dumps(resting))
        z.writestr(f"{base}sleep-{day}.json", json.dumps([night]))
        z.writestr(f"{base}sleep-{day + timedelta(days=1)}.json", "[{broken")
        z.writestr(
            "Takeout/Fitbit/Heart Rate Variability/Daily Heart Rate Variability Summary - "
            f"{day:%Y-%m-%d}.csv",
            f"timestamp,rmssd,nremhr,entropy\n{day}T00:00:00,38.2,55.1,2.9\n",
        )
    return path


def oura_export(path: Path, day: date = date(2026, 9, 2)) -> Path:
    import json

    before = day - timedelta(days=1)
    data = {
        "sleep": [
            {"summary_date": before.isoformat(), "bedtime_start": f"{before}T23:10:00+02:00",
             "bedtime_end": f"{day}T07:10:00+02:00", "total": 25200, "onset_latency": 600,
             "rmssd": 41, "hr_lowest": 52, "efficiency": 88},
            {"summary_date": day.isoformat(), "bedtime_start": "garbage"},
        ],
        "readiness": [{"summary_date": day.isoformat(), "score": 81}],
        "activity": [{"summary_date": day.isoformat(), "steps": 8412, "cal_active": 402}],
    }  # fmt: skip
    path.write_text(json.dumps(data))
    return path
