"""A CSV from any app, read with a mapping file that names its columns (TOML):

    [columns]
    date = "Date"            # required
    time = "Time"            # optional (noon when absent)
    mood = "Mood"            # required: a number, or a word listed under [moods]
    tags = "Activities"      # optional
    note = "Notes"           # optional
    [format]
    date = "%Y-%m-%d"        # optional (ISO by default)
    time = "%H:%M"           # optional
    tag_separator = ","      # optional
    [scale]                  # a numeric mood from min to max, spread onto -5..+5
    min = 1
    max = 5
    [moods]                  # or words, each to a number on -5..+5
    great = 4

Rows are read like a Daylio export's (``daylio.Row``): every row first, a bad one named by line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from datetime import datetime, time
from typing import Any

from steadymind.core.errors import ValidationError
from steadymind.features.insights.daylio import Row, decode, normal_mood

NOON = time(12, 0)


def read_mapping(text: str) -> dict[str, Any]:
    try:
        mapping = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"The mapping file is not valid TOML ({exc}).") from None
    columns = mapping.get("columns") or {}
    for name in ("date", "mood"):
        if not isinstance(columns.get(name), str):
            raise ValidationError(f'The mapping file needs [columns] {name} = "<column name>".')
    scale = mapping.get("scale") or {}
    if scale and not (
        isinstance(scale.get("min"), int | float)
        and isinstance(scale.get("max"), int | float)
        and scale["max"] > scale["min"]
    ):
        raise ValidationError("The mapping's [scale] needs numbers min and max, max above min.")
    moods = mapping.get("moods") or {}
    if any(not isinstance(v, int) or not -5 <= v <= 5 for v in moods.values()):
        raise ValidationError("Each of the mapping's [moods] is a whole number from -5 to +5.")
    return mapping


def read_mapped(data: bytes, mapping: dict[str, Any]) -> list[Row]:
    text = decode(data)
    columns: dict[str, str] = mapping["columns"]
    fmt: dict[str, str] = mapping.get("format") or {}
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=fmt.get("delimiter", ","))
    absent = [c for c in columns.values() if c not in (reader.fieldnames or [])]
    if absent:
        raise ValidationError("The file has no column " + ", ".join(absent) + " (line 1).")
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise ValidationError(f"Line {line}: the row is not valid CSV.") from None
        if any((v or "").strip() for v in record.values()):
            rows.append(_row(line, record, columns, fmt, mapping))
    return sorted(rows, key=lambda r: (r.day, r.at))


def _cell(record: dict[str, Any], columns: dict[str, str], name: str) -> str:
    column = columns.get(name)
    return str(record.get(column) or "").strip() if column else ""


def _row(
    line: int,
    record: dict[str, Any],
    columns: dict[str, str],
    fmt: dict[str, str],
    mapping: dict[str, Any],
) -> Row:
    try:
        day = datetime.strptime(_cell(record, columns, "date"), fmt.get("date", "%Y-%m-%d"))
    except ValueError:
        raise ValidationError(f"Line {line}: the date does not fit the mapping's format.") from None
    clock = _cell(record, columns, "time")
    try:
        at = datetime.strptime(clock, fmt.get("time", "%H:%M")).time() if clock else NOON
    except ValueError:
        raise ValidationError(f"Line {line}: the time does not fit the mapping's format.") from None
    value = _mood(line, _cell(record, columns, "mood"), mapping)
    separator = fmt.get("tag_separator", ",")
    tags = tuple(dict.fromkeys(t.strip() for t in _cell(record, columns, "tags").split(separator)))
    tags = tuple(t for t in tags if t)
    note = _cell(record, columns, "note") or None
    source = "\x1f".join(["csv", day.isoformat(), at.isoformat(), str(value), *tags, note or ""])
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return Row(line, day.date(), at, str(value), tags, note, key, value)


def _mood(line: int, cell: str, mapping: dict[str, Any]) -> int:
    words = {normal_mood(k): v for k, v in (mapping.get("moods") or {}).items()}
    if normal_mood(cell) in words:
        return int(words[normal_mood(cell)])
    try:
        number = float(cell)
    except ValueError:
        raise ValidationError(f"Line {line}: the mood is not a number or a mapped word.") from None
    scale = mapping.get("scale") or {"min": -5, "max": 5}
    low, high = float(scale["min"]), float(scale["max"])
    if not low <= number <= high:
        raise ValidationError(f"Line {line}: the mood is outside the mapping's scale.")
    return round(-5 + (number - low) / (high - low) * 10)
