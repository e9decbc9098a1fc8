"""Password policy and Argon2id hashing."""

from __future__ import annotations

import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from steadymind.core.errors import ValidationError

MIN_LENGTH = 8
# Generous, but bounded: Argon2 hashes any length, yet a megabyte "password" is an attack.
MAX_LENGTH = 1024


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


class PasswordHashing:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # Verified against when the username is unknown, so timing does not reveal accounts.
        self._dummy = self._hasher.hash("steadymind-dummy-password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalise(password))

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, normalise(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def burn(self, password: str) -> None:
        self.verify(self._dummy, password)
