"""The canary scan: what a person writes is unreadable everywhere but in their own export.

Alice writes a journal entry (title and body) and a check-in note, each holding a unique sentence,
then edits and searches them; Bob exports his data. Every log record of the whole flow is captured
at DEBUG. The sentences, in several encodings, must appear nowhere in the raw SQLite file, its WAL,
file-level backups of the database, any column read back with SQL, Bob's exports or the logs; and
they must all appear in Alice's own export (so the scan is not vacuous, a plaintext tag is found in
the raw files too).
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from steadymind.db.engine import Database
from steadymind.safety.gate import default_gate
from steadymind.screen import EmotionReader, ModelEmotionReader
from tests.conftest import Persona, metadata
from tests.support import PG_URL, FakeEmotions, FakeGate

sqlite_only = pytest.mark.skipif(
    bool(PG_URL),
    reason="raw-file scan of the SQLite file, WAL and backups: "
    "not applicable on PostgreSQL (the column scan covers it)",
)


@dataclass
class Canary:
    title: str
    body: str
    note: str
    edited_body: str
    web_body: str  # written through the web form, not the API
    web_note: str
    tag: str  # plaintext by design: the positive control for the raw scans
    logs: str = ""
    alice_json: bytes = b""
    alice_zip: dict[str, bytes] = field(default_factory=dict)
    bob_json: bytes = b""
    bob_zip: dict[str, bytes] = field(default_factory=dict)
    responses: list[str] = field(default_factory=list)

    @property
    def secrets(self) -> dict[str, str]:
        return {
            "title": self.title,
            "body": self.body,
            "note": self.note,
            "edited body": self.edited_body,
            "web journal body": self.web_body,
            "web check-in note": self.web_note,
        }


def variants(sentence: str) -> dict[str, bytes]:
    """The ways a sentence could sit in a file if it were stored in the clear."""
    return {
        "utf-8": sentence.encode("utf-8"),
        "utf-8 lowercase": sentence.lower().encode("utf-8"),
        "utf-8 uppercase": sentence.upper().encode("utf-8"),
        "utf-16-le": sentence.encode("utf-16-le"),
        "utf-16-be": sentence.encode("utf-16-be"),
        "hex": sentence.encode("utf-8").hex().encode(),
        # The unique part alone, in case the sentence were split or re-encoded around it.
        "uuid": sentence.split("#")[1].encode(),
    }


CASE_INSENSITIVE = {"hex", "uuid"}
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
CLIENT_LOGGERS = ("httpx", "httpcore")


def find(sentence: str, haystack: bytes) -> list[str]:
    """The names of the variants of ``sentence`` found in ``haystack``."""
    lowered = haystack.lower()
    return [
        name
        for name, needle in variants(sentence).items()
        if needle in (lowered if name in CASE_INSENSITIVE else haystack)
    ]


def _unzip(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _sentence(what: str) -> str:
    # Mixed case and non-ASCII so that encoding and case variants differ from the plain bytes;
    # words of distress so that the real safety gate quotes evidence into its (sealed) analysis.
    return f"Canary {what} Ünïcode sentence #{uuid.uuid4().hex}# Élan vital, I feel hopeless"


@pytest.fixture(params=["fake gate", "real gate"])
def gate(request: pytest.FixtureRequest) -> Any:
    """Run the whole scan twice: with the test double and with the production safety gate,
    whose analyses quote evidence from the text (sealed beside it, never logged)."""
    return default_gate() if request.param == "real gate" else FakeGate()


@pytest.fixture
def emotions(gate: Any) -> EmotionReader:
    """The shipped emotion model beside the shipped gate: its reading is sealed too."""
    return FakeEmotions() if isinstance(gate, FakeGate) else ModelEmotionReader()


@pytest.fixture
def canary(
    app: Any,
    client: TestClient,
    alice: Persona,
    bob: Persona,
    caplog: pytest.LogCaptureFixture,
) -> Canary:
    caplog.set_level(logging.DEBUG)
    c = Canary(
        title=_sentence("title"),
        body=_sentence("journal body"),
        note=_sentence("check-in note"),
        edited_body=_sentence("edited journal body"),
        web_body=_sentence("web journal body"),
        web_note=_sentence("web check-in note"),
        tag=f"plaintag{uuid.uuid4().hex[:12]}",
    )

    def ok(response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        c.responses.append(response.text)
        return response

    entry = ok(
        client.post(
            "/api/v1/journal",
            json={"title": c.title, "body": c.body, "tags": [c.tag]},
            headers=alice.headers,
        ),
        201,
    ).json()["entry"]
    ok(
        client.post(
            "/api/v1/checkins",
            json={"mood": -1, "energy": 2, "emotions": ["nervousness"], "note": c.note},
            headers=alice.headers,
        ),
        201,
    )
    second = ok(
        client.post("/api/v1/journal", json={"body": c.body}, headers=alice.headers), 201
    ).json()["entry"]
    ok(
        client.patch(
            f"/api/v1/journal/{second['id']}", json={"body": c.edited_body}, headers=alice.headers
        )
    )
    # Alice's browser: the same words through the web forms.
    with TestClient(app, base_url="http://testserver") as browser:
        page = ok(browser.get("/login"))
        csrf = CSRF_FIELD.search(page.text)
        assert csrf
        form = {"csrf": csrf.group(1)}
        login = {"username": alice.username, "password": alice.password}
        ok(browser.post("/login", data={**form, **login}, follow_redirects=False), 303)
        # The forms of a session carry that session's token (tests/security/test_csrf.py).
        csrf = CSRF_FIELD.search(ok(browser.get("/journal/new")).text)
        assert csrf
        form = {"csrf": csrf.group(1)}
        ok(browser.post("/journal/new", data={**form, "body": c.web_body}), 200)
        ok(browser.post("/checkin", data={**form, "mood": "1", "energy": "0", "note": c.web_note}))
        ok(browser.get("/history"))
        ok(browser.get("/journal", params={"q": c.web_body}))
    # A search for the sentence (query strings must not reach the access log) ...
    found = ok(client.get("/api/v1/journal", params={"q": c.body}, headers=alice.headers))
    assert entry["id"] in {e["id"] for e in found.json()}
    # ... and a rejected request that carries it (errors must not echo it).
    rejected = client.post(
        "/api/v1/checkins", json={"mood": 99, "energy": 0, "note": c.note}, headers=alice.headers
    )
    assert rejected.status_code == 422
    assert c.note not in rejected.text

    c.bob_json = ok(client.get("/api/v1/export", headers=bob.headers)).content
    c.bob_zip = _unzip(
        ok(client.get("/api/v1/export", params={"format": "csv"}, headers=bob.headers)).content
    )
    c.alice_json = ok(client.get("/api/v1/export", headers=alice.headers)).content
    c.alice_zip = _unzip(
        ok(client.get("/api/v1/export", params={"format": "csv"}, headers=alice.headers)).content
    )
    # Everything the server side logged. The test client's own HTTP library logs the URLs it
    # requests (query strings included): that is the caller, not steadymind, so it is left out.
    server = [r for r in caplog.records if not r.name.startswith(CLIENT_LOGGERS)]
    c.logs = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}"
        for r in server
    )
    assert "/api/v1/export" in c.logs, "the access log was captured"
    return c


def test_owners_export_holds_every_sentence(canary: Canary) -> None:
    for name, sentence in canary.secrets.items():
        assert sentence.encode() in canary.alice_json, name
        assert any(sentence.encode() in part for part in canary.alice_zip.values()), name


def test_another_users_export_holds_none_of_them(canary: Canary) -> None:
    for name, sentence in canary.secrets.items():
        assert find(sentence, canary.bob_json) == [], f"{name} in Bob's JSON export"
        for part, blob in canary.bob_zip.items():
            assert find(sentence, blob) == [], f"{name} in Bob's CSV export ({part})"
    assert canary.tag.encode() not in canary.bob_json


def test_logs_hold_none_of_them(canary: Canary) -> None:
    for name, sentence in canary.secrets.items():
        assert find(sentence, canary.logs.encode()) == [], f"{name} was logged"


def _database_path(db: Database) -> Path:
    database = db.engine.url.database
    assert database
    return Path(database)


def _scan(canary: Canary, blob: bytes, where: str) -> None:
    assert canary.tag.encode() in blob, f"positive control: the plaintext tag is in {where}"
    for name, sentence in canary.secrets.items():
        assert find(sentence, blob) == [], f"{name} readable in {where}"


@sqlite_only
def test_sqlite_file_and_wal_hold_none_of_them(canary: Canary, db: Database) -> None:
    path = _database_path(db)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists(), "the database runs in WAL mode and the WAL holds the recent writes"
    files = {p.name: p.read_bytes() for p in (path, wal) if p.exists()}
    shm = path.with_name(path.name + "-shm")
    if shm.exists():
        files[shm.name] = shm.read_bytes()
    _scan(canary, b"".join(files.values()), "the database file and its WAL")
    for name, blob in files.items():
        for secret, sentence in canary.secrets.items():
            assert find(sentence, blob) == [], f"{secret} readable in {name}"


@sqlite_only
def test_backups_of_the_database_hold_none_of_them(
    canary: Canary, db: Database, tmp_path: Path
) -> None:
    path = _database_path(db)
    # 1. The online backup API (what `sqlite3 .backup` does).
    online = tmp_path / "online-backup.db"
    with sqlite3.connect(path) as source, sqlite3.connect(online) as target:
        source.backup(target)
    source.close()
    target.close()
    _scan(canary, online.read_bytes(), "an online backup")
    # 2. A file copy of the database and its WAL, opened and checkpointed (a restore).
    copy_dir = tmp_path / "file-copy"
    copy_dir.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(path.with_name(path.name + suffix), copy_dir / (path.name + suffix))
    restored = sqlite3.connect(copy_dir / path.name)
    restored.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dump = "\n".join(restored.iterdump()).encode()
    restored.close()
    _scan(canary, (copy_dir / path.name).read_bytes(), "a restored file copy")
    # 3. An SQL text dump (what `sqlite3 .dump` does): blobs appear as hex literals.
    _scan(canary, dump, "an SQL dump")


def _all_columns_as_text(db: Database) -> Iterator[tuple[str, str]]:
    """Every row of every table the database has (not only those the code knows), as text."""
    tables = inspect(db.engine).get_table_names()
    assert {t.name for t in metadata.sorted_tables} <= set(tables)
    with db.engine.connect() as conn:
        for table in tables:
            if db.engine.dialect.name == "postgresql":
                # A row cast to text shows bytea as hex, so plaintext in a blob would show as hex.
                for (row,) in conn.execute(text(f'SELECT t::text FROM "{table}" AS t')):
                    yield table, str(row)
            else:
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    yield table, " ".join(v.hex() if isinstance(v, bytes) else str(v) for v in row)


def test_no_column_holds_any_of_them(canary: Canary, db: Database) -> None:
    rows = list(_all_columns_as_text(db))
    assert any(canary.tag in row for _, row in rows), "positive control: the tag is stored"
    for table, row in rows:
        for name, sentence in canary.secrets.items():
            assert find(sentence, row.encode()) == [], f"{name} readable in table {table}"


def _alices_blobs(db: Database, user_id: str) -> list[bytes]:
    """Every binary value (ciphertext, wrapped keys, hashes) in the rows that belong to Alice."""
    blobs = []
    with db.engine.connect() as conn:
        for table in inspect(db.engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                values = list(row)
                if user_id in {str(v) for v in values}:
                    blobs += [bytes(v) for v in values if isinstance(v, bytes | memoryview)]
    return [b for b in blobs if len(b) >= 32]


def _delete_alice(client: TestClient, alice: Persona) -> None:
    response = client.post(
        "/api/v1/me/delete", json={"password": alice.password}, headers=alice.headers
    )
    assert response.status_code == 204, response.text


@sqlite_only
def test_deleted_accounts_ciphertext_is_gone_from_the_file_and_wal(
    canary: Canary, db: Database, client: TestClient, alice: Persona
) -> None:
    blobs = _alices_blobs(db, alice.principal.user_id)
    assert len(blobs) >= 8, "Alice's entries, notes, analyses, wrapped keys"
    path = _database_path(db)
    before = b"".join(
        p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )
    assert all(blob[-16:] in before for blob in blobs), "positive control: the blobs were there"

    _delete_alice(client, alice)

    after = b"".join(
        p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )
    left = [blob.hex()[:16] for blob in blobs if blob[-16:] in after or blob[1:17] in after]
    assert left == [], f"{len(left)} of Alice's {len(blobs)} blobs remain on disk after deletion"


def test_deleted_account_leaves_no_row(
    canary: Canary, db: Database, client: TestClient, alice: Persona
) -> None:
    _delete_alice(client, alice)

    for table, row in _all_columns_as_text(db):
        assert alice.principal.user_id not in row, f"a row of Alice's remains in {table}"
        assert canary.tag not in row, f"Alice's tag remains in {table}"
