"""Any CSV, with a mapping file that says which column is what.

The mapping is TOML (``docs/user-guide.md`` has an example)::

    time = "Date"                 # the column with the time (or the day)
    end = "End"                   # optional: the column with the end of an interval
    format = "%d/%m/%Y %H:%M"     # optional: how times are written (ISO 8601 by default)
    utc_offset = "+01:00"         # optional: for times written without one (default +00:00)
    source = "My tracker"         # optional: the device's name
    [columns]                     # what = which column
    steps = "Steps"
    heart_rate = "Heart rate"

What a column may be: ``heart_rate``, ``resting_heart_rate``, ``hrv_sdnn``, ``hrv_rmssd`` (ms),
``steps``, ``active_energy`` (kcal), ``mindful_minutes``, ``sleep_hours``, ``state_of_mind``
(-1..+1), ``readiness`` (0..100). A row without an ``end`` is an instant, for steps and energy
a whole day, and for mindful minutes a stretch that long from the row's time. A day's
``sleep_hours`` becomes one stretch of sleep ending at 07:00 that day (only its length
counts). Without a mapping, the columns are looked for by these names and the time in a column
called ``time``. Cells that cannot be read are reported with
their row and column; the rest imports.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

from steadymind.core.errors import ValidationError
from steadymind.features.wearables.importers import Progress
from steadymind.features.wearables.samples import Metric, Samples, Stage

WHAT = {
    "heart_rate": Metric.HEART_RATE,
    "resting_heart_rate": Metric.RESTING_HR,
    "hrv_sdnn": Metric.HRV_SDNN,
    "hrv_rmssd": Metric.HRV_RMSSD,
    "steps": Metric.STEPS,
    "active_energy": Metric.ACTIVE_ENERGY,
    "mindful_minutes": Metric.MINDFUL,
    "sleep_hours": Metric.SLEEP,
    "state_of_mind": Metric.STATE_OF_MIND,
    "readiness": Metric.READINESS,
}
WHOLE_DAY = frozenset({Metric.STEPS, Metric.ACTIVE_ENERGY})
WAKE = timedelta(hours=7)
MAX_MAPPING = 64 * 1024


@dataclass(frozen=True)
class Mapping:
    time: str = "time"
    end: str | None = None
    format: str | None = None
    offset: timezone = UTC
    source: str = "CSV"
    columns: dict[str, str] = field(default_factory=lambda: {k: k for k in WHAT})


def parse_mapping(text: str) -> Mapping:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"The mapping file is not valid TOML ({exc}).") from None
    columns = raw.get("columns", {})
    unknown = sorted(set(columns) - set(WHAT))
    if not isinstance(columns, dict) or not columns or unknown:
        known = ", ".join(WHAT)
        raise ValidationError(f"The mapping's [columns] must name some of: {known}.")
    return Mapping(
        time=str(raw.get("time", "time")),
        end=None if raw.get("end") is None else str(raw["end"]),
        format=None if raw.get("format") is None else str(raw["format"]),
        offset=_offset(str(raw.get("utc_offset", "+00:00"))),
        source=str(raw.get("source", "CSV"))[:80],
        columns={str(k): str(v) for k, v in columns.items()},
    )


def _offset(text: str) -> timezone:
    try:
        parsed = datetime.strptime(text.replace(":", ""), "%z").tzinfo
    except ValueError:
        raise ValidationError(f"utc_offset {text!r} should look like +01:00.") from None
    assert isinstance(parsed, timezone)
    return parsed


class CsvFiles:
    name = "csv"
    label = "CSV file with a mapping"
    suffixes = (".csv", ".zip")
    help = "a .csv with a mapping file (--mapping, or a .zip holding the .csv and a .toml)."
    takes_mapping = True

    def read(self, path: Path, progress: Progress, mapping: Path | None = None) -> Samples:
        samples = Samples()
        with _csv_and_mapping(path, mapping) as (stream, rules, total):
            _read_rows(stream, rules, samples, progress, total)
        progress(total, total)
        return samples


IMPORTER = CsvFiles()


@contextmanager
def _csv_and_mapping(path: Path, mapping: Path | None) -> Iterator[tuple[IO[bytes], Mapping, int]]:
    given = None
    if mapping is not None:  # a mapping named on the command line wins over one in a .zip
        given = mapping.read_bytes()[:MAX_MAPPING].decode("utf-8", "replace")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            data = [n for n in names if n.lower().endswith(".csv")]
            rules = [n for n in names if n.lower().endswith(".toml")]
            if len(data) != 1:
                raise ValidationError("The .zip should hold one .csv file (and its .toml mapping).")
            text = given
            if text is None and rules:
                text = archive.read(rules[0])[:MAX_MAPPING].decode("utf-8", "replace")
            with archive.open(data[0]) as stream:
                yield stream, _rules(text), archive.getinfo(data[0]).file_size
        return
    with path.open("rb") as stream:
        yield stream, _rules(given), path.stat().st_size


def _rules(text: str | None) -> Mapping:
    return Mapping() if text is None else parse_mapping(text)


class _Counted(io.RawIOBase):
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def _read_rows(
    raw: IO[bytes], rules: Mapping, samples: Samples, progress: Progress, total: int
) -> None:
    counted = _Counted(raw)
    text = io.TextIOWrapper(io.BufferedReader(counted), encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    header = reader.fieldnames or []
    wanted = {what: col for what, col in rules.columns.items() if col in header}
    if rules.time not in header or not wanted:
        raise ValidationError(
            f"The CSV has no column {rules.time!r} for the time, or none of the columns the "
            "mapping names."
        )
    source = samples.source_id(rules.source)
    for number, row in enumerate(reader, start=2):
        _take_row(row, number, rules, wanted, samples, source)
        if number % 10_000 == 0:
            progress(counted.position, total)


def _take_row(
    row: dict[str, str],
    number: int,
    rules: Mapping,
    wanted: dict[str, str],
    samples: Samples,
    source: int,
) -> None:
    start = _time(row.get(rules.time), rules)
    if start is None:
        samples.problem(f"row {number}, column {rules.time}", "a time that cannot be read")
        return
    end = _time(row.get(rules.end), rules) if rules.end else None
    for what, column in wanted.items():
        cell = (row.get(column) or "").strip()
        if not cell:
            continue
        try:
            value = float(cell)
        except ValueError:
            samples.problem(f"row {number}, column {column}", "a number that cannot be read")
            continue
        _add(samples, WHAT[what], start, end, value, source)


def _add(
    samples: Samples,
    metric: Metric,
    start: datetime,
    end: datetime | None,
    value: float,
    source: int,
) -> None:
    offset = int((start.utcoffset() or timedelta()).total_seconds() // 60)
    if metric == Metric.SLEEP:
        wake = datetime.combine(start.date(), datetime.min.time(), start.tzinfo) + WAKE
        first = wake - timedelta(hours=value)
        samples.add(
            metric, first.timestamp(), wake.timestamp(), float(Stage.ASLEEP), offset, source
        )
        return
    if metric == Metric.MINDFUL and end is None:  # minutes: a stretch that long
        end = start + timedelta(minutes=value)
    if end is None and metric in WHOLE_DAY:
        midnight = datetime.combine(start.date(), datetime.min.time(), start.tzinfo)
        start, end = midnight, midnight + timedelta(days=1) - timedelta(seconds=1)
    stop = max((end or start).timestamp(), start.timestamp())
    samples.add(metric, start.timestamp(), stop, value, offset, source)


def _time(cell: str | None, rules: Mapping) -> datetime | None:
    if not cell:
        return None
    try:
        parsed = (
            datetime.strptime(cell.strip(), rules.format)
            if rules.format
            else datetime.fromisoformat(cell.strip())
        )
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=rules.offset)
