"""Check-ins through the service: CRUD, ranges, the text seam with recent writing as context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError as PydanticValidationError

from steadymind.affect.vocabulary import EMOTIONS
from steadymind.core.errors import NotFound, ValidationError
from steadymind.features.checkins.schemas import CheckInIn, CheckInPatch
from tests.conftest import Persona
from tests.support import FakeGate, Services

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)  # the frozen clock reads 2026-01-15 09:00


def test_vocabulary_holds_a_word_for_every_goemotions_emotion() -> None:
    from steadymind.affect.labels import LABELS
    from steadymind.affect.vocabulary import to_word

    emotions = [label for label in LABELS if label != "neutral"]
    assert len(emotions) == 27
    assert all(to_word(label) in EMOTIONS for label in emotions)
    assert len(set(EMOTIONS)) == len(EMOTIONS)


def test_several_checkins_a_day_are_kept_in_order(services: Services, alice: Persona) -> None:
    for hour, mood in [(8, -2), (13, 1), (21, 3)]:
        services.checkins.create(
            alice.principal, CheckInIn(at=T0.replace(hour=hour), mood=mood, energy=0)
        )
    items = services.checkins.find(alice.principal)
    assert [i.mood for i in items] == [3, 1, -2]


def test_checkin_keeps_its_time_zone(services: Services, alice: Persona) -> None:
    at = datetime.fromisoformat("2026-01-14T23:30:00+09:00")
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
            emotions=["Calm", "calm", " anxious ", "gratitude"],
            tags=["Work ", "work", "long  walk"],
        ),
    )
    assert item.emotions == ["calm", "anxious", "grateful"]
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


def test_a_checkin_more_than_a_day_ahead_is_refused(services: Services, alice: Persona) -> None:
    ahead = services.clock.now() + timedelta(days=1, minutes=1)
    with pytest.raises(ValidationError, match="future"):
        services.checkins.create(alice.principal, CheckInIn(at=ahead, mood=0, energy=0))
    item, _ = services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0))
    with pytest.raises(ValidationError, match="future"):
        services.checkins.update(alice.principal, item.id, CheckInPatch(at=ahead))
    assert services.checkins.get(alice.principal, item.id).at == services.clock.now()


def test_a_missed_day_can_be_logged_later(services: Services, alice: Persona) -> None:
    yesterday = services.clock.now() - timedelta(days=1, hours=3)
    item, _ = services.checkins.create(alice.principal, CheckInIn(at=yesterday, mood=2, energy=1))
    assert item.at == yesterday
    assert item.created_at == services.clock.now()


def test_recent_words_come_most_used_first_then_most_recent(
    services: Services, alice: Persona, bob: Persona
) -> None:
    for day, words in enumerate([["calm"], ["tired", "calm"], ["anxious"], ["tired", "calm"]]):
        services.checkins.create(
            alice.principal,
            CheckInIn(at=T0 + timedelta(days=day), mood=0, energy=0, emotions=words),
        )
    services.checkins.create(bob.principal, CheckInIn(mood=0, energy=0, emotions=["angry"]))
    assert services.checkins.recent_words(alice.principal) == ["calm", "tired", "anxious"]
    assert services.checkins.recent_words(alice.principal, most=1) == ["calm"]


def test_words_stored_as_model_labels_read_as_words(services: Services, alice: Persona) -> None:
    """Before the picker, a person could pick "gratitude" or "realization"; such check-ins read
    in the picker's words, and the picker offers them as recent words."""
    from sqlalchemy import update

    from steadymind.features.checkins.tables import CheckIn

    item, _ = services.checkins.create(alice.principal, CheckInIn(mood=1, energy=0))
    with services.db.transaction() as tx:
        stored = ["gratitude", "realization", "calm"]
        tx.execute(update(CheckIn).where(CheckIn.id == item.id).values(emotions=stored))
    assert services.checkins.get(alice.principal, item.id).emotions == [
        "grateful",
        "reflective",
        "calm",
    ]
    assert services.checkins.recent_words(alice.principal) == ["grateful", "reflective", "calm"]


def test_chart_points_are_numbers_read_without_the_key(services: Services, alice: Persona) -> None:
    """The charts read plaintext columns only: a principal whose key cannot decrypt a note
    still gets every point."""
    from dataclasses import replace

    for hour, mood in [(8, -2), (21, 3)]:
        services.checkins.create(
            alice.principal,
            CheckInIn(at=T0.replace(hour=hour), mood=mood, energy=1, intensity=4, note="private"),
        )
    keyless = replace(alice.principal, data_key=bytes(32))
    points = services.checkins.points(keyless, T0 - timedelta(days=1), T0 + timedelta(days=1))
    assert [(p.mood, p.energy, p.intensity, p.tz) for p in points] == [
        (-2, 1, 4, "Europe/London"),
        (3, 1, 4, "Europe/London"),
    ]
