"""The journal: write, read, edit, delete, list by date range, search.

Title and body pass the text seam together (with the person's recent writing as context) before
they are stored; the verdict is sealed beside them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from steadymind.core.clock import Clock
from steadymind.core.fields import check_range
from steadymind.core.places import check_timezone
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned, view_of
from steadymind.features.journal.schemas import JournalIn, JournalOut, JournalPatch
from steadymind.features.journal.tables import JournalEntry
from steadymind.screen import (
    Screened,
    Surface,
    TextSeam,
    Verdict,
    Written,
    open_analysis,
    recorded_flag,
    with_answer,
)

TABLE = "journal_entries"
ENTRY = Surface("journal-entry")
MAX_LIST = 1000
MISSING = "no such journal entry"
# Recent entries read for the seam: the last few are context, any flagged one counts.
RECENT = 20


class JournalService:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam

    def create(self, p: Principal, data: JournalIn) -> tuple[JournalOut, Verdict | None]:
        now = self.clock.now()
        row = JournalEntry(
            id=new_id(),
            user_id=p.user_id,
            at=data.at or now,
            tz=check_timezone(data.tz or p.timezone),
            tags=list(data.tags),
            created_at=now,
            updated_at=now,
        )
        screened = self._screen(p, data.title.strip(), data.body, exclude=None)
        _store_text(p.cipher(), row, screened)
        with self.db.transaction() as tx:
            tx.add(row)
        return _out(p.cipher(), row), screened.verdict

    def get(self, p: Principal, entry_id: str) -> JournalOut:
        with self.db.transaction() as tx:
            row = owned(tx, JournalEntry, p.user_id, entry_id, MISSING)
        return _out(p.cipher(), row)

    def update(
        self, p: Principal, entry_id: str, patch: JournalPatch
    ) -> tuple[JournalOut, Verdict | None]:
        changes = patch.model_dump(exclude_unset=True)
        screened = None
        if changes.get("title") is not None or changes.get("body") is not None:
            # The gate reads the entry as it will be: the changed part beside the kept one.
            current = self.get(p, entry_id)
            title, body = changes.get("title"), changes.get("body")
            screened = self._screen(
                p,
                current.title if title is None else title.strip(),
                current.body if body is None else body,
                exclude=entry_id,
            )
        with self.db.transaction() as tx:
            row = owned(tx, JournalEntry, p.user_id, entry_id, MISSING)
            _apply(row, changes)
            if screened is not None:
                _store_text(p.cipher(), row, screened)
            row.updated_at = self.clock.now()
        return _out(p.cipher(), row), None if screened is None else screened.verdict

    def delete(self, p: Principal, entry_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, JournalEntry, p.user_id, entry_id, MISSING))

    def find(
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
        check_range(start, end)
        stmt = select(JournalEntry).where(JournalEntry.user_id == p.user_id)
        if start is not None:
            stmt = stmt.where(JournalEntry.at >= start)
        if end is not None:
            stmt = stmt.where(JournalEntry.at < end)
        with self.db.transaction() as tx:
            rows = tx.scalars(stmt.order_by(JournalEntry.at.desc(), JournalEntry.id)).all()
        cipher = p.cipher()
        entries = (_out(cipher, r, tolerant=True) for r in rows)
        needle = query.casefold().strip() if query else ""
        wanted_tag = tag.strip().lower() if tag else ""
        matches = [
            e
            for e in entries
            if (not needle or needle in e.title.casefold() or needle in e.body.casefold())
            and (not wanted_tag or wanted_tag in e.tags)
        ]
        return matches[max(offset, 0) : max(offset, 0) + min(limit, MAX_LIST)]

    def write_entry(
        self, p: Principal, title: str, body: str, tags: list[str]
    ) -> tuple[str, Verdict | None]:
        """An entry another feature offers to save for the person (``runtime.EntryWriter``)."""
        item, verdict = self.create(p, JournalIn(title=title[:200], body=body, tags=tags))
        return item.id, verdict

    def recent_entries(self, p: Principal, since: datetime, exclude: str | None) -> list[Written]:
        """The person's own entries written since ``since``: context for the text seam."""
        query = (
            select(JournalEntry)
            .where(JournalEntry.user_id == p.user_id, JournalEntry.created_at >= since)
            .where(JournalEntry.id != (exclude or ""))
            .order_by(JournalEntry.created_at.desc())
            .limit(RECENT)
        )
        with self.db.transaction() as tx:
            rows = tx.scalars(query).all()
        cipher = p.cipher()
        items = [_written(cipher, r) for r in rows]
        return [item for item in items if item.text.strip()]

    def record_answer(self, p: Principal, entry_id: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Keep the person's answer to the safety question with the entry it was about."""
        with self.db.transaction() as tx:
            row = owned(tx, JournalEntry, p.user_id, entry_id, MISSING)
            row.analysis_ct, record = with_answer(
                p.cipher(), TABLE, row.id, row.analysis_ct, answer
            )
        return record

    def _screen(self, p: Principal, title: str, body: str, *, exclude: str | None) -> Screened:
        parts = {"title": title, "body": body}
        return self.seam.screen(parts, surface=ENTRY.name, owner=p, exclude=exclude)


def _apply(row: JournalEntry, changes: dict[str, Any]) -> None:
    if changes.get("at") is not None:
        row.at = changes["at"]
    if changes.get("tz"):
        row.tz = check_timezone(changes["tz"])
    if changes.get("tags") is not None:
        row.tags = changes["tags"]


def _store_text(cipher: FieldCipher, row: JournalEntry, screened: Screened) -> None:
    sealed = screened.seal(cipher, TABLE, row.id)
    title, body = sealed.parts["title"], sealed.parts["body"]
    assert title is not None and body is not None  # both parts are always given
    row.title_ct, row.body_ct, row.analysis_ct = title, body, sealed.analysis


def _written(cipher: FieldCipher, row: JournalEntry) -> Written:
    title = cipher.decrypt(TABLE, "title", row.id, row.title_ct)
    body = cipher.decrypt(TABLE, "body", row.id, row.body_ct)
    text = "\n".join(part for part in (title, body) if part.strip())
    flagged = recorded_flag(open_analysis(cipher, TABLE, row.id, row.analysis_ct))
    return Written(row.created_at, text, flagged)


def _out(cipher: FieldCipher, row: JournalEntry, *, tolerant: bool = False) -> JournalOut:
    return view_of(lambda r, readable: _view(cipher, r, readable), row, tolerant=tolerant)


def _view(cipher: FieldCipher, row: JournalEntry, readable: bool = True) -> JournalOut:
    def text(column: str, blob: bytes) -> str:
        return cipher.decrypt(TABLE, column, row.id, blob) if readable else ""

    return JournalOut(
        id=row.id,
        at=row.at,
        tz=row.tz,
        title=text("title", row.title_ct),
        body=text("body", row.body_ct),
        tags=list(row.tags),
        analysis=open_analysis(cipher, TABLE, row.id, row.analysis_ct) if readable else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        unreadable=not readable,
    )
