"""Issue 12, item 9: a page of the journal decrypts that page, not the whole journal.

Listing, counting and searching are done by the database; only the entries on the page are
decrypted. Every test counts the rows ``FieldCipher.decrypt`` opened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from steadymind.crypto.vault import FieldCipher
from steadymind.features.journal.schemas import JournalIn
from tests.conftest import Persona
from tests.support import Services

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


class Decrypts:
    """The journal rows whose text was decrypted (by id), while the fixture is active."""

    def __init__(self) -> None:
        self.rows: set[str] = set()

    def clear(self) -> None:
        self.rows.clear()


@pytest.fixture
def decrypts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Decrypts]:
    seen = Decrypts()
    original = FieldCipher.decrypt

    def counting(self: FieldCipher, table: str, column: str, row_id: str, blob: bytes) -> str:
        if table == "journal_entries":
            seen.rows.add(row_id)
        return original(self, table, column, row_id, blob)

    monkeypatch.setattr(FieldCipher, "decrypt", counting)
    yield seen


def _write(services: Services, who: Persona, n: int, body: str = "a quiet day {i}") -> list[str]:
    ids = []
    for i in range(n):
        entry, _ = services.journal.create(
            who.principal,
            JournalIn(at=T0 + timedelta(hours=i), title=f"day {i}", body=body.format(i=i)),
        )
        ids.append(entry.id)
    return ids


def test_the_first_page_decrypts_only_that_page(
    services: Services, alice: Persona, decrypts: Decrypts
) -> None:
    ids = _write(services, alice, 30)
    decrypts.clear()
    page = services.journal.find(alice.principal, limit=1)
    assert [e.id for e in page] == [ids[-1]]  # newest first
    assert decrypts.rows == {ids[-1]}


def test_a_middle_page_decrypts_only_that_page(
    services: Services, alice: Persona, decrypts: Decrypts
) -> None:
    ids = _write(services, alice, 30)
    decrypts.clear()
    page = services.journal.find(alice.principal, limit=5, offset=10)
    newest_first = list(reversed(ids))
    assert [e.id for e in page] == newest_first[10:15]
    assert decrypts.rows == set(newest_first[10:15])


def test_counting_decrypts_nothing(services: Services, alice: Persona, decrypts: Decrypts) -> None:
    _write(services, alice, 12)
    _write(services, alice, 3, body="by the river {i}")
    decrypts.clear()
    assert services.journal.count(alice.principal) == 15
    assert services.journal.count(alice.principal, query="river") == 3
    assert services.journal.count(alice.principal, start=T0 + timedelta(hours=10)) == 2
    assert decrypts.rows == set()


def test_a_search_decrypts_only_the_page_it_returns(
    services: Services, alice: Persona, decrypts: Decrypts
) -> None:
    _write(services, alice, 20)
    river = _write(services, alice, 6, body="walked by the river {i}")
    services.journal.find(alice.principal, query="warm up the index")
    decrypts.clear()
    page = services.journal.find(alice.principal, query="river", limit=2, offset=1)
    assert [e.id for e in page] == list(reversed(river))[1:3]
    assert decrypts.rows == {e.id for e in page}


def test_a_tag_filter_decrypts_only_the_page(
    services: Services, alice: Persona, decrypts: Decrypts
) -> None:
    _write(services, alice, 10)
    tagged, _ = services.journal.create(
        alice.principal, JournalIn(body="slept at last", tags=["Sleep"])
    )
    decrypts.clear()
    assert [e.id for e in services.journal.find(alice.principal, tag=" SLEEP ")] == [tagged.id]
    assert decrypts.rows == {tagged.id}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("sea", {"Walk by the sea", "Work", "Seaside"}),  # title or body, any case, any ending
        ("SEASIDE", {"Seaside"}),
        ("anx", {"Seaside"}),  # the start of a word finds the word
        ("elan", {"Work"}),  # accents and case folded
        ("Élan", {"Work"}),
        ("windy sea", {"Walk by the sea"}),  # every word must be there
        ("sea absent", set()),
        ("absent", set()),
        ("ind", set()),  # the middle of a word is not searched
        ("!!!", set()),  # nothing to look for
        ("of", {"Work"}),  # a short word finds itself
    ],
)
def test_search_finds_the_start_of_words_in_title_and_body(
    services: Services, alice: Persona, query: str, found: set[str]
) -> None:
    journal, p = services.journal, alice.principal
    journal.create(p, JournalIn(title="Walk by the sea", body="windy"))
    journal.create(p, JournalIn(title="Work", body="The SEA of emails, with élan"))
    journal.create(p, JournalIn(title="Seaside", body="**Anxious** at first, then _calm_"))
    assert {e.title for e in journal.find(p, query=query)} == found
    assert journal.count(p, query=query) == len(found)


def test_an_edit_changes_what_search_finds(services: Services, alice: Persona) -> None:
    journal, p = services.journal, alice.principal
    entry, _ = journal.create(p, JournalIn(title="Morning", body="rain", tags=["weather"]))
    journal.update(p, entry.id, _patch(body="sunshine"))
    assert journal.find(p, query="rain") == []
    assert [e.id for e in journal.find(p, query="sunshine")] == [entry.id]
    journal.update(p, entry.id, _patch(tags=["mood"]))
    assert journal.find(p, tag="weather") == []
    assert [e.id for e in journal.find(p, tag="mood", query="sun")] == [entry.id]


def _patch(**fields: Any) -> Any:
    from steadymind.features.journal.schemas import JournalPatch

    return JournalPatch(**fields)


def test_one_persons_words_are_not_found_for_another(
    services: Services, alice: Persona, bob: Persona
) -> None:
    services.journal.create(alice.principal, JournalIn(title="secret", body="alice only"))
    services.journal.create(bob.principal, JournalIn(title="mine", body="bob only"))
    assert services.journal.find(bob.principal, query="alice") == []
    assert services.journal.count(bob.principal, query="only") == 1


def test_a_page_and_its_count_together(
    services: Services, alice: Persona, decrypts: Decrypts
) -> None:
    _write(services, alice, 12, body="by the river {i}")
    decrypts.clear()
    entries, total = services.journal.page(alice.principal, query="riv", limit=5, offset=5)
    assert total == 12
    assert entries == services.journal.find(alice.principal, query="riv", limit=5, offset=5)
    assert len(decrypts.rows) == 5
