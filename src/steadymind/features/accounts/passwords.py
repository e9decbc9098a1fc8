"""Password policy and Argon2id: the login hash and the key-encryption key, a bounded number at
a time."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from steadymind.core.errors import RateLimited, ValidationError
from steadymind.crypto import vault

MIN_LENGTH = 8
# Generous, but bounded: Argon2 hashes any length, yet a megabyte "password" is an attack.
MAX_LENGTH = 1024
PASSWORDS_DIFFER = "the passwords differ"


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most frequent passwords from public breach corpora.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def normalise(password: str) -> str:
    """NFC, so the same password typed on two keyboards (composed or not) is the same secret."""
    return unicodedata.normalize("NFC", password)


def check_policy(password: str) -> str:
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"choose a password of at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"a password can have at most {MAX_LENGTH} characters")
    if password.lower() in _common_passwords():
        raise ValidationError("that password is one of the most common ones; choose another")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("the password contains characters that cannot be stored") from None
    return password


def check_new_password(password: str, again: str) -> str:
    """A new password typed twice. A too-short or common one is refused on its own account,
    before the two are compared: nobody should type a refused password twice to learn that."""
    password = check_policy(password)
    if password != normalise(again):
        raise ValidationError(PASSWORDS_DIFFER)
    return password


class ServerBusy(RateLimited):
    """Every Argon2 slot stayed taken for the whole wait: the server is busy, not the person."""

    status = 503
    code = "server_busy"


class PasswordHashing:
    """Every Argon2 computation of the accounts feature, at most ``max_concurrent`` at once.

    Each run holds ``memory_kib`` (64 MiB by default) while it runs: without a bound, 40
    concurrent logins took the server to 2.9 GB. Callers beyond the bound wait, holding no
    Argon2 memory, for up to ``wait_seconds``; then the server says it is busy (503). The bound
    is per process: N worker processes use up to N x max_concurrent x memory_kib.
    """

    wait_seconds: float = 30.0

    def __init__(self, time_cost: int, memory_kib: int, max_concurrent: int = 2) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self.slots = threading.BoundedSemaphore(max_concurrent)
        # Verified against when the username is unknown, so timing does not reveal accounts.
        self._dummy = self._hasher.hash("steadymind-dummy-password")

    @contextmanager
    def _slot(self) -> Iterator[None]:
        if not self.slots.acquire(timeout=self.wait_seconds):
            raise ServerBusy(
                "The server is busy right now. Please try again in a minute.", retry_after=60
            )
        try:
            yield
        finally:
            self.slots.release()

    def hash(self, password: str) -> str:
        with self._slot():
            return self._hasher.hash(normalise(password))

    def verify(self, stored: str, password: str) -> bool:
        with self._slot():
            try:
                return self._hasher.verify(stored, normalise(password))
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

    def burn(self, password: str) -> None:
        self.verify(self._dummy, password)

    def kek(self, password: str, params: vault.KdfParams) -> bytes:
        """The key that wraps the data key, derived from the password (Argon2id too)."""
        with self._slot():
            return vault.password_kek(normalise(password), params)
