"""A small FIT encoder for made-up test files (fitdecode, which we import with, only decodes).

It writes what our importer reads: ``file_id``, ``activity`` (with the local time, so the UTC
offset is known), ``record`` (heart rate), ``hrv`` (RR intervals) and ``sleep_level``.
Definitions per the FIT protocol: a 14-byte header with its CRC, definition and data messages
(little-endian), and the file's CRC at the end.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

from fitdecode.utils import compute_crc

FIT_EPOCH = 631065600  # 1989-12-31 00:00:00 UTC
UINT8, UINT16, UINT32, ENUM = 0x02, 0x84, 0x86, 0x00
# (global number, [(field number, size, base type)]); arrays are sized per message below.
FILE_ID = (0, [(0, 1, ENUM), (1, 2, UINT16), (4, 4, UINT32)])
ACTIVITY = (34, [(253, 4, UINT32), (5, 4, UINT32)])
RECORD = (20, [(253, 4, UINT32), (3, 1, UINT8)])
SLEEP = (275, [(253, 4, UINT32), (0, 1, ENUM)])


def fit_time(at: datetime) -> int:
    return int(at.astimezone(UTC).timestamp()) - FIT_EPOCH


class FitWriter:
    def __init__(self) -> None:
        self.body = bytearray()
        self.defined: dict[int, tuple[int, list[tuple[int, int, int]]]] = {}

    def _define(self, local: int, message: tuple[int, list[tuple[int, int, int]]]) -> None:
        if self.defined.get(local) == message:
            return
        number, fields = message
        self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
        for field in fields:
            self.body += struct.pack("<BBB", *field)
        self.defined[local] = message

    def _data(
        self, local: int, message: tuple[int, list[tuple[int, int, int]]], *values: bytes
    ) -> None:
        self._define(local, message)
        self.body += bytes([local]) + b"".join(values)

    def file_id(self, created: datetime) -> FitWriter:
        self._data(0, FILE_ID, b"\x04", struct.pack("<H", 1), struct.pack("<I", fit_time(created)))
        return self

    def activity(self, at: datetime, offset_minutes: int) -> FitWriter:
        local = fit_time(at) + offset_minutes * 60
        self._data(1, ACTIVITY, struct.pack("<I", fit_time(at)), struct.pack("<I", local))
        return self

    def heart_rate(self, at: datetime, bpm: int) -> FitWriter:
        self._data(2, RECORD, struct.pack("<I", fit_time(at)), bytes([bpm]))
        return self

    def rr(self, seconds: list[float]) -> FitWriter:
        """One ``hrv`` message: up to five RR intervals, in seconds (milliseconds on the wire)."""
        values = [round(s * 1000) for s in seconds] + [0xFFFF] * (5 - len(seconds))
        message = (78, [(0, 2 * len(values), UINT16)])
        self._data(3, message, struct.pack(f"<{len(values)}H", *values))
        return self

    def sleep_level(self, at: datetime, level: int) -> FitWriter:
        self._data(4, SLEEP, struct.pack("<I", fit_time(at)), bytes([level]))
        return self

    def to_bytes(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        header += struct.pack("<H", compute_crc(header))
        data = header + bytes(self.body)
        return data + struct.pack("<H", compute_crc(data))
