"""The JSON API: happy paths, the one error shape for every 4xx, sizes, auth failures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steadymind.core.clock import FrozenClock
from steadymind.core.errors import AuthenticationError
from tests.conftest import PASSWORD, Persona
from tests.support import FAKE_HIGH, Services


def assert_error_shape(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return dict(body["error"])


def test_sign_up_returns_a_recovery_key_and_a_working_token(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/signup",
        json={"username": "erin", "password": "a long enough secret", "country": "ie"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(body["recovery_key"].replace("-", "")) == 32
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"}).json()
    assert (me["username"], me["country"]) == ("erin", "IE")


def test_token_login_logout(client: TestClient, alice: Persona) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    token = response.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_error_shape(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_checkin_crud_over_the_api(client: TestClient, alice: Persona) -> None:
    created = client.post(
        "/api/v1/checkins",
        json={
            "mood": -2,
            "energy": 3,
            "emotions": ["nervousness"],
            "tags": ["exam"],
            "note": "exam tomorrow",
            "at": "2026-01-15T08:30:00+01:00",
            "tz": "Europe/Berlin",
        },
        headers=alice.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    item_id = body["checkin"]["id"]
    assert body["gate"]["level"] == "none"
    assert body["gate"]["suggested_emotions"] == ["joyful"]
    patched = client.patch(f"/api/v1/checkins/{item_id}", json={"mood": 1}, headers=alice.headers)
    assert patched.json()["checkin"]["mood"] == 1
    listed = client.get(
        "/api/v1/checkins", params={"start": "2026-01-15T00:00:00Z"}, headers=alice.headers
    )
    assert [c["id"] for c in listed.json()] == [item_id]
    assert client.delete(f"/api/v1/checkins/{item_id}", headers=alice.headers).status_code == 204
    assert_error_shape(
        client.get(f"/api/v1/checkins/{item_id}", headers=alice.headers), 404, "not_found"
    )


def test_journal_crud_and_search_over_the_api(client: TestClient, alice: Persona) -> None:
    created = client.post(
        "/api/v1/journal",
        json={"title": "Tea", "body": "green tea helped", "tags": ["calm"]},
        headers=alice.headers,
    )
    entry_id = created.json()["entry"]["id"]
    client.post("/api/v1/journal", json={"body": "nothing here"}, headers=alice.headers)
    found = client.get("/api/v1/journal", params={"q": "TEA"}, headers=alice.headers).json()
    assert [e["id"] for e in found] == [entry_id]
    patched = client.patch(
        f"/api/v1/journal/{entry_id}", json={"title": "Green tea"}, headers=alice.headers
    )
    assert patched.json()["entry"]["title"] == "Green tea"
    assert client.delete(f"/api/v1/journal/{entry_id}", headers=alice.headers).status_code == 204


def test_crisis_text_returns_the_crisis_flag(client: TestClient, alice: Persona) -> None:
    response = client.post("/api/v1/journal", json={"body": FAKE_HIGH}, headers=alice.headers)
    gate = response.json()["gate"]
    assert gate["stops_flow"] is True
    assert gate["level"] == "high"
    assert gate["suggested_emotions"] == []
    assert gate["crisis"]["allow_generated_text"] is False
    assert gate["crisis"]["resources"]["emergency"] == "999"  # Alice lives in GB


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"mood": 9, "energy": 0}, "body.mood"),
        ({"mood": "happy", "energy": 0}, "body.mood"),
        ({"energy": 0}, "body.mood"),
        ({"mood": 0, "energy": 0, "extra": True}, "body.extra"),
        ({"mood": 0, "energy": 0, "emotions": "joy"}, "body.emotions"),
        ({"mood": 0, "energy": 0, "emotions": ["not-a-feeling"]}, "body.emotions.0"),
        ({"mood": 0, "energy": 0, "at": "yesterday"}, "body.at"),
        ({"mood": 0, "energy": 0, "note": 5}, "body.note"),
    ],
)
def test_invalid_input_is_a_422_naming_the_field(
    client: TestClient, alice: Persona, payload: dict[str, Any], field: str
) -> None:
    error = assert_error_shape(
        client.post("/api/v1/checkins", json=payload, headers=alice.headers),
        422,
        "validation_error",
    )
    assert field in [e["field"] for e in error["details"]["errors"]]


def test_validation_errors_never_echo_the_submitted_text(
    client: TestClient, alice: Persona
) -> None:
    secret = "my private words that must not echo"
    response = client.post(
        "/api/v1/journal", json={"body": secret, "title": 7}, headers=alice.headers
    )
    assert_error_shape(response, 422)
    assert secret not in response.text


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b"{", 422), (b"not json", 422), (b"[1,2", 422), (b"\xff\xfe\x00", 400), (b"", 422)],
)
def test_malformed_json_is_a_clear_4xx(
    client: TestClient, alice: Persona, raw: bytes, status: int
) -> None:
    response = client.post(
        "/api/v1/checkins",
        content=raw,
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert_error_shape(response, status)


def test_oversized_body_is_rejected_with_413(
    client: TestClient, alice: Persona, services: Services
) -> None:
    big = json.dumps({"body": "x" * (services.settings.max_body_bytes + 10)})
    response = client.post(
        "/api/v1/journal",
        content=big,
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert_error_shape(response, 413, "payload_too_large")


def test_oversized_chunked_body_is_rejected_with_413(
    client: TestClient, alice: Persona, services: Services
) -> None:
    def chunks() -> Any:
        yield b'{"body": "'
        for _ in range(services.settings.max_body_bytes // 1000 + 2):
            yield b"x" * 1000
        yield b'"}'

    response = client.post(
        "/api/v1/journal",
        content=chunks(),
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert_error_shape(response, 413, "payload_too_large")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Bearer smt_" + "0" * 32 + "_AAAA"},
        {"Authorization": "Basic Zm9vOmJhcg=="},
    ],
)
def test_missing_or_bad_credentials_are_401(client: TestClient, headers: dict[str, str]) -> None:
    assert_error_shape(client.get("/api/v1/checkins", headers=headers), 401)


def test_an_expired_session_sends_the_browser_back_to_log_in(
    client: TestClient, services: Services, alice: Persona, clock: FrozenClock
) -> None:
    # Sessions are the web's; the API takes tokens only (tests/security/test_csrf.py).
    session = services.credentials.log_in("alice", PASSWORD, client="t")
    client.cookies.set("sm_session", session.secret)
    assert client.get("/checkin", follow_redirects=False).status_code == 200
    clock.advance(hours=services.settings.session_absolute_hours + 1)
    response = client.get("/checkin", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    with pytest.raises(AuthenticationError, match="expired"):
        services.credentials.authenticate_session(session.secret)


def test_wrong_password_is_401_and_rate_limit_is_429(
    client: TestClient, alice: Persona, services: Services
) -> None:
    for _ in range(services.settings.login_free_failures):
        assert_error_shape(
            client.post("/api/v1/auth/token", json={"username": "alice", "password": "nope nope"}),
            401,
        )
    response = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    error = assert_error_shape(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) == error["details"]["retry_after"] > 0


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/nope"), ("PUT", "/api/v1/checkins"), ("GET", "/api/v1/checkins/x/y")],
)
def test_unknown_routes_and_methods_keep_the_error_shape(
    client: TestClient, alice: Persona, method: str, path: str
) -> None:
    response = client.request(method, path, headers=alice.headers)
    assert response.status_code in (404, 405)
    assert_error_shape(response, response.status_code)


def test_unexpected_errors_are_a_500_in_the_same_shape(
    app: Any, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = Services(app.state.runtime)

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail that must not leak")

    monkeypatch.setattr(services.checkins, "find", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/checkins", headers=alice.headers)
    assert_error_shape(response, 500, "internal_error")
    assert "secret detail" not in response.text


def test_password_change_and_account_deletion_over_the_api(
    client: TestClient, alice: Persona
) -> None:
    assert_error_shape(
        client.post(
            "/api/v1/me/password",
            json={"current_password": "wrong", "new_password": "fresh passphrase"},
            headers=alice.headers,
        ),
        401,
    )
    assert (
        client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "fresh passphrase"},
            headers=alice.headers,
        ).status_code
        == 204
    )
    assert (
        client.post(
            "/api/v1/me/delete", json={"password": "fresh passphrase"}, headers=alice.headers
        ).status_code
        == 204
    )
    assert_error_shape(client.get("/api/v1/me", headers=alice.headers), 401)


def test_recover_over_the_api(client: TestClient, alice: Persona) -> None:
    response = client.post(
        "/api/v1/auth/recover",
        json={
            "username": "alice",
            "recovery_key": alice.recovery_key,
            "new_password": "fresh passphrase",
        },
    )
    assert response.status_code == 200
    assert response.json()["recovery_key"] != alice.recovery_key


def test_credentials_can_be_listed_created_and_revoked(client: TestClient, alice: Persona) -> None:
    new = client.post("/api/v1/me/tokens", json={"name": "phone"}, headers=alice.headers).json()
    kinds = {
        (c["kind"], c["name"])
        for c in client.get("/api/v1/me/credentials", headers=alice.headers).json()
    }
    assert ("token", "phone") in kinds
    assert (
        client.delete(f"/api/v1/me/tokens/{new['token_id']}", headers=alice.headers).status_code
        == 204
    )
    assert_error_shape(
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['token']}"}), 401
    )


def test_export_json_holds_everything_decrypted(client: TestClient, alice: Persona) -> None:
    client.post(
        "/api/v1/checkins",
        json={"mood": 1, "energy": 2, "note": "export me"},
        headers=alice.headers,
    )
    client.post("/api/v1/journal", json={"title": "T", "body": "entry body"}, headers=alice.headers)
    data = client.get("/api/v1/export", headers=alice.headers).json()
    assert (data["format"], data["version"]) == ("steadymind-export", 1)
    assert data["account"]["username"] == "alice"
    assert data["checkins"][0]["note"] == "export me"
    assert data["journal"][0]["body"] == "entry body"


def test_export_csv_is_a_zip_of_csv_files(client: TestClient, alice: Persona) -> None:
    import csv
    import io
    import zipfile

    client.post(
        "/api/v1/checkins",
        json={"mood": 1, "energy": 2, "note": '=HYPERLINK("x")'},
        headers=alice.headers,
    )
    response = client.get("/api/v1/export", params={"format": "csv"}, headers=alice.headers)
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"checkins.csv", "journal.csv", "account.csv"} <= set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("checkins.csv").decode())))
    assert rows[0]["note"] == '\'=HYPERLINK("x")'  # formula neutralised


def test_openapi_schema_is_served_and_docs_use_no_cdn(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/checkins" in schema["paths"]
    assert client.get("/docs").status_code == 404


def test_vocabulary_is_available(client: TestClient, alice: Persona) -> None:
    words = client.get("/api/v1/vocabulary/emotions", headers=alice.headers).json()
    assert "grateful" in words and "anxious" in words
