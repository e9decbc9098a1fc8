"""The journal's search index: blind tokens, caught up for entries written before it, and gone
with the entry or the account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import delete, func, select

from steadymind.crypto.blind import TOKEN_BYTES, BlindIndex
from steadymind.crypto.vault import FieldCipher
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import alembic_config, current_revision, head_revision, upgrade
from steadymind.features.journal.index import BATCH, blind_index
from steadymind.features.journal.schemas import JournalIn, JournalPatch
from steadymind.features.journal.tables import SEARCH_FTS, JournalEntry, JournalSearch, token_word
from steadymind.features.journal.words import INDEXED
from tests.conftest import PASSWORD, Persona
from tests.support import Services

REVISION = "0003_journal_search"


def _tokens(services: Services) -> set[bytes]:
    with services.db.transaction() as tx:
        return set().union(*tx.scalars(select(JournalSearch.tokens)).all())


def _forget_index(services: Services) -> None:
    """The state of a journal written before the index existed."""
    with services.db.transaction() as tx:
        tx.execute(delete(JournalSearch))


def test_entries_written_before_the_index_are_found_after_catching_up_once(
    services: Services, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, p = services.journal, alice.principal
    for i in range(BATCH + 5):  # more than one batch
        journal.create(p, JournalIn(title=f"day {i}", body="river" if i % 50 == 0 else "field"))
    _forget_index(services)
    opened: list[str] = []
    original = FieldCipher.decrypt

    def counting(self: FieldCipher, table: str, column: str, row_id: str, blob: bytes) -> str:
        opened.append(row_id)
        return original(self, table, column, row_id, blob)

    monkeypatch.setattr(FieldCipher, "decrypt", counting)
    assert journal.count(p, query="river") == 5  # the catch-up decrypts every entry, once
    assert len(set(opened)) == BATCH + 5
    opened.clear()
    assert len(journal.find(p, query="river", limit=2)) == 2
    assert len(set(opened)) == 2  # from then on, the page alone


def test_a_long_catch_up_takes_several_searches_and_each_finds_everything(
    services: Services, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search spends a bounded time indexing old entries; until all are, it reads them."""
    monkeypatch.setattr("steadymind.features.journal.index.BATCH", 4)
    monkeypatch.setattr("steadymind.features.journal.service.CATCH_UP_SECONDS", 0.0)
    journal, p = services.journal, alice.principal
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for i in range(10):
        body = "lake" if i % 3 == 0 else "hill"
        journal.create(p, JournalIn(at=t0 + timedelta(days=i), title=f"t{i}", body=body))
    _forget_index(services)
    # Each search indexes one batch of four, then answers: from the entries (4 and 8 of 10
    # indexed), then from the index (all 10).
    for indexed in (4, 8, 10):
        assert [e.title for e in journal.find(p, query="lake")] == ["t9", "t6", "t3", "t0"]
        assert _indexed(services, alice) == indexed
    assert journal.count(p, query="hill") == 6
    assert journal.index.catch_up(p, budget=0.0) is True


def test_a_damaged_entry_is_indexed_by_its_tags_and_not_retried(
    services: Services, alice: Persona
) -> None:
    journal, p = services.journal, alice.principal
    entry, _ = journal.create(p, JournalIn(body="kept words", tags=["kept"]))
    _forget_index(services)
    with services.db.transaction() as tx:
        tx.get_one(JournalEntry, entry.id).body_ct = b"\x01" + b"\x00" * 40
    assert [e.unreadable for e in journal.find(p, tag="kept")] == [True]
    assert journal.find(p, query="words") == []
    assert journal.index.catch_up(p) is True  # done: not tried again


def test_the_index_holds_keyed_tokens_not_words(services: Services, alice: Persona) -> None:
    services.journal.create(alice.principal, JournalIn(title="Harbour", body="harbour lights"))
    tokens = _tokens(services)
    assert tokens and all(len(t) == TOKEN_BYTES for t in tokens)
    with services.db.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT tokens FROM journal_search").scalar()
    assert "harbour" not in str(raw).lower() and "lights" not in str(raw).lower()


def test_the_same_word_gives_different_tokens_to_different_people(
    services: Services, alice: Persona, bob: Persona
) -> None:
    mine = BlindIndex(alice.principal.data_key, alice.principal.user_id, "journal_entries")
    theirs = BlindIndex(bob.principal.data_key, bob.principal.user_id, "journal_entries")
    other_scope = BlindIndex(alice.principal.data_key, alice.principal.user_id, "checkins")
    assert mine.token("w:sea") == mine.token("w:sea")
    assert len({mine.token("w:sea"), theirs.token("w:sea"), other_scope.token("w:sea")}) == 3
    assert repr(mine) == "BlindIndex(...)"


def test_deleting_an_entry_or_the_account_deletes_its_tokens(
    services: Services, alice: Persona, bob: Persona
) -> None:
    journal = services.journal
    first, _ = journal.create(alice.principal, JournalIn(body="one"))
    journal.create(alice.principal, JournalIn(body="two"))
    journal.create(bob.principal, JournalIn(body="bob's"))
    journal.delete(alice.principal, first.id)
    assert journal.count(alice.principal, query="one") == 0
    assert _indexed(services, alice) == 1
    services.accounts.delete_account(alice.principal, PASSWORD)
    with services.db.transaction() as tx:
        owners = set(
            tx.scalars(
                select(JournalEntry.user_id).join(
                    JournalSearch, JournalSearch.entry_id == JournalEntry.id
                )
            ).all()
        )
        rows = tx.scalar(select(func.count()).select_from(JournalSearch))
    assert owners == {bob.principal.user_id} and rows == 1
    assert _indexed(services, alice) == 0  # nothing of Alice's is left in the engine's index


def _indexed(services: Services, who: Persona) -> int:
    """Entries of ``who`` in the engine's own index (FTS5 or GIN), by their marker token."""
    marker = blind_index(who.principal).token(INDEXED)
    with services.db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            number = int.from_bytes(marker, "big", signed=True)
            sql = "SELECT count(*) FROM journal_search WHERE tokens @> ARRAY[%s]::bigint[]"
            return int(conn.exec_driver_sql(sql % number).scalar() or 0)
        sql = f"SELECT count(*) FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH ?"
        return int(conn.exec_driver_sql(sql, (f'"{token_word(marker)}"',)).scalar() or 0)


def test_an_edit_of_the_date_alone_keeps_the_index(services: Services, alice: Persona) -> None:
    journal, p = services.journal, alice.principal
    entry, _ = journal.create(p, JournalIn(body="harbour"))
    journal.update(p, entry.id, JournalPatch(tz="Europe/Paris"))
    assert [e.id for e in journal.find(p, query="harb")] == [entry.id]


def test_the_migration_adds_and_removes_the_index_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    config = alembic_config()
    before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    upgrade(engine, before)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    db = Database(engine)
    with db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(JournalSearch)) == 0
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, before)
    with engine.connect() as conn:
        tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all())
    assert "journal_entries" in tables
    assert not {"journal_search", SEARCH_FTS, f"{SEARCH_FTS}_data"} & tables
    engine.dispose()
