"""Help now, the safety plan page, and the crisis response after a write (with the real gate)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from steadymind.safety.plan import Contact, SafetyPlan
from tests.conftest import Persona
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in

pytestmark = pytest.mark.shipped_models  # what a person in crisis really sees
CRISIS = "I can't do this anymore. I've decided to kill myself tonight, I have the pills ready."


def post_plan(client: TestClient, **sections: str) -> Response:
    """Submit the guided plan page with these sections filled in (one item per line)."""
    page = client.get("/safety-plan").text
    return client.post("/safety-plan", data={"csrf": csrf_of(page), **sections})


def test_help_now_is_public_and_shows_the_chosen_countrys_lines(client: TestClient) -> None:
    page = client.get("/help", params={"country": "US"}).text
    assert "988" in page
    assert "Make your safety plan" not in page  # no account, no plan prompt


def test_help_now_uses_the_users_country_and_shows_their_plan(
    client: TestClient, alice: Persona, services: Services
) -> None:
    services.plans.save(alice.principal, SafetyPlan(reasons_for_living=["my niece Ava"]))
    log_in(client, alice)
    page = client.get("/help").text
    assert "116 123" in page  # Alice lives in GB: Samaritans
    assert "my niece Ava" in page


def test_unknown_country_falls_back_without_error(client: TestClient) -> None:
    assert client.get("/help", params={"country": "ZZ"}).status_code == 200
    assert client.get("/help", params={"country": "!!"}).status_code == 200


def test_every_page_links_to_help_now(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    for path in ["/checkin", "/journal", "/history", "/settings", "/safety-plan"]:
        assert 'href="/help"' in client.get(path).text, path


def test_safety_plan_is_saved_from_the_guided_page(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    response = post_plan(
        client,
        warning_signs="not sleeping\n\nskipping meals",
        help_contacts="Sam, 07700 900123, my sister\nMy neighbour Jo",
        reasons_for_living="my dog",
    )
    assert response.status_code == 200
    plan = services.plans.load(alice.principal)
    assert plan is not None
    assert plan.warning_signs == ["not sleeping", "skipping meals"]
    assert plan.help_contacts == [
        Contact(name="Sam", phone="07700 900123", note="my sister"),
        Contact(name="My neighbour Jo"),
    ]
    assert "07700 900123" in client.get("/safety-plan").text


def test_safety_plan_form_limits_are_enforced(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    too_many = "\n".join(f"item {i}" for i in range(30))
    response = post_plan(client, warning_signs=too_many)
    assert response.status_code == 422


def test_crisis_journal_entry_shows_the_crisis_response_with_plan_and_lines(
    client: TestClient, alice: Persona, services: Services
) -> None:
    services.plans.save(
        alice.principal, SafetyPlan(help_contacts=[Contact(name="Sam", phone="07700 900123")])
    )
    log_in(client, alice)
    page = client.get("/journal/new").text
    response = client.post(
        "/journal/new", data={"title": "", "body": CRISIS, "csrf": csrf_of(page)}
    )
    assert response.status_code == 200
    assert 'id="crisis-response"' in response.text
    assert "999" in response.text and "116 123" in response.text  # GB emergency and Samaritans
    assert "07700 900123" in response.text  # her own plan
    assert "call 999 now" in response.text.lower()
    assert len(services.journal.find(alice.principal)) == 1  # and the words were kept


def test_crisis_checkin_note_shows_the_crisis_response(client: TestClient, bob: Persona) -> None:
    log_in(client, bob)
    page = client.get("/checkin").text
    response = client.post(
        "/checkin", data={"mood": "-5", "energy": "-4", "note": CRISIS, "csrf": csrf_of(page)}
    )
    assert 'id="crisis-response"' in response.text
    assert "988" in response.text  # Bob lives in the US
    assert "Make your safety plan" in response.text


def test_ordinary_note_does_not_show_the_crisis_response(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/checkin").text
    response = client.post(
        "/checkin",
        data={
            "mood": "2",
            "energy": "1",
            "note": "This workout is killing me, ha",
            "csrf": csrf_of(page),
        },
    )
    assert 'id="crisis-response"' not in response.text


RISKY_PLAN_STEP = "I have the pills saved up and I'm going to take them all tonight"


def test_a_plan_that_carries_risk_is_saved_and_answered_with_the_crisis_response(
    client: TestClient, alice: Persona, services: Services
) -> None:
    # A safety plan is text a person writes: it passes the gate like a journal entry. The plan
    # is saved whatever the gate finds (losing it would help no one), then the flow stops.
    log_in(client, alice)
    response = post_plan(client, warning_signs=RISKY_PLAN_STEP, reasons_for_living="Ava")
    assert response.status_code == 200
    assert 'id="crisis-response"' in response.text
    assert "116 123" in response.text  # Alice's country (GB): Samaritans
    assert "Ava" in response.text  # her plan, shown with the response
    plan = services.plans.load(alice.principal)
    assert plan is not None and plan.warning_signs == [RISKY_PLAN_STEP]


def test_an_ordinary_plan_goes_back_to_the_plan_page(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    response = post_plan(client, coping_strategies="a walk with the dog")
    assert response.status_code == 200
    assert 'id="crisis-response"' not in response.text
    assert "a walk with the dog" in response.text
