"""Check-ins brought from another app (``runtime.CheckInImporter``): all rows or none.

Each row is checked as a check-in made here would be (a wrong one is a message naming its line,
and nothing is stored); every note passes the text seam on the import surface (the gate reads
it with no context, as an old note is not today's writing, and the emotion model does not: no
one reviews suggestions for years of notes) and is sealed like any note. A row is known by a
keyed hash of its source (``import_key``), so a second import of the same file adds nothing.
The rows go in with one multi-row insert in one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import insert, select

from steadymind.core.clock import Clock
from steadymind.core.errors import ValidationError, from_pydantic
from steadymind.crypto.blind import BlindIndex
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import AHEAD
from steadymind.features.checkins.tables import CheckIn
from steadymind.runtime import ImportedCheckIn, ImportOutcome
from steadymind.screen import Surface, TextSeam, Verdict

TABLE = "checkins"
IMPORT = Surface("checkin-import", context="none", suggests=False)
SCOPE = "checkin-import"
# Imported check-ins carry no energy (Daylio has none): 0, and the insights leave these rows
# out of energy (``factors``).
NO_ENERGY = 0
ORDER = {"continue": 0, "ask": 1, "crisis": 2}


class CheckInImports:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam

    def import_checkins(self, owner: Principal, items: list[ImportedCheckIn]) -> ImportOutcome:
        blind = BlindIndex(owner.data_key, owner.user_id, SCOPE)
        keyed = {blind.token(item.key).hex(): item for item in items}
        known = self._known(owner)
        fresh = [(key, item) for key, item in keyed.items() if key not in known]
        latest = self.clock.now() + AHEAD
        checked = [(key, item, _checked(item, latest)) for key, item in fresh]
        rows, worst, ref = self._rows(owner, checked)
        if rows:
            with self.db.transaction() as tx:
                tx.execute(insert(CheckIn), rows)
        return ImportOutcome(len(rows), len(items) - len(rows), worst, ref)

    def _known(self, owner: Principal) -> set[str]:
        query = select(CheckIn.import_key).where(
            CheckIn.user_id == owner.user_id, CheckIn.import_key.is_not(None)
        )
        with self.db.transaction() as tx:
            return {k for k in tx.scalars(query).all() if k}

    def _rows(
        self, owner: Principal, checked: list[tuple[str, ImportedCheckIn, CheckInIn]]
    ) -> tuple[list[dict[str, Any]], Verdict | None, str | None]:
        now = self.clock.now()
        cipher = owner.cipher()
        rows: list[dict[str, Any]] = []
        worst: Verdict | None = None
        ref: str | None = None
        flagged = 0
        # The person's country and plan for a crisis response, read once: screening each of
        # thousands of notes "as the owner" would read their recent writing thousands of times,
        # and an old note has no context today (the surface reads none).
        plan = self.seam.saved_plan(owner) if any(d.note for _, _, d in checked) else None
        for key, item, data in checked:
            row_id = new_id()
            screened = self.seam.screen(
                {"note": data.note}, surface=IMPORT.name, country=owner.country, plan=plan
            )
            sealed = screened.seal(cipher, TABLE, row_id)
            verdict = screened.verdict
            if verdict is not None and verdict.crisis is not None:
                flagged += 1
                if _worse(verdict, worst):
                    worst, ref = verdict, row_id
            rows.append(
                {
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
            )
        if worst is not None and flagged > 1 and worst.action == "ask":
            # More than one note stopped the flow: straight to the crisis response, as a second
            # flagged text the same day is.
            worst = replace(worst, action="crisis", repeated=True)
        return rows, worst, ref


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
