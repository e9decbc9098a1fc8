"""Check-ins and journal entries: create, read, edit, delete, list by date range, search.

Every piece of free text passes the safety gate before it is stored, and the gate's analysis is
stored encrypted beside the text it came from (with the ids of the models that produced it).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from steadymind.accounts.service import check_timezone
from steadymind.core.clock import Clock
from steadymind.core.errors import DecryptionError, NotFound, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.gate import GateResult, TextGate
from steadymind.tracking.models import (
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    JournalIn,
    JournalOut,
    JournalPatch,
)
from steadymind.tracking.tables import CheckIn, JournalEntry

log = logging.getLogger(__name__)
MAX_LIST = 1000
CONTEXT_WINDOW = timedelta(hours=24)


Owned = TypeVar("Owned", CheckIn, JournalEntry)


_MISSING = {CheckIn: "no such check-in", JournalEntry: "no such journal entry"}


def _owned(tx: Session, p: Principal, table: type[Owned], row_id: str) -> Owned:
    """The person's own row, or NotFound: someone else's row is indistinguishable from a
    missing one (404, never 403)."""
    row = tx.get(table, row_id[:64])
    if row is None or row.user_id != p.user_id:
        raise NotFound(_MISSING[table])
    return row


def _seal_analysis(cipher: FieldCipher, table: str, row_id: str, result: GateResult) -> bytes:
    payload = json.dumps({"v": 1, **result.to_record()}, ensure_ascii=False)
    return cipher.encrypt(table, "analysis", row_id, payload)


def _open_analysis(
    cipher: FieldCipher, table: str, row: CheckIn | JournalEntry
) -> dict[str, Any] | None:
    text = cipher.decrypt_optional(table, "analysis", row.id, row.analysis_ct)
    return None if text is None else dict(json.loads(text))


def _check_range(start: datetime | None, end: datetime | None) -> None:
    for value in (start, end):
        if value is not None and value.tzinfo is None:
            raise ValidationError("date range bounds need a time zone")
    if start and end and start > end:
        raise ValidationError("the start of the range is after its end")


class TrackingService:
    def __init__(self, db: Database, clock: Clock, gate: TextGate) -> None:
        self.db = db
        self.clock = clock
        self.gate = gate

    # -- check-ins ---------------------------------------------------------------------------

    def _checkin_out(
        self, cipher: FieldCipher, row: CheckIn, *, tolerant: bool = False
    ) -> CheckInOut:
        try:
            return self._checkin_view(cipher, row)
        except DecryptionError:
            if not tolerant:
                raise
            # A damaged row must not hide the rest of a list or an export; its id is not sensitive.
            log.warning("check-in %s failed to decrypt; listed as unreadable", row.id)
            return self._checkin_view(cipher, row, readable=False)

    def _checkin_view(self, cipher: FieldCipher, row: CheckIn, readable: bool = True) -> CheckInOut:
        return CheckInOut(
            id=row.id,
            at=row.at,
            tz=row.tz,
            mood=row.mood,
            energy=row.energy,
            intensity=row.intensity,
            emotions=list(row.emotions),
            tags=list(row.tags),
            note=cipher.decrypt_optional("checkins", "note", row.id, row.note_ct)
            if readable
            else None,
            analysis=_open_analysis(cipher, "checkins", row) if readable else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            unreadable=not readable,
        )

    def _recent_notes(self, tx: Session, p: Principal, cipher: FieldCipher) -> list[str]:
        """The person's own notes of the last day: context for the safety gate."""
        since = self.clock.now() - CONTEXT_WINDOW
        rows = tx.scalars(
            select(CheckIn)
            .where(CheckIn.user_id == p.user_id, CheckIn.created_at >= since)
            .where(CheckIn.note_ct.is_not(None))
            .order_by(CheckIn.created_at.desc())
            .limit(3)
        ).all()
        notes = [cipher.decrypt_optional("checkins", "note", r.id, r.note_ct) for r in rows]
        return [n for n in reversed(notes) if n]

    def _gate_note(
        self, tx: Session, p: Principal, cipher: FieldCipher, row: CheckIn, note: str | None
    ) -> GateResult | None:
        row.note_ct = cipher.encrypt_optional("checkins", "note", row.id, note)
        if not note or not note.strip():
            row.analysis_ct = None
            return None
        result = self.gate.check(note, context=self._recent_notes(tx, p, cipher), country=p.country)
        row.analysis_ct = _seal_analysis(cipher, "checkins", row.id, result)
        return result

    def create_checkin(self, p: Principal, data: CheckInIn) -> tuple[CheckInOut, GateResult | None]:
        now = self.clock.now()
        cipher = p.cipher()
        row = CheckIn(
            id=new_id(),
            user_id=p.user_id,
            at=data.at or now,
            tz=check_timezone(data.tz or p.timezone),
            mood=data.mood,
            energy=data.energy,
            intensity=data.intensity,
            emotions=list(data.emotions),
            tags=list(data.tags),
            created_at=now,
            updated_at=now,
        )
        with self.db.transaction() as tx:
            result = self._gate_note(tx, p, cipher, row, data.note)
            tx.add(row)
        return self._checkin_out(cipher, row), result

    def get_checkin(self, p: Principal, checkin_id: str) -> CheckInOut:
        with self.db.transaction() as tx:
            row = _owned(tx, p, CheckIn, checkin_id)
        return self._checkin_out(p.cipher(), row)

    def update_checkin(
        self, p: Principal, checkin_id: str, patch: CheckInPatch
    ) -> tuple[CheckInOut, GateResult | None]:
        cipher = p.cipher()
        changes = patch.model_dump(exclude_unset=True)
        result = None
        with self.db.transaction() as tx:
            row = _owned(tx, p, CheckIn, checkin_id)
            for field in ("at", "mood", "energy", "intensity", "emotions", "tags"):
                if field in changes and (changes[field] is not None or field == "intensity"):
                    setattr(row, field, changes[field])
            if changes.get("tz"):
                row.tz = check_timezone(changes["tz"])
            if "note" in changes:
                result = self._gate_note(tx, p, cipher, row, changes["note"])
            row.updated_at = self.clock.now()
        return self._checkin_out(cipher, row), result

    def delete_checkin(self, p: Principal, checkin_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(_owned(tx, p, CheckIn, checkin_id))

    def list_checkins(
        self,
        p: Principal,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[CheckInOut]:
        _check_range(start, end)
        query = select(CheckIn).where(CheckIn.user_id == p.user_id)
        if start is not None:
            query = query.where(CheckIn.at >= start)
        if end is not None:
            query = query.where(CheckIn.at < end)
        query = query.order_by(CheckIn.at.desc(), CheckIn.id).limit(min(limit, MAX_LIST))
        with self.db.transaction() as tx:
            rows = tx.scalars(query.offset(max(offset, 0))).all()
        cipher = p.cipher()
        return [self._checkin_out(cipher, r, tolerant=True) for r in rows]

    # -- journal -----------------------------------------------------------------------------

    def _journal_out(
        self, cipher: FieldCipher, row: JournalEntry, *, tolerant: bool = False
    ) -> JournalOut:
        try:
            return self._journal_view(cipher, row)
        except DecryptionError:
            if not tolerant:
                raise
            log.warning("journal entry %s failed to decrypt; listed as unreadable", row.id)
            return self._journal_view(cipher, row, readable=False)

    def _journal_view(
        self, cipher: FieldCipher, row: JournalEntry, readable: bool = True
    ) -> JournalOut:
        def text(column: str, blob: bytes) -> str:
            return cipher.decrypt("journal_entries", column, row.id, blob) if readable else ""

        return JournalOut(
            id=row.id,
            at=row.at,
            tz=row.tz,
            title=text("title", row.title_ct),
            body=text("body", row.body_ct),
            tags=list(row.tags),
            analysis=_open_analysis(cipher, "journal_entries", row) if readable else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            unreadable=not readable,
        )

    def _gate_journal(
        self, p: Principal, cipher: FieldCipher, row: JournalEntry, title: str, body: str
    ) -> GateResult | None:
        row.title_ct = cipher.encrypt("journal_entries", "title", row.id, title)
        row.body_ct = cipher.encrypt("journal_entries", "body", row.id, body)
        text = "\n".join(part for part in (title, body) if part.strip())
        if not text:
            row.analysis_ct = None
            return None
        result = self.gate.check(text, context=[], country=p.country)
        row.analysis_ct = _seal_analysis(cipher, "journal_entries", row.id, result)
        return result

    def create_entry(self, p: Principal, data: JournalIn) -> tuple[JournalOut, GateResult | None]:
        now = self.clock.now()
        cipher = p.cipher()
        row = JournalEntry(
            id=new_id(),
            user_id=p.user_id,
            at=data.at or now,
            tz=check_timezone(data.tz or p.timezone),
            tags=list(data.tags),
            created_at=now,
            updated_at=now,
        )
        result = self._gate_journal(p, cipher, row, data.title.strip(), data.body)
        with self.db.transaction() as tx:
            tx.add(row)
        return self._journal_out(cipher, row), result

    def get_entry(self, p: Principal, entry_id: str) -> JournalOut:
        with self.db.transaction() as tx:
            row = _owned(tx, p, JournalEntry, entry_id)
        return self._journal_out(p.cipher(), row)

    def update_entry(
        self, p: Principal, entry_id: str, patch: JournalPatch
    ) -> tuple[JournalOut, GateResult | None]:
        cipher = p.cipher()
        changes = patch.model_dump(exclude_unset=True)
        result = None
        with self.db.transaction() as tx:
            row = _owned(tx, p, JournalEntry, entry_id)
            if changes.get("at") is not None:
                row.at = changes["at"]
            if changes.get("tz"):
                row.tz = check_timezone(changes["tz"])
            if changes.get("tags") is not None:
                row.tags = changes["tags"]
            if changes.get("title") is not None or changes.get("body") is not None:
                current = self._journal_out(cipher, row)
                title = changes.get("title")
                body = changes.get("body")
                result = self._gate_journal(
                    p,
                    cipher,
                    row,
                    current.title if title is None else title.strip(),
                    current.body if body is None else body,
                )
            row.updated_at = self.clock.now()
        return self._journal_out(cipher, row), result

    def delete_entry(self, p: Principal, entry_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(_owned(tx, p, JournalEntry, entry_id))

    def list_entries(
        self,
        p: Principal,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        query: str | None = None,
        tag: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[JournalOut]:
        """Entries newest first; ``query`` searches title and body (decrypted in memory)."""
        _check_range(start, end)
        stmt = select(JournalEntry).where(JournalEntry.user_id == p.user_id)
        if start is not None:
            stmt = stmt.where(JournalEntry.at >= start)
        if end is not None:
            stmt = stmt.where(JournalEntry.at < end)
        with self.db.transaction() as tx:
            rows = tx.scalars(stmt.order_by(JournalEntry.at.desc(), JournalEntry.id)).all()
        cipher = p.cipher()
        entries = (self._journal_out(cipher, r, tolerant=True) for r in rows)
        needle = query.casefold().strip() if query else ""
        wanted_tag = tag.strip().lower() if tag else ""
        matches = [
            e
            for e in entries
            if (not needle or needle in e.title.casefold() or needle in e.body.casefold())
            and (not wanted_tag or wanted_tag in e.tags)
        ]
        return matches[max(offset, 0) : max(offset, 0) + min(limit, MAX_LIST)]
