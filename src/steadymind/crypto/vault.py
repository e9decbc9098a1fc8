"""Envelope encryption for everything a person writes.

Each user has a random 256-bit *data key* (DEK). It is never stored in the clear: the database
holds it wrapped (AES-256-GCM) by

* a key derived from the user's password with Argon2id (login),
* a key derived from a one-time recovery key shown at sign-up (password reset without data loss),
* a key derived from a per-session secret that lives only in the session cookie or API token, so
  any app instance sharing the database can serve the request, and none can without the cookie.

Free text is sealed with the DEK. Every blob starts with a one-byte format version, and the
associated data binds it to that version, its owner, table, column and row: a ciphertext copied to
another row or another user's record fails authentication instead of decrypting.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from steadymind.core.errors import DecryptionError, ValidationError

BLOB_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
RECOVERY_KEY_BYTES = 20  # 160 bits: 32 base32 characters, shown as 8 groups of 4


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside each wrapped key so costs can rise later."""

    salt: bytes
    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def to_dict(self) -> dict[str, int | str]:
        return {
            "alg": "argon2id",
            "salt": base64.b64encode(self.salt).decode(),
            "t": self.time_cost,
            "m": self.memory_kib,
            "p": self.parallelism,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, int | str]) -> KdfParams:
        return cls(
            salt=base64.b64decode(str(raw["salt"])),
            time_cost=int(raw["t"]),
            memory_kib=int(raw["m"]),
            parallelism=int(raw["p"]),
        )

    @classmethod
    def fresh(cls, time_cost: int, memory_kib: int) -> KdfParams:
        return cls(salt=secrets.token_bytes(16), time_cost=time_cost, memory_kib=memory_kib)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def password_kek(password: str, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret=password.encode("utf-8"),
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _hkdf(secret: bytes, purpose: str) -> bytes:
    # The inputs here are already uniformly random (>=160 bits), so a fast KDF is enough.
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(secret)


def secret_kek(secret: bytes, purpose: str) -> bytes:
    """A key-encryption key from a high-entropy secret (session secret, API token, recovery key)."""
    return _hkdf(secret, f"steadymind/kek/v1/{purpose}")


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    version = bytes([BLOB_VERSION])
    return version + nonce + AESGCM(key).encrypt(nonce, plaintext, version + aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16:
        raise DecryptionError("ciphertext is truncated")
    version = blob[:1]
    if version[0] != BLOB_VERSION:
        raise DecryptionError(f"unknown ciphertext format version {version[0]}")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, version + aad)
    except InvalidTag:
        raise DecryptionError("ciphertext failed authentication") from None


def wrap_key(kek: bytes, data_key: bytes, *, purpose: str, bound_to: str) -> bytes:
    return seal(kek, data_key, f"steadymind/dek/{purpose}/{bound_to}".encode())


def unwrap_key(kek: bytes, blob: bytes, *, purpose: str, bound_to: str) -> bytes:
    return unseal(kek, blob, f"steadymind/dek/{purpose}/{bound_to}".encode())


def new_recovery_key() -> str:
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def recovery_key_bytes(text: str) -> bytes:
    """Parse a recovery key as a person would type it: any case, spaces or dashes."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise ValidationError("that recovery key is not in the right format") from None
    if len(raw) != RECOVERY_KEY_BYTES:
        raise ValidationError("that recovery key is not in the right format")
    return raw


class FieldCipher:
    """Seals and opens one user's free-text fields, bound to table, column and row."""

    def __init__(self, data_key: bytes, owner_id: str) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self._key = data_key
        self.owner_id = owner_id

    def _aad(self, table: str, column: str, row_id: str) -> bytes:
        return f"steadymind/field/{self.owner_id}/{table}/{column}/{row_id}".encode()

    def encrypt(self, table: str, column: str, row_id: str, text: str) -> bytes:
        return seal(self._key, text.encode("utf-8"), self._aad(table, column, row_id))

    def decrypt(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        return unseal(self._key, blob, self._aad(table, column, row_id)).decode("utf-8")

    def seal_measurements(self, table: str, column: str, row_id: str, data: bytes) -> bytes:
        """Seal numbers a device recorded (a wearable's samples), bound like a text field.
        Never a person's words: those pass the text seam and ``Screened.seal``, and a test keeps
        the callers of this method to the wearables feature."""
        return seal(self._key, data, self._aad(table, column, row_id))

    def open_measurements(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        return unseal(self._key, blob, self._aad(table, column, row_id))

    def encrypt_optional(
        self, table: str, column: str, row_id: str, text: str | None
    ) -> bytes | None:
        return None if text is None else self.encrypt(table, column, row_id, text)

    def decrypt_optional(
        self, table: str, column: str, row_id: str, blob: bytes | None
    ) -> str | None:
        return None if blob is None else self.decrypt(table, column, row_id, blob)
