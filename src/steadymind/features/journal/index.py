"""The journal's search index: blind tokens of each entry's words, written with the entry.

A search asks the database for the entries holding every token of the query, so only the page
that is shown is ever decrypted. The database's own inverted index does the matching: FTS5 on
SQLite, GIN on PostgreSQL (``tables.TokenSet``); neither ever sees a word.

Entries written before the index existed (or before its terms last changed: ``words.INDEXED``)
are indexed when their owner searches or filters by tag: decrypted in batches, in the owner's
request, with the owner's key, for at most a few seconds a request (a long journal takes a few
searches; until it is done, a search reads the entries themselves, as before the index).
Nothing runs without the owner.

What the index gives away to someone holding the database, and what it cannot find, is said in
``steadymind.crypto.blind`` and ``features/journal/words.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection

from sqlalchemy import ColumnElement, Integer, bindparam, column, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steadymind.core.errors import DecryptionError
from steadymind.crypto.blind import BlindIndex
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.journal.tables import (
    SEARCH_FTS,
    JournalEntry,
    JournalSearch,
    TokenSet,
    token_word,
)
from steadymind.features.journal.words import INDEXED, entry_terms

log = logging.getLogger(__name__)

TABLE = "journal_entries"
# Entries decrypted and indexed per transaction while catching up.
BATCH = 200


def blind_index(p: Principal) -> BlindIndex:
    return BlindIndex(p.data_key, p.user_id, TABLE)


def write_terms(tx: Session, blind: BlindIndex, entry_id: str, terms: set[str]) -> None:
    """Replace the entry's tokens (in the caller's transaction, which holds the entry row)."""
    tx.execute(delete(JournalSearch).where(JournalSearch.entry_id == entry_id))
    tx.execute(insert(JournalSearch), [{"entry_id": entry_id, "tokens": blind.tokens(terms)}])


def _docs_holding(dialect: str, tokens: Collection[bytes]) -> ColumnElement[bool]:
    """Rows of ``journal_search`` that hold every one of ``tokens``."""
    if dialect == "postgresql":
        wanted = bindparam(None, frozenset(tokens), type_=TokenSet())
        return JournalSearch.tokens.op("@>")(wanted)
    # FTS5: words side by side must all be there; hex needs no escaping, quoted all the same.
    match = " ".join(f'"{token_word(t)}"' for t in sorted(tokens))
    rows = text(f"SELECT rowid FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH :match")  # noqa: S608 (a constant)
    return JournalSearch.doc.in_(rows.bindparams(match=match).columns(column("rowid", Integer)))


def _count_holding(tx: Session, dialect: str, token: bytes) -> int:
    if dialect == "postgresql":
        rows = select(func.count()).where(_docs_holding(dialect, [token]))
        return tx.scalar(rows) or 0
    fts = text(f"SELECT count(*) FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH :match")  # noqa: S608
    return int(tx.scalar(fts, {"match": f'"{token_word(token)}"'}) or 0)


class SearchIndex:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect = db.engine.dialect.name

    def holding(self, tokens: Collection[bytes]) -> ColumnElement[bool]:
        """A condition on ``JournalEntry``: it holds every one of ``tokens``."""
        docs = select(JournalSearch.entry_id).where(_docs_holding(self.dialect, tokens))
        return JournalEntry.id.in_(docs)

    def catch_up(self, p: Principal, budget: float | None = None) -> bool:
        """Index the owner's entries that are not (yet) indexed, batch by batch, until none are
        left or ``budget`` seconds have passed; whether all are indexed now. Cheap when all
        are: two counts over indexes, no decryption."""
        blind = blind_index(p)
        marker = blind.token(INDEXED)
        if self._all_indexed(p, marker):
            return True
        deadline = None if budget is None else time.monotonic() + budget
        while batch := self._unindexed(p, marker):
            if not self._index_batch(p, blind, marker, batch):
                return False  # a concurrent catch-up is at it; the next search looks again
            if len(batch) < BATCH:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
        return True

    def _all_indexed(self, p: Principal, marker: bytes) -> bool:
        # The marker token is this person's alone, so the engine's index counts it by itself:
        # no join to the rows or the entries (this runs before every search).
        entries = select(func.count()).where(JournalEntry.user_id == p.user_id)
        with self.db.transaction() as tx:
            return _count_holding(tx, self.dialect, marker) >= (tx.scalar(entries) or 0)

    def _unindexed(self, p: Principal, marker: bytes) -> list[JournalEntry]:
        stmt = (
            select(JournalEntry)
            .where(JournalEntry.user_id == p.user_id, ~self.holding([marker]))
            .order_by(JournalEntry.id)
            .limit(BATCH)
        )
        with self.db.transaction() as tx:
            return list(tx.scalars(stmt).all())

    def _index_batch(
        self, p: Principal, blind: BlindIndex, marker: bytes, rows: list[JournalEntry]
    ) -> bool:
        terms = {row.id: _terms_of(p, row) for row in rows}
        try:
            with self.db.transaction() as tx:
                # Another request (a search in a second tab, an edit) may have got there first.
                taken = select(JournalSearch.entry_id).where(
                    JournalSearch.entry_id.in_(list(terms)),
                    _docs_holding(self.dialect, [marker]),
                )
                for entry_id in set(terms) - set(tx.scalars(taken).all()):
                    write_terms(tx, blind, entry_id, terms[entry_id])
        except IntegrityError:
            # A concurrent catch-up indexed some of these; the next search sees them indexed.
            log.info("journal index: a concurrent catch-up won for %d entries", len(rows))
            return False
        return True


def _terms_of(p: Principal, row: JournalEntry) -> set[str]:
    cipher = p.cipher()
    try:
        title = cipher.decrypt(TABLE, "title", row.id, row.title_ct)
        body = cipher.decrypt(TABLE, "body", row.id, row.body_ct)
    except DecryptionError:
        # A damaged entry is indexed by its tags alone, so it is not tried again on every search.
        log.warning("journal entry %s failed to decrypt; indexed by its tags only", row.id)
        title, body = "", ""
    return entry_terms(title, body, list(row.tags))
