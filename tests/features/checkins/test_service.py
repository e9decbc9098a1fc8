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
