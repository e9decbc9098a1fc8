"""The question before the alarm, and the crisis screen a person can live with, as pages (with
the fake gate; the browser tests drive the same pages with the production gate)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from steadymind.safety import copy
from steadymind.safety.plan import SafetyPlan
from tests.conftest import Persona
from tests.support import FAKE_ELEVATED, FAKE_HIGH, Services
from tests.web.test_pages import csrf_of, log_in


def write_note(client: TestClient, note: str) -> str:
    csrf = csrf_of(client.get("/checkin").text)
    data = {"csrf": csrf, "mood": "-3", "energy": "-2", "note": note}
    return client.post("/checkin", data=data).text


def answer(client: TestClient, page: str, value: str) -> object:
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))
    return client.post("/safety/answer", data={**fields, "answer": value}, follow_redirects=False)


def test_an_ambiguous_note_asks_with_the_lines_beside_the_question(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = write_note(client, FAKE_ELEVATED)
    assert 'id="safety-question"' in page
    assert copy.ASK_QUESTION.split(". ")[1] in page
    assert 'href="tel:116123"' in page and 'href="sms:85258?body=SHOUT"' in page
    assert 'id="crisis-response"' not in page


def test_no_goes_on_to_where_the_person_was_going(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    response = answer(client, write_note(client, FAKE_ELEVATED), "no")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/history?saved=checkin"  # type: ignore[attr-defined]


def test_yes_shows_the_lines_the_plan_and_a_way_back(
    client: TestClient, services: Services, alice: Persona
) -> None:
    services.plans.save(alice.principal, SafetyPlan(reasons_for_living=["my niece Ava"]))
    log_in(client, alice)
    page = answer(client, write_note(client, FAKE_ELEVATED), "yes").text  # type: ignore[attr-defined]
    assert 'id="crisis-response"' in page and "my niece Ava" in page
    assert 'id="back" href="/history?saved=checkin"' in page
    assert "companion" not in page  # the copy says what exists


def test_explicit_evidence_shows_the_emergency_number_as_a_button(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = write_note(client, FAKE_HIGH)
    assert 'id="crisis-response"' in page and 'data-level="high"' in page
    assert '<a class="button emergency-call" href="tel:999">Call 999 now</a>' in page
    assert 'id="back"' in page


def test_the_answer_form_needs_its_csrf_token(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    page = write_note(client, FAKE_ELEVATED)
    forged = page.replace(csrf_of(page), "forged")
    assert answer(client, forged, "no").status_code == 403  # type: ignore[attr-defined]
