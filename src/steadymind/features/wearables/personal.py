"""Everything imported from a wearable in the person's export, and gone with their account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.resume import PARTS, decode
from steadymind.features.wearables.samples import Metric
from steadymind.features.wearables.service import WearableService
from steadymind.features.wearables.tables import (
    DayValue,
    ImportPart,
    ImportRun,
    SampleDay,
    WearablePrefs,
)


class WearableData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "wearable_samples": ("id", "user_id", "day", "metric", "count", "updated_at"),
        "wearable_days": ("user_id", "day", "factor", "value", "count", "updated_at"),
        "wearable_imports": (
            "id", "user_id", "importer", "status", "bytes_total", "bytes_done", "samples_read",
            "added", "duplicates", "skipped", "days", "started_at", "finished_at",
            "file_sha256", "resumed_from",
        ),
        "wearable_import_parts": (
            "id", "run_id", "user_id", "seq", "offset", "line", "count", "created_at",
        ),
        "wearable_prefs": ("user_id", "keep_samples", "updated_at"),
    }  # fmt: skip

    def __init__(self, service: WearableService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        days = [
            {"day": r.day.isoformat(), "factor": r.factor, "value": r.value, "samples": r.count}
            for r in self.service.values(owner.user_id, d.EPOCH, d.day_of(10**6))
        ]
        return {
            "wearable_days": days,
            "wearable_samples": list(self._samples(owner)),
            "wearable_imports": [run.as_json() for run in self.service.runs(owner, limit=10_000)],
            "wearable_keep_samples": self.service.keeps_samples(owner),
            "wearable_import_parts": list(self._parts(owner)),
        }

    def _parts(self, owner: Principal) -> Iterator[dict[str, Any]]:
        """What an unfinished import had read (it is saved, and these go, when it finishes)."""
        cipher = owner.cipher()
        with self.service.db.transaction() as tx:
            rows = list(tx.scalars(
                select(ImportPart).where(ImportPart.user_id == owner.user_id)
                .order_by(ImportPart.run_id, ImportPart.seq)
            ))  # fmt: skip
        for row in rows:
            samples = decode(cipher.open_measurements(PARTS, "samples", row.id, row.samples_ct))
            c = samples.columns()
            yield {
                "import": row.run_id, "part": row.seq, "read_up_to_byte": row.offset,
                "samples": [
                    {"metric": Metric(int(c.metric[i])).name.lower(), "start": float(c.start[i]),
                     "end": float(c.end[i]), "value": float(c.value[i]),
                     "utc_offset_minutes": int(c.offset[i]),
                     "source": samples.sources[int(c.source[i])]}
                    for i in range(len(c))
                ],
            }  # fmt: skip

    def _samples(self, owner: Principal) -> Iterator[dict[str, Any]]:
        with self.service.db.transaction() as tx:
            for chunk in self.service.chunks(tx, owner, 0, 10**6):
                c = chunk.columns
                for i in range(len(c)):
                    yield {
                        "metric": Metric(chunk.metric).name.lower(),
                        "start": float(c.start[i]),
                        "end": float(c.end[i]),
                        "value": float(c.value[i]),
                        "utc_offset_minutes": int(c.offset[i]),
                        "source": chunk.sources[int(c.source[i])],
                    }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        files = {"wearable_days.csv": to_csv(sections["wearable_days"])}
        if sections["wearable_samples"]:
            files["wearable_samples.csv"] = to_csv(sections["wearable_samples"])
        return files

    def erase(self, tx: Session, user_id: str) -> None:
        for table in (SampleDay, DayValue, ImportPart, ImportRun, WearablePrefs):
            tx.execute(delete(table).where(table.user_id == user_id))
