"""Reminders that arrive: planned in the person's zone, sent once through a real loopback webhook
and ntfy server, held by quiet hours, gathered in a digest, snoozed, and never doubled by a
crashed worker or a queue that restarts."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from steadymind.core.clock import FrozenClock
from steadymind.features.coach import copy
from steadymind.features.coach.jobs import Jobs
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schemas import ChannelIn, HabitIn, PrefsIn, ReminderIn
from steadymind.features.coach.service import CoachService
from steadymind.features.coach.tables import Delivery
from tests.conftest import Persona
from tests.features.coach.loopback import loopback_server
from tests.support import Services

REDIS_URL = os.environ.get("STEADYMIND_TEST_REDIS_URL")


def _service(services: Services) -> ReminderService:
    return services.runtime.get(ReminderService)


def _checkin_reminder(services: Services, alice: Persona, url: str, kind: str = "webhook") -> str:
    reminders = _service(services)
    channel = reminders.add_channel(alice.principal, ChannelIn(kind=kind, target=url))  # type: ignore[arg-type]
    reminders.add_reminder(alice.principal, ReminderIn(at="09:30", channel_ids=[channel.id]))
    return channel.id


def test_a_reminder_arrives_once_through_a_loopback_webhook(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    reminders = _service(services)
    with loopback_server() as hook:
        _checkin_reminder(services, alice, hook.url + "/hook")
        assert reminders.plan() == []  # 09:00 in London: not yet
        clock.advance(minutes=31)
        ids = reminders.plan()
        assert len(ids) == 1
        assert reminders.deliver(ids) == 1
        assert reminders.deliver(ids) == 0  # a second job with the same ids sends nothing
        assert reminders.plan() == []  # moved to tomorrow
    [got] = hook.received
    assert got.path == "/hook"
    assert got.headers["Idempotency-Key"] == ids[0]
    body = got.json()
    assert (body["title"], body["body"]) == copy.REMINDER["checkin"]
    assert body["about"] == "checkin"


def test_a_reminder_arrives_through_ntfy_with_reviewed_words_only(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    coach = services.runtime.get(CoachService)
    reminders = _service(services)
    habit, _ = coach.add_habit(
        alice.principal, HabitIn(name="walk past the old mill", times=["09:30"])
    )
    with loopback_server() as ntfy:
        channel = reminders.add_channel(
            alice.principal, ChannelIn(kind="ntfy", target=ntfy.url + "/alice-topic")
        )
        reminders.add_reminder(
            alice.principal,
            ReminderIn(about="habit", habit_id=habit.id, at="09:30", channel_ids=[channel.id]),
        )
        clock.advance(minutes=31)
        assert reminders.deliver(reminders.plan()) == 1
    [got] = ntfy.received
    assert got.path == "/alice-topic"
    assert got.headers["Title"] == copy.REMINDER["habit"][0]
    assert got.body.decode() == copy.REMINDER["habit"][1]
    assert b"mill" not in got.body and "mill" not in str(got.headers)


def test_a_job_that_died_mid_send_is_sent_again_after_its_lease_and_only_once(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    reminders = _service(services)
    with loopback_server() as hook:
        _checkin_reminder(services, alice, hook.url)
        clock.advance(minutes=31)
        [delivery_id] = reminders.plan()
        # A worker claimed it and was killed before sending: the row says "sending".
        with services.db.transaction() as tx:
            tx.execute(update(Delivery).values(status="sending", claimed_at=clock.now()))
        assert reminders.sweep() == []  # within the lease: maybe still at work
        clock.advance(seconds=31)
        assert reminders.sweep() == [delivery_id]
        assert reminders.deliver([delivery_id]) == 1
        assert reminders.sweep() == []
    assert hook.ids() == [delivery_id]


def test_a_failing_channel_is_retried_later_and_the_error_is_a_type_not_text(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    reminders = _service(services)
    with loopback_server() as hook:
        hook.status = 503
        _checkin_reminder(services, alice, hook.url)
        clock.advance(minutes=31)
        ids = reminders.plan()
        assert reminders.deliver(ids) == 0
        with services.db.transaction() as tx:
            row = tx.scalars(select(Delivery)).one()
            assert (row.status, row.error) == ("pending", "HTTPStatusError")
        hook.status = 200
        assert reminders.sweep() == []  # not before its retry time
        clock.advance(minutes=3)
        assert reminders.deliver(reminders.sweep()) == 1
    assert len(hook.received) == 2  # the refused one, then the one that arrived


def test_quiet_hours_hold_reminders_and_the_digest_gathers_them(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    reminders = _service(services)
    reminders.set_prefs(
        alice.principal, PrefsIn(quiet_start="09:00", quiet_end="10:00", digest=True)
    )
    with loopback_server() as hook:
        channel = reminders.add_channel(alice.principal, ChannelIn(kind="webhook", target=hook.url))
        for at in ("09:10", "09:20"):
            reminders.add_reminder(alice.principal, ReminderIn(at=at, channel_ids=[channel.id]))
        clock.advance(minutes=25)  # 09:25: both fell due, inside quiet hours
        assert reminders.plan() == []
        clock.advance(minutes=36)  # 10:01
        ids = reminders.sweep()
        assert len(ids) == 1
        reminders.deliver(ids)
    [got] = hook.received
    assert got.json()["about"] == "digest" and got.json()["count"] == 2


def test_in_app_messages_can_be_snoozed_and_come_back(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    reminders = _service(services)
    reminders.add_reminder(alice.principal, ReminderIn(at="09:30"))
    clock.advance(minutes=31)
    reminders.deliver(reminders.plan())
    [item] = reminders.inbox(alice.principal)
    assert item.title == copy.REMINDER["checkin"][0]
    reminders.snooze(alice.principal, item.id, 60)
    assert reminders.inbox(alice.principal) == []
    clock.advance(minutes=61)
    reminders.deliver(reminders.sweep())
    assert len(reminders.inbox(alice.principal)) == 1


def test_send_a_test_over_the_api_and_other_people_see_404(
    client: TestClient, alice: Persona, bob: Persona
) -> None:
    with loopback_server() as hook:
        made = client.post(
            "/api/v1/channels", json={"kind": "webhook", "target": hook.url}, headers=alice.headers
        )
        assert made.status_code == 201, made.text
        channel = made.json()["id"]
        assert (
            client.post(f"/api/v1/channels/{channel}/test", headers=bob.headers).status_code == 404
        )
        tested = client.post(f"/api/v1/channels/{channel}/test", headers=alice.headers)
        assert tested.json() == {"sent": True, "error": None}
    assert [r.json()["about"] for r in hook.received] == ["test"]


def test_a_channel_that_cannot_be_reached_says_so(client: TestClient, alice: Persona) -> None:
    with loopback_server() as hook:
        url = hook.url
    made = client.post(
        "/api/v1/channels", json={"kind": "ntfy", "target": url + "/t"}, headers=alice.headers
    )
    tested = client.post(f"/api/v1/channels/{made.json()['id']}/test", headers=alice.headers)
    assert tested.json() == {"sent": False, "error": "ConnectError"}


def test_a_bad_address_is_refused(client: TestClient, alice: Persona) -> None:
    response = client.post(
        "/api/v1/channels", json={"kind": "webhook", "target": "ftp://x"}, headers=alice.headers
    )
    assert response.status_code == 422


def _drain(jobs: Jobs) -> None:
    """Run a real consumer (threads) until the queue is empty, then stop it."""
    consumer = jobs.consumer(workers=2)
    consumer.start()
    try:
        deadline = time.monotonic() + 15
        while jobs.huey.pending_count() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the last task taken finishes
    finally:
        consumer.stop(graceful=True)


def test_a_job_queued_before_a_restart_runs_once_after_it(
    services: Services, alice: Persona, clock: FrozenClock, tmp_path: Path
) -> None:
    """The queue is a SQLite file: a task enqueued by one process is run by the next worker."""
    reminders = _service(services)
    with loopback_server() as hook:
        _checkin_reminder(services, alice, hook.url)
        clock.advance(minutes=31)
        first = Jobs(services.settings, reminders)
        ids = reminders.plan()
        first.enqueue(ids)
        first.enqueue(ids)  # twice: as a retry would
        first.huey.storage.close()  # the process ends with its tasks queued
        second = Jobs(services.settings, reminders)  # a new worker over the same file
        assert second.huey.pending_count() == 2
        _drain(second)
    assert hook.ids() == ids


@pytest.mark.skipif(
    not REDIS_URL, reason="STEADYMIND_TEST_REDIS_URL is not set (a Redis for the job queue)"
)
def test_the_redis_queue_delivers_once(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    settings = services.settings.model_copy(update={"jobs_url": REDIS_URL})
    reminders = _service(services)
    with loopback_server() as hook:
        _checkin_reminder(services, alice, hook.url)
        clock.advance(minutes=31)
        jobs = Jobs(settings, reminders)
        jobs.huey.flush()
        ids = reminders.plan()
        jobs.enqueue(ids)
        jobs.enqueue(ids)
        _drain(jobs)
    assert hook.ids() == ids


def test_reminders_follow_the_person_when_they_change_time_zone(
    services: Services, alice: Persona
) -> None:
    reminders = _service(services)
    made = reminders.add_reminder(alice.principal, ReminderIn(at="20:00"))
    assert made.next_due_at == datetime(2026, 1, 15, 20, 0, tzinfo=UTC)
    # The account's zone changed (they flew): the next request carries it.
    in_tokyo = replace(alice.principal, timezone="Asia/Tokyo")
    [after] = reminders.reminders(in_tokyo)
    assert after.next_due_at == datetime(2026, 1, 15, 11, 0, tzinfo=UTC)


def test_serve_runs_the_jobs_in_its_own_threads_and_they_send_what_fell_due(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    """What `steadymind serve` starts beside the web app (runtime.background): the consumer's
    threads, which plan and send at once on start, not only on the minute."""
    jobs = services.runtime.get(Jobs)
    assert jobs.start_in_process in services.runtime.background
    with loopback_server() as hook:
        _checkin_reminder(services, alice, hook.url)
        clock.advance(minutes=31)
        stop = jobs.start_in_process()
        try:
            deadline = time.monotonic() + 15
            while not hook.received and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop()
    assert len(hook.received) == 1
