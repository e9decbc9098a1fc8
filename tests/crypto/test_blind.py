"""Blind tokens: keyed, per person and purpose, stable (they are stored), never the key."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given
from hypothesis import strategies as st

from steadymind.crypto.blind import TOKEN_BYTES, BlindIndex

KEY = bytes(range(32))


def test_a_stored_token_keeps_its_value() -> None:
    """Tokens are persisted in the search index: the derivation is a format (a change must
    bump ``words.INDEXED`` so that every entry is indexed again)."""
    blind = BlindIndex(KEY, "alice", "journal_entries")
    assert blind.token("w:sea").hex() == "716e14a7b4dc7e12"
    assert blind.token("indexed:v1").hex() == "26982f2f47f16a97"


def test_the_token_is_hmac_sha256_under_a_key_derived_for_the_owner_and_scope() -> None:
    info = b"steadymind/blind-index/v1/alice/journal_entries"
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(KEY)
    expected = hmac.new(key, b"w:sea", hashlib.sha256).digest()[:TOKEN_BYTES]
    assert BlindIndex(KEY, "alice", "journal_entries").token("w:sea") == expected


@given(term=st.text(max_size=40))
def test_tokens_differ_by_owner_and_scope(term: str) -> None:
    tokens = {
        BlindIndex(KEY, "alice", "journal_entries").token(term),
        BlindIndex(KEY, "bob", "journal_entries").token(term),
        BlindIndex(KEY, "alice", "checkins").token(term),
    }
    assert len(tokens) == 3


def test_the_key_is_never_shown_and_must_be_a_data_key() -> None:
    assert repr(BlindIndex(KEY, "alice", "journal_entries")) == "BlindIndex(...)"
    with pytest.raises(ValueError, match="32 bytes"):
        BlindIndex(b"short", "alice", "journal_entries")
