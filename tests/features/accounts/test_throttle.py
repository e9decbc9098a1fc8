"""Login and sign-up throttling (issue 12, items 2 and 3).

A stranger's wrong guesses slow that stranger down, not the owner: attempts are counted per
account *and* client, with doubling delays instead of a lockout; guesses from many addresses
slow unknown clients only, and the owner still gets in from a device that logged in before, or
with the recovery key. Each attempt is counted before the password is checked, in one
transaction, so concurrent guesses cannot slip past the limit; sign-up is limited per address.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import AuthenticationError, RateLimited, SteadymindError
from steadymind.features.accounts.credentials import NewCredential
from steadymind.features.accounts.tables import LoginAttempt
from tests.conftest import PASSWORD, Persona
from tests.support import Services

STRANGER = "203.0.113.9"
OWNER = "198.51.100.7"


def guess(services: Services, client: str, *, username: str = "alice", **kw: Any) -> str:
    """One wrong guess: "checked" (401), "slowed" (429)."""
    try:
        services.credentials.log_in(username, "not her password", client=client, **kw)
    except RateLimited:
        return "slowed"
    except AuthenticationError:
        return "checked"
    raise AssertionError("a wrong password was accepted")


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(
    services: Services, alice: Persona
) -> None:
    """Before: ten wrong passwords from any address made the owner's own password 429."""
    outcomes = [guess(services, STRANGER) for _ in range(40)]
    assert "slowed" in outcomes
    login = services.credentials.log_in("alice", PASSWORD, client=OWNER)
    assert login.principal.username == "alice"


def test_guessing_from_one_client_is_slowed_by_doubling_delays(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    settings = services.settings
    free = settings.login_free_failures
    assert [guess(services, STRANGER) for _ in range(free)] == ["checked"] * free
    waits = []
    for _ in range(14):
        with pytest.raises(RateLimited) as slowed:
            services.credentials.log_in("alice", "not her password", client=STRANGER)
        waits.append(slowed.value.retry_after)
        clock.advance(seconds=slowed.value.retry_after)
        assert guess(services, STRANGER) == "checked"
    cap = settings.login_max_delay_seconds
    assert waits == [min(cap, 2**i) for i in range(14)]
    assert waits[-1] == cap


def test_during_a_delay_the_right_password_is_not_checked_either(
    services: Services, alice: Persona
) -> None:
    """Otherwise a guesser would learn from a 200 that the guess was right, delay or not."""
    for _ in range(services.settings.login_free_failures):
        guess(services, STRANGER)
    with pytest.raises(RateLimited):
        services.credentials.log_in("alice", PASSWORD, client=STRANGER)


def test_the_owners_success_clears_their_own_count(services: Services, alice: Persona) -> None:
    for _ in range(services.settings.login_free_failures - 1):
        guess(services, OWNER)
    services.credentials.log_in("alice", PASSWORD, client=OWNER)
    assert [guess(services, OWNER) for _ in range(3)] == ["checked"] * 3


def test_counts_are_forgotten_after_a_quiet_day(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    for _ in range(services.settings.login_free_failures):
        guess(services, STRANGER)
    assert guess(services, STRANGER) == "slowed"
    clock.advance(hours=services.settings.login_forget_hours, seconds=1)
    services.credentials.log_in("alice", PASSWORD, client=STRANGER)


def test_old_attempts_are_deleted_not_only_ignored(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    """The table keeps a day of attempts, whoever made them (docs/security.md)."""
    for i in range(3):
        guess(services, f"192.0.2.{i}", username=f"user{i}")
    clock.advance(hours=services.settings.login_forget_hours, seconds=1)
    guess(services, STRANGER)
    with services.db.transaction() as tx:
        rows = tx.execute(select(LoginAttempt.username, LoginAttempt.client)).all()
    assert [tuple(row) for row in rows] == [("alice", STRANGER)]


def test_one_address_guessing_many_accounts_is_slowed(services: Services, alice: Persona) -> None:
    """Password spraying: one wrong guess on each of many accounts from one address."""
    free = services.settings.login_free_failures_per_address
    outcomes = [guess(services, STRANGER, username=f"user{i}") for i in range(free + 1)]
    assert outcomes == ["checked"] * free + ["slowed"]
    services.credentials.log_in("alice", PASSWORD, client=OWNER)


def _spread_guesses(services: Services, how_many: int) -> list[str]:
    """One wrong guess each from many addresses (a botnet)."""
    return [guess(services, f"192.0.2.{i}") for i in range(how_many)]


def test_guesses_from_many_addresses_slow_unknown_clients_only(
    services: Services, alice: Persona
) -> None:
    laptop = services.credentials.log_in("alice", PASSWORD, client=OWNER)
    assert laptop.device is not None
    free = services.settings.login_free_failures_per_account
    outcomes = _spread_guesses(services, free + 5)
    assert outcomes[:free] == ["checked"] * free and set(outcomes[free:]) == {"slowed"}
    # A client that never logged in waits, whoever it is ...
    with pytest.raises(RateLimited):
        services.credentials.log_in("alice", PASSWORD, client="198.51.100.99")
    # ... the owner's own device does not, and a new address may use the recovery key.
    again = services.credentials.log_in("alice", PASSWORD, client=OWNER, device=laptop.device)
    assert again.principal.username == "alice"
    services.accounts.recover("alice", alice.recovery_key, "a new passphrase")


def test_a_known_device_is_slowed_on_its_own_count(services: Services, alice: Persona) -> None:
    """A stolen device cookie buys no more guesses than any one client gets."""
    device = services.credentials.log_in("alice", PASSWORD, client=OWNER).device
    free = services.settings.login_free_failures
    outcomes = [guess(services, STRANGER, device=device) for _ in range(free + 1)]
    assert outcomes == ["checked"] * free + ["slowed"]
    # The owner's other clients are not affected by it.
    services.credentials.log_in("alice", PASSWORD, client=STRANGER)


def test_a_device_token_belongs_to_one_account(
    services: Services, alice: Persona, bob: Persona
) -> None:
    alices = services.credentials.log_in("alice", PASSWORD, client=OWNER).device
    free = services.settings.login_free_failures_per_account
    for i in range(free):
        guess(services, f"192.0.2.{i}", username="bob")
    with pytest.raises(RateLimited):  # Alice's device is just another unknown client to Bob's
        services.credentials.log_in("bob", PASSWORD, client=OWNER, device=alices)


@pytest.mark.parametrize("forged", ["", "x", "smd1.a.b", "smd1." + "A" * 22 + "." + "A" * 43])
def test_a_forged_device_token_is_an_unknown_client(
    services: Services, alice: Persona, forged: str
) -> None:
    for i in range(services.settings.login_free_failures_per_account):
        guess(services, f"192.0.2.{i}")
    with pytest.raises(RateLimited):
        services.credentials.log_in("alice", PASSWORD, client=OWNER, device=forged)


def test_a_device_token_stops_working_when_the_password_changes(
    services: Services, alice: Persona
) -> None:
    device = services.credentials.log_in("alice", PASSWORD, client=OWNER).device
    services.accounts.change_password(alice.principal, PASSWORD, "a brand new passphrase")
    for i in range(services.settings.login_free_failures_per_account):
        guess(services, f"192.0.2.{i}")
    with pytest.raises(RateLimited):
        services.credentials.log_in("alice", "a brand new passphrase", client=OWNER, device=device)


def test_unknown_and_known_usernames_are_slowed_alike(services: Services, alice: Persona) -> None:
    free = services.settings.login_free_failures
    known = [guess(services, STRANGER) for _ in range(free + 1)]
    unknown = [guess(services, STRANGER, username="nobody") for _ in range(free + 1)]
    assert known == unknown


# -- races: the attempt is counted before the Argon2 work -----------------------------------------


def _count_checks(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every password check (a real Argon2 verification), counted as it starts."""
    hashing = services.credentials.hashing
    checks: list[int] = []
    lock = Lock()
    for name in ("verify", "burn"):
        real: Callable[..., Any] = getattr(hashing, name)

        def counted(*args: Any, _real: Callable[..., Any] = real) -> Any:
            with lock:
                checks.append(1)
            return _real(*args)

        monkeypatch.setattr(hashing, name, counted)
    return checks


def _at_once(jobs: list[Callable[[], str]]) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


def test_concurrent_wrong_guesses_are_counted_before_they_are_checked(
    services: Services, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: 60 concurrent guesses, 49 checked against a limit of 10."""
    checks = _count_checks(services, monkeypatch)
    outcomes = _at_once([lambda: guess(services, STRANGER) for _ in range(60)])
    free = services.settings.login_free_failures
    assert outcomes.count("checked") == free
    assert outcomes.count("slowed") == 60 - free
    assert len(checks) == free


def test_concurrent_guesses_from_many_addresses_are_counted_for_the_account(
    services: Services, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = _count_checks(services, monkeypatch)
    outcomes = _at_once([lambda i=i: guess(services, f"192.0.2.{i}") for i in range(60)])
    free = services.settings.login_free_failures_per_account
    assert outcomes.count("checked") == len(checks) == free


# -- sign-up -----------------------------------------------------------------------------------


def test_sign_up_is_limited_per_address(client: TestClient, services: Services) -> None:
    """Before: 30 of 30 sign-ups from one address were accepted, each four Argon2 runs."""
    statuses = [
        client.post(
            "/api/v1/auth/signup",
            json={"username": f"erin{i}", "password": "a long enough secret"},
        ).status_code
        for i in range(30)
    ]
    free = services.settings.signup_free_per_address
    assert statuses == [201] * free + [429] * (30 - free)


def test_sign_up_limits_one_address_only(
    client: TestClient, services: Services, clock: FrozenClock
) -> None:
    for i in range(services.settings.signup_free_per_address):
        services.accounts.sign_up(f"erin{i}", "a long enough secret", client=STRANGER)
    with pytest.raises(RateLimited) as slowed:
        services.accounts.sign_up("frank", "a long enough secret", client=STRANGER)
    services.accounts.sign_up("grace", "a long enough secret", client=OWNER)
    clock.advance(seconds=slowed.value.retry_after)
    services.accounts.sign_up("frank", "a long enough secret", client=STRANGER)


# -- bounded Argon2 work -------------------------------------------------------------------------


class Concurrency:
    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.runs = 0
        self._lock = Lock()

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def measured(*args: Any, **kwargs: Any) -> Any:
            import time

            with self._lock:
                self.now += 1
                self.runs += 1
                self.peak = max(self.peak, self.now)
            try:
                time.sleep(0.02)  # widen the window in which runs could overlap
                return real(*args, **kwargs)
            finally:
                with self._lock:
                    self.now -= 1

        return measured


@pytest.fixture
def argon2_runs(monkeypatch: pytest.MonkeyPatch) -> Concurrency:
    """Every Argon2 computation in the process: the login hash and the key derivation."""
    import argon2._password_hasher as hasher

    from steadymind.crypto import vault

    seen = Concurrency()
    for module, name in ((hasher, "hash_secret"), (hasher, "verify_secret")):
        monkeypatch.setattr(module, name, seen.wrap(getattr(module, name)))
    monkeypatch.setattr(vault, "hash_secret_raw", seen.wrap(vault.hash_secret_raw))
    return seen


def test_no_more_argon2_runs_at_once_than_configured(
    services: Services, argon2_runs: Concurrency
) -> None:
    """Before: 40 concurrent logins ran 40 Argon2 computations at once (2.9 GB at 64 MiB)."""
    for i in range(4):
        services.accounts.sign_up(f"user{i}", PASSWORD)
    argon2_runs.runs = argon2_runs.peak = 0

    def log_in(i: int) -> NewCredential:
        return services.credentials.log_in(f"user{i % 4}", PASSWORD, client=f"10.0.0.{i}")

    def sign_up(i: int) -> str:
        services.accounts.sign_up(f"new{i}", PASSWORD, client=f"10.1.0.{i}")
        return "ok"

    jobs: list[Callable[[], object]] = [lambda i=i: log_in(i) for i in range(24)]
    jobs += [lambda i=i: sign_up(i) for i in range(8)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    assert argon2_runs.runs >= 24 * 2 + 8 * 2
    assert argon2_runs.peak == services.settings.argon2_max_concurrent


def test_a_full_argon2_queue_says_the_server_is_busy(
    services: Services, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashing = services.credentials.hashing
    monkeypatch.setattr(hashing, "wait_seconds", 0.05)
    held = [hashing.slots.acquire() for _ in range(services.settings.argon2_max_concurrent)]
    assert all(held)
    try:
        with pytest.raises(SteadymindError) as busy:
            services.credentials.log_in("alice", PASSWORD, client=OWNER)
        assert busy.value.status == 503
    finally:
        for _ in held:
            hashing.slots.release()
    services.credentials.log_in("alice", PASSWORD, client=OWNER)
