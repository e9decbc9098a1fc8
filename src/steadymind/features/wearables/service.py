"""Importing a file, keeping what the person chose to keep, and reading their days.

An import reads the whole file first (the importer keeps compact arrays, not the file), then
writes everything in one transaction: what was stored before and the new samples are merged one
(day, metric) at a time, and the day's numbers are computed again from the merged samples. So a
file that fails halfway writes nothing, a re-import adds nothing, and two devices that overlap
leave one value per metric and time (daily.py says how). A large Apple Health export is read a
part at a time, each part committed as it is read, so that an import killed halfway continues
where it was when the file is imported again (resume.py); its days are still written at once.
Progress is written to the import's own row (plaintext numbers) as the file is read, for the
page and the terminal.
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
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.errors import DecryptionError, NotFound
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.importers import Progress, importer, no_progress, resumable
from steadymind.features.wearables.resume import Parts, read_resumably
from steadymind.features.wearables.samples import Columns, Problem, Samples
from steadymind.features.wearables.store import DayChunk, concat, decode, encode, merge
from steadymind.features.wearables.tables import DayValue, ImportRun, SampleDay, WearablePrefs

SAMPLES = "wearable_samples"
IMPORTS = "wearable_imports"
MISSING = "no such import"
PROGRESS_EVERY = 0.5  # seconds between progress writes
BATCH_DAYS = 256  # days merged and sealed at a time


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
    resumed_from: int = 0  # bytes an earlier, interrupted import of the file had read
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
        self.parts = Parts(db, clock.now)

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
            in_parts = resumable(chosen)
            if in_parts is not None:
                samples = read_resumably(self.parts, p, run_id, in_parts, path, watched)
            elif mapping is not None and getattr(chosen, "takes_mapping", False):
                samples = chosen.read(path, watched, mapping=mapping)  # type: ignore[call-arg]
            else:
                samples = chosen.read(path, watched)
            self._set(run_id, status="saving", samples_read=len(samples))
            counts = self._save(p, samples, run_id)
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

    def _save(self, p: Principal, samples: Samples, run_id: str) -> dict[str, int]:
        """Everything read, in one transaction (with the import's parts, now read, deleted)."""
        read = len(samples)
        columns = samples.release()
        groups = _sort_by_day_and_metric(columns)  # in place: each group is a slice
        days = sorted({day for day, _ in groups})
        keep = self.keeps_samples(p)
        now = self.clock.now()
        with self.db.transaction() as tx:
            added = self._merge_all(tx, p, columns, groups, samples.sources, days, now, keep)
            Parts.delete(tx, run_id)
        return {"added": added, "duplicates": read - added, "days": len(days)}

    def _merge_all(
        self,
        tx: Session,
        p: Principal,
        columns: Columns,
        groups: dict[tuple[int, int], slice],
        sources: list[str],
        days: list[int],
        now: datetime,
        keep: bool,
    ) -> int:
        """A batch of days at a time (memory stays a batch's worth of samples and sealed blobs):
        de-duplicate each day and metric, merge it with what is stored (when samples are kept),
        and compute each day's numbers from its samples and its neighbours' (a count over
        midnight belongs to two days)."""
        if not days:
            return 0
        cipher = p.cipher()
        existing = self._rows(tx, p.user_id, days[0] - 1, days[-1] + 1) if keep else {}
        merged: dict[tuple[int, int], DayChunk] = {}
        added = 0
        by_day: dict[int, list[int]] = defaultdict(list)
        for day, metric in groups:
            by_day[day].append(metric)
        for start in range(0, len(days), BATCH_DAYS):
            batch = days[start : start + BATCH_DAYS]
            inserts: list[dict[str, Any]] = []
            for day in batch:
                for metric in by_day[day]:
                    new = DayChunk(metric, columns.take(groups[(day, metric)]), sources)
                    if not keep:  # daily numbers only: nothing is stored but the numbers
                        chunk = DayChunk(metric, d.unique(new.columns), sources)
                        added += len(chunk.columns)
                        merged[(day, metric)] = chunk
                        continue
                    n, chunk, insert_row = self._merge_day(
                        cipher, p.user_id, (day, metric), new, existing.get((day, metric)), now
                    )
                    added += n
                    merged[(day, metric)] = chunk
                    if insert_row is not None:
                        inserts.append(insert_row)
            if inserts:
                tx.execute(insert(SampleDay), inserts)
            values = self._daily_of(cipher, batch, merged, existing)
            self._write_days(tx, p.user_id, values, batch, now, replace=keep)
            # What the next batch still needs: the last day of this one, as its neighbour.
            for key in [k for k in merged if k[0] < batch[-1]]:
                del merged[key]
        return added

    def _merge_day(
        self,
        cipher: FieldCipher,
        user_id: str,
        key: tuple[int, int],
        new: DayChunk,
        row: SampleDay | None,
        now: datetime,
    ) -> tuple[int, DayChunk, dict[str, Any] | None]:
        """(samples added, the merged day, a row to insert when the day is new)."""
        old = None if row is None else _open(cipher, row)
        chunk, added = merge(old, new)
        if row is None:
            row_id = new_id()
            blob = cipher.seal_measurements(SAMPLES, "samples", row_id, encode(chunk))
            values = {"id": row_id, "user_id": user_id, "day": d.day_of(key[0]),
                      "metric": key[1], "count": len(chunk.columns), "samples_ct": blob,
                      "updated_at": now}  # fmt: skip
            return added, chunk, values
        if added or old is None:  # new samples, or a damaged day written again
            row.count = len(chunk.columns)
            row.samples_ct = cipher.seal_measurements(SAMPLES, "samples", row.id, encode(chunk))
            row.updated_at = now
        return added, chunk, None

    def _daily_of(
        self,
        cipher: FieldCipher,
        batch: list[int],
        merged: dict[tuple[int, int], DayChunk],
        existing: dict[tuple[int, int], SampleDay],
    ) -> dict[tuple[int, str], tuple[float, int]]:
        around = {batch[0] - 1, *batch, batch[-1] + 1}
        chunks = [c for (day, _), c in merged.items() if day in around]
        for key, row in existing.items():
            if key[0] in around and key not in merged and (chunk := _open(cipher, row)):
                chunks.append(chunk)
        wanted = set(batch)
        values = d.daily(_one_source_list(chunks))
        return {key: value for key, value in values.items() if key[0] in wanted}

    def _rows(
        self, tx: Session, user_id: str, first: int, last: int
    ) -> dict[tuple[int, int], SampleDay]:
        rows = tx.scalars(
            select(SampleDay).where(
                SampleDay.user_id == user_id,
                SampleDay.day >= d.day_of(first),
                SampleDay.day <= d.day_of(last),
            )
        )
        return {(d.day_number(r.day), r.metric): r for r in rows}

    def _write_days(
        self,
        tx: Session,
        user_id: str,
        values: dict[tuple[int, str], tuple[float, int]],
        days: list[int],
        now: datetime,
        *,
        replace: bool,
    ) -> None:
        """``replace``: the values were computed from everything stored. Otherwise (daily
        numbers only) a new value replaces a stored one only when it rests on at least as many
        samples: a short export does not overwrite a fuller day."""
        if not days:
            return
        stored = {
            (d.day_number(r.day), r.factor): r
            for r in tx.scalars(
                select(DayValue).where(
                    DayValue.user_id == user_id,
                    DayValue.day >= d.day_of(min(days)),
                    DayValue.day <= d.day_of(max(days)),
                )
            )
        }
        inserts = []
        for (day, factor), (value, count) in values.items():
            row = stored.get((day, factor))
            if row is None:
                inserts.append({"user_id": user_id, "day": d.day_of(day), "factor": factor,
                                "value": value, "count": count, "updated_at": now})  # fmt: skip
            elif (replace or count >= row.count) and (row.value, row.count) != (value, count):
                row.value, row.count, row.updated_at = value, count, now
        if inserts:
            tx.execute(insert(DayValue), inserts)

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
        resumed_from=run.resumed_from or 0,
        started_at=run.started_at.isoformat(),
        finished_at=None if run.finished_at is None else run.finished_at.isoformat(),
    )


def _sort_by_day_and_metric(c: Columns) -> dict[tuple[int, int], slice]:
    """Sort the columns in place by (day, metric) and say where each group is. In place, one
    column at a time: for millions of samples every temporary column is tens of megabytes."""
    if not len(c):
        return {}
    key = d.sample_days(c)
    key *= 256
    key += c.metric
    order = np.argsort(key, kind="stable")
    key = key[order]
    for name in ("metric", "start", "end", "value", "offset", "source"):
        setattr(c, name, getattr(c, name)[order])
    del order
    # Where the sorted key changes (np.unique would sort a copy of it again).
    starts = np.concatenate([[0], np.flatnonzero(key[1:] != key[:-1]) + 1])
    keys = key[starts]
    del key
    bounds = [*starts[1:], len(c)]
    return {
        (int(k // 256), int(k % 256)): slice(int(s), int(e))
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
