"""Fitbit, from a Google Takeout archive (``takeout-*.zip``): heart rate, resting heart rate,
steps, sleep stages and HRV.

It reads the account's "Global Export Data" folder, one JSON file per day and kind
(``heart_rate-2024-01-31.json``, ``resting_heart_rate-...``, ``steps-...``, ``sleep-...``), and
"Heart Rate Variability/Daily Heart Rate Variability Summary - *.csv" (RMSSD over the night).
Heart rate and steps are written in UTC there, sleep and HRV in the person's local time; the
time zone comes from "Your Profile/Profile.csv" (UTC when it is missing). One file at a time is
in memory; a file that cannot be read is reported by its name and the rest imports.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from steadymind.core.errors import ValidationError
from steadymind.features.wearables.importers import Progress
from steadymind.features.wearables.samples import Metric, Samples, Stage

KINDS = re.compile(r"(heart_rate|resting_heart_rate|steps|sleep)-\d{4}-\d{2}-\d{2}\.json$")
HRV = re.compile(r"Daily Heart Rate Variability Summary.*\.csv$")
LEVELS = {
    "wake": Stage.AWAKE,
    "awake": Stage.AWAKE,
    "restless": Stage.AWAKE,
    "light": Stage.CORE,
    "deep": Stage.DEEP,
    "rem": Stage.REM,
    "asleep": Stage.ASLEEP,
}
SOURCE = "Fitbit"


class FitbitTakeout:
    name = "fitbit"
    label = "Fitbit data from Google Takeout"
    suffixes = (".zip",)
    help = "the Takeout .zip with your Fitbit data (takeout.google.com, Fitbit)."

    def read(self, path: Path, progress: Progress) -> Samples:
        if not zipfile.is_zipfile(path):
            raise ValidationError("A Fitbit Takeout export is a .zip file.")
        samples = Samples()
        with zipfile.ZipFile(path) as archive:
            zone = _zone(archive)
            members = [
                i for i in archive.infolist() if KINDS.search(i.filename) or HRV.search(i.filename)
            ]
            if not members:
                raise ValidationError("This archive holds no Fitbit data (Global Export Data).")
            total, done = sum(i.compress_size for i in members), 0
            source = samples.source_id(SOURCE)
            for info in members:
                try:
                    _read_member(archive.read(info), info.filename, zone, samples, source)
                except (ValueError, KeyError, TypeError):
                    samples.problem(Path(info.filename).name, "the file could not be read")
                done += info.compress_size
                progress(done, total)
        return samples


IMPORTER = FitbitTakeout()


def _zone(archive: zipfile.ZipFile) -> tzinfo:
    for name in archive.namelist():
        if name.endswith("Profile.csv"):
            rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            try:
                return ZoneInfo(rows[0]["timezone"]) if rows and rows[0].get("timezone") else UTC
            except (ZoneInfoNotFoundError, ValueError):
                return UTC
    return UTC


def _read_member(data: bytes, name: str, zone: tzinfo, samples: Samples, source: int) -> None:
    if HRV.search(name):
        _hrv(data, zone, samples, source)
        return
    match = KINDS.search(name)
    assert match is not None
    kind, items = match.group(1), json.loads(data)
    for item in items:
        if kind == "sleep":
            _sleep(item, zone, samples, source)
        elif kind == "heart_rate":
            at = _utc(item["dateTime"])
            _add(samples, Metric.HEART_RATE, at, at, float(item["value"]["bpm"]), zone, source)
        elif kind == "steps":
            at, steps = _utc(item["dateTime"]), float(item["value"])
            if steps > 0:
                _add(samples, Metric.STEPS, at, at + timedelta(minutes=1), steps, zone, source)
        else:
            value = float(item["value"]["value"])
            if value > 0:
                at = _local(item["dateTime"], zone)
                _add(samples, Metric.RESTING_HR, at, at, value, zone, source)


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%m/%d/%y %H:%M:%S").replace(tzinfo=UTC)


def _local(text: str, zone: tzinfo) -> datetime:
    for fmt in ("%m/%d/%y %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValueError("not a Fitbit time")


def _add(
    samples: Samples,
    metric: Metric,
    start: datetime,
    end: datetime,
    value: float,
    zone: tzinfo,
    source: int,
) -> None:
    offset = int((start.astimezone(zone).utcoffset() or timedelta()).total_seconds() // 60)
    samples.add(metric, start.timestamp(), end.timestamp(), value, offset, source)


def _sleep(item: dict[str, Any], zone: tzinfo, samples: Samples, source: int) -> None:
    start, end = _local(item["startTime"], zone), _local(item["endTime"], zone)
    _add(samples, Metric.SLEEP, start, end, float(Stage.IN_BED), zone, source)
    for level in item.get("levels", {}).get("data", []):
        stage = LEVELS.get(level["level"])
        if stage is None:
            continue
        first = _local(level["dateTime"], zone)
        last = first + timedelta(seconds=float(level["seconds"]))
        _add(samples, Metric.SLEEP, first, last, float(stage), zone, source)


def _hrv(data: bytes, zone: tzinfo, samples: Samples, source: int) -> None:
    for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        rmssd = float(row["rmssd"])
        if rmssd > 0:
            at = _local(row["timestamp"], zone)
            _add(samples, Metric.HRV_RMSSD, at, at, rmssd, zone, source)
