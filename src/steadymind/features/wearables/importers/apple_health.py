"""Apple Health: ``export.zip`` (as the Health app shares it) or the ``export.xml`` inside it.

Speed is the point here: a few years of a watch make an ``export.xml`` of one to several
gigabytes, and a plain ``xml.etree.iterparse`` loop reads it at about 15-25 MB/s, building an
element for every record of the eighty-odd types we do not read. So the file is read in blocks
of bytes, and one regular expression picks out the records of the types we do read, in the
attribute order Apple writes (type, sourceName, ..., unit, ..., startDate, endDate, value): the
regex engine skips everything else at C speed, and dates and numbers are converted a block at a
time with numpy. ``bench/bench_wearables.py`` measures it against ``iterparse`` in one run.

The trade-off is that we read XML with a regular expression, so every block is checked: the
number of wanted ``<Record type="...">`` tags in it must equal the number the fast pattern
matched, and every date and number must convert. A block that fails either check (attributes in
another order, a broken record) is read again record by record by a general attribute parser,
which reports each record it cannot read with its line and imports the rest. A file cut off in
the middle of a record is reported at the line where it ends. Memory stays bounded by the block
(8 MB) plus the samples kept, which are compact arrays (samples.py).

An HRV reading of an Apple Watch carries the beats it was read from, nested in the record
(``<HeartRateVariabilityMetadataList>`` of ``<InstantaneousBeatsPerMinute bpm= time=/>``). A
second pattern finds those lists (Python's regex engine jumps to its literal start, so blocks
without one cost a scan at memory speed); a block is never cut inside one. Each reading's beats
become RR intervals, and a block's readings' RMSSD is computed at once (beats.py): an
``HRV_RMSSD`` sample over the reading's time, beside Apple's own SDNN.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ValidationError
from steadymind.features.wearables import beats as b
from steadymind.features.wearables.importers import Part, Progress, Resume
from steadymind.features.wearables.samples import Metric, Samples, Stage

BLOCK = 8 * 1024 * 1024

QUANTITIES: dict[bytes, Metric] = {
    b"HKQuantityTypeIdentifierHeartRate": Metric.HEART_RATE,
    b"HKQuantityTypeIdentifierRestingHeartRate": Metric.RESTING_HR,
    b"HKQuantityTypeIdentifierHeartRateVariabilitySDNN": Metric.HRV_SDNN,
    b"HKQuantityTypeIdentifierStepCount": Metric.STEPS,
    b"HKQuantityTypeIdentifierActiveEnergyBurned": Metric.ACTIVE_ENERGY,
}
CATEGORIES: dict[bytes, Metric] = {
    b"HKCategoryTypeIdentifierSleepAnalysis": Metric.SLEEP,
    b"HKCategoryTypeIdentifierMindfulSession": Metric.MINDFUL,
    # State of Mind (iOS 18): its valence, -1..+1, is the record's value. Exports seen so far
    # name it either way; its kind, labels and associations are not read. Looked for (issue 17,
    # 2026-11-30) and not found: a real export.xml sample with State of Mind in it. Public
    # parsers disagree (one reads metadata keys such as HKStateOfMindLabels and says State of
    # Mind is often missing from the export; a maintainer of another speaks of <StateOfMind>
    # elements), so no form was guessed at; a real export's sample would settle it.
    b"HKDataTypeStateOfMind": Metric.STATE_OF_MIND,
    b"HKCategoryTypeIdentifierStateOfMind": Metric.STATE_OF_MIND,
}
TYPES = {**QUANTITIES, **CATEGORIES}
ENERGY = b"HKQuantityTypeIdentifierActiveEnergyBurned"
SLEEP = b"HKCategoryTypeIdentifierSleepAnalysis"
STATE_OF_MIND = frozenset({b"HKDataTypeStateOfMind", b"HKCategoryTypeIdentifierStateOfMind"})
SLEEP_VALUES: dict[bytes, Stage] = {
    b"HKCategoryValueSleepAnalysisInBed": Stage.IN_BED,
    b"HKCategoryValueSleepAnalysisAsleep": Stage.ASLEEP,
    b"HKCategoryValueSleepAnalysisAsleepUnspecified": Stage.ASLEEP,
    b"HKCategoryValueSleepAnalysisAwake": Stage.AWAKE,
    b"HKCategoryValueSleepAnalysisAsleepCore": Stage.CORE,
    b"HKCategoryValueSleepAnalysisAsleepDeep": Stage.DEEP,
    b"HKCategoryValueSleepAnalysisAsleepREM": Stage.REM,
}
# Energy arrives in the unit the person chose in the Health app.
ENERGY_UNITS = {b"kcal": 1.0, b"Cal": 1.0, b"kJ": 1 / 4.184, b"J": 1 / 4184}

_ALT = b"|".join(re.escape(t) for t in sorted(TYPES, key=len, reverse=True))
# The fast pattern: Apple's attribute order, a 25-byte date ("2024-03-01 07:12:09 +0100").
# Each optional attribute is named, so the engine never backtracks through a tag.
FAST = re.compile(
    rb'<Record type="(' + _ALT + rb')" sourceName="([^"]*)"(?: sourceVersion="[^"]*")?'
    rb'(?: device="[^"]*")?(?: unit="([^"]*)")?(?: creationDate="[^"]*")?'
    rb' startDate="([^"]{25})" endDate="([^"]{25})" value="([^"]*)"'
)
WANTED = re.compile(rb'<Record type="(?:' + _ALT + rb')"')
ANY_RECORD = re.compile(rb"<Record\s([^>]*)>")
ATTRIBUTE = re.compile(rb'([A-Za-z_:][\w.:-]*)\s*=\s*"([^"]*)"')
LIST_OPEN, LIST_CLOSE = (
    b"<HeartRateVariabilityMetadataList>",
    b"</HeartRateVariabilityMetadataList>",
)
# An HRV record and its beat list (metadata entries may stand before the list).
BEAT_LIST = re.compile(
    rb'<Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN"([^>]*)>\s*'
    rb"(?:<MetadataEntry[^>]*>\s*)*<HeartRateVariabilityMetadataList>(.*?)"
    rb"</HeartRateVariabilityMetadataList>",
    re.S,
)
# A beat: its rate, and the hour, minute and second (with its fraction) of its clock time, in
# any locale's way of writing it ("7:19:04.34 AM", "07:19:04,34", "19.19.04,34"). A beat whose
# time does not read is left out: the step over it is then two intervals, a gap (beats.py).
BEAT = re.compile(
    rb'<InstantaneousBeatsPerMinute\s+bpm="(\d{1,3}(?:\.\d+)?)"\s+'
    rb'time="[^"\d]*(\d{1,2})[:.](\d\d)[:.](\d\d(?:[.,]\d{1,6})?)[^"]*"'
)
HEAD = re.compile(rb'sourceName="([^"]*)".*?startDate="([^"]{25})" endDate="([^"]{25})"', re.S)


class AppleHealth:
    name = "apple-health"
    label = "Apple Health export"
    suffixes = (".zip", ".xml")
    help = (
        "export.zip from the Health app (your picture > Export All Health Data), or its export.xml."
    )

    resumable = True

    def read(self, path: Path, progress: Progress) -> Samples:
        samples = Samples()
        for part in self.read_parts(path, progress):
            samples.absorb(part.samples)
        return samples

    def read_parts(
        self, path: Path, progress: Progress, start: Resume | None = None
    ) -> Iterator[Part]:
        """A part per block (see the module's note), from ``start`` when given: a plain file
        is read from there; a zip's member is unpacked up to there but not parsed."""
        with _open_export(path) as (stream, total):
            yield from _read_parts(stream, total, progress, start)


IMPORTER = AppleHealth()


class Readings:
    """The beats of every HRV reading read so far, as flat arrays (one entry per interval)."""

    def __init__(self) -> None:
        self.rr: list[npt.NDArray[np.float64]] = []
        self.heads: list[tuple[float, float, int, int]] = []  # start, end, offset, source

    def add(self, head: tuple[float, float, int, int], rr: npt.NDArray[np.float64]) -> None:
        self.heads.append(head)
        self.rr.append(rr)

    def finish(self, samples: Samples) -> None:
        """Each reading's RMSSD as an ``HRV_RMSSD`` sample (readings too short are left out)."""
        if not self.heads:
            return
        lengths = np.array([len(r) for r in self.rr])
        reading = np.repeat(np.arange(len(self.rr)), lengths)
        values = b.rmssd_many(np.concatenate(self.rr), reading, len(self.rr))
        for (start, end, offset, source), value in zip(self.heads, values, strict=True):
            if value == value:  # not NaN
                samples.add(Metric.HRV_RMSSD, start, end, float(value), offset, source)
        self.rr, self.heads = [], []


@contextmanager
def _open_export(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            member = _export_member(archive)
            with archive.open(member) as stream:
                yield stream, member.file_size
        return
    with path.open("rb") as stream:
        yield stream, path.stat().st_size


def _export_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    for info in archive.infolist():
        # "apple_health_export/export.xml" (English), "apple_health_export/Export.xml", or a
        # translated folder name; never the clinical export_cda.xml.
        if info.filename.lower().endswith("export.xml") and "cda" not in info.filename.lower():
            return info
    raise ValidationError("This archive has no export.xml in it: is it an Apple Health export?")


def _read_parts(
    stream: IO[bytes], total: int, progress: Progress, start: Resume | None
) -> Iterator[Part]:
    carry, done, line = b"", 0, 1
    started = False
    if start is not None:
        stream.seek(start.offset)  # a zip member unpacks up to it (ZipExtFile.seek reads on)
        done, line, started = start.offset, start.line, True
    while True:
        block = stream.read(BLOCK)
        done += len(block)
        data = carry + block
        samples, readings = Samples(), Readings()
        if not block:
            _finish(data, line, samples, readings)
            readings.finish(samples)
            yield Part(samples, done, line)
            return
        if not started:
            _check_start(data)
            started = True
        cut = _cut(data)
        _read_block(data, cut, line, samples, readings)
        line += data.count(b"\n", 0, cut)
        carry = data[cut:]
        del data, block  # the next block is read before these would otherwise be freed
        readings.finish(samples)
        progress(done, total)
        yield Part(samples, done - len(carry), line)


def _cut(data: bytes) -> int:
    """Where this block's whole records end: before the last tag (it may be cut off), and
    before an HRV record whose beat list has not ended yet."""
    cut = data.rfind(b"<")
    cut = len(data) if cut <= 0 else cut
    opened = data.rfind(LIST_OPEN, 0, cut)
    if opened > data.rfind(LIST_CLOSE, 0, cut):
        # (At 0 nothing before it is whole: the block is carried whole into the next read.)
        record = data.rfind(b"<Record ", 0, opened)
        cut = record if record >= 0 else cut
    return cut


def _check_start(data: bytes) -> None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<") or (b"<HealthData" not in data[:65536] and b"<?xml" not in head):
        raise ValidationError(
            "This is not an Apple Health export.xml (no <HealthData> at its top)."
        )


def _finish(rest: bytes, line: int, samples: Samples, readings: Readings) -> None:
    rest_stripped = rest.strip()
    if rest_stripped and not rest_stripped.startswith(b"</"):
        _read_block(rest, len(rest), line, samples, readings)
        if not rest_stripped.endswith(b">"):
            where = line + rest.count(b"\n")
            samples.problem(f"line {where}", "the file ends in the middle of a record")


def _read_block(block: bytes, end: int, line: int, samples: Samples, readings: Readings) -> None:
    """The records in ``block[:end]`` (no copy of the block is made)."""
    if block.find(LIST_OPEN, 0, end) >= 0:
        _read_beats(block, end, samples, readings)
    found = FAST.findall(block, 0, end)
    # Every wanted record matched, and no record has its type anywhere but first.
    canonical = block.count(b"<Record ", 0, end) == block.count(b'<Record type="', 0, end)
    wanted = len(WANTED.findall(block, 0, end))
    if not canonical or len(found) != wanted or not _take_fast(found, samples):
        _read_slowly(block, end, line, samples)


def _take_fast(found: list[tuple[bytes, ...]], samples: Samples) -> bool:
    """Convert a block's matches at once; False (nothing added) if anything does not convert."""
    if not found:
        return True
    kinds, names, units, starts, ends, values = zip(*found, strict=True)
    start, offset, ok_start = dates(starts)
    end, _, ok_end = dates(ends)
    kind_keys, kind_index = np.unique(np.array(kinds), return_inverse=True)
    metric = np.array([TYPES[bytes(k)] for k in kind_keys], dtype=np.int8)[kind_index]
    value = _values(kind_keys, kind_index, np.array(units), np.array(values))
    if value is None or not (ok_start.all() and ok_end.all()) or (end < start).any():
        return False
    mindful = metric == Metric.MINDFUL
    value[mindful] = (end - start)[mindful] / 60
    name_keys, name_index = np.unique(np.array(names), return_inverse=True)
    ids = np.array([samples.source_id(_name(bytes(n))) for n in name_keys], dtype=np.uint16)
    samples.extend(metric, start, end, value, offset, ids[name_index])
    return True


def _values(
    kind_keys: npt.NDArray[np.bytes_],
    kind_index: npt.NDArray[np.intp],
    units: npt.NDArray[np.bytes_],
    values: npt.NDArray[np.bytes_],
) -> npt.NDArray[np.float64] | None:
    """Every value of a block, one kind at a time (numpy parses the numbers)."""
    out = np.empty(len(values), dtype=np.float64)
    for i, raw_kind in enumerate(kind_keys):
        kind, mask = bytes(raw_kind), kind_index == i
        converted = _kind_values(kind, units[mask], values[mask])
        if converted is None:
            return None
        out[mask] = converted
    return out


def _kind_values(
    kind: bytes, units: npt.NDArray[np.bytes_], values: npt.NDArray[np.bytes_]
) -> npt.NDArray[np.float64] | None:
    if kind in QUANTITIES or kind in STATE_OF_MIND:
        try:
            numbers = values.astype(np.float64)
        except ValueError:
            return None
        if np.isnan(numbers).any():
            return None  # NaN is not a measurement
        if kind in STATE_OF_MIND:
            return numbers if ((numbers >= -1) & (numbers <= 1)).all() else None
        if kind == ENERGY:
            scale = np.array([ENERGY_UNITS.get(bytes(u), np.nan) for u in units])
            return None if np.isnan(scale).any() else numbers * scale
        return numbers
    if kind == SLEEP:
        stages = [SLEEP_VALUES.get(bytes(v)) for v in values]
        if any(stage is None for stage in stages):
            return None
        return np.array(stages, dtype=np.float64)
    return np.zeros(len(values))  # mindful: the session's length, from its dates


def _value(kind: bytes, unit: bytes, raw: bytes) -> float | None:
    if kind in QUANTITIES:
        try:
            number = float(raw)
        except ValueError:
            return None
        if kind == b"HKQuantityTypeIdentifierActiveEnergyBurned":
            scale = ENERGY_UNITS.get(unit)
            return None if scale is None else number * scale
        return number if number == number else None  # NaN is not a measurement
    if kind == b"HKCategoryTypeIdentifierSleepAnalysis":
        stage = SLEEP_VALUES.get(raw)
        return None if stage is None else float(stage)
    if kind == b"HKCategoryTypeIdentifierMindfulSession":
        return 0.0  # minutes are the session's length, filled in from its dates below
    try:
        valence = float(raw)
    except ValueError:
        return None
    return valence if -1.0 <= valence <= 1.0 else None


def _read_beats(block: bytes, end: int, samples: Samples, readings: Readings) -> None:
    """Every HRV reading's beats in ``block[:end]``, as RR intervals (beats.py), converted a
    block at a time. A reading whose dates do not read is left to the record parsers, which
    report it."""
    heads, lists = [], []
    for match in BEAT_LIST.finditer(block, 0, end):
        found, beats = HEAD.search(match.group(1)), BEAT.findall(match.group(2))
        if found is not None and len(beats) >= 2:
            heads.append(found.groups())
            lists.append(beats)
    if not heads:
        return
    names, starts, ends = zip(*heads, strict=True)
    start, offset, ok_start = dates(starts)
    finish, _, ok_end = dates(ends)
    lengths = np.array([len(beats) for beats in lists])
    reading = np.repeat(np.arange(len(lists)), lengths)
    bpm, hour, minute, second = (np.array([beat[i] for beats in lists for beat in beats])
                                 for i in range(4))  # fmt: skip
    rate = bpm.astype(np.float64)
    whole = (hour.astype(np.int64) % 12) * 3600 + minute.astype(np.int64) * 60
    seconds = whole.astype(np.float64) + np.char.replace(second, b",", b".").astype(np.float64)
    odd = np.bincount(reading, weights=(rate < 20) | (rate > 250), minlength=len(lists)) > 0
    rr = np.split(b.rr_from_beats(rate, seconds, reading), np.cumsum(lengths)[:-1])
    for i in np.flatnonzero(ok_start & ok_end & ~odd):
        source = samples.source_id(_name(names[i]))
        head = (float(start[i]), float(finish[i]), int(offset[i]), source)
        readings.add(head, rr[i][1:])  # the first beat of a reading starts no interval


_names: dict[bytes, str] = {}


def _name(raw: bytes) -> str:
    name = _names.get(raw)
    if name is None:
        name = _names[raw] = html.unescape(raw.decode("utf-8", "replace"))
    return name


def _read_slowly(block: bytes, end: int, line: int, samples: Samples) -> None:
    """Record by record, with a line for every one that cannot be read."""
    position, here = 0, line
    for match in ANY_RECORD.finditer(block, 0, end):
        here += block.count(b"\n", position, match.start())
        position = match.start()
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        kind = attributes.get(b"type", b"")
        if kind in TYPES:
            problem = _take_one(attributes, kind, samples)
            if problem:
                samples.problem(f"line {here}", problem)


def _take_one(attributes: dict[bytes, bytes], kind: bytes, samples: Samples) -> str | None:
    raw_start, raw_end = attributes.get(b"startDate"), attributes.get(b"endDate")
    if raw_start is None or raw_end is None:
        return "a record without its start or end date was skipped"
    start, offset, ok_start = dates([raw_start])
    end, _, ok_end = dates([raw_end])
    if not (ok_start[0] and ok_end[0]) or end[0] < start[0]:
        return "a record with a date that cannot be read was skipped"
    value = _value(kind, attributes.get(b"unit", b""), attributes.get(b"value", b""))
    if value is None:
        return "a record with a value that cannot be read was skipped"
    if TYPES[kind] == Metric.MINDFUL:
        value = (float(end[0]) - float(start[0])) / 60
    source = samples.source_id(_name(attributes.get(b"sourceName", b"")))
    samples.add(TYPES[kind], float(start[0]), float(end[0]), value, int(offset[0]), source)
    return None


_SEPARATORS = {4: 45, 7: 45, 10: 32, 13: 58, 16: 58, 19: 32}  # "-", "-", " ", ":", ":", " "
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24]


def dates(
    raw: list[bytes] | tuple[bytes, ...],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int16], npt.NDArray[np.bool_]]:
    """Apple's "2024-03-01 07:12:09 +0100" dates, a block at a time: seconds since the epoch
    (UTC), the offset in minutes, and whether each one was a date at all."""
    n = len(raw)
    joined = b"".join(raw)
    if len(joined) != 25 * n:
        fixed = [r if len(r) == 25 else b"0" * 25 for r in raw]
        joined, lengths_ok = b"".join(fixed), np.array([len(r) == 25 for r in raw])
    else:
        lengths_ok = np.ones(n, dtype=bool)
    a = np.frombuffer(joined, dtype=np.uint8).reshape(n, 25).astype(np.int64)
    ok = lengths_ok.copy()
    for column, byte in _SEPARATORS.items():
        ok &= a[:, column] == byte
    ok &= (a[:, 20] == 43) | (a[:, 20] == 45)  # "+" or "-"
    d = a - 48
    ok &= ((d[:, _DIGITS] >= 0) & (d[:, _DIGITS] <= 9)).all(axis=1)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month, day = d[:, 5] * 10 + d[:, 6], d[:, 8] * 10 + d[:, 9]
    hour, minute, second = (
        d[:, 11] * 10 + d[:, 12],
        d[:, 14] * 10 + d[:, 15],
        d[:, 17] * 10 + d[:, 18],
    )
    sign = np.where(a[:, 20] == 45, -1, 1)
    offset = sign * ((d[:, 21] * 10 + d[:, 22]) * 60 + d[:, 23] * 10 + d[:, 24])
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (year >= 1900)
    ok &= (hour < 24) & (minute < 60) & (second < 61) & (np.abs(offset) <= 18 * 60)
    local = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    return (local - offset * 60).astype(np.float64), offset.astype(np.int16), ok


def days_from_civil(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), vectorised."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: npt.NDArray[np.int64] = era * 146097 + doe - 719468
    return result
