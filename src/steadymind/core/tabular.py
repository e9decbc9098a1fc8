"""Rows out: every page of a paged listing, and CSV that a spreadsheet cannot be tricked by."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
PAGE = 1000


def all_pages(fetch: Callable[[int], list[T]], page: int = PAGE) -> list[T]:
    """Everything a listing of ``page``-sized pages holds; ``fetch(offset)`` returns one page."""
    items: list[T] = []
    while True:
        batch = fetch(len(items))
        items.extend(batch)
        if len(batch) < page:
            return items


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = "" if value is None else str(value)
    # Neutralise spreadsheet formula injection: a note starting with "=" stays text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})
    return out.getvalue()
