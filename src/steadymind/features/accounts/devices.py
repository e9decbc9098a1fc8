"""Known devices: a signed token a client receives when it logs in, so that a stranger's guesses
from elsewhere never slow the owner down on a device they have used before (OWASP's "device
cookies"). The web keeps it in a cookie; API clients send it back with their next login.

A token is ``smd1.<device id>.<mac>``: HMAC-SHA256 over the account id and the device id, keyed
by a key derived from the account's password hash. So it needs no table (any instance checks
it), cannot be made without reading the database (whoever can read it can attack the hashes
offline anyway), names no account in the clear, and stops working when the password changes: a
stolen token dies with a password change or a recovery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from steadymind.features.accounts.tables import User

PREFIX = "smd1"
MAX_LENGTH = 200
_ID_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _mac(user: User, device_id: str) -> str:
    key = hashlib.sha256(b"steadymind/device/v1\x00" + user.password_hash.encode()).digest()
    return _b64(hmac.new(key, f"{user.id}.{device_id}".encode(), hashlib.sha256).digest())


def issue(user: User, device_id: str | None = None) -> str:
    """A token for this device (a new id unless it was known already)."""
    device_id = device_id or _b64(secrets.token_bytes(_ID_BYTES))
    return f"{PREFIX}.{device_id}.{_mac(user, device_id)}"


def check(user: User, token: str | None) -> str | None:
    """The device id when the token is this account's and still valid; None otherwise."""
    if not token or len(token) > MAX_LENGTH:
        return None
    prefix, _, rest = token.partition(".")
    device_id, _, mac = rest.partition(".")
    if prefix != PREFIX or len(device_id) != 22 or not mac:
        return None
    if not device_id.isascii() or not all(c.isalnum() or c in "-_" for c in device_id):
        return None
    if not hmac.compare_digest(mac.encode(), _mac(user, device_id).encode()):
        return None
    return device_id
