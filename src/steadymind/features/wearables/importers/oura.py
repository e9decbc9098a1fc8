"""Oura, from the JSON file the Oura app exports ("Download your data"): sleep, readiness, HRV,
resting heart rate and activity.

Each night gives its time in bed (``bedtime_start`` .. ``bedtime_end``, with the person's UTC
offset), how long of it was asleep (``total``, seconds; one stretch of sleep of that length is
kept, so efficiency is total over time in bed), the night's average RMSSD (``rmssd``, ms) and
lowest heart rate (``hr_lowest``, kept as the resting heart rate). A day gives its readiness
score and its steps and active calories. A record that cannot be read is reported with its list
and position; the rest imports.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from steadymind.core.errors import ValidationError
from steadymind.features.wearables.importers import Progress
from steadymind.features.wearables.samples import Metric, Samples, Stage

MAX_BYTES = 512 * 1024 * 1024  # a decade of Oura is a few tens of megabytes
SOURCE = "Oura"


class OuraExport:
    name = "oura"
    label = "Oura export"
    suffixes = (".json",)
    help = "the JSON file from the Oura app (Profile > Download your data)."

    def read(self, path: Path, progress: Progress) -> Samples:
        total = path.stat().st_size
        if total > MAX_BYTES:
            raise ValidationError("This file is much larger than an Oura export.")
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, UnicodeDecodeError):
            raise ValidationError("This is not an Oura export (it is not JSON).") from None
        if not isinstance(data, dict) or not {"sleep", "readiness", "activity"} & set(data):
            raise ValidationError("This is not an Oura export (no sleep, readiness or activity).")
        samples = Samples()
        source = samples.source_id(SOURCE)
        readers: dict[str, Callable[[dict[str, Any], Samples, int], None]] = {
            "sleep": _night,
            "readiness": _readiness,
            "activity": _activity,
        }
        for key, reader in readers.items():
            for i, item in enumerate(data.get(key) or []):
                try:
                    reader(item, samples, source)
                except (KeyError, TypeError, ValueError):
                    samples.problem(f"{key}, record {i + 1}", "a record that cannot be read")
        progress(total, total)
        return samples


IMPORTER = OuraExport()


def _minutes(at: datetime) -> int:
    return int((at.utcoffset() or timedelta()).total_seconds() // 60)


def _night(item: dict[str, Any], samples: Samples, source: int) -> None:
    start = datetime.fromisoformat(item["bedtime_start"])
    end = datetime.fromisoformat(item["bedtime_end"])
    if start.tzinfo is None or end <= start:
        raise ValueError("a night without its times")
    offset = _minutes(start)
    s, e = start.timestamp(), end.timestamp()
    samples.add(Metric.SLEEP, s, e, float(Stage.IN_BED), offset, source)
    asleep = float(item["total"])
    latency = float(item.get("onset_latency") or 0)
    samples.add(
        Metric.SLEEP, s + latency, min(e, s + latency + asleep), float(Stage.ASLEEP), offset, source
    )
    if item.get("rmssd"):
        samples.add(Metric.HRV_RMSSD, e, e, float(item["rmssd"]), offset, source)
    if item.get("hr_lowest"):
        samples.add(Metric.RESTING_HR, e, e, float(item["hr_lowest"]), offset, source)


def _readiness(item: dict[str, Any], samples: Samples, source: int) -> None:
    at = _day_noon(item["summary_date"])
    samples.add(Metric.READINESS, at, at, float(item["score"]), 0, source)


def _activity(item: dict[str, Any], samples: Samples, source: int) -> None:
    midnight = _day_noon(item["summary_date"]) - 12 * 3600
    end = midnight + 86399
    if item.get("steps"):
        samples.add(Metric.STEPS, midnight, end, float(item["steps"]), 0, source)
    if item.get("cal_active"):
        samples.add(Metric.ACTIVE_ENERGY, midnight, end, float(item["cal_active"]), 0, source)


def _day_noon(day: str) -> float:
    """Noon of an Oura day, as if at UTC: the day is what matters (its offset is not given)."""
    d = date.fromisoformat(day)
    return (d - date(1970, 1, 1)).days * 86400 + 12 * 3600
