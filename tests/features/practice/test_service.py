"""Practice sessions: start (composed for the person), finish with a rating and a note through
the seam, what helped, the per-day factors for insights, the profile, and other people's rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import NotFound, ValidationError
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.practice.composer import CheckInState, Preferences
from steadymind.features.practice.schemas import FinishIn, ProfileIn, StartIn
from steadymind.features.practice.service import CALM_CHANGE, PracticeService
from steadymind.features.practice.tables import PracticeSession
from steadymind.runtime import FactorSource
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services


@pytest.fixture
def practice(services: Services) -> PracticeService:
    return services.runtime.get(PracticeService)


def _rated(practice: PracticeService, who: Persona, pid: str, before: int, after: int) -> str:
    session, _ = practice.start(who.principal, StartIn(practice=pid, calm_before=before))
    practice.finish(who.principal, session.id, FinishIn(calm_after=after))
    return session.id


def test_a_started_session_stores_what_the_composer_was_asked_and_chose(
    practice: PracticeService, alice: Persona
) -> None:
    body = StartIn(goal="craving", minutes=4, calm_before=3)
    session, script = practice.start(alice.principal, body)
    assert session.practice == script.practice.id == "urge-surfing"
    assert session.calm_before == 3 and session.calm_after is None
    assert session.params["minutes"] == 4 and session.params["practice"] == "urge-surfing"
    # The stored parameters compose the same script again, word for word.
    replayed = practice.script(alice.principal, session.id).as_json()
    assert replayed == {**script.as_json(), "reasons": []}


def test_finishing_keeps_the_rating_and_the_note_encrypted(
    practice: PracticeService, services: Services, alice: Persona
) -> None:
    session, _ = practice.start(alice.principal, StartIn(calm_before=2))
    done, verdict = practice.finish(
        alice.principal, session.id, FinishIn(calm_after=6, note="The long exhale helped.")
    )
    assert done.calm_after == 6 and done.finished_at is not None
    assert done.note == "The long exhale helped."
    assert verdict is not None and verdict.crisis is None
    with services.db.transaction() as tx:
        raw = tx.scalars(select(PracticeSession.note_ct)).one()
    assert raw is not None and b"exhale" not in raw


def test_a_crisis_note_comes_back_with_the_crisis_response(
    practice: PracticeService, alice: Persona
) -> None:
    session, _ = practice.start(alice.principal, StartIn())
    _, verdict = practice.finish(alice.principal, session.id, FinishIn(note=FAKE_HIGH))
    assert verdict is not None and verdict.crisis is not None and verdict.stops_flow


def test_what_helped_is_the_mean_calm_change_best_first(
    practice: PracticeService, alice: Persona
) -> None:
    _rated(practice, alice, "box-breathing", 3, 5)
    _rated(practice, alice, "box-breathing", 4, 8)
    _rated(practice, alice, "noting", 5, 4)
    practice.start(alice.principal, StartIn(practice="rain"))  # not rated: not counted
    found = [(h.practice, h.sessions, h.mean_change) for h in practice.helped(alice.principal)]
    assert found == [("box-breathing", 2, 3.0), ("noting", 1, -1.0)]


def test_what_helped_feeds_the_next_offer(practice: PracticeService, alice: Persona) -> None:
    before = practice.offer(alice.principal, StartIn(goal="calm", minutes=3))[0].practice.id
    assert before != "grounding-54321"
    _rated(practice, alice, "grounding-54321", 2, 7)
    after = practice.offer(alice.principal, StartIn(goal="calm", minutes=3))
    assert after[0].practice.id == "grounding-54321"


def test_the_latest_check_in_mood_reaches_the_composer(
    practice: PracticeService, services: Services, alice: Persona
) -> None:
    services.checkins.create(alice.principal, CheckInIn(mood=-4, energy=-1))
    _, script = practice.start(alice.principal, StartIn(goal="calm", minutes=5))
    assert script.request.checkin.mood == -4
    assert "If today feels heavy" in script.text()


def test_the_profile_s_preferences_are_used_unless_the_request_says_otherwise(
    practice: PracticeService, alice: Persona
) -> None:
    practice.save_profile(alice.principal, ProfileIn(prefs=Preferences(no_body=True)))
    _, script = practice.start(alice.principal, StartIn(goal="sleep", minutes=10))
    assert script.practice.id != "body-scan" and script.request.prefs.no_body
    given = StartIn(goal="sleep", minutes=10, prefs=Preferences(), checkin=CheckInState())
    _, script = practice.start(alice.principal, given)
    assert not script.request.prefs.no_body


def test_a_scanned_resonance_rate_paces_resonance_breathing(
    practice: PracticeService, alice: Persona
) -> None:
    practice.save_resonance(alice.principal, 5.0)
    _, script = practice.start(alice.principal, StartIn(practice="resonance", minutes=5))
    assert script.pattern is not None and script.pattern.per_minute == pytest.approx(5.0)
    with pytest.raises(ValidationError):
        practice.save_resonance(alice.principal, 12.0)


def test_the_days_with_practice_and_their_calm_change_are_factors(
    practice: PracticeService, services: Services, alice: Persona, clock: FrozenClock
) -> None:
    _rated(practice, alice, "box-breathing", 3, 6)
    _rated(practice, alice, "noting", 5, 6)
    clock.advance(days=1)
    practice.start(alice.principal, StartIn(practice="rain"))
    source = services.runtime.factor_sources
    assert practice in source and isinstance(practice, FactorSource)
    values = practice.daily_values(alice.principal, date(2026, 1, 15), date(2026, 1, 16))
    found = {(v.day.isoformat(), v.factor, v.value, v.kind) for v in values}
    assert found == {
        ("2026-01-15", "practice:box-breathing", 1.0, "presence"),
        ("2026-01-15", "practice:noting", 1.0, "presence"),
        ("2026-01-16", "practice:rain", 1.0, "presence"),
        ("2026-01-15", CALM_CHANGE, 2.0, "amount"),
    }
    assert practice.daily_values(alice.principal, date(2026, 1, 17), date(2026, 1, 20)) == []


def test_someone_else_s_session_is_not_found(
    practice: PracticeService, alice: Persona, bob: Persona
) -> None:
    session, _ = practice.start(alice.principal, StartIn())
    for act in (
        lambda: practice.get(bob.principal, session.id),
        lambda: practice.finish(bob.principal, session.id, FinishIn(calm_after=5)),
        lambda: practice.delete(bob.principal, session.id),
    ):
        with pytest.raises(NotFound):
            act()
    assert practice.find(bob.principal) == [] and practice.helped(bob.principal) == []


def test_an_unknown_practice_is_not_found(practice: PracticeService, alice: Persona) -> None:
    with pytest.raises(NotFound):
        practice.start(alice.principal, StartIn(practice="levitation"))


def test_every_practice_is_offered_to_the_coach_s_suggestions(
    services: Services, alice: Persona
) -> None:
    from steadymind.features.coach.recommend import Recommender

    offered = {a.key: a for a in services.runtime.get(Recommender).activities(alice.principal)}
    assert "practice:box-breathing" in offered and "practice:body-scan" in offered
    assert offered["practice:box-breathing"].link.startswith("/practice?goal=")
    assert offered["practice:box-breathing"].kind == "practice"
