"""Ask before alarming: at elevated without explicit evidence the surface asks one direct
question, with the crisis lines beside it (issue 11, item 3). Through the API, with the fake
gate: ``FAKE_ELEVATED`` calls for the question, ``FAKE_HIGH`` for the crisis response at once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from steadymind.core.clock import FrozenClock
from steadymind.safety import copy
from steadymind.safety.plan import SafetyPlan
from tests.conftest import Persona
from tests.support import FAKE_ELEVATED, FAKE_HIGH, Services


def checkin(client: TestClient, who: Persona, note: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/checkins", json={"mood": -3, "energy": -2, "note": note}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def answer(client: TestClient, who: Persona, ref: str | None, value: str, **extra: Any) -> Any:
    body = {"surface": "checkin-note", "ref": ref, "answer": value, **extra}
    return client.post("/api/v1/safety/answer", json=body, headers=who.headers)


def test_an_ambiguous_note_is_saved_and_asks_one_direct_question(
    client: TestClient, alice: Persona
) -> None:
    body = checkin(client, alice, FAKE_ELEVATED)
    gate = body["gate"]
    assert gate["level"] == "elevated" and gate["action"] == "ask"
    ask = gate["ask"]
    assert ask["question"] == copy.ASK_QUESTION
    assert [a["value"] for a in ask["answers"]] == ["yes", "not_sure", "no"]
    assert ask["ref"] == body["checkin"]["id"] and ask["surface"] == "checkin-note"
    # The lines are there beside the question, whatever the answer.
    assert gate["crisis"]["resources"]["emergency"] == "999"
    assert any(a["href"] == "tel:116123" for line in gate["crisis"]["resources"]["lines"]
               for a in line["actions"])  # fmt: skip


def test_no_continues_and_is_kept_with_the_note(client: TestClient, alice: Persona) -> None:
    body = checkin(client, alice, FAKE_ELEVATED)
    ref = body["checkin"]["id"]
    response = answer(client, alice, ref, "no")
    assert response.json() == {"action": "continue", "crisis": None}
    stored = client.get(f"/api/v1/checkins/{ref}", headers=alice.headers).json()["analysis"]
    assert stored["answer"]["value"] == "no" and stored["action"] == "ask"


@pytest.mark.parametrize("value", ["yes", "not_sure"])
def test_yes_or_not_sure_shows_the_crisis_response_with_the_plan(
    client: TestClient, services: Services, alice: Persona, value: str
) -> None:
    services.plans.save(alice.principal, SafetyPlan(reasons_for_living=["my niece Ava"]))
    ref = checkin(client, alice, FAKE_ELEVATED)["checkin"]["id"]
    found = answer(client, alice, ref, value).json()
    assert found["action"] == "crisis"
    assert found["crisis"]["plan"]["reasons_for_living"] == ["my niece Ava"]
    assert found["crisis"]["allow_generated_text"] is False


def test_explicit_evidence_goes_straight_to_the_crisis_response(
    client: TestClient, alice: Persona
) -> None:
    gate = checkin(client, alice, FAKE_HIGH)["gate"]
    assert gate["action"] == "crisis" and gate["ask"] is None


def test_a_no_never_clears_a_high(client: TestClient, alice: Persona) -> None:
    ref = checkin(client, alice, FAKE_HIGH)["checkin"]["id"]
    response = answer(client, alice, ref, "no")
    assert response.status_code == 409


def test_a_second_flagged_note_the_same_day_is_not_asked_again(
    client: TestClient, alice: Persona, clock: FrozenClock
) -> None:
    first = checkin(client, alice, FAKE_ELEVATED)["gate"]
    answer(client, alice, None, "no")
    clock.advance(hours=5)
    second = checkin(client, alice, "still " + FAKE_ELEVATED)["gate"]
    assert first["action"] == "ask"
    assert second["action"] == "crisis" and second["repeated"] is True and second["ask"] is None


def test_a_day_later_the_question_is_asked_again(
    client: TestClient, alice: Persona, clock: FrozenClock
) -> None:
    checkin(client, alice, FAKE_ELEVATED)
    clock.advance(hours=25)
    assert checkin(client, alice, FAKE_ELEVATED)["gate"]["action"] == "ask"


def test_someone_elses_note_cannot_be_answered(
    client: TestClient, alice: Persona, bob: Persona
) -> None:
    ref = checkin(client, alice, FAKE_ELEVATED)["checkin"]["id"]
    assert answer(client, bob, ref, "no").status_code == 404


def test_an_answer_is_one_of_three(client: TestClient, alice: Persona) -> None:
    ref = checkin(client, alice, FAKE_ELEVATED)["checkin"]["id"]
    assert answer(client, alice, ref, "maybe").status_code == 422
    assert answer(client, alice, ref, "no", surface="nowhere").status_code == 422


def test_a_text_that_was_not_saved_is_answered_without_a_ref(
    client: TestClient, alice: Persona
) -> None:
    check = client.post(
        "/api/v1/safety/check", json={"text": FAKE_ELEVATED}, headers=alice.headers
    ).json()
    assert check["gate"]["action"] == "ask" and check["gate"]["ask"]["ref"] is None
    body = {"surface": "safety-check", "answer": "yes"}
    found = client.post("/api/v1/safety/answer", json=body, headers=alice.headers).json()
    assert found["action"] == "crisis"
