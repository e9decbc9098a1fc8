"""The practice API: the public catalogue, offers, a session from start to rating, what helped."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Persona
from tests.support import FAKE_HIGH


def test_the_catalogue_is_public_and_complete(client: TestClient) -> None:
    body = client.get("/api/v1/practice/catalogue").json()
    assert len(body) >= 12
    box = next(p for p in body if p["id"] == "box-breathing")
    assert box["holds"] and box["references"] and box["cautions"] and box["minutes"] == 4


def test_a_session_from_offer_to_rating(client: TestClient, alice: Persona) -> None:
    h = alice.headers
    offers = client.post("/api/v1/practice/offers", json={"goal": "focus"}, headers=h).json()
    assert offers[0]["practice"] == "box-breathing" and offers[0]["title"]
    made = client.post(
        "/api/v1/practice/sessions",
        json={"goal": "focus", "minutes": 3, "calm_before": 4},
        headers=h,
    )
    assert made.status_code == 201
    session, script = made.json()["session"], made.json()["script"]
    assert script["practice"] == session["practice"] == "box-breathing"
    assert script["breaths"][0]["phase"] == "in" and script["voice"][0]["start"] == 0.0
    path = f"/api/v1/practice/sessions/{session['id']}"
    done = client.post(f"{path}/finish", json={"calm_after": 7}, headers=h).json()
    assert done["session"]["calm_after"] == 7 and done["gate"] is None
    replayed = client.get(path, headers=h).json()["script"]
    assert replayed == {**script, "reasons": []} and script["reasons"]
    helped = client.get("/api/v1/practice/helped", headers=h).json()
    assert helped == [
        {"practice": "box-breathing", "title": "Box breathing", "sessions": 1, "mean_change": 3.0}
    ]
    assert client.delete(path, headers=h).status_code == 204
    assert client.get(path, headers=h).status_code == 404


def test_a_crisis_note_gets_the_crisis_response(client: TestClient, alice: Persona) -> None:
    made = client.post("/api/v1/practice/sessions", json={}, headers=alice.headers).json()
    path = f"/api/v1/practice/sessions/{made['session']['id']}/finish"
    gate = client.post(path, json={"note": FAKE_HIGH}, headers=alice.headers).json()["gate"]
    assert gate["stops_flow"] and gate["crisis"] is not None


def test_ratings_outside_zero_to_ten_are_refused(client: TestClient, alice: Persona) -> None:
    bad = client.post("/api/v1/practice/sessions", json={"calm_before": 11}, headers=alice.headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"]


def test_bob_cannot_see_or_rate_alice_s_session(
    client: TestClient, alice: Persona, bob: Persona
) -> None:
    made = client.post("/api/v1/practice/sessions", json={}, headers=alice.headers).json()
    path = f"/api/v1/practice/sessions/{made['session']['id']}"
    assert client.get(path, headers=bob.headers).status_code == 404
    rated = client.post(f"{path}/finish", json={"calm_after": 1}, headers=bob.headers)
    assert rated.status_code == 404


def test_the_profile_round_trips(client: TestClient, alice: Persona) -> None:
    h = alice.headers
    assert client.get("/api/v1/practice/profile", headers=h).json()["experience"] == "some"
    body = {"experience": "new", "prefs": {"pace": "slow", "no_body": True}}
    saved = client.put("/api/v1/practice/profile", json=body, headers=h).json()
    assert saved["experience"] == "new" and saved["prefs"]["no_body"] is True
