"""The journal: write, read, edit, delete, list by date range, search.

Title and body pass the text seam together (with the person's recent writing as context) before
they are stored; the verdict is sealed beside them, and blind tokens of their words go to the
search index (``index.py``) in the same transaction. Listing, counting and searching happen in
the database: only the entries of the page asked for are decrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select

from steadymind.core.clock import Clock
from steadymind.core.errors import NotFound, ValidationError
from steadymind.core.fields import check_range
from steadymind.core.places import check_timezone
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned, view_of
from steadymind.features.journal.index import SearchIndex, blind_index, write_terms
from steadymind.features.journal.schemas import JournalIn, JournalOut, JournalPatch
from steadymind.features.journal.tables import JournalEntry
from steadymind.features.journal.words import entry_terms, query_terms, tag_term
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
ID_LENGTH = 32  # db.base.new_id: uuid4 hex
MIN_ID_START = 4
CANDIDATES = 5
HEX = frozenset("0123456789abcdef")
# Recent entries read for the seam: the last few are context, any flagged one counts.
RECENT = 20
# How long one search may spend indexing entries written before the index (then it reads them).
CATCH_UP_SECONDS = 2.0


@dataclass(frozen=True)
class Selection:
    """A listing's conditions on the entries, the search terms, and whether the index holds
    them all (else the entries are read, ``_read_all``)."""

    where: list[ColumnElement[bool]]
    terms: set[str]
    indexed: bool


class JournalService:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam
        self.index = SearchIndex(db)

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
        title = data.title.strip()
        screened = self._screen(p, title, data.body, exclude=None)
        _store_text(p.cipher(), row, screened)
        with self.db.transaction() as tx:
            tx.add(row)
            tx.flush()  # the entry before its index rows (they reference it)
            write_terms(tx, blind_index(p), row.id, entry_terms(title, data.body, row.tags))
        return _out(p.cipher(), row), screened.verdict

    def get(self, p: Principal, entry_id: str) -> JournalOut:
        with self.db.transaction() as tx:
            row = owned(tx, JournalEntry, p.user_id, entry_id, MISSING)
        return _out(p.cipher(), row)

    def update(
        self, p: Principal, entry_id: str, patch: JournalPatch
    ) -> tuple[JournalOut, Verdict | None]:
        changes = patch.model_dump(exclude_unset=True)
        screened, text = None, None
        new_title, new_body = changes.get("title"), changes.get("body")
        if new_title is not None or new_body is not None or changes.get("tags") is not None:
            # The entry as it will be: the gate reads the changed part beside the kept one, and
            # the index is rebuilt from it when its words or tags change.
            current = self.get(p, entry_id)
            text = (
                current.title if new_title is None else new_title.strip(),
                current.body if new_body is None else new_body,
            )
        if text is not None and (new_title is not None or new_body is not None):
            screened = self._screen(p, *text, exclude=entry_id)
        with self.db.transaction() as tx:
            row = owned(tx, JournalEntry, p.user_id, entry_id, MISSING)
            _apply(row, changes)
            if screened is not None:
                _store_text(p.cipher(), row, screened)
            if text is not None:
                write_terms(tx, blind_index(p), row.id, entry_terms(*text, list(row.tags)))
            row.updated_at = self.clock.now()
        return _out(p.cipher(), row), None if screened is None else screened.verdict

    def resolve(self, p: Principal, start: str) -> str:
        """The id of the person's one entry whose id starts with ``start`` (as git takes the
        start of a commit's id): at least ``MIN_ID_START`` characters; an ambiguous start is an
        error that lists the candidates."""
        start = start.strip().lower()
        if len(start) == ID_LENGTH:
            return start
        if len(start) < MIN_ID_START:
            raise ValidationError(
                f"An entry's id needs at least {MIN_ID_START} characters (the start is enough)."
            )
        if len(start) > ID_LENGTH or not all(c in HEX for c in start):
            raise NotFound(f"No journal entry has an id starting with {start}.")
        # Ids are lower-case hex: every id starting with ``start`` sorts in [start, start + "g").
        stmt = (
            select(JournalEntry)
            .where(JournalEntry.user_id == p.user_id)
            .where(JournalEntry.id >= start, JournalEntry.id < start + "g")
            .order_by(JournalEntry.at.desc())
            .limit(CANDIDATES + 1)
        )
        with self.db.transaction() as tx:
            rows = tx.scalars(stmt).all()
        if not rows:
            raise NotFound(f"No journal entry has an id starting with {start}.")
        if len(rows) > 1:
            raise ValidationError(_ambiguous(p.cipher(), start, list(rows)))
        return rows[0].id

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
        """Entries newest first. ``query``: every word must start a word of the title or body;
        ``tag``: entries with that tag. The database picks the page; only the page is decrypted."""
        found = self._select(p, start, end, query, tag)
        return [] if found is None else self._page(p, found, limit, offset)

    def count(
        self,
        p: Principal,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        query: str | None = None,
        tag: str | None = None,
    ) -> int:
        """How many entries ``find`` would page through; nothing is decrypted."""
        found = self._select(p, start, end, query, tag)
        return 0 if found is None else self._count(p, found)

    def page(
        self,
        p: Principal,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        query: str | None = None,
        tag: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> tuple[list[JournalOut], int]:
        """``find`` and ``count`` of one listing, asked once (a page and "of N")."""
        found = self._select(p, start, end, query, tag)
        if found is None:
            return [], 0
        return self._page(p, found, limit, offset), self._count(p, found)

    def _page(self, p: Principal, found: Selection, limit: int, offset: int) -> list[JournalOut]:
        offset, limit = max(offset, 0), max(min(limit, MAX_LIST), 0)
        if not found.indexed:
            return self._read_all(p, found)[offset : offset + limit]
        stmt = (
            select(JournalEntry)
            .where(*found.where)
            .order_by(JournalEntry.at.desc(), JournalEntry.id)
            .offset(offset)
            .limit(limit)
        )
        with self.db.transaction() as tx:
            rows = tx.scalars(stmt).all()
        cipher = p.cipher()
        return [_out(cipher, r, tolerant=True) for r in rows]

    def _count(self, p: Principal, found: Selection) -> int:
        if not found.indexed:
            return len(self._read_all(p, found))
        with self.db.transaction() as tx:
            stmt = select(func.count()).select_from(JournalEntry).where(*found.where)
            return tx.scalar(stmt) or 0

    def _select(
        self,
        p: Principal,
        start: datetime | None,
        end: datetime | None,
        query: str | None,
        tag: str | None,
    ) -> Selection | None:
        """What a listing asks for; None when nothing can match (a query with no words)."""
        check_range(start, end)
        where = [JournalEntry.user_id == p.user_id]
        if start is not None:
            where.append(JournalEntry.at >= start)
        if end is not None:
            where.append(JournalEntry.at < end)
        terms = query_terms(query) if query and query.strip() else set()
        if query and query.strip() and not terms:
            return None
        if tag and tag.strip():
            terms.add(tag_term(tag))
        if not terms:
            return Selection(where, terms, indexed=True)
        if not self.index.catch_up(p, budget=CATCH_UP_SECONDS):
            return Selection(where, terms, indexed=False)
        return Selection([*where, self.index.holding(blind_index(p).tokens(terms))], terms, True)

    def _read_all(self, p: Principal, found: Selection) -> list[JournalOut]:
        """While the index is still catching up: every entry in range decrypted and matched
        on the same terms the index holds (the way every search worked before the index)."""
        stmt = select(JournalEntry).where(*found.where)
        with self.db.transaction() as tx:
            rows = tx.scalars(stmt.order_by(JournalEntry.at.desc(), JournalEntry.id)).all()
        cipher = p.cipher()
        entries = (_out(cipher, r, tolerant=True) for r in rows)
        return [e for e in entries if found.terms <= entry_terms(e.title, e.body, e.tags)]

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


def _ambiguous(cipher: FieldCipher, start: str, rows: list[JournalEntry]) -> str:
    more = " or more" if len(rows) > CANDIDATES else ""
    # Starts with a word: a message is made a sentence, and an id must keep its case.
    count = f"{min(len(rows), CANDIDATES)}{more}"
    lines = [f"The start {start} matches {count} entries: type more of the id."]
    for row in rows[:CANDIDATES]:
        entry = _out(cipher, row, tolerant=True)
        when = entry.at.astimezone(ZoneInfo(entry.tz)).strftime("%Y-%m-%d %H:%M")
        lines.append(f"  {entry.id[:12]}  {when}  {entry.title or '(untitled)'}")
    return "\n".join(lines)


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
