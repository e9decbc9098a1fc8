"""The companion's exercises reach the rest of the app: a planned activity becomes a check-in
tag to tick, and the journal's empty page gets a prompt chosen from what the person did."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from steadymind.features.accounts.accounts import Accounts
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.service import CompanionService
from steadymind.runtime import JournalPrompter
from tests.conftest import Persona
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in


def plan_a_walk(services: Services, alice: Persona) -> None:
    services.runtime.get(Accounts).update_profile(alice.principal, ai_level="companion")
    p = dataclasses.replace(alice.principal, ai_level="companion")
    service = services.runtime.get(CompanionService)
    service.accept(p, CONSENT_VERSION)
    session, _ = service.start(p, flow="activation")
    for answer in ("1", "a short walk by the river", "tomorrow", "-2"):
        service.say(p, session.id, answer)


def test_a_planned_activity_is_a_tag_to_tick_on_the_check_in_page(
    client: TestClient, services: Services, alice: Persona
) -> None:
    plan_a_walk(services, alice)
    log_in(client, alice)
    page = client.get("/checkin").text
    assert 'name="planned" value="a short walk by the river"' in page
    form = {
        "csrf": csrf_of(page),
        "mood": "2",
        "energy": "1",
        "planned": "a short walk by the river",
    }
    client.post("/checkin", data=form)
    (saved,) = services.checkins.find(alice.principal)
    assert saved.tags == ["a short walk by the river"]


def test_the_journal_prompt_names_what_was_planned_and_follows_a_hard_day(
    services: Services, alice: Persona
) -> None:
    prompter = services.runtime.find(JournalPrompter)
    assert prompter is not None
    assert prompter.journal_prompt(alice.principal).situation == "any_day"
    services.checkins.create(alice.principal, CheckInIn(mood=-4, energy=-2))
    assert prompter.journal_prompt(alice.principal).situation == "hard_day"
    plan_a_walk(services, alice)
    prompt = prompter.journal_prompt(alice.principal)
    assert prompt.situation == "before" and "a short walk by the river" in prompt.text
