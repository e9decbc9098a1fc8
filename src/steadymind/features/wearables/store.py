"""One day of one metric as bytes (sealed into ``wearable_samples.samples_ct``), and merging.

Format version 1: ``b"SMW1"``, a 4-byte length, a JSON header (``{"sources": [...], "n": n}``),
then the columns as little-endian arrays: start and end (float64 seconds since the epoch, UTC),
value (float64), offset (int16 minutes) and source (uint16, an index into ``sources``). Old
versions stay readable (DESIGN.md: version every persisted format).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from steadymind.core.errors import DecryptionError
from steadymind.features.wearables.daily import unique
from steadymind.features.wearables.samples import Columns

MAGIC = b"SMW1"
_COLUMNS = (
    ("start", "<f8"),
    ("end", "<f8"),
    ("value", "<f8"),
    ("offset", "<i2"),
    ("source", "<u2"),
)


@dataclass
class DayChunk:
    """One (day, metric) of samples, with the names of the sources its indices refer to."""

    metric: int
    columns: Columns
    sources: list[str]


def encode(chunk: DayChunk) -> bytes:
    header = json.dumps({"sources": chunk.sources, "n": len(chunk.columns)}).encode()
    parts = [MAGIC, struct.pack("<I", len(header)), header]
    parts += [getattr(chunk.columns, name).astype(dtype).tobytes() for name, dtype in _COLUMNS]
    return b"".join(parts)


def decode(metric: int, data: bytes) -> DayChunk:
    if data[:4] != MAGIC:
        raise DecryptionError("unknown format of stored samples")
    (length,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8 : 8 + length])
    n, position = int(header["n"]), 8 + length
    arrays = {}
    for name, dtype in _COLUMNS:
        size = np.dtype(dtype).itemsize * n
        arrays[name] = np.frombuffer(data[position : position + size], dtype=dtype).copy()
        position += size
    columns = Columns(metric=np.full(n, metric, dtype=np.int8), **arrays)
    return DayChunk(metric, columns, list(header["sources"]))


def merge(old: DayChunk | None, new: DayChunk) -> tuple[DayChunk, int]:
    """The union of what was stored and the new samples (one per key, the stored one kept),
    and how many of the new ones were added."""
    if old is None:
        kept = unique(new.columns)
        return DayChunk(new.metric, kept, new.sources), len(kept)
    sources = list(old.sources)
    index = {name: i for i, name in enumerate(sources)}
    for name in new.sources:
        if name not in index:
            index[name] = len(sources)
            sources.append(name)
    remap = np.array([index[name] for name in new.sources] or [0], dtype=np.uint16)
    moved = Columns(
        new.columns.metric,
        new.columns.start,
        new.columns.end,
        new.columns.value,
        new.columns.offset,
        remap[new.columns.source],
    )
    both = _concat(old.columns, moved)
    preferred = np.zeros(len(both), dtype=bool)
    preferred[: len(old.columns)] = True
    kept = unique(both, preferred)
    return DayChunk(new.metric, kept, sources), len(kept) - len(old.columns)


def _concat(a: Columns, b: Columns) -> Columns:
    return Columns(
        np.concatenate([a.metric, b.metric]),
        np.concatenate([a.start, b.start]),
        np.concatenate([a.end, b.end]),
        np.concatenate([a.value, b.value]),
        np.concatenate([a.offset, b.offset]),
        np.concatenate([a.source, b.source]),
    )


def concat(chunks: list[Columns]) -> Columns:
    def joined(name: str, dtype: type) -> Any:
        return np.concatenate([getattr(c, name) for c in chunks] or [np.array([], dtype=dtype)])

    return Columns(
        joined("metric", np.int8),
        joined("start", np.float64),
        joined("end", np.float64),
        joined("value", np.float64),
        joined("offset", np.int16),
        joined("source", np.uint16),
    )
