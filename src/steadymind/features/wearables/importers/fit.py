"""Garmin and other ``.fit`` files (or a ``.zip`` of them, as Garmin Connect exports), read with
fitdecode: heart rate (``record`` and ``monitoring``), RR intervals (``hrv``) and sleep stages
(``sleep_level``).

RR intervals become HRV: the beats of each five minutes (at least 60 of them, the usual
short-term window) give one RMSSD, computed by NeuroKit2 (``pip install 'steadymind[hrv]'``; it
is large, so it is an optional extra). Without it the RR intervals are left out with one line
saying so, and everything else imports. Intervals outside 300-2000 ms (a missed or an extra
beat) are dropped before the windows are read.

FIT times are UTC; a file's ``activity`` message gives the local time, hence the offset. A file
without one is filed at UTC offset 0. A damaged file (a bad CRC, cut off) is reported with its
name and the byte where reading stopped; what was read before that is kept.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np

from steadymind.features.wearables.beats import RR_RANGE, hrv_rmssd_function
from steadymind.features.wearables.importers import Progress
from steadymind.features.wearables.samples import Metric, Samples, Stage

WINDOW = 300.0  # seconds of beats per HRV value
MIN_BEATS = 60
SLEEP_LEVELS = {"awake": Stage.AWAKE, "light": Stage.CORE, "deep": Stage.DEEP, "rem": Stage.REM}
__all__ = ["IMPORTER", "hrv_rmssd_function"]  # the HRV function is looked up here (tests swap it)
NO_HRV_LIBRARY = (
    "RR intervals were left out: HRV from them needs the optional extra "
    "(pip install 'steadymind[hrv]')"
)


class FitFiles:
    name = "fit"
    label = "FIT file (Garmin and others)"
    suffixes = (".fit", ".zip")
    help = "a .fit file from a watch or strap, or a .zip of them (Garmin Connect's export)."

    def read(self, path: Path, progress: Progress) -> Samples:
        samples = Samples()
        total = path.stat().st_size
        for name, stream, done in _fit_streams(path):
            _read_fit(name, stream, samples)
            progress(done, total)
        progress(total, total)
        return samples


IMPORTER = FitFiles()


def _fit_streams(path: Path) -> Iterator[tuple[str, IO[bytes], int]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            done = 0
            for info in archive.infolist():
                if info.filename.lower().endswith(".fit"):
                    done += info.compress_size
                    with archive.open(info) as stream:
                        yield info.filename, stream, done
        return
    with path.open("rb") as stream:
        yield path.name, stream, path.stat().st_size


class _Counting:
    """A stream that knows how far it has been read (for where a damaged file stopped)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.position += len(data)
        return data


@contextmanager
def _reader(stream: _Counting) -> Iterator[Any]:
    import fitdecode

    with fitdecode.FitReader(
        stream,
        check_crc=fitdecode.CrcCheck.ENABLED,
        error_handling=fitdecode.ErrorHandling.RAISE,
    ) as reader:
        yield reader


def _read_fit(name: str, raw: IO[bytes], samples: Samples) -> None:
    import fitdecode

    stream = _Counting(raw)
    state = _State(samples.source_id(f"FIT: {Path(name).name}"))
    try:
        with _reader(stream) as fit:
            for frame in fit:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                    state.take(frame)
    except (fitdecode.FitError, EOFError, ValueError) as exc:
        reason = (
            "the file ends early"
            if isinstance(exc, fitdecode.FitEOFError | EOFError)
            else (
                "the file is damaged (its check failed)"
                if isinstance(exc, fitdecode.FitCRCError)
                else "the file could not be read"
            )
        )
        samples.problem(
            f"{Path(name).name}, byte {stream.position}", f"{reason}; what came before was kept"
        )
    state.finish(samples, name)


class _State:
    """What one file has said so far: its offset, the last time seen, beats and stages."""

    def __init__(self, source: int) -> None:
        self.source = source
        self.offset = 0
        self.now: float | None = None
        self.heart: list[tuple[float, float]] = []
        self.beats: list[tuple[float, float]] = []  # (time the beat ended, RR seconds)
        self.clock: float | None = None
        self.levels: list[tuple[float, Stage | None]] = []

    def take(self, frame: Any) -> None:
        timestamp = _value(frame, "timestamp")
        if isinstance(timestamp, datetime):
            self.now = timestamp.timestamp()
        if frame.name == "activity":
            local = _value(frame, "local_timestamp")
            if isinstance(local, datetime) and self.now is not None:
                self.offset = round((local.timestamp() - self.now) / 60)
        elif frame.name in ("record", "monitoring"):
            bpm = _value(frame, "heart_rate")
            if isinstance(bpm, int | float) and 20 <= bpm <= 250 and self.now is not None:
                self.heart.append((self.now, float(bpm)))
        elif frame.name == "hrv":
            self._rr(_value(frame, "time"))
        elif frame.name == "sleep_level" and self.now is not None:
            self.levels.append((self.now, SLEEP_LEVELS.get(str(_value(frame, "sleep_level")))))

    def _rr(self, times: Any) -> None:
        if self.now is None or not isinstance(times, tuple | list):
            return
        if self.clock is None or self.clock < self.now:
            self.clock = self.now  # beats follow the record they came after
        for rr in times:
            if isinstance(rr, int | float) and rr > 0:
                self.clock += float(rr)
                self.beats.append((self.clock, float(rr)))

    def finish(self, samples: Samples, name: str) -> None:
        for at, bpm in self.heart:
            samples.add(Metric.HEART_RATE, at, at, bpm, self.offset, self.source)
        for (start, stage), (end, _) in zip(self.levels, self.levels[1:], strict=False):
            if stage is not None and end > start:
                samples.add(Metric.SLEEP, start, end, float(stage), self.offset, self.source)
        if self.beats:
            for start, rmssd in _hrv_windows(self.beats, samples, name):
                samples.add(
                    Metric.HRV_RMSSD, start, start + WINDOW, rmssd, self.offset, self.source
                )


def _value(frame: Any, field: str) -> Any:
    return frame.get_value(field, fallback=None) if frame.has_field(field) else None


def _hrv_windows(
    beats: list[tuple[float, float]], samples: Samples, name: str
) -> Iterator[tuple[float, float]]:
    try:
        rmssd = hrv_rmssd_function()
    except ImportError:
        samples.problem(Path(name).name, NO_HRV_LIBRARY)
        return
    at = np.array([b[0] for b in beats])
    rr = np.array([b[1] for b in beats])
    keep = (rr >= RR_RANGE[0]) & (rr <= RR_RANGE[1])
    at, rr = at[keep], rr[keep]
    window = np.floor(at / WINDOW)
    for w in np.unique(window):
        chosen = rr[window == w]
        if len(chosen) >= MIN_BEATS:
            yield float(w * WINDOW), rmssd(chosen * 1000)
