"""The passkey ceremonies' server side (issue 16): options name this server as the relying party,
the challenge is kept on the server for this session, spent by its first answer, refused when
stale or from the other ceremony; a made-up answer unlocks nothing. The whole ceremony with a
real (virtual) authenticator is in tests/web/test_browser_lock.py."""

from __future__ import annotations

import pytest

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import Conflict, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.app.lock import AppLockService
from steadymind.features.app.passkeys import CHALLENGE_LIFE, Passkeys
from steadymind.features.app.tables import LockSession
from tests.conftest import PASSWORD, Persona, Services


def _session(services: Services, persona: Persona) -> Principal:
    return services.credentials.log_in(persona.username, PASSWORD, client="test").principal


@pytest.fixture
def keys(services: Services) -> Passkeys:
    return services.runtime.get(Passkeys)


def test_registration_options_name_this_server_and_keep_the_challenge(
    services: Services, alice: Persona, keys: Passkeys
) -> None:
    me = _session(services, alice)
    options = keys.registration_options(me)
    assert options["rp"] == {"id": "localhost", "name": "steadymind"}
    assert options["authenticatorSelection"]["userVerification"] == "required"
    with services.db.transaction() as tx:
        state = tx.get_one(LockSession, me.credential_id)
        assert state.challenge_kind == "register" and state.challenge is not None
        assert len(state.challenge) == 32


def test_a_made_up_answer_is_refused_and_spends_the_challenge(
    services: Services, alice: Persona, keys: Passkeys
) -> None:
    me = _session(services, alice)
    keys.registration_options(me)
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    with pytest.raises(ValidationError):
        keys.register(me, forged)
    with pytest.raises(ValidationError):  # the same challenge cannot be answered twice
        keys.register(me, forged)
    assert keys.listed(me) == []


def test_a_stale_challenge_or_the_other_ceremonys_is_refused(
    services: Services, alice: Persona, keys: Passkeys, clock: FrozenClock
) -> None:
    me = _session(services, alice)
    keys.registration_options(me)
    with pytest.raises(ValidationError):
        keys.unlock(me, {"id": "AAAA", "rawId": "AAAA"})
    keys.registration_options(me)
    clock.advance(seconds=CHALLENGE_LIFE.total_seconds() + 1)
    with pytest.raises(ValidationError):
        keys._spend_challenge(me, "register")


def test_unlocking_with_a_passkey_needs_one_registered(
    services: Services, alice: Persona, keys: Passkeys
) -> None:
    with pytest.raises(Conflict):
        keys.unlock_options(_session(services, alice))


def test_an_api_token_has_no_ceremony(alice: Persona, keys: Passkeys) -> None:
    with pytest.raises(Conflict):
        keys.registration_options(alice.principal)


def test_asking_for_a_ceremony_does_not_open_a_locked_session(
    services: Services, alice: Persona, keys: Passkeys
) -> None:
    lock = services.runtime.get(AppLockService)
    lock.set_pin(_session(services, alice), "583920", "583920", 5)
    other = _session(services, alice)
    assert lock.locked(other)
    keys.registration_options(other)  # the route refuses a locked session; the state stays
    assert lock.locked(other)
