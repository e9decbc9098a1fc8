"""The app lock (issue 16): a PIN kept only as an Argon2id hash, wrong tries slowed down, the
person's idle time, a new session locked, the password for a forgotten PIN; pages behind it,
Help now and the breathing minute in front of it, API tokens not concerned."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import ConfigError, RateLimited, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.app.lock import (
    FIRST_WAIT,
    FREE_TRIES,
    LONGEST_WAIT,
    AppLockService,
    WrongSecret,
    backoff,
)
from steadymind.features.app.passkeys import relying_party
from steadymind.features.app.tables import AppLock
from tests.conftest import PASSWORD, Persona, Services, fast_settings
from tests.web.test_pages import csrf_of, log_in

PIN = "482916"


def _session(services: Services, persona: Persona) -> Principal:
    login = services.credentials.log_in(persona.username, PASSWORD, client="test")
    return login.principal


@pytest.fixture
def lock(services: Services) -> AppLockService:
    return services.runtime.get(AppLockService)


def test_no_lock_until_the_person_turns_it_on(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    assert lock.locked(_session(services, alice)) is False


def test_the_pin_is_kept_only_as_an_argon2id_hash(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    me = _session(services, alice)
    lock.set_pin(me, PIN, PIN, 5)
    with services.db.transaction() as tx:
        stored = tx.scalars(select(AppLock.pin_hash)).one()
    assert stored is not None and stored.startswith("$argon2id$") and PIN not in stored


@pytest.mark.parametrize(
    ("pin", "again"), [("12", "12"), ("abcd", "abcd"), ("1111", "1111"), ("4829", "4828")]
)
def test_a_pin_is_4_to_12_digits_not_repeated_and_typed_twice_alike(
    services: Services, alice: Persona, lock: AppLockService, pin: str, again: str
) -> None:
    with pytest.raises(ValidationError):
        lock.set_pin(_session(services, alice), pin, again, 5)


def test_the_session_that_sets_the_pin_stays_open_and_a_new_session_is_locked(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    here = _session(services, alice)
    lock.set_pin(here, PIN, PIN, 5)
    assert lock.locked(here) is False
    assert lock.locked(_session(services, alice)) is True


def test_the_right_pin_unlocks_and_a_wrong_one_does_not(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    lock.set_pin(_session(services, alice), PIN, PIN, 5)
    other = _session(services, alice)
    with pytest.raises(WrongSecret):
        lock.unlock_with_pin(other, "000000")
    assert lock.locked(other) is True
    lock.unlock_with_pin(other, PIN)
    assert lock.locked(other) is False


def test_idle_for_longer_than_the_persons_choice_locks_again(
    services: Services, alice: Persona, lock: AppLockService, clock: FrozenClock
) -> None:
    me = _session(services, alice)
    lock.set_pin(me, PIN, PIN, 15)
    clock.advance(minutes=14)
    assert lock.locked(me) is False  # a page seen: the idle time starts again
    clock.advance(minutes=14)
    assert lock.locked(me) is False
    clock.advance(minutes=15, seconds=1)
    assert lock.locked(me) is True
    clock.advance(seconds=5)
    assert lock.locked(me) is True  # stays locked until unlocked
    lock.set_idle(me, 1)
    lock.unlock_with_pin(me, PIN)
    clock.advance(seconds=61)
    assert lock.locked(me) is True


def test_the_back_off_doubles_after_the_free_tries_up_to_an_hour() -> None:
    assert [backoff(n) for n in range(FREE_TRIES)] == [backoff(0)] * FREE_TRIES
    assert backoff(FREE_TRIES) == FIRST_WAIT
    assert backoff(FREE_TRIES + 1) == 2 * FIRST_WAIT
    assert backoff(FREE_TRIES + 20) == LONGEST_WAIT


def test_wrong_pins_are_slowed_down_even_the_right_one_during_the_wait(
    services: Services, alice: Persona, lock: AppLockService, clock: FrozenClock
) -> None:
    lock.set_pin(_session(services, alice), PIN, PIN, 5)
    me = _session(services, alice)
    for _ in range(FREE_TRIES):
        with pytest.raises(WrongSecret):
            lock.unlock_with_pin(me, "135790")
    with pytest.raises(RateLimited) as waited:
        lock.unlock_with_pin(me, PIN)
    assert waited.value.retry_after == int(FIRST_WAIT.total_seconds()) + 1
    clock.advance(seconds=FIRST_WAIT.total_seconds() + 1)
    with pytest.raises(WrongSecret):
        lock.unlock_with_pin(me, "135790")
    with pytest.raises(RateLimited) as longer:
        lock.unlock_with_pin(me, PIN)
    assert longer.value.retry_after == int(2 * FIRST_WAIT.total_seconds()) + 1
    clock.advance(seconds=2 * FIRST_WAIT.total_seconds() + 1)
    lock.unlock_with_pin(me, PIN)
    assert lock.locked(me) is False
    assert lock.status(me).retry_at is None  # the count starts again after the right PIN


def test_a_forgotten_pin_the_password_unlocks_and_clears_the_wait(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    lock.set_pin(_session(services, alice), PIN, PIN, 5)
    me = _session(services, alice)
    for _ in range(FREE_TRIES + 1):
        with pytest.raises((WrongSecret, RateLimited)):
            lock.unlock_with_pin(me, "975310")
    with pytest.raises(Exception, match="password is not right"):
        lock.unlock_with_password(me, "not the password at all")
    lock.unlock_with_password(me, PASSWORD)
    assert lock.locked(me) is False
    assert lock.status(me).retry_at is None


def test_api_tokens_are_never_locked(
    alice: Persona, services: Services, lock: AppLockService
) -> None:
    lock.set_pin(_session(services, alice), PIN, PIN, 5)
    assert alice.principal.via == "token"
    assert lock.locked(alice.principal) is False


def test_no_pin_reaches_the_logs(
    services: Services, alice: Persona, lock: AppLockService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    lock.set_pin(_session(services, alice), PIN, PIN, 5)
    me = _session(services, alice)
    with pytest.raises(WrongSecret):
        lock.unlock_with_pin(me, "864209")
    lock.unlock_with_pin(me, PIN)
    assert PIN not in caplog.text and "864209" not in caplog.text


def test_turning_the_lock_off_opens_every_session(
    services: Services, alice: Persona, lock: AppLockService
) -> None:
    here = _session(services, alice)
    lock.set_pin(here, PIN, PIN, 5)
    other = _session(services, alice)
    lock.turn_off(here)
    assert lock.locked(other) is False


def test_the_relying_party_is_the_configured_base_url(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    assert relying_party(fast_settings(folder, port=8123)) == ("http://localhost:8123", "localhost")
    configured = fast_settings(folder, base_url="https://mind.example.org/app")
    assert relying_party(configured) == ("https://mind.example.org", "mind.example.org")
    with pytest.raises(ConfigError):
        relying_party(fast_settings(folder, base_url="mind.example.org"))


# -- the pages -----------------------------------------------------------------------------


def _set_pin_in_the_browser(client: TestClient) -> None:
    page = client.get("/settings/lock").text
    response = client.post(
        "/settings/lock/pin",
        data={"pin": PIN, "again": PIN, "idle_minutes": "5", "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_locked_session_sees_the_lock_screen_before_any_personal_page(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    _set_pin_in_the_browser(client)
    page = client.get("/settings/lock").text
    client.post("/settings/lock/now", data={"csrf": csrf_of(page)}, follow_redirects=False)
    for path in ("/checkin", "/journal", "/history", "/settings", "/coach", "/safety-plan"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/lock?next="), path
    screen = client.get("/lock?next=/journal")
    assert screen.status_code == 200 and "steadymind is locked" in screen.text
    assert "alice" in screen.text  # whose lock it is, and a way to log out
    assert 'href="/checkin"' not in screen.text  # no navigation into the person's pages


def test_help_now_and_breathing_stay_open_while_locked_without_the_plan(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    _set_pin_in_the_browser(client)
    page = client.get("/settings/lock").text
    client.post("/settings/lock/now", data={"csrf": csrf_of(page)}, follow_redirects=False)
    help_now = client.get("/help", follow_redirects=False)
    assert help_now.status_code == 200
    assert "Samaritans" in help_now.text  # Alice's country's lines (GB), without unlocking
    assert 'href="/lock"' in help_now.text
    assert client.get("/breathe", follow_redirects=False).status_code == 200


def test_the_lock_screen_unlocks_with_the_pin_and_returns_to_the_page(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    _set_pin_in_the_browser(client)
    page = client.get("/settings/lock").text
    client.post("/settings/lock/now", data={"csrf": csrf_of(page)}, follow_redirects=False)
    screen = client.get("/lock?next=/journal").text
    wrong = client.post(
        "/lock/pin", data={"pin": "111222", "next": "/journal", "csrf": csrf_of(screen)}
    )
    assert wrong.status_code == 422 and "That PIN is not right." in wrong.text
    assert "111222" not in wrong.text
    right = client.post(
        "/lock/pin",
        data={"pin": PIN, "next": "/journal", "csrf": csrf_of(screen)},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/journal"
    assert client.get("/journal").status_code == 200


def test_the_lock_never_sends_a_person_to_another_site(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    _set_pin_in_the_browser(client)
    page = client.get("/settings/lock").text
    client.post("/settings/lock/now", data={"csrf": csrf_of(page)}, follow_redirects=False)
    screen = client.get("/lock").text
    response = client.post(
        "/lock/pin",
        data={"pin": PIN, "next": "//evil.example/", "csrf": csrf_of(screen)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/checkin"


def test_the_api_with_a_token_is_not_behind_the_lock(
    client: TestClient, alice: Persona, services: Services, lock: AppLockService
) -> None:
    lock.set_pin(replace(_session(services, alice)), PIN, PIN, 5)
    assert client.get("/api/v1/checkins", headers=alice.headers).status_code == 200
