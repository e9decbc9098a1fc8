"""What every importer produces: measurements from a device, as columns of numbers.

An importer reads a file and fills a :class:`Samples`: one row per measurement (metric, start,
end, value, the UTC offset it was recorded in, and which source recorded it), kept in compact
arrays rather than Python objects, so that a year of heart rate from a watch (a few million
rows) costs tens of megabytes, not gigabytes. Sources (a watch, a phone, a ring) are named once
in ``sources`` and referred to by index. What could not be read is a :class:`Problem`, with where
it is in the file; the rest of the file still imports.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt


class Metric(IntEnum):
    """What a measurement is. The numbers are stored: never renumber one."""

    HEART_RATE = 1  # beats per minute, at ``start``
    RESTING_HR = 2  # beats per minute, the device's estimate for the day
    HRV_SDNN = 3  # milliseconds (Apple Health's HRV)
    HRV_RMSSD = 4  # milliseconds (Oura, Fitbit, and ours from RR intervals)
    STEPS = 5  # count over [start, end)
    ACTIVE_ENERGY = 6  # kilocalories over [start, end)
    MINDFUL = 7  # a mindful session over [start, end); value is minutes
    SLEEP = 8  # a stretch of sleep over [start, end); value is a ``Stage``
    STATE_OF_MIND = 9  # valence -1..+1 (Apple's State of Mind)
    READINESS = 10  # 0..100 (Oura's readiness score)


class Stage(IntEnum):
    """Sleep stages, as every device's words map onto them."""

    IN_BED = 0
    ASLEEP = 1  # asleep, stage unknown
    AWAKE = 2
    CORE = 3  # light
    DEEP = 4
    REM = 5


ASLEEP_STAGES = frozenset({Stage.ASLEEP, Stage.CORE, Stage.DEEP, Stage.REM})


@dataclass(frozen=True)
class Problem:
    """A record or a file that could not be read: where (a line, a record number, a file inside
    an archive) and what was wrong, in plain words. Never the person's values."""

    where: str
    what: str


@dataclass
class Samples:
    """Measurements as parallel arrays (see the module's note)."""

    metric: array[int] = field(default_factory=lambda: array("b"))
    start: array[float] = field(default_factory=lambda: array("d"))
    end: array[float] = field(default_factory=lambda: array("d"))
    value: array[float] = field(default_factory=lambda: array("d"))
    offset: array[int] = field(default_factory=lambda: array("h"))  # minutes east of UTC
    source: array[int] = field(default_factory=lambda: array("H"))
    sources: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _source_ids: dict[str, int] = field(default_factory=dict)

    def source_id(self, name: str) -> int:
        found = self._source_ids.get(name)
        if found is None:
            found = self._source_ids[name] = len(self.sources)
            self.sources.append(name)
        return found

    def add(
        self, metric: Metric, start: float, end: float, value: float, offset: int, source: int
    ) -> None:
        self.metric.append(metric)
        self.start.append(start)
        self.end.append(end)
        self.value.append(value)
        self.offset.append(offset)
        self.source.append(source)

    def extend(
        self,
        metric: npt.NDArray[np.int8],
        start: npt.NDArray[np.float64],
        end: npt.NDArray[np.float64],
        value: npt.NDArray[np.float64],
        offset: npt.NDArray[np.int16],
        source: npt.NDArray[np.uint16],
    ) -> None:
        """Append columns at once (the fast importers parse a block of records together)."""
        self.metric.frombytes(metric.astype(np.int8).tobytes())
        self.start.frombytes(start.astype(np.float64).tobytes())
        self.end.frombytes(end.astype(np.float64).tobytes())
        self.value.frombytes(value.astype(np.float64).tobytes())
        self.offset.frombytes(offset.astype(np.int16).tobytes())
        self.source.frombytes(source.astype(np.uint16).tobytes())

    def absorb(self, other: Samples) -> None:
        """Append another reading's samples (their sources renamed into ours), problems and
        count of skipped records, leaving ``other`` empty."""
        remap = np.array([self.source_id(name) for name in other.sources] or [0], dtype=np.uint16)
        c = other.release()
        self.extend(c.metric, c.start, c.end, c.value, c.offset, remap[c.source])
        for found in other.problems:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(found)
        self.skipped += other.skipped

    def problem(self, where: str, what: str) -> None:
        # A broken file can hold millions of bad records: the first hundred say enough.
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, what))
        self.skipped += 1

    skipped: int = 0

    def __len__(self) -> int:
        return len(self.metric)

    def release(self) -> Columns:
        """The samples as columns, leaving this object empty: the columns share the arrays'
        memory until the caller's first copy, and then it is freed (one copy, not two)."""
        columns = Columns(
            metric=np.frombuffer(self.metric, dtype=np.int8),
            start=np.frombuffer(self.start, dtype=np.float64),
            end=np.frombuffer(self.end, dtype=np.float64),
            value=np.frombuffer(self.value, dtype=np.float64),
            offset=np.frombuffer(self.offset, dtype=np.int16),
            source=np.frombuffer(self.source, dtype=np.uint16),
        )
        self.metric, self.start, self.end = array("b"), array("d"), array("d")
        self.value, self.offset, self.source = array("d"), array("h"), array("H")
        return columns

    def columns(self) -> Columns:
        return Columns(
            metric=np.frombuffer(self.metric, dtype=np.int8).copy(),
            start=np.frombuffer(self.start, dtype=np.float64).copy(),
            end=np.frombuffer(self.end, dtype=np.float64).copy(),
            value=np.frombuffer(self.value, dtype=np.float64).copy(),
            offset=np.frombuffer(self.offset, dtype=np.int16).copy(),
            source=np.frombuffer(self.source, dtype=np.uint16).copy(),
        )


MAX_PROBLEMS = 100


@dataclass
class Columns:
    """Samples as numpy columns, for sorting, de-duplicating and grouping by day."""

    metric: npt.NDArray[np.int8]
    start: npt.NDArray[np.float64]
    end: npt.NDArray[np.float64]
    value: npt.NDArray[np.float64]
    offset: npt.NDArray[np.int16]
    source: npt.NDArray[np.uint16]

    def take(self, index: npt.NDArray[np.intp] | npt.NDArray[np.bool_] | slice) -> Columns:
        return Columns(
            self.metric[index],
            self.start[index],
            self.end[index],
            self.value[index],
            self.offset[index],
            self.source[index],
        )

    def __len__(self) -> int:
        return len(self.metric)
