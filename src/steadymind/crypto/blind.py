"""Blind tokens: keyed hashes that let the database find a person's words without holding them.

A search over encrypted text either decrypts everything on every query (slow, and it grows with
the journal) or asks the database to match something derived from the words. A blind token is
HMAC-SHA256 of a normalised term under a key derived from the person's data key, cut to
``TOKEN_BYTES``: the same term gives the same token for one person (so an index can find it), a
different token for anyone else, and nothing readable to whoever holds the database without the
data key.

What it does not hide, by design: that two stored tokens are equal. Someone holding the database
learns which of one person's entries share a word (and how often a token recurs), though not the
word. The tokens are deterministic, so a guess can be checked only with the data key.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from steadymind.crypto.vault import KEY_BYTES

# 64 bits: a person's index holds well under 2**24 distinct terms, so the chance that a searched
# term shares its token with another of theirs is below 2**-40; across people, every search is
# restricted to the owner's entries anyway.
TOKEN_BYTES = 8


class BlindIndex:
    """One person's keyed tokens for one purpose (``scope``); never persisted, like the key."""

    def __init__(self, data_key: bytes, owner_id: str, scope: str) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        # A separate key per purpose: a token of the journal index means nothing anywhere else.
        # The data key is uniformly random, so HKDF (not a password hash) is the right KDF.
        info = f"steadymind/blind-index/v1/{owner_id}/{scope}".encode()
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def token(self, term: str) -> bytes:
        # An entry has hundreds of terms: the keyed state is made once and copied for each.
        mac = self._mac.copy()
        mac.update(term.encode("utf-8"))
        return mac.digest()[:TOKEN_BYTES]

    def tokens(self, terms: set[str]) -> set[bytes]:
        return {self.token(t) for t in terms}

    def __repr__(self) -> str:
        return "BlindIndex(...)"  # never the key
