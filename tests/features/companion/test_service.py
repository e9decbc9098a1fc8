"""The companion's conversations: the seam before anything reacts, state that survives a restart,
memory the person controls, consent and the AI setting respected."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from steadymind.core.errors import Conflict, PermissionDenied
from steadymind.crypto.principal import Principal
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.service import CompanionService
from steadymind.features.companion.tables import CompanionTurn
from tests.conftest import Persona
from tests.support import FAKE_ELEVATED, FAKE_HIGH, FakeGate, Services


def companion(services: Services) -> CompanionService:
    return services.runtime.get(CompanionService)


def turned_on(services: Services, persona: Persona) -> Principal:
    """The persona with the companion turned on and its consent accepted."""
    services.runtime.get(Accounts).update_profile(persona.principal, ai_level="companion")
    p = dataclasses.replace(persona.principal, ai_level="companion")
    companion(services).accept(p, CONSENT_VERSION)
    return p


def test_the_companion_is_off_until_the_person_turns_it_on_and_consents(
    services: Services, alice: Persona
) -> None:
    service = companion(services)
    with pytest.raises(PermissionDenied, match="turned off"):
        service.start(alice.principal)
    on = dataclasses.replace(alice.principal, ai_level="companion")
    with pytest.raises(Conflict, match="consent"):
        service.start(on)
    service.accept(on, CONSENT_VERSION)
    session, reply = service.start(on)
    assert reply.text and session.turns[0].role == "companion"
    service.revoke(on)
    with pytest.raises(Conflict, match="consent"):
        service.say(on, session.id, "hello")


def test_an_old_consent_version_is_refused(services: Services, alice: Persona) -> None:
    on = dataclasses.replace(alice.principal, ai_level="companion")
    with pytest.raises(Conflict, match="changed"):
        companion(services).accept(on, "1999-01-01.1")


def test_every_turn_passes_the_seam_with_the_conversation_as_context(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p)
    service.say(p, session.id, "Work was hard today.")
    gate = services.seam.gate
    assert isinstance(gate, FakeGate)
    result = service.say(p, session.id, "My boss shouted at me.")
    assert gate.seen[-1] == ("My boss shouted at me.", ["Work was hard today."])
    assert result.reply is not None and result.reply.role == "companion"


def test_at_high_no_reply_is_generated_and_a_running_exercise_waits(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p, flow="thought-record")
    result = service.say(p, session.id, FAKE_HIGH)
    assert result.verdict is not None and result.verdict.action == "crisis"
    assert result.reply is None
    after = service.session(p, session.id)
    assert after.flow is None and after.paused == "thought-record"
    assert [t.role for t in after.turns] == ["companion", "person"]


def test_at_elevated_the_question_comes_first_and_no_lets_the_companion_answer(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p)
    asked = service.say(p, session.id, FAKE_ELEVATED)
    assert asked.verdict is not None and asked.verdict.action == "ask" and asked.reply is None
    crisis, answered = service.answer(p, session.id, asked.turn_id, "no")
    assert crisis is None and answered is not None and answered.reply is not None
    again = service.say(p, session.id, FAKE_ELEVATED)
    # A second flagged text the same day goes straight to the crisis response.
    assert again.verdict is not None and again.verdict.action == "crisis"


def test_yes_to_the_question_shows_the_crisis_response(services: Services, alice: Persona) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p)
    asked = service.say(p, session.id, FAKE_ELEVATED)
    crisis, answered = service.answer(p, session.id, asked.turn_id, "yes")
    assert crisis is not None and answered is None


def test_a_conversation_resumes_after_a_restart_from_its_sealed_state(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    session, _ = companion(services).start(p, flow="problem-solving")
    companion(services).say(p, session.id, "My landlord won't fix the heating.")
    restarted = CompanionService(services.db, services.clock, services.seam)
    reply = restarted.say(p, session.id, "It's warm and the rent is paid.")
    assert reply.meta is not None and reply.meta.step == "options"


def test_nothing_a_person_or_the_companion_said_is_stored_in_plain_text(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p)
    service.say(p, session.id, "Please remember that my sister Ana helps me.")
    with services.db.transaction() as tx:
        blobs = [t.text_ct for t in tx.scalars(select(CompanionTurn))]
    assert blobs and all(b"Ana" not in blob for blob in blobs)
    assert [m.text for m in service.memory(p)] == ["my sister Ana helps me."]


def test_memory_is_the_person_s_to_see_edit_and_delete_and_passes_the_seam(
    services: Services, alice: Persona, bob: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    item, verdict = service.add_memory(p, "Walking the dog helps.")
    assert item is not None
    edited, _ = service.edit_memory(p, item.id, "Walking Max helps.")
    assert edited is not None and service.memory(p)[0].text == "Walking Max helps."
    stopped, verdict = service.add_memory(p, FAKE_HIGH)
    assert stopped is None and verdict is not None and verdict.stops_flow
    with pytest.raises(Exception, match="No such memory item"):
        service.delete_memory(bob.principal, item.id)
    service.delete_memory(p, item.id)
    assert service.memory(p) == []


def test_a_planned_activity_comes_back_as_a_follow_up_when_it_is_due(
    services: Services, alice: Persona
) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p, flow="activation")
    for answer in ("1", "a short walk", "tomorrow", "-2"):
        result = service.say(p, session.id, answer)
    assert result.meta is not None and result.meta.finished is not None
    assert [x["carried"]["activity"] for x in service.planned(p)] == ["a short walk"]
    _, opening = service.start(p)
    assert "You planned to" not in opening.text  # not due yet
    services.clock.advance(days=1, hours=1)  # type: ignore[attr-defined]
    _, opening = service.start(p)
    assert "You planned to: a short walk. Did you do it?" in opening.text
    assert service.planned(p) == []


def test_another_person_s_conversation_is_a_404(
    services: Services, alice: Persona, bob: Persona
) -> None:
    p = turned_on(services, alice)
    session, _ = companion(services).start(p)
    q = turned_on(services, bob)
    with pytest.raises(Exception, match="No such conversation"):
        companion(services).say(q, session.id, "hello")


def test_export_and_erase_carry_the_whole_conversation(services: Services, alice: Persona) -> None:
    p = turned_on(services, alice)
    service = companion(services)
    session, _ = service.start(p)
    service.say(p, session.id, "I had a good walk today.")
    exported = services.exporter.collect(p)
    conversations = exported["companion"]["conversations"]
    assert [t["role"] for t in conversations[0]["turns"]] == ["companion", "person", "companion"]
    assert exported["companion"]["consent"]["accepted"] == CONSENT_VERSION
    services.runtime.get(Accounts).delete_account(p, alice.password)
    with services.db.transaction() as tx:
        assert tx.scalars(select(CompanionTurn)).all() == []
