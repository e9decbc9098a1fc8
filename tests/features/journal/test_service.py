"""Journal entries through the service: CRUD, ranges, search, the text seam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError as PydanticValidationError

from steadymind.features.journal.schemas import JournalIn, JournalPatch
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


def test_crisis_text_is_saved_and_stops_the_normal_flow(services: Services, alice: Persona) -> None:
    entry, result = services.journal.create(alice.principal, JournalIn(title="", body=FAKE_HIGH))
    assert result is not None and result.stops_flow
    assert services.journal.get(alice.principal, entry.id).body == FAKE_HIGH


def test_journal_entry_round_trip_with_markdown_and_unicode(
    services: Services, alice: Persona
) -> None:
    body = "# Heute\n\n- müde 😴\n- **dankbar** für Tee\n\n`code` <script>alert(1)</script>"
    entry, _ = services.journal.create(
        alice.principal, JournalIn(title="Tagebuch", body=body, tags=["Abend"])
    )
    got = services.journal.get(alice.principal, entry.id)
    assert (got.title, got.body, got.tags) == ("Tagebuch", body, ["abend"])


def test_journal_entry_can_be_edited_partially(services: Services, alice: Persona) -> None:
    entry, _ = services.journal.create(alice.principal, JournalIn(title="A", body="one"))
    edited, _ = services.journal.update(alice.principal, entry.id, JournalPatch(body="two"))
    assert (edited.title, edited.body) == ("A", "two")
    edited, _ = services.journal.update(alice.principal, entry.id, JournalPatch(tags=["x"]))
    assert (edited.title, edited.body, edited.tags) == ("A", "two", ["x"])


def test_journal_search_finds_words_in_title_and_body(services: Services, alice: Persona) -> None:
    services.journal.create(alice.principal, JournalIn(title="Walk by the sea", body="windy"))
    services.journal.create(alice.principal, JournalIn(title="Work", body="The SEA of emails"))
    services.journal.create(
        alice.principal, JournalIn(title="Sleep", body="slept well", tags=["sleep"])
    )
    assert len(services.journal.find(alice.principal, query="sea")) == 2
    assert [e.title for e in services.journal.find(alice.principal, tag="sleep")] == ["Sleep"]
    assert services.journal.find(alice.principal, query="absent") == []


def test_search_never_returns_another_users_entries(
    services: Services, alice: Persona, bob: Persona
) -> None:
    services.journal.create(alice.principal, JournalIn(title="secret", body="alice only"))
    assert services.journal.find(bob.principal, query="alice") == []


def test_entries_listed_by_date_range(services: Services, alice: Persona) -> None:
    for day in range(5):
        services.journal.create(
            alice.principal, JournalIn(at=T0 + timedelta(days=day), body=f"day {day}")
        )
    got = services.journal.find(
        alice.principal, start=T0 + timedelta(days=1), end=T0 + timedelta(days=3)
    )
    assert [e.body for e in got] == ["day 2", "day 1"]


def test_journal_body_has_a_size_limit() -> None:
    JournalIn(body="x" * 100_000)
    with pytest.raises(PydanticValidationError):
        JournalIn(body="x" * 100_001)


@pytest.mark.shipped_models
def test_the_longest_entry_is_read_not_failed_closed(services: Services, alice: Persona) -> None:
    """A 100,000-character body with a 200-character title (the journal's own limits) used to
    exceed the gate's input limit and fail closed into a crisis screen (issue 11)."""
    body = ("Long walk with the dog, then soup and an early night. " * 1900)[:100_000]
    _, verdict = services.journal.create(alice.principal, JournalIn(title="t" * 200, body=body))
    assert verdict is not None and verdict.assessment.model_id != "fail-closed"
    assert not verdict.stops_flow
    with pytest.raises(PydanticValidationError):
        JournalIn(title="t" * 200, body=body + "x")
