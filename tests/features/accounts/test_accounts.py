"""Accounts: password policy, login, sessions, tokens, rate limits, password change, recovery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import AuthenticationError, Conflict, ValidationError
from steadymind.features.accounts.tables import AuthSession, User
from steadymind.features.journal.schemas import JournalIn
from steadymind.features.journal.tables import JournalEntry
from steadymind.safety.plan import SafetyPlan
from tests.conftest import PASSWORD, Persona
from tests.support import Services


@pytest.mark.parametrize(
    "password", ["short", "1234567", "password", "Password1", "qwertyuiop", "iloveyou"]
)
def test_short_and_common_passwords_are_rejected(services: Services, password: str) -> None:
    with pytest.raises(ValidationError):
        services.accounts.sign_up("erin", password)


@pytest.mark.parametrize(
    "password",
    [
        "ä" * 8,
        "пароль-очень-длинный",
        "日本語のパスワードです",
        "🌊🌊🌊🌊🌊🌊🌊🌊",
        "x" * 64 + "y" * 300,
    ],
)
def test_long_and_unicode_passwords_work(services: Services, password: str) -> None:
    services.accounts.sign_up("erin", password)
    assert services.credentials.log_in("erin", password, client="t").principal.username == "erin"


def test_composed_and_decomposed_unicode_are_the_same_password(services: Services) -> None:
    services.accounts.sign_up("erin", "caf\u00e9 au lait noir")
    services.credentials.log_in("erin", "cafe\u0301 au lait noir", client="t")


def test_passwords_are_stored_as_argon2id_hashes(services: Services, alice: Persona) -> None:
    with services.db.transaction() as tx:
        user = tx.scalar(select(User).where(User.username == "alice"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_usernames_are_unique_case_insensitively(services: Services, alice: Persona) -> None:
    with pytest.raises(Conflict):
        services.accounts.sign_up("ALICE", "another good password")


@pytest.mark.parametrize("name", ["", "ab", "a b", "../x", "x" * 65, "ünï"])
def test_bad_usernames_are_rejected(services: Services, name: str) -> None:
    with pytest.raises(ValidationError):
        services.accounts.sign_up(name, "another good password")


def test_wrong_password_and_unknown_user_give_the_same_answer(
    services: Services, alice: Persona
) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        services.credentials.log_in("alice", "not her password", client="t")
    with pytest.raises(AuthenticationError) as unknown:
        services.credentials.log_in("nobody", "not her password", client="t")
    assert wrong.value.message == unknown.value.message


def test_session_expires_after_idle_time(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    session = services.credentials.log_in("alice", PASSWORD, client="t")
    clock.advance(minutes=services.settings.session_idle_minutes - 1)
    services.credentials.authenticate_session(session.secret)  # activity keeps it alive
    clock.advance(minutes=services.settings.session_idle_minutes + 1)
    with pytest.raises(AuthenticationError, match="expired"):
        services.credentials.authenticate_session(session.secret)


def test_session_expires_at_absolute_limit_despite_activity(
    services: Services, alice: Persona, clock: FrozenClock
) -> None:
    started = clock.now()
    session = services.credentials.log_in("alice", PASSWORD, client="t")
    step = timedelta(minutes=services.settings.session_idle_minutes // 2)
    absolute = timedelta(hours=services.settings.session_absolute_hours)
    while clock.now() - started < absolute + step:
        clock.advance(seconds=step.total_seconds())
        try:
            services.credentials.authenticate_session(session.secret)
        except AuthenticationError:
            break
    else:
        pytest.fail("the session never expired")
    assert absolute <= clock.now() - started < absolute + step


def test_revoked_session_stops_working_on_the_next_request(
    services: Services, alice: Persona
) -> None:
    first = services.credentials.log_in("alice", PASSWORD, client="t")
    second = services.credentials.log_in("alice", PASSWORD, client="t")
    services.credentials.revoke(second.principal, "session", first.principal.credential_id)
    with pytest.raises(AuthenticationError):
        services.credentials.authenticate_session(first.secret)
    services.credentials.authenticate_session(second.secret)


@pytest.mark.parametrize(
    "cookie", ["", "x", "a.b", "0" * 32 + ".AAAA", "0" * 32 + "." + "A" * 43, "\u0000" * 40]
)
def test_forged_session_cookies_are_rejected(services: Services, cookie: str) -> None:
    with pytest.raises(AuthenticationError):
        services.credentials.authenticate_session(cookie)


def test_tampered_session_secret_is_rejected(services: Services, alice: Persona) -> None:
    session = services.credentials.log_in("alice", PASSWORD, client="t")
    sid, _, secret = session.secret.partition(".")
    flipped = ("B" if secret[0] == "A" else "A") + secret[1:]
    with pytest.raises(AuthenticationError):
        services.credentials.authenticate_session(f"{sid}.{flipped}")


def test_session_unlocks_the_same_data_key_as_the_password(
    services: Services, alice: Persona
) -> None:
    session = services.credentials.log_in("alice", PASSWORD, client="t")
    assert (
        services.credentials.authenticate_session(session.secret).data_key
        == alice.principal.data_key
    )


def test_api_token_can_be_revoked(services: Services, alice: Persona) -> None:
    services.credentials.authenticate_token(alice.token)
    services.credentials.log_out(alice.principal)
    with pytest.raises(AuthenticationError):
        services.credentials.authenticate_token(alice.token)


def test_changing_the_password_rewraps_the_key_only(services: Services, alice: Persona) -> None:
    entry, _ = services.journal.create(alice.principal, JournalIn(title="t", body="before"))
    with services.db.transaction() as tx:
        before = tx.get_one(JournalEntry, entry.id).body_ct
    services.accounts.change_password(alice.principal, PASSWORD, "a brand new passphrase")
    with services.db.transaction() as tx:
        assert tx.get_one(JournalEntry, entry.id).body_ct == before
    with pytest.raises(AuthenticationError):
        services.credentials.log_in("alice", PASSWORD, client="t")
    fresh = services.credentials.log_in("alice", "a brand new passphrase", client="t").principal
    assert services.journal.get(fresh, entry.id).body == "before"


def test_changing_the_password_needs_the_current_one(services: Services, alice: Persona) -> None:
    with pytest.raises(AuthenticationError):
        services.accounts.change_password(alice.principal, "not it", "a brand new passphrase")


def test_changing_the_password_logs_out_other_sessions(services: Services, alice: Persona) -> None:
    other = services.credentials.log_in("alice", PASSWORD, client="t")
    services.accounts.change_password(alice.principal, PASSWORD, "a brand new passphrase")
    with pytest.raises(AuthenticationError):
        services.credentials.authenticate_session(other.secret)
    services.credentials.authenticate_token(alice.token)  # the one that changed it stays in


def test_recovery_key_restores_access_to_the_journal(services: Services, alice: Persona) -> None:
    entry, _ = services.journal.create(alice.principal, JournalIn(title="t", body="kept"))
    fresh_key = services.accounts.recover(
        "alice", alice.recovery_key.lower(), "new passphrase here"
    )
    assert fresh_key != alice.recovery_key
    principal = services.credentials.log_in("alice", "new passphrase here", client="t").principal
    assert services.journal.get(principal, entry.id).body == "kept"
    with pytest.raises(AuthenticationError):  # the old recovery key is spent
        services.accounts.recover("alice", alice.recovery_key, "another passphrase")
    services.accounts.recover("alice", fresh_key, "another passphrase")


def test_wrong_recovery_key_is_rejected(services: Services, alice: Persona, bob: Persona) -> None:
    with pytest.raises(AuthenticationError):
        services.accounts.recover("alice", bob.recovery_key, "new passphrase here")


def test_deleting_an_account_removes_every_row(
    services: Services, alice: Persona, bob: Persona
) -> None:
    from steadymind.features.checkins.schemas import CheckInIn
    from tests.conftest import metadata

    services.checkins.create(alice.principal, CheckInIn(mood=1, energy=1, note="n"))
    services.journal.create(alice.principal, JournalIn(title="t", body="b"))
    services.plans.save(alice.principal, SafetyPlan(warning_signs=["x"]))
    services.accounts.delete_account(alice.principal, PASSWORD)
    with services.db.transaction() as tx:
        for table in metadata.sorted_tables:
            columns = {c.name for c in table.columns}
            if "user_id" in columns:
                rows = tx.execute(
                    select(table).where(table.c.user_id == alice.principal.user_id)
                ).all()
                assert rows == [], table.name
        assert tx.scalar(select(User).where(User.username == "alice")) is None
        assert tx.scalar(select(User).where(User.username == "bob")) is not None
        assert (
            tx.scalars(
                select(AuthSession).where(AuthSession.user_id == alice.principal.user_id)
            ).all()
            == []
        )


def test_deleting_an_account_needs_the_password(services: Services, alice: Persona) -> None:
    with pytest.raises(AuthenticationError):
        services.accounts.delete_account(alice.principal, "wrong")


@pytest.mark.parametrize(("field", "value"), [("country", "Narnia"), ("timezone", "Mars/Olympus")])
def test_profile_rejects_unknown_country_or_time_zone(
    services: Services, alice: Persona, field: str, value: str
) -> None:
    with pytest.raises(ValidationError):
        services.accounts.update_profile(alice.principal, **{field: value})
