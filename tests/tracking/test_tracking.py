"""Check-ins and journal entries through the service: CRUD, ranges, search, the gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError as PydanticValidationError

from steadymind.affect.vocabulary import EMOTIONS
from steadymind.core.errors import NotFound, ValidationError
from steadymind.features.checkins.schemas import CheckInIn, CheckInPatch
from steadymind.features.journal.schemas import JournalIn, JournalPatch
from tests.conftest import Persona
from tests.support import FAKE_HIGH, FakeGate, Services

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


def test_vocabulary_holds_the_27_goemotions_emotions() -> None:
    from steadymind.affect.labels import LABELS

    emotions = [label for label in LABELS if label != "neutral"]
    assert len(emotions) == 27
    assert set(emotions) <= set(EMOTIONS)
    assert len(set(EMOTIONS)) == len(EMOTIONS)


def test_several_checkins_a_day_are_kept_in_order(services: Services, alice: Persona) -> None:
    for hour, mood in [(8, -2), (13, 1), (21, 3)]:
        services.checkins.create(
            alice.principal, CheckInIn(at=T0.replace(hour=hour), mood=mood, energy=0)
        )
    items = services.checkins.find(alice.principal)
    assert [i.mood for i in items] == [3, 1, -2]


def test_checkin_keeps_its_time_zone(services: Services, alice: Persona) -> None:
    at = datetime.fromisoformat("2026-03-01T23:30:00+09:00")
    item, _ = services.checkins.create(
        alice.principal, CheckInIn(at=at, tz="Asia/Tokyo", mood=0, energy=0)
    )
    assert item.tz == "Asia/Tokyo"
    assert item.at == at


def test_checkin_defaults_to_the_users_time_zone_and_now(
    services: Services, alice: Persona
) -> None:
    item, _ = services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0))
    assert item.tz == "Europe/London"
    assert item.at == services.clock.now()


@pytest.mark.parametrize(
    "fields",
    [
        {"mood": 6, "energy": 0},
        {"mood": 0, "energy": -6},
        {"mood": 0, "energy": 0, "intensity": 11},
        {"mood": 0, "energy": 0, "emotions": ["hangry"]},
        {"mood": 0, "energy": 0, "note": "x" * 5001},
        {"mood": 0, "energy": 0, "tags": ["t"] * 21},
        {"mood": 0, "energy": 0, "at": "2026-01-01T10:00:00"},
        {"mood": 0, "energy": 0, "surprise": 1},
        {"mood": 0, "energy": 0, "note": "bad \ud800 surrogate"},
    ],
)
def test_invalid_checkins_are_rejected(fields: dict[str, object]) -> None:
    with pytest.raises(PydanticValidationError):
        CheckInIn(**fields)


def test_emotion_words_and_tags_are_normalised(services: Services, alice: Persona) -> None:
    item, _ = services.checkins.create(
        alice.principal,
        CheckInIn(
            mood=0,
            energy=0,
            emotions=["Joy", "joy", " calm "],
            tags=["Work ", "work", "long  walk"],
        ),
    )
    assert item.emotions == ["joy", "calm"]
    assert item.tags == ["work", "long walk"]


def test_unknown_time_zone_is_rejected(services: Services, alice: Persona) -> None:
    with pytest.raises(ValidationError):
        services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0, tz="Nowhere/Land"))


def test_checkin_can_be_edited_and_deleted(services: Services, alice: Persona) -> None:
    item, _ = services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0, note="first"))
    edited, _ = services.checkins.update(
        alice.principal, item.id, CheckInPatch(mood=4, note="second", intensity=None)
    )
    assert (edited.mood, edited.energy, edited.note) == (4, 0, "second")
    services.checkins.delete(alice.principal, item.id)
    with pytest.raises(NotFound):
        services.checkins.get(alice.principal, item.id)


def test_list_checkins_by_date_range(services: Services, alice: Persona) -> None:
    for day in range(10):
        services.checkins.create(
            alice.principal, CheckInIn(at=T0 + timedelta(days=day), mood=day % 5, energy=0)
        )
    items = services.checkins.find(
        alice.principal, start=T0 + timedelta(days=3), end=T0 + timedelta(days=6)
    )
    assert [i.at for i in items] == [T0 + timedelta(days=d) for d in (5, 4, 3)]


def test_a_range_that_ends_before_it_starts_is_an_error(services: Services, alice: Persona) -> None:
    with pytest.raises(ValidationError):
        services.checkins.find(alice.principal, start=T0, end=T0 - timedelta(days=1))


def test_notes_pass_the_gate_with_recent_notes_as_context(
    services: Services, alice: Persona, gate: FakeGate
) -> None:
    services.checkins.create(alice.principal, CheckInIn(mood=-3, energy=-2, note="rough day"))
    services.checkins.create(alice.principal, CheckInIn(mood=-4, energy=-3, note="worse now"))
    assert gate.seen[-1] == ("worse now", ["rough day"])


def test_checkin_without_a_note_does_not_run_the_gate(
    services: Services, alice: Persona, gate: FakeGate
) -> None:
    services.checkins.create(alice.principal, CheckInIn(mood=1, energy=1))
    assert gate.seen == []


def test_gate_result_is_stored_encrypted_with_the_entry(services: Services, alice: Persona) -> None:
    item, result = services.checkins.create(
        alice.principal, CheckInIn(mood=1, energy=1, note="nice walk")
    )
    assert result is not None and not result.stops_flow
    stored = services.checkins.get(alice.principal, item.id).analysis
    assert stored is not None
    assert stored["emotions"]["model_id"] == "fake-emotions"
    assert stored["safety"]["level"] == "none"


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


def test_one_unreadable_row_does_not_hide_the_rest(services: Services, alice: Persona) -> None:
    """A damaged ciphertext (disk fault, bad restore) must not lock someone out of their lists
    and export: the row is listed as unreadable, everything else as usual."""
    from steadymind.features.checkins.tables import CheckIn
    from steadymind.features.journal.tables import JournalEntry

    good, _ = services.journal.create(alice.principal, JournalIn(title="fine", body="kept"))
    bad, _ = services.journal.create(alice.principal, JournalIn(title="lost", body="gone"))
    note_good, _ = services.checkins.create(alice.principal, CheckInIn(mood=1, energy=1, note="ok"))
    note_bad, _ = services.checkins.create(alice.principal, CheckInIn(mood=2, energy=2, note="x"))
    with services.db.transaction() as tx:
        entry = tx.get_one(JournalEntry, bad.id)
        entry.body_ct = entry.body_ct[:-1] + bytes([entry.body_ct[-1] ^ 1])
        checkin = tx.get_one(CheckIn, note_bad.id)
        checkin.note_ct = checkin.note_ct[:-1] + bytes([checkin.note_ct[-1] ^ 1])  # type: ignore[index]
    entries = {e.id: e for e in services.journal.find(alice.principal)}
    assert entries[good.id].body == "kept" and not entries[good.id].unreadable
    assert entries[bad.id].unreadable and entries[bad.id].body == ""
    checkins = {c.id: c for c in services.checkins.find(alice.principal)}
    assert checkins[note_good.id].note == "ok"
    assert checkins[note_bad.id].unreadable and checkins[note_bad.id].mood == 2
    exported = services.exporter.collect(alice.principal)
    assert len(exported["journal"]) == 2 and len(exported["checkins"]) == 2
