"""Reading a Daylio CSV export into check-ins to import (``runtime.ImportedCheckIn``).

Daylio writes ``full_date,date,weekday,time,mood,activities,note_title,note`` (newer versions
add ``scales``), in the language of the phone: the columns' order and names stay English, the
mood names, weekday and the ``date`` column follow the language, and the time may be 24-hour or
with AM/PM. ``full_date`` is usually ISO (2024-03-01); a file in another date order is read in
the one order that fits every row (and refused, asking for ``--date-format``, if two do).
Activities are separated by `` | `` and become tags. The five default moods map onto the mood
scale (``DEFAULT_MOODS``); a custom mood is asked for once and remembered.

The file is read twice, keeping nothing per row: once for the date order and the moods (so a
custom mood is asked for before anything is stored), once to stream the rows into the import.
A row that does not fit is a message naming its line, and nothing is imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from steadymind.core.errors import ValidationError

# rad, good, meh, bad, awful on -5..+5: evenly spaced, short of the ends (Daylio's "rad" is a
# very good day, not the best imaginable).
DEFAULT_MOODS: dict[str, int] = {"rad": 4, "good": 2, "meh": 0, "bad": -2, "awful": -4}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I:%M:%S %p")
REQUIRED = ("full_date", "time", "mood")
ACTIVITY_SEPARATOR = " | "
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Row:
    """One Daylio entry as read, its mood still a name."""

    line: int
    day: date
    at: time
    mood: str
    tags: tuple[str, ...]
    note: str | None
    key: str
    value: int | None = None  # a number on -5..+5 already (a mapped CSV), else read ``mood``


def normal_mood(name: str) -> str:
    return " ".join(name.split()).lower()


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is larger than 50 MB: is it a Daylio export?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file is not UTF-8 text: is it a Daylio CSV export?") from None


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [normal_mood(h).replace(" ", "_") for h in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            "This does not look like a Daylio export: it has no "
            + ", ".join(missing)
            + " column (line 1)."
        )
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ValidationError(f"Line {line}: the row is not valid CSV.") from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ValidationError(f"Line {line}: the row has more columns than the header.")
        yield line, dict(zip(header, cells, strict=False))


@dataclass(frozen=True)
class Scan:
    """What a first pass over the file found: the date order, and the moods in it."""

    date_format: str
    moods: list[str]
    rows: int


def scan(text: str, date_format: str | None = None) -> Scan:
    """The first of two passes over the file: nothing per row is kept, so a ten-year export
    costs no more memory than a week's."""
    formats = (date_format,) if date_format else DATE_FORMATS
    fitting = list(formats)
    first_bad: int | None = None
    moods: dict[str, None] = {}
    rows = 0
    for line, record in _records(text):
        rows += 1
        value = record.get("full_date", "").strip()
        fitting = [f for f in fitting if _parses(value, f)]
        if first_bad is None and not any(_parses(value, f) for f in formats):
            first_bad = line
        mood = normal_mood(record.get("mood", ""))
        if not mood:
            raise ValidationError(f"Line {line}: the row has no mood.")
        moods[mood] = None
    return Scan(_date_format(fitting, first_bad), list(moods), rows)


def iter_rows(text: str, date_format: str) -> Iterator[Row]:
    """The second pass: every entry, in the file's order."""
    for line, record in _records(text):
        yield _row(line, record, date_format)


def read_rows(data: bytes, date_format: str | None = None) -> list[Row]:
    """Every entry of the file, oldest first (for a small file and the tests)."""
    text = decode(data)
    found = scan(text, date_format)
    return sorted(iter_rows(text, found.date_format), key=lambda r: (r.day, r.at))


def _date_format(fitting: list[str], first_bad: int | None) -> str:
    if len(fitting) == 1 or (fitting and fitting[0] == "%Y-%m-%d"):
        return fitting[0]
    if len(fitting) > 1:
        raise ValidationError(
            "The dates fit more than one order (day/month or month/day): please give "
            "--date-format, for example %d/%m/%Y."
        )
    if first_bad is not None:
        raise ValidationError(f"Line {first_bad}: the date is not one this import reads.")
    raise ValidationError("The dates are not all in one order; please give --date-format.")


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _time(line: int, value: str) -> time:
    text = " ".join(value.replace(".", "").split()).upper()
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValidationError(f"Line {line}: the time is not one this import reads.")


def _row(line: int, record: dict[str, str], fmt: str) -> Row:
    day = datetime.strptime(record["full_date"].strip(), fmt).date()
    at = _time(line, record.get("time", ""))
    mood = normal_mood(record.get("mood", ""))
    if not mood:
        raise ValidationError(f"Line {line}: the row has no mood.")
    activities = record.get("activities", "") or ""
    tags = tuple(dict.fromkeys(a.strip() for a in activities.split("|") if a.strip()))
    title = (record.get("note_title") or "").strip()
    body = (record.get("note") or "").replace("\r\n", "\n").strip()
    note = "\n\n".join(part for part in (title, body) if part) or None
    # What identifies the entry: the same row gives the same key in any later export.
    source = "\x1f".join(
        ["daylio", day.isoformat(), at.isoformat(), mood, "|".join(tags), title, body]
    )
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return Row(line, day, at, mood, tags, note, key)


def local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, ZoneInfo(zone))
