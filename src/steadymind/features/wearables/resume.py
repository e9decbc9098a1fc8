"""An import that survives ``kill -9``: parts committed as the file is read, and continued.

A resumable importer (Apple Health's, importers/__init__.py) gives the file a part at a time,
each ending at a record boundary with its byte offset. Every ``PART_BYTES`` of the file, what was
read since the last commit is sealed into one ``wearable_import_parts`` row, in one transaction
with the import's progress: a part is there whole or not at all. The import is keyed by the
file's sha256; when the same person imports a file with the same sha256 while an earlier import
of it never finished (its process was killed), the new import takes over the earlier one's
parts, starts reading at the last part's offset, and says how many bytes it did not read again
(``resumed_from``). A zip is unpacked up to that offset but not parsed again.

Nothing reaches the person's days until the whole file is read: the parts are then opened in
order, joined, and saved in the single transaction that also deletes them (service.py's
``_save``), so a resumed import ends with exactly the rows of an uninterrupted one, and a crash
during the save leaves the parts for the next attempt.

Format of a part, version 1: ``b"SMP1"``, a 4-byte length, a JSON header (sources, problems,
skipped, n), then the columns little-endian: metric (int8), start, end, value (float64),
offset (int16), source (uint16).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steadymind.core.errors import DecryptionError
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.wearables.importers import Progress, Resumable, Resume
from steadymind.features.wearables.samples import Problem, Samples
from steadymind.features.wearables.tables import ImportPart, ImportRun

PARTS = "wearable_import_parts"
PART_BYTES = 64 * 1024 * 1024  # of the file between commits: 16 commits for a 1 GB export
MAGIC = b"SMP1"
_COLUMNS = (("metric", "<i1"), ("start", "<f8"), ("end", "<f8"), ("value", "<f8"),
            ("offset", "<i2"), ("source", "<u2"))  # fmt: skip
UNFINISHED = ("reading", "saving", "failed")  # killed, or failed for a passing cause


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def encode(samples: Samples) -> bytes:
    header = json.dumps({
        "sources": samples.sources, "problems": [p.__dict__ for p in samples.problems],
        "skipped": samples.skipped, "n": len(samples),
    }).encode()  # fmt: skip
    c = samples.release()
    parts = [MAGIC, struct.pack("<I", len(header)), header]
    parts += [getattr(c, name).astype(dtype).tobytes() for name, dtype in _COLUMNS]
    return b"".join(parts)


def decode(data: bytes) -> Samples:
    if data[:4] != MAGIC:
        raise DecryptionError("unknown format of an import's part")
    (length,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8 : 8 + length])
    n, position = int(header["n"]), 8 + length
    arrays = {}
    for name, dtype in _COLUMNS:
        size = np.dtype(dtype).itemsize * n
        arrays[name] = np.frombuffer(data[position : position + size], dtype=dtype)
        position += size
    samples = Samples()
    for name in header["sources"]:
        samples.source_id(name)
    samples.extend(**arrays)
    samples.problems = [Problem(**p) for p in header["problems"]]
    samples.skipped = int(header["skipped"])
    return samples


@dataclass
class Checkpoint:
    """How far this import has come: the parts committed so far and where they end."""

    seq: int
    resume: Resume | None


class Parts:
    """One import's parts: taking over an unfinished import's, committing, reading back."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self.db = db
        self.now = now

    def take_over(self, p: Principal, run_id: str, importer: str, sha: str) -> Checkpoint:
        """Move the parts of this person's unfinished imports of the same file to ``run_id``
        and mark those imports as continued; where the last part ends."""
        with self.db.transaction() as tx:
            earlier = list(tx.scalars(
                select(ImportRun.id).where(
                    ImportRun.user_id == p.user_id, ImportRun.importer == importer,
                    ImportRun.file_sha256 == sha, ImportRun.status.in_(UNFINISHED),
                    ImportRun.id != run_id,
                )
            ))  # fmt: skip
            if earlier:
                tx.execute(
                    update(ImportPart).where(ImportPart.run_id.in_(earlier)).values(run_id=run_id)
                )
                tx.execute(
                    update(ImportRun).where(ImportRun.id.in_(earlier))
                    .values(status="continued", finished_at=self.now())
                )  # fmt: skip
            run = tx.get(ImportRun, run_id)
            assert run is not None
            run.file_sha256 = sha
            last = tx.scalars(
                select(ImportPart)
                .where(ImportPart.run_id == run_id)
                .order_by(ImportPart.seq.desc())
            ).first()
            if last is None:
                return Checkpoint(0, None)
            run.resumed_from = run.bytes_done = last.offset
            return Checkpoint(last.seq, Resume(last.offset, last.line))

    def commit(self, p: Principal, run_id: str, seq: int, samples: Samples, at: Resume) -> None:
        """One part, whole, with the import's progress (one transaction)."""
        part_id, count = new_id(), len(samples)
        blob = p.cipher().seal_measurements(PARTS, "samples", part_id, encode(samples))
        with self.db.transaction() as tx:
            tx.add(ImportPart(id=part_id, run_id=run_id, user_id=p.user_id, seq=seq,
                              offset=at.offset, line=at.line, count=count, samples_ct=blob,
                              created_at=self.now()))  # fmt: skip
            run = tx.get(ImportRun, run_id)
            assert run is not None
            run.bytes_done = at.offset

    def read_back(self, p: Principal, run_id: str) -> Samples:
        """Every part of this import, in order, as one reading."""
        cipher, samples = p.cipher(), Samples()
        with self.db.transaction() as tx:
            ids = list(tx.scalars(
                select(ImportPart.id).where(ImportPart.run_id == run_id).order_by(ImportPart.seq)
            ))  # fmt: skip
        for part_id in ids:  # one part's blob in memory at a time
            with self.db.transaction() as tx:
                blob = tx.scalars(
                    select(ImportPart.samples_ct).where(ImportPart.id == part_id)
                ).one()
            data = cipher.open_measurements(PARTS, "samples", part_id, blob)
            samples.absorb(decode(data))
        return samples

    @staticmethod
    def delete(tx: Session, run_id: str) -> None:
        from sqlalchemy import delete

        tx.execute(delete(ImportPart).where(ImportPart.run_id == run_id))


def read_resumably(
    parts: Parts,
    p: Principal,
    run_id: str,
    chosen: Resumable,
    path: Path,
    progress: Progress,
) -> Samples:
    """Read ``path`` a part at a time from where an earlier import of it stopped, committing
    every ``PART_BYTES``; then every part of the import as one reading."""
    checkpoint = parts.take_over(p, run_id, chosen.name, file_sha256(path))
    seq, start = checkpoint.seq, checkpoint.resume
    committed = 0 if start is None else start.offset
    pending = Samples()
    last: Resume | None = None
    for part in chosen.read_parts(path, progress, start):
        pending.absorb(part.samples)
        last = Resume(part.offset, part.line)
        if part.offset - committed >= PART_BYTES:
            seq += 1
            parts.commit(p, run_id, seq, pending, last)
            committed, pending = part.offset, Samples()
    if last is not None and (len(pending) or pending.problems or last.offset > committed):
        parts.commit(p, run_id, seq + 1, pending, last)
    return parts.read_back(p, run_id)
