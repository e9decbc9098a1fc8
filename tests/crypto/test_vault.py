"""The envelope encryption: round trips, binding to owner/table/row, versions, tampering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steadymind.core.errors import DecryptionError, ValidationError
from steadymind.crypto import vault

KEY = bytes(range(32))
ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)


@given(text=st.text(), owner=ids, row=ids)
def test_field_round_trip_returns_the_same_text(text: str, owner: str, row: str) -> None:
    cipher = vault.FieldCipher(KEY, owner)
    assert (
        cipher.decrypt(
            "journal_entries", "body", row, cipher.encrypt("journal_entries", "body", row, text)
        )
        == text
    )


@given(data=st.binary(max_size=4096), aad=st.binary(max_size=64))
def test_seal_round_trip_for_any_bytes(data: bytes, aad: bytes) -> None:
    assert vault.unseal(KEY, vault.seal(KEY, data, aad), aad) == data


@given(text=st.text(min_size=1), row=ids, other=ids)
def test_ciphertext_moved_to_another_row_fails(text: str, row: str, other: str) -> None:
    if row == other:
        return
    cipher = vault.FieldCipher(KEY, "alice")
    blob = cipher.encrypt("checkins", "note", row, text)
    with pytest.raises(DecryptionError):
        cipher.decrypt("checkins", "note", other, blob)


@pytest.mark.parametrize(
    ("owner", "table", "column"),
    [
        ("bob", "checkins", "note"),
        ("alice", "journal_entries", "note"),
        ("alice", "checkins", "analysis"),
    ],
)
def test_ciphertext_is_bound_to_owner_table_and_column(owner: str, table: str, column: str) -> None:
    blob = vault.FieldCipher(KEY, "alice").encrypt("checkins", "note", "r1", "private")
    with pytest.raises(DecryptionError):
        vault.FieldCipher(KEY, owner).decrypt(table, column, "r1", blob)


def test_blobs_carry_the_format_version_first() -> None:
    blob = vault.seal(KEY, b"x", b"aad")
    assert blob[0] == vault.BLOB_VERSION
    with pytest.raises(DecryptionError, match="version"):
        vault.unseal(KEY, bytes([99]) + blob[1:], b"aad")
    # Relabelling the version is not enough: the version is authenticated too.
    forged = bytes([vault.BLOB_VERSION]) + blob[1:]
    assert vault.unseal(KEY, forged, b"aad") == b"x"


@given(position=st.integers(min_value=1, max_value=40), bit=st.integers(min_value=0, max_value=7))
@settings(max_examples=60)
def test_any_flipped_bit_fails_authentication(position: int, bit: int) -> None:
    blob = bytearray(vault.seal(KEY, b"a secret sentence", b"aad"))
    blob[position % len(blob) or 1] ^= 1 << bit
    with pytest.raises(DecryptionError):
        vault.unseal(KEY, bytes(blob), b"aad")


def test_truncated_blob_fails_clearly() -> None:
    with pytest.raises(DecryptionError, match="truncated"):
        vault.unseal(KEY, b"\x01short", b"")


def test_same_text_encrypts_differently_each_time() -> None:
    cipher = vault.FieldCipher(KEY, "alice")
    assert cipher.encrypt("t", "c", "r", "same") != cipher.encrypt("t", "c", "r", "same")


def test_wrapped_key_opens_only_with_its_kek_and_binding() -> None:
    dek = vault.new_data_key()
    params = vault.KdfParams.fresh(time_cost=1, memory_kib=8)
    kek = vault.password_kek("pässwörd with ünïcode", params)
    wrapped = vault.wrap_key(kek, dek, purpose="password", bound_to="u1")
    assert vault.unwrap_key(kek, wrapped, purpose="password", bound_to="u1") == dek
    with pytest.raises(DecryptionError):
        vault.unwrap_key(kek, wrapped, purpose="password", bound_to="u2")
    with pytest.raises(DecryptionError):
        vault.unwrap_key(
            vault.password_kek("other", params), wrapped, purpose="password", bound_to="u1"
        )


def test_kdf_params_round_trip() -> None:
    params = vault.KdfParams.fresh(time_cost=2, memory_kib=16)
    assert vault.KdfParams.from_dict(params.to_dict()) == params


@given(st.data())
def test_recovery_key_survives_how_people_type_it(data: st.DataObject) -> None:
    key = vault.new_recovery_key()
    typed = data.draw(
        st.sampled_from([key, key.lower(), key.replace("-", " "), key.replace("-", "")])
    )
    assert vault.recovery_key_bytes(typed) == vault.recovery_key_bytes(key)


@pytest.mark.parametrize("bad", ["", "not a key", "AAAA-BBBB", "!!!!"])
def test_malformed_recovery_key_is_a_validation_error(bad: str) -> None:
    with pytest.raises(ValidationError):
        vault.recovery_key_bytes(bad)


def test_field_cipher_rejects_a_short_key() -> None:
    with pytest.raises(ValueError):
        vault.FieldCipher(b"short", "alice")
