"""Check-ins brought from another app (``runtime.CheckInImporter``): all rows or none.

Each row is checked as a check-in made here would be (a wrong one is a message naming its line,
and nothing is stored); every note passes the text seam on the import surface (the gate reads
it with no context, as an old note is not today's writing, and the emotion model does not: no
one reviews suggestions for years of notes) and is sealed like any note. A row is known by a
keyed hash of its source (``import_key``), so a second import of the same file adds nothing.
The rows stream in, a chunk of multi-row inserts at a time, inside one transaction; the notes
of a chunk are screened together (``TextSeam.screen_many``: the gate reads each note exactly as
it would alone, its encoder running over the chunk's notes in batches), which is what makes ten
years of notes take seconds, not a minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import insert, select

from steadymind.core.clock import Clock
from steadymind.core.errors import ValidationError, from_pydantic
from steadymind.crypto.blind import BlindIndex
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import AHEAD
from steadymind.features.checkins.tables import CheckIn
from steadymind.runtime import ImportedCheckIn, ImportOutcome
from steadymind.safety.plan import SafetyPlan
from steadymind.screen import Screened, Surface, TextSeam, Verdict

TABLE = "checkins"
IMPORT = Surface("checkin-import", context="none", suggests=False)
SCOPE = "checkin-import"
# Imported check-ins carry no energy (Daylio has none): 0, and the insights leave these rows
# out of energy (``factors``).
NO_ENERGY = 0
ORDER = {"continue": 0, "ask": 1, "crisis": 2}
CHUNK = 500


class CheckInImports:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam

    def import_checkins(self, owner: Principal, items: Iterable[ImportedCheckIn]) -> ImportOutcome:
        """Streams: the rows go in a chunk at a time inside one transaction, so memory stays
        flat whatever the file's length, and an error on any row rolls all of them back."""
        blind = BlindIndex(owner.data_key, owner.user_id, SCOPE)
        known = self._known(owner)
        latest = self.clock.now() + AHEAD
        # The person's country and plan for a crisis response, read once: screening each of
        # thousands of notes "as the owner" would read their recent writing thousands of times,
        # and an old note has no context today (the surface reads none).
        plan = self.seam.saved_plan(owner)
        cipher = owner.cipher()
        tally = _Tally()
        pending: list[tuple[str, ImportedCheckIn, CheckInIn]] = []
        with self.db.transaction() as tx:
            for item in items:
                key = blind.token(item.key).hex()
                if key in known:
                    tally.skipped += 1
                    continue
                known.add(key)
                pending.append((key, item, _checked(item, latest)))
                if len(pending) == CHUNK:
                    tx.execute(insert(CheckIn), self._rows(owner, cipher, pending, plan, tally))
                    pending = []
            if pending:
                tx.execute(insert(CheckIn), self._rows(owner, cipher, pending, plan, tally))
        return ImportOutcome(tally.added, tally.skipped, tally.verdict(), tally.ref)

    def _rows(
        self,
        owner: Principal,
        cipher: FieldCipher,
        pending: list[tuple[str, ImportedCheckIn, CheckInIn]],
        plan: SafetyPlan | None,
        tally: _Tally,
    ) -> list[dict[str, Any]]:
        """A chunk's rows, their notes screened together and sealed, in the file's order."""
        screened = self.seam.screen_many(
            [{"note": data.note} for _, _, data in pending],
            surface=IMPORT.name,
            country=owner.country,
            plan=plan,
        )
        return [
            self._row(owner, cipher, key, item, data, note, tally)
            for (key, item, data), note in zip(pending, screened, strict=True)
        ]

    def _known(self, owner: Principal) -> set[str]:
        query = select(CheckIn.import_key).where(
            CheckIn.user_id == owner.user_id, CheckIn.import_key.is_not(None)
        )
        with self.db.transaction() as tx:
            return {k for k in tx.scalars(query).all() if k}

    def _row(
        self,
        owner: Principal,
        cipher: FieldCipher,
        key: str,
        item: ImportedCheckIn,
        data: CheckInIn,
        screened: Screened,
        tally: _Tally,
    ) -> dict[str, Any]:
        row_id = new_id()
        sealed = screened.seal(cipher, TABLE, row_id)
        tally.saw(screened.verdict, row_id)
        now = self.clock.now()
        return {
            "id": row_id,
            "user_id": owner.user_id,
            "at": data.at,
            "tz": item.tz,
            "mood": data.mood,
            "energy": NO_ENERGY,
            "intensity": None,
            "emotions": [],
            "tags": list(data.tags),
            "note_ct": sealed.parts["note"],
            "analysis_ct": sealed.analysis,
            "created_at": now,
            "updated_at": now,
            "import_key": key,
        }


class _Tally:
    """Rows added and skipped, and the most serious verdict on the notes (with its row)."""

    def __init__(self) -> None:
        self.added = 0
        self.skipped = 0
        self.flagged = 0
        self.worst: Verdict | None = None
        self.ref: str | None = None

    def saw(self, verdict: Verdict | None, row_id: str) -> None:
        self.added += 1
        if verdict is None or verdict.crisis is None:
            return
        self.flagged += 1
        if _worse(verdict, self.worst):
            self.worst, self.ref = verdict, row_id

    def verdict(self) -> Verdict | None:
        if self.worst is not None and self.flagged > 1 and self.worst.action == "ask":
            # More than one note stopped the flow: straight to the crisis response, as a second
            # flagged text the same day is.
            return replace(self.worst, action="crisis", repeated=True)
        return self.worst


def _worse(verdict: Verdict, than: Verdict | None) -> bool:
    return than is None or ORDER[verdict.action] > ORDER[than.action]


def _checked(item: ImportedCheckIn, latest: datetime) -> CheckInIn:
    if item.at > latest:
        raise ValidationError(
            f"Line {item.line}: the date is in the future.", details={"line": item.line}
        )
    try:
        return CheckInIn(
            at=item.at,
            tz=item.tz,
            mood=item.mood,
            energy=NO_ENERGY,
            tags=list(item.tags),
            note=item.note or None,
        )
    except PydanticValidationError as exc:
        problem = from_pydantic(exc)
        raise ValidationError(
            f"Line {item.line}: {problem.message}", details={"line": item.line}
        ) from None
