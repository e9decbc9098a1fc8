"""Errors as a client meets them: a 500 that keeps the connection and reaches the access log, a
full disk said in words, 401 with its challenge, 415 for a body that is not JSON, and messages
that read as sentences."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from steadymind.core.errors import DISK_FULL
from tests.conftest import PASSWORD, Persona
from tests.http.test_api import assert_error_shape
from tests.support import PG_URL, Services


@contextmanager
def serving(app: Any) -> Iterator[int]:
    """The app under uvicorn (what `steadymind serve` runs) on a free loopback port."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("secret detail that must not leak")


def test_a_500_keeps_the_connection_alive_and_reaches_the_access_log(
    app: Any,
    alice: Persona,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(services.checkins, "find", _boom)
    caplog.set_level(logging.INFO, logger="steadymind.access")
    with serving(app) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/v1/checkins", headers=alice.headers)
        failed = conn.getresponse()
        body = json.loads(failed.read())
        sock = conn.sock
        assert failed.status == 500
        assert body["error"]["code"] == "internal_error"
        assert "secret detail" not in json.dumps(body)
        # The same connection serves the next request (uvicorn closed it after every 500).
        conn.request("GET", "/api/v1/health")
        after = conn.getresponse()
        assert after.status == 200 and json.loads(after.read())["status"] == "ok"
        assert conn.sock is sock
        conn.close()
    access = [r.getMessage() for r in caplog.records if r.name == "steadymind.access"]
    assert any(line.startswith("GET /api/v1/checkins 500 ") for line in access), access
    assert not any("secret detail" in r.getMessage() for r in caplog.records)


def test_a_500_on_a_page_is_the_error_page(
    app: Any, alice: Persona, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.test_pages import log_in

    monkeypatch.setattr(services.checkins, "find", _boom)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as browser:
        log_in(browser, alice)
        response = browser.get("/history")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "secret detail" not in response.text


# -- a full disk ---------------------------------------------------------------------------------


@pytest.fixture
def full_disk(services: Services) -> Iterator[None]:
    """SQLite's own SQLITE_FULL: the database may not grow by one more page."""
    engine = services.db.engine

    def cap(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    event.listen(engine, "connect", cap)
    yield
    event.remove(engine, "connect", cap)
    engine.dispose()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's page cap stands in for a full disk")
def test_a_full_disk_is_said_in_words_on_the_api(
    client: TestClient, alice: Persona, full_disk: None
) -> None:
    response = client.post(
        "/api/v1/journal", json={"title": "A day", "body": "word " * 20000}, headers=alice.headers
    )
    error = assert_error_shape(response, 507, "disk_full")
    assert error["message"] == DISK_FULL
    assert "the server's disk is full" in error["message"].lower()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's page cap stands in for a full disk")
def test_a_full_disk_is_said_in_words_on_a_page(app: Any, alice: Persona, full_disk: None) -> None:
    from tests.web.test_pages import csrf_of, log_in

    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as browser:
        log_in(browser, alice)
        page = browser.get("/journal/new").text
        response = browser.post(
            "/journal/new", data={"title": "A day", "body": "word " * 20000, "csrf": csrf_of(page)}
        )
    assert response.status_code == 507
    assert "disk is full" in response.text


# -- 401 and 415 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        ({}, 'Bearer realm="steadymind"'),
        ({"Authorization": "Bearer nope"}, 'Bearer realm="steadymind", error="invalid_token"'),
        ({"Authorization": "Basic Zm9vOmJhcg=="}, 'Bearer realm="steadymind"'),
    ],
)
def test_a_401_says_how_to_authenticate(
    client: TestClient, headers: dict[str, str], challenge: str
) -> None:
    response = client.get("/api/v1/me", headers=headers)
    assert_error_shape(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"] == challenge


def test_a_wrong_password_for_a_token_is_a_401_with_its_challenge(
    client: TestClient, alice: Persona
) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "alice", "password": "no!"})
    assert_error_shape(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_a_body_that_is_not_json_is_a_415(
    client: TestClient, alice: Persona, services: Services, content_type: str | None
) -> None:
    headers = {**alice.headers}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post("/api/v1/checkins", content=b'{"mood": 1, "energy": 0}', headers=headers)
    error = assert_error_shape(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]
    assert services.checkins.find(alice.principal) == []


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/x+json"]
)
def test_json_in_any_of_its_spellings_is_accepted(
    client: TestClient, alice: Persona, content_type: str
) -> None:
    response = client.post(
        "/api/v1/checkins",
        content=b'{"mood": 1, "energy": 0}',
        headers={**alice.headers, "Content-Type": content_type},
    )
    assert response.status_code == 201, response.text


def test_a_route_that_reads_no_body_does_not_ask_for_a_type(
    client: TestClient, alice: Persona
) -> None:
    response = client.post("/api/v1/auth/logout", headers=alice.headers)
    assert response.status_code == 204


# -- messages read as sentences ------------------------------------------------------------------


def _errors(client: TestClient, alice: Persona, services: Services) -> Iterator[Any]:
    h = alice.headers
    as_json = {**h, "Content-Type": "application/json"}
    yield client.post("/api/v1/checkins", content=b"\xff\xfe\x00", headers=as_json)
    yield client.get("/api/v1/me")
    yield client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    foreign = {**h, "Origin": "https://x.example"}
    yield client.post("/api/v1/checkins", json={"mood": 1}, headers=foreign)
    yield client.get("/api/v1/nope", headers=h)
    yield client.get(f"/api/v1/checkins/{'0' * 32}", headers=h)
    yield client.put("/api/v1/checkins", headers=h)
    too_big = b"x" * (services.settings.max_body_bytes + 1)
    yield client.post("/api/v1/journal", content=too_big, headers=as_json)
    as_text = {**h, "Content-Type": "text/plain"}
    yield client.post("/api/v1/checkins", content=b"{}", headers=as_text)
    yield client.post("/api/v1/checkins", json={"mood": 99}, headers=h)
    yield client.post("/api/v1/auth/signup", json={"username": "alice", "password": PASSWORD})
    for _ in range(services.settings.login_free_failures + 1):
        last = client.post("/api/v1/auth/token", json={"username": "alice", "password": "no no"})
    yield last


def test_every_http_error_message_starts_with_a_capital(
    client: TestClient, alice: Persona, services: Services
) -> None:
    statuses = set()
    for response in _errors(client, alice, services):
        error = response.json()["error"]
        statuses.add(response.status_code)
        assert error["message"][:1].isupper(), (response.status_code, error["message"])
        for problem in error["details"].get("errors", []):
            assert problem["problem"][:1].isupper(), problem
    assert statuses >= {400, 401, 403, 404, 405, 409, 413, 415, 422, 429}
