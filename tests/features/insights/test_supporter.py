"""Telling a supporter (issue 15, item 6): a rule the person marked tells the supporter they
named, once a day, through the coach's channels and job queue (a real loopback webhook and an
SMTP server on 127.0.0.1), with fixed words and nothing else; and scheduled questionnaires
arrive as reminders with fixed words, no scores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from steadymind.core.clock import FrozenClock
from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import CheckInService
from steadymind.features.coach.jobs import Jobs
from steadymind.features.coach.notify import Notices, SupporterNotice
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schemas import ChannelIn
from steadymind.features.insights.service import InsightService, fired_rules
from steadymind.features.insights.tables import Supporter
from steadymind.runtime import Notifier, Runtime
from tests.conftest import Persona, fast_settings
from tests.features.coach.loopback import loopback_server
from tests.features.coach.test_channels import smtp_server  # noqa: F401 (a fixture)
from tests.features.coach.test_reminders import _drain
from tests.support import FAKE_HIGH
from tests.web.test_pages import csrf_of, log_in

NOTE = "the river walk with my sister"


@pytest.fixture
def settings(tmp_path: Path, smtp_server: tuple[Any, list[Any]]) -> Settings:  # noqa: F811
    controller, _ = smtp_server
    return fast_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_starttls=False,
        smtp_from="steadymind@localhost",
    )  # fmt: skip


def _declining_week(runtime: Runtime, who: Persona) -> None:
    for days_ago, mood in enumerate([-3, -2, -1, 0, 1]):
        at = runtime.clock.now() - timedelta(days=days_ago)
        runtime.get(CheckInService).create(
            who.principal,
            CheckInIn(at=at, mood=mood, energy=1, note=NOTE, tags=["walk"]),  # type: ignore[arg-type]
        )


def _supporter(insights: InsightService, who: Persona, webhook: str | None) -> None:
    verdict = insights.supporters.set(
        who.principal, name="Sam", signed_as="Alice", email="sam@example.org", webhook=webhook
    )
    assert verdict is None or not verdict.stops_flow


def test_a_marked_rule_tells_the_supporter_once_a_day_with_fixed_words_only(
    runtime: Runtime,
    alice: Persona,
    clock: FrozenClock,
    smtp_server: tuple[Any, list[Any]],  # noqa: F811
) -> None:
    _, mails = smtp_server
    insights = runtime.get(InsightService)
    insights.add_rule(alice.principal, "mood_falling", 0, 5, tell_supporter=True)
    insights.add_rule(alice.principal, "mood_below", 3, 5, tell_supporter=False)  # fires too
    _declining_week(runtime, alice)
    with loopback_server() as hook:
        _supporter(insights, alice, hook.url + "/sam")
        assert len(fired_rules(insights, alice.principal)) == 2  # both show in the app
        assert len(fired_rules(insights, alice.principal)) == 2  # the page opened again
        _drain(runtime.get(Jobs))
        [got] = hook.received  # one rule marked, one message, once
    body = got.json()
    assert got.path == "/sam"
    assert body["title"] == "A note from steadymind"
    assert body["body"].startswith("Alice asked steadymind to let you know when their check-ins")
    assert "not a diagnosis" in body["body"]
    [mail] = mails
    assert mail.rcpt_tos == ["sam@example.org"]
    text = mail.content.decode()
    assert "Subject: A note from steadymind" in text and "Alice asked steadymind" in text
    for secret in (NOTE, "walk", "-3", "Mood falling", "PHQ"):
        assert secret not in got.body.decode() and secret not in text
    with runtime.db.transaction() as tx:
        rows = tx.scalars(select(SupporterNotice)).all()
        # Sent: the address and the words are gone from the database; when and how remain.
        assert sorted(r.kind for r in rows) == ["email", "webhook"]
        assert {(r.status, r.target, r.body) for r in rows} == {("sent", "", "")}
    clock.advance(days=1)  # the next day the rule still fires (the run ended yesterday)
    assert (
        runtime.get(InsightService).supporters.tell(
            alice.principal, [(insights.rules(alice.principal)[0].id, "mood_falling")]
        )
        == 2
    )


def test_no_supporter_or_an_unmarked_rule_tells_no_one(
    runtime: Runtime, alice: Persona, bob: Persona
) -> None:
    insights = runtime.get(InsightService)
    insights.add_rule(alice.principal, "mood_falling", 0, 5, tell_supporter=True)
    _declining_week(runtime, alice)
    assert len(fired_rules(insights, alice.principal)) == 1  # marked, but no supporter named
    insights.add_rule(bob.principal, "mood_falling", 0, 5, tell_supporter=False)
    _declining_week(runtime, bob)
    _supporter(insights, bob, None)
    assert len(fired_rules(insights, bob.principal)) == 1
    with runtime.db.transaction() as tx:
        assert tx.scalars(select(SupporterNotice)).all() == []


def test_the_supporter_is_sealed_and_a_name_in_crisis_gets_the_crisis_response(
    runtime: Runtime, alice: Persona
) -> None:
    insights = runtime.get(InsightService)
    _supporter(insights, alice, None)
    with runtime.db.transaction() as tx:
        row = tx.scalars(select(Supporter)).one()
        assert b"Sam" not in row.name_ct and b"sam@example.org" not in row.email_ct
    found = insights.supporters.get(alice.principal)
    assert found is not None and (found.name, found.email) == ("Sam", "sam@example.org")
    verdict = insights.supporters.set(
        alice.principal, name=FAKE_HIGH, signed_as="Alice", email="sam@example.org"
    )
    assert verdict is not None and verdict.action == "crisis"


def test_send_a_test_over_the_api_says_what_was_sent_and_others_see_404(
    client: TestClient, alice: Persona, bob: Persona
) -> None:
    with loopback_server() as hook:
        saved = client.put(
            "/api/v1/warnings/supporter",
            headers=alice.headers,
            json={"name": "Sam", "signed_as": "Alice", "email": "sam@example.org",
                  "webhook": hook.url + "/t"},
        )  # fmt: skip
        assert saved.status_code == 200, saved.text
        receives = saved.json()["supporter"]["receives"]
        assert receives.startswith("Alice asked steadymind") and saved.json()["gate"]["level"]
        tested = client.post("/api/v1/warnings/supporter/test", headers=alice.headers)
        assert tested.status_code == 200
        assert {r["kind"]: r["sent"] for r in tested.json()} == {"email": True, "webhook": True}
        [got] = hook.received
    assert "This is a test" in got.json()["body"] and receives in got.json()["body"]
    assert client.get("/api/v1/warnings/supporter", headers=bob.headers).status_code == 404
    assert client.post("/api/v1/warnings/supporter/test", headers=bob.headers).status_code == 404
    assert client.delete("/api/v1/warnings/supporter", headers=alice.headers).status_code == 204
    assert client.get("/api/v1/warnings/supporter", headers=alice.headers).status_code == 404


def test_tests_are_limited_to_a_few_a_day(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    _supporter(insights, alice, None)
    for _ in range(3):
        assert [r.sent for r in insights.supporters.test(alice.principal)] == [True]
    with pytest.raises(Exception, match="3 times a day"):
        insights.supporters.test(alice.principal)


def test_without_the_coach_delivery_is_unavailable_and_the_page_says_so(
    runtime: Runtime, client: TestClient, alice: Persona
) -> None:
    runtime._services.pop(Notifier)  # as if the coach feature were not installed
    insights = runtime.get(InsightService)
    _supporter(insights, alice, None)
    assert not insights.supporters.available()
    with pytest.raises(ConfigError, match="delivery is unavailable"):
        insights.supporters.test(alice.principal)
    log_in(client, alice)
    page = client.get("/insights/warnings")
    assert "delivery is unavailable" in page.text
    assert 'name="tell_supporter"' not in page.text


def test_a_scheduled_questionnaire_arrives_as_a_reminder_with_fixed_words(
    runtime: Runtime, client: TestClient, alice: Persona, clock: FrozenClock
) -> None:
    insights = runtime.get(InsightService)
    reminders = runtime.get(ReminderService)
    notices = runtime.find(Notifier)
    assert isinstance(notices, Notices)
    with loopback_server() as hook:
        reminders.add_channel(alice.principal, ChannelIn(kind="webhook", target=hook.url))
        clock.advance(hours=-2)  # 07:00 in London
        insights.schedule(alice.principal, "gad7", 14)
        assert notices.plan_due() == []  # due today, at 09:00
        clock.advance(hours=2)
        ids = notices.plan_due()
        assert len(ids) == 2  # in the app, and the channel she added
        assert notices.plan_due() == []  # once
        assert reminders.deliver(ids) == 2
        [got] = hook.received
    assert got.json()["title"] == "Your GAD-7 check is due"
    [item] = client.get("/api/v1/inbox", headers=alice.headers).json()
    assert item["title"] == "Your GAD-7 check is due"
    insights.take(alice.principal, "gad7", [3, 3, 3, 3, 3, 3, 3])
    clock.advance(days=13)
    assert notices.plan_due() == []  # taken: due again in 14 days, not before
    clock.advance(days=1)
    assert len(notices.plan_due()) == 2
    assert "21" not in got.body.decode()  # no score in any reminder


def test_the_page_names_a_supporter_shows_what_they_receive_and_sends_a_test(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    with loopback_server() as hook:
        token = csrf_of(client.get("/insights/warnings").text)
        form = {"csrf": token, "name": "Sam", "signed_as": "Alice", "email": "sam@example.org",
                "webhook": hook.url}  # fmt: skip
        saved = client.post("/insights/supporter", data=form, follow_redirects=True)
        assert "Saved. Nothing has been sent." in saved.text
        assert "Exactly what Sam will receive" in saved.text
        assert "Alice asked steadymind to let you know" in saved.text
        assert hook.received == []
        tested = client.post("/insights/supporter/test", data={"csrf": token})
        assert "Email: sent · Webhook: sent" in tested.text
        assert len(hook.received) == 1
    removed = client.post("/insights/supporter/delete", data={"csrf": token}, follow_redirects=True)
    assert "Your supporter was removed" in removed.text and "Remove Sam" not in removed.text
