"""Importing a file, keeping what the person chose to keep, and reading their days.

An import reads the whole file first (the importer keeps compact arrays, not the file), then
writes everything in one transaction: what was stored before and the new samples are merged one
(day, metric) at a time, and the day's numbers are computed again from the merged samples. So a
file that fails halfway writes nothing, a re-import adds nothing, and two devices that overlap
leave one value per metric and time (daily.py says how). Progress is written to the import's
own row (plaintext numbers) as the file is read, for the page and the terminal.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.errors import DecryptionError, NotFound
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.importers import Progress, importer, no_progress
from steadymind.features.wearables.samples import Columns, Problem, Samples
from steadymind.features.wearables.store import DayChunk, concat, decode, encode, merge
from steadymind.features.wearables.tables import DayValue, ImportRun, SampleDay, WearablePrefs

SAMPLES = "wearable_samples"
IMPORTS = "wearable_imports"
MISSING = "no such import"
PROGRESS_EVERY = 0.5  # seconds between progress writes


@dataclass
class ImportSummary:
    id: str
    importer: str
    status: str
    bytes_total: int
    bytes_done: int
    samples_read: int
    added: int
    duplicates: int
    skipped: int
    days: int
    problems: list[Problem] = field(default_factory=list)
    started_at: str = ""
    finished_at: str | None = None

    def as_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["problems"] = [p.__dict__ for p in self.problems]
        return out


@dataclass(frozen=True)
class Day:
    day: date
    values: dict[str, float]


class WearableService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # -- the person's choice ---------------------------------------------------------------

    def keeps_samples(self, p: Principal) -> bool:
        """Encrypted samples are kept unless the person chose daily numbers only."""
        with self.db.transaction() as tx:
            prefs = tx.get(WearablePrefs, p.user_id)
        return True if prefs is None else prefs.keep_samples

    def set_keep_samples(self, p: Principal, keep: bool) -> None:
        """Choosing daily numbers only also deletes the samples kept so far."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            prefs = tx.get(WearablePrefs, p.user_id)
            if prefs is None:
                tx.add(WearablePrefs(user_id=p.user_id, keep_samples=keep, updated_at=now))
            else:
                prefs.keep_samples, prefs.updated_at = keep, now
            if not keep:
                tx.execute(delete(SampleDay).where(SampleDay.user_id == p.user_id))

    # -- importing -------------------------------------------------------------------------

    def start(self, p: Principal, importer_name: str, total: int) -> str:
        importer(importer_name)  # an unknown name fails here, before anything is written
        run = ImportRun(
            id=new_id(),
            user_id=p.user_id,
            importer=importer_name,
            status="reading",
            bytes_total=total,
            bytes_done=0,
            started_at=self.clock.now(),
        )
        with self.db.transaction() as tx:
            tx.add(run)
        return run.id

    def run(
        self,
        p: Principal,
        importer_name: str,
        path: Path,
        progress: Progress = no_progress,
        run_id: str | None = None,
        mapping: Path | None = None,
    ) -> ImportSummary:
        """Import one file. Problems with records are in the summary; a file that cannot be
        read at all marks the import failed (and re-raises), with nothing of it written."""
        run_id = run_id or self.start(p, importer_name, path.stat().st_size)
        try:
            chosen, watched = importer(importer_name), self._progress(run_id, progress)
            if mapping is not None and getattr(chosen, "takes_mapping", False):
                samples = chosen.read(path, watched, mapping=mapping)  # type: ignore[call-arg]
            else:
                samples = chosen.read(path, watched)
            self._set(run_id, status="saving", samples_read=len(samples))
            counts = self._save(p, samples)
        except Exception:
            self._set(run_id, status="failed", finished_at=self.clock.now())
            raise
        report = json.dumps([x.__dict__ for x in samples.problems]).encode()
        sealed = p.cipher().seal_measurements(IMPORTS, "report", run_id, report)
        self._set(
            run_id,
            status="done",
            bytes_done=self._get_total(run_id),
            skipped=samples.skipped,
            report_ct=sealed,
            finished_at=self.clock.now(),
            **counts,
        )
        return self.summary(p, run_id)

    def _progress(self, run_id: str, progress: Progress) -> Progress:
        last = [0.0]

        def report(done: int, total: int) -> None:
            progress(done, total)
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                self._set(run_id, bytes_done=done, bytes_total=total)

        return report

    def _set(self, run_id: str, **values: Any) -> None:
        with self.db.transaction() as tx:
            run = tx.get(ImportRun, run_id)
            assert run is not None
            for name, value in values.items():
                setattr(run, name, value)

    def _get_total(self, run_id: str) -> int:
        with self.db.transaction() as tx:
            run = tx.get(ImportRun, run_id)
            return 0 if run is None else run.bytes_total

    def _save(self, p: Principal, samples: Samples) -> dict[str, int]:
        columns = d.unique(samples.columns())
        groups = _by_day_and_metric(columns)
        keep = self.keeps_samples(p)
        now = self.clock.now()
        added = 0
        with self.db.transaction() as tx:
            if keep:
                for (day, metric), index in groups.items():
                    new = DayChunk(metric, columns.take(index), samples.sources)
                    added += self._merge_day(tx, p, day, new)
                days = {day for day, _ in groups}
                values = self._daily_from_store(tx, p, days)
                for (day, factor), (value, count) in values.items():
                    _upsert_day(tx, p.user_id, day, factor, value, count, now, replace=True)
            else:
                added = len(columns)
                for (day, factor), (value, count) in d.daily(columns).items():
                    _upsert_day(tx, p.user_id, day, factor, value, count, now, replace=False)
                days = {day for day, _ in groups}
        return {"added": added, "duplicates": len(samples) - added, "days": len(days)}

    def _merge_day(self, tx: Session, p: Principal, day: int, new: DayChunk) -> int:
        cipher = p.cipher()
        row = tx.scalars(
            select(SampleDay).where(
                SampleDay.user_id == p.user_id,
                SampleDay.day == d.day_of(day),
                SampleDay.metric == new.metric,
            )
        ).one_or_none()
        old = None if row is None else _open(cipher, row)
        merged, added = merge(old, new)
        if row is None:
            row = SampleDay(id=new_id(), user_id=p.user_id, day=d.day_of(day), metric=new.metric)
            tx.add(row)
        if added or old is None:
            row.count = len(merged.columns)
            row.samples_ct = cipher.seal_measurements(SAMPLES, "samples", row.id, encode(merged))
            row.updated_at = self.clock.now()
        return added

    def _daily_from_store(
        self, tx: Session, p: Principal, days: set[int]
    ) -> dict[tuple[int, str], tuple[float, int]]:
        """The numbers of ``days`` from every stored sample of those days and their neighbours
        (a count over midnight is shared between two days)."""
        if not days:
            return {}
        around = {n + k for n in days for k in (-1, 0, 1)}
        chunks = self.chunks(tx, p, min(around), max(around))
        values = d.daily(_one_source_list(chunks))
        return {key: value for key, value in values.items() if key[0] in days}

    def chunks(self, tx: Session, p: Principal, first: int, last: int) -> list[DayChunk]:
        cipher = p.cipher()
        rows = tx.scalars(
            select(SampleDay).where(
                SampleDay.user_id == p.user_id,
                SampleDay.day >= d.day_of(first),
                SampleDay.day <= d.day_of(last),
            )
        )
        return [chunk for r in rows if (chunk := _open(cipher, r)) is not None]

    # -- reading ---------------------------------------------------------------------------

    def summary(self, p: Principal, run_id: str) -> ImportSummary:
        with self.db.transaction() as tx:
            run = tx.get(ImportRun, run_id)
            if run is None or run.user_id != p.user_id:
                raise NotFound(MISSING)
            return _summary(p, run)

    def runs(self, p: Principal, limit: int = 20) -> list[ImportSummary]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(ImportRun)
                .where(ImportRun.user_id == p.user_id)
                .order_by(ImportRun.started_at.desc())
                .limit(limit)
            )
            return [_summary(p, run) for run in rows]

    def values(self, user_id: str, start: date, end: date) -> list[DayValue]:
        """The person's daily numbers (plaintext: no key needed)."""
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(DayValue)
                .where(DayValue.user_id == user_id, DayValue.day >= start, DayValue.day <= end)
                .order_by(DayValue.day, DayValue.factor)
            )
            return list(rows)

    def days(self, user_id: str, start: date, end: date) -> list[Day]:
        by_day: dict[date, dict[str, float]] = defaultdict(dict)
        for row in self.values(user_id, start, end):
            by_day[row.day][row.factor] = row.value
        return [Day(day, values) for day, values in sorted(by_day.items())]

    def baselines(self, user_id: str, before: date) -> dict[str, d.Baseline]:
        """This person's usual for each factor, from the days before ``before``."""
        start = before - timedelta(days=d.BASELINE_DAYS)
        by_factor: dict[str, list[float]] = defaultdict(list)
        for row in self.values(user_id, start, before - timedelta(days=1)):
            by_factor[row.factor].append(row.value)
        found = {f: d.baseline(f, values) for f, values in by_factor.items()}
        return {f: b for f, b in found.items() if b is not None}

    def sample_count(self, user_id: str) -> int:
        with self.db.transaction() as tx:
            return sum(tx.scalars(select(SampleDay.count).where(SampleDay.user_id == user_id)))


def _open(cipher: FieldCipher, row: SampleDay) -> DayChunk | None:
    """A stored day of samples, or None when its ciphertext is damaged (a disk fault, a bad
    restore): it must not lock the person out of the rest. A new import of that day replaces
    it; the day's numbers stay as they were computed."""
    try:
        blob = cipher.open_measurements(SAMPLES, "samples", row.id, row.samples_ct)
        return decode(row.metric, blob)
    except DecryptionError:
        return None


def today(now: datetime, tz: str) -> date:
    """The person's own today."""
    return now.astimezone(ZoneInfo(tz)).date()


def _summary(p: Principal, run: ImportRun) -> ImportSummary:
    problems: list[Problem] = []
    if run.report_ct is not None:
        try:
            raw = p.cipher().open_measurements(IMPORTS, "report", run.id, run.report_ct)
            problems = [Problem(**x) for x in json.loads(raw)]
        except DecryptionError:
            problems = [Problem("this import's report", "it could not be read (damaged)")]
    return ImportSummary(
        id=run.id,
        importer=run.importer,
        status=run.status,
        bytes_total=run.bytes_total,
        bytes_done=run.bytes_done,
        samples_read=run.samples_read,
        added=run.added,
        duplicates=run.duplicates,
        skipped=run.skipped,
        days=run.days,
        problems=problems,
        started_at=run.started_at.isoformat(),
        finished_at=None if run.finished_at is None else run.finished_at.isoformat(),
    )


def _by_day_and_metric(c: Columns) -> dict[tuple[int, int], Any]:
    if not len(c):
        return {}
    days = d.sample_days(c)
    key = days * 256 + c.metric.astype(np.int64)
    order = np.argsort(key, kind="stable")
    keys, starts = np.unique(key[order], return_index=True)
    bounds = [*starts[1:], len(order)]
    return {
        (int(k // 256), int(k % 256)): order[s:e]
        for k, s, e in zip(keys, starts, bounds, strict=True)
    }


def _one_source_list(chunks: list[DayChunk]) -> Columns:
    """Chunks' columns with their source indices made to refer to one shared list."""
    names: dict[str, int] = {}
    moved = []
    for chunk in chunks:
        remap = np.array(
            [names.setdefault(name, len(names)) for name in chunk.sources] or [0], dtype=np.uint16
        )
        c = chunk.columns
        moved.append(Columns(c.metric, c.start, c.end, c.value, c.offset, remap[c.source]))
    return concat(moved)


def _upsert_day(
    tx: Session,
    user_id: str,
    day: int,
    factor: str,
    value: float,
    count: int,
    now: Any,
    *,
    replace: bool,
) -> None:
    """``replace``: the value was computed from everything stored. Otherwise (daily numbers
    only) a new value replaces the stored one only when it rests on at least as many samples:
    a short export does not overwrite a fuller day."""
    row = tx.get(DayValue, (user_id, d.day_of(day), factor))
    if row is None:
        tx.add(DayValue(user_id=user_id, day=d.day_of(day), factor=factor, value=value,
                        count=count, updated_at=now))  # fmt: skip
    elif replace or count >= row.count:
        row.value, row.count, row.updated_at = value, count, now
