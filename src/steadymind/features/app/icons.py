"""The app's icons as PNG, drawn here (a calm circle on the accent colour): no image files to
keep in step, no third-party artwork."""

from __future__ import annotations

import struct
import zlib
from functools import cache

ACCENT = (0x4F, 0x7C, 0x6F)
LIGHT = (0xF6, 0xF5, 0xF1)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@cache
def icon_png(size: int) -> bytes:
    """A square icon (maskable: the circle stays inside the safe zone of 80 %)."""
    centre, outer, inner = size / 2, size * 0.30, size * 0.18
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter: none
        for x in range(size):
            d = ((x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2) ** 0.5
            row += bytes(LIGHT if inner < d <= outer else ACCENT)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
