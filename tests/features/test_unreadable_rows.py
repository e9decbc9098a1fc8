"""A damaged row is listed as unreadable; it does not hide the rest of a list or an export."""

from __future__ import annotations

from datetime import UTC, datetime

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.journal.schemas import JournalIn
from tests.conftest import Persona
from tests.support import Services

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


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
