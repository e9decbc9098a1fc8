"""Ciphertext is bound to its owner, table, column, row and format version.

Someone with write access to the database (an operator, a backup restored by hand, an attacker)
moves a ciphertext to another place. Reading it there must fail with a DecryptionError, which the
API answers in the one error shape without a word of the text; it must never decrypt and show the
moved text. Truncated, bit-flipped and re-versioned blobs fail the same way.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from steadymind.core.errors import DecryptionError
from steadymind.crypto import vault
from steadymind.crypto.vault import BLOB_VERSION, NONCE_BYTES, FieldCipher
from steadymind.db.engine import Database
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.tables import CheckIn
from steadymind.features.journal.schemas import JournalIn
from steadymind.features.journal.tables import JournalEntry
from tests.conftest import Persona
from tests.support import Services

DIARY = "alice's diary: the words that must not move"
OTHER = "alice's other entry"
NOTE = "alice's check-in note"


def _column(db: Database, table: Any, column: str, row_id: str) -> bytes:
    with db.transaction() as tx:
        value = tx.scalar(select(getattr(table, column)).where(table.id == row_id))
    assert isinstance(value, bytes)
    return value


def _store(db: Database, table: Any, column: str, row_id: str, blob: bytes) -> None:
    with db.transaction() as tx:
        tx.execute(update(table).where(table.id == row_id).values({column: blob}))


def _assert_decryption_error(response: Any, *, leaked: tuple[str, ...]) -> None:
    assert response.status_code == 500, response.text
    assert response.json() == {
        "error": {
            "code": "decryption_failed",
            "message": response.json()["error"]["message"],
            "details": {},
        }
    }
    for words in leaked:
        assert words not in response.text


@pytest.fixture
def rows(services: Services, alice: Persona, bob: Persona) -> dict[str, str]:
    journal = services.journal
    diary, _ = journal.create(alice.principal, JournalIn(title="diary", body=DIARY))
    other, _ = journal.create(alice.principal, JournalIn(title="other", body=OTHER))
    checkin, _ = services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0, note=NOTE))
    bobs, _ = journal.create(bob.principal, JournalIn(title="bob", body="bob's entry"))
    return {"diary": diary.id, "other": other.id, "checkin": checkin.id, "bob": bobs.id}


def test_journal_body_copied_to_another_of_her_rows_fails_to_decrypt(
    services: Services,
    db: Database,
    alice: Persona,
    client: TestClient,
    rows: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    moved = _column(db, JournalEntry, "body_ct", rows["diary"])
    _store(db, JournalEntry, "body_ct", rows["other"], moved)

    with pytest.raises(DecryptionError):
        services.journal.get(alice.principal, rows["other"])
    response = client.get(f"/api/v1/journal/{rows['other']}", headers=alice.headers)
    _assert_decryption_error(response, leaked=(DIARY, OTHER))
    assert "decryption_failed" in caplog.text  # the failure is logged, by its code only
    assert DIARY not in caplog.text and OTHER not in caplog.text
    # The row the ciphertext came from still reads.
    assert services.journal.get(alice.principal, rows["diary"]).body == DIARY


def test_journal_body_copied_into_another_users_row_fails_to_decrypt(
    services: Services, db: Database, bob: Persona, client: TestClient, rows: dict[str, str]
) -> None:
    _store(
        db,
        JournalEntry,
        "body_ct",
        rows["bob"],
        _column(db, JournalEntry, "body_ct", rows["diary"]),
    )

    with pytest.raises(DecryptionError):
        services.journal.get(bob.principal, rows["bob"])
    response = client.get(f"/api/v1/journal/{rows['bob']}", headers=bob.headers)
    _assert_decryption_error(response, leaked=(DIARY,))


def test_row_handed_to_another_user_fails_to_decrypt(
    services: Services,
    db: Database,
    alice: Persona,
    bob: Persona,
    client: TestClient,
    rows: dict[str, str],
) -> None:
    with db.transaction() as tx:
        tx.execute(
            update(JournalEntry)
            .where(JournalEntry.id == rows["diary"])
            .values(user_id=bob.principal.user_id)
        )

    response = client.get(f"/api/v1/journal/{rows['diary']}", headers=bob.headers)
    _assert_decryption_error(response, leaked=(DIARY,))


def test_check_in_note_copied_into_a_journal_body_fails_to_decrypt(
    services: Services, db: Database, alice: Persona, client: TestClient, rows: dict[str, str]
) -> None:
    note = _column(db, CheckIn, "note_ct", rows["checkin"])
    _store(db, JournalEntry, "body_ct", rows["other"], note)

    with pytest.raises(DecryptionError):
        services.journal.get(alice.principal, rows["other"])
    response = client.get(f"/api/v1/journal/{rows['other']}", headers=alice.headers)
    _assert_decryption_error(response, leaked=(NOTE, OTHER))


def test_title_copied_into_the_body_of_the_same_row_fails_to_decrypt(
    services: Services, db: Database, alice: Persona, rows: dict[str, str]
) -> None:
    title = _column(db, JournalEntry, "title_ct", rows["diary"])
    _store(db, JournalEntry, "body_ct", rows["diary"], title)

    with pytest.raises(DecryptionError):
        services.journal.get(alice.principal, rows["diary"])


def test_a_tampered_stored_blob_answers_in_the_error_shape(
    services: Services, db: Database, alice: Persona, client: TestClient, rows: dict[str, str]
) -> None:
    blob = bytearray(_column(db, CheckIn, "note_ct", rows["checkin"]))
    blob[-1] ^= 0x01
    _store(db, CheckIn, "note_ct", rows["checkin"], bytes(blob))

    response = client.get(f"/api/v1/checkins/{rows['checkin']}", headers=alice.headers)
    _assert_decryption_error(response, leaked=(NOTE,))


# -- the blob format itself ----------------------------------------------------------------------

KEY = bytes(range(32))
CIPHER = FieldCipher(KEY, "owner")
ROW = ("journal_entries", "body", "row-1")


def _blob(text: str = "a short secret") -> bytes:
    return CIPHER.encrypt(*ROW, text)


def test_blob_round_trips_and_starts_with_its_version() -> None:
    blob = _blob()
    assert blob[0] == BLOB_VERSION
    assert CIPHER.decrypt(*ROW, blob) == "a short secret"


@pytest.mark.parametrize("length", [0, 1, NONCE_BYTES, 1 + NONCE_BYTES, 1 + NONCE_BYTES + 15])
def test_truncated_blob_is_rejected_before_decrypting(length: int) -> None:
    with pytest.raises(DecryptionError, match="truncated"):
        CIPHER.decrypt(*ROW, _blob()[:length])


def test_blob_missing_its_last_byte_fails_authentication() -> None:
    blob = _blob()
    for cut in range(1 + NONCE_BYTES + 16, len(blob)):
        with pytest.raises(DecryptionError):
            CIPHER.decrypt(*ROW, blob[:cut])


def test_every_single_bit_flip_fails() -> None:
    blob = _blob()
    for position in range(len(blob)):
        for bit in range(8):
            tampered = bytearray(blob)
            tampered[position] ^= 1 << bit
            with pytest.raises(DecryptionError):
                CIPHER.decrypt(*ROW, bytes(tampered))


@pytest.mark.parametrize("version", [0, BLOB_VERSION + 1, 0x7F, 0xFF])
def test_unknown_version_prefix_is_rejected(version: int) -> None:
    blob = bytes([version]) + _blob()[1:]
    with pytest.raises(DecryptionError, match="version"):
        CIPHER.decrypt(*ROW, blob)


def test_version_is_bound_into_the_authenticated_data() -> None:
    # Even a reader that accepted another version byte could not authenticate the blob.
    blob = _blob()
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    aad = b"steadymind/field/owner/journal_entries/body/row-1"
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    assert AESGCM(KEY).decrypt(nonce, body, bytes([BLOB_VERSION]) + aad) == b"a short secret"
    with pytest.raises(InvalidTag):
        AESGCM(KEY).decrypt(nonce, body, bytes([BLOB_VERSION + 1]) + aad)


@pytest.mark.parametrize(
    ("owner", "table", "column", "row"),
    [
        ("someone-else", *ROW),
        ("owner", "checkins", "body", "row-1"),
        ("owner", "journal_entries", "title", "row-1"),
        ("owner", "journal_entries", "body", "row-2"),
    ],
    ids=["owner", "table", "column", "row"],
)
def test_blob_is_bound_to_owner_table_column_and_row(
    owner: str, table: str, column: str, row: str
) -> None:
    with pytest.raises(DecryptionError):
        FieldCipher(KEY, owner).decrypt(table, column, row, _blob())


def test_wrapped_data_key_is_bound_to_its_user() -> None:
    kek = vault.secret_kek(b"\x01" * 32, "session")
    wrapped = vault.wrap_key(kek, KEY, purpose="session", bound_to="session-a")
    assert vault.unwrap_key(kek, wrapped, purpose="session", bound_to="session-a") == KEY
    with pytest.raises(DecryptionError):
        vault.unwrap_key(kek, wrapped, purpose="session", bound_to="session-b")
    with pytest.raises(DecryptionError):
        vault.unwrap_key(kek, wrapped, purpose="token", bound_to="session-a")
