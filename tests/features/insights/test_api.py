"""The insights' JSON API: the shapes later checks read, and one person's data only."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Persona

FIXTURES = Path(__file__).parents[2] / "fixtures" / "insights"


def _daylio(client: TestClient, who: Persona, moods: str = "{}") -> object:
    upload = {"file": ("d.csv", (FIXTURES / "daylio_en.csv").read_bytes(), "text/csv")}
    return client.post(
        "/api/v1/imports/daylio", files=upload, data={"moods": moods}, headers=who.headers
    )


def test_import_asks_for_custom_moods_then_imports_once(client: TestClient, alice: Persona) -> None:
    first = _daylio(client, alice)
    assert first.status_code == 422  # type: ignore[attr-defined]
    assert first.json()["error"]["details"]["moods"] == ["sleepy"]  # type: ignore[attr-defined]
    second = _daylio(client, alice, '{"sleepy": -1}')
    assert second.json() == {"added": 6, "skipped": 0, "gate": None}  # type: ignore[attr-defined]
    third = _daylio(client, alice)
    assert third.json()["added"] == 0  # type: ignore[attr-defined]


def test_insights_have_the_documented_fields(client: TestClient, alice: Persona) -> None:
    body = client.get("/api/v1/insights?days=90", headers=alice.headers).json()
    assert set(body) == {"days", "enough", "message", "caution", "tested", "findings"}
    assert body["findings"] == [] and body["enough"] is False


def test_views_and_questionnaires(client: TestClient, alice: Persona, bob: Persona) -> None:
    _daylio(client, alice, '{"sleepy": -1}')
    views = client.get("/api/v1/insights/views?days=365", headers=alice.headers).json()
    assert sum(d["days"] for d in views["weekdays"]) == 5  # five days with check-ins
    taken = client.post(
        "/api/v1/assessments",
        json={"instrument": "gad7", "answers": [1] * 7},
        headers=alice.headers,
    ).json()
    assert (taken["total"], taken["band"], taken["gate"]) == (7, "mild", None)
    mine = client.get("/api/v1/assessments?instrument=gad7", headers=alice.headers).json()
    assert [t["total"] for t in mine] == [7]
    assert client.get("/api/v1/assessments", headers=bob.headers).json() == []
    wrong = client.post(
        "/api/v1/assessments", json={"instrument": "gad7", "answers": [1]}, headers=alice.headers
    )
    assert wrong.status_code == 422


def test_warning_rules_are_each_persons_own(
    client: TestClient, alice: Persona, bob: Persona
) -> None:
    rule = {"kind": "mood_falling", "days": 5}
    made = client.post("/api/v1/warnings/rules", json=rule, headers=alice.headers).json()
    assert made["title"] == "Mood falling 5 days running"
    assert client.get("/api/v1/warnings/rules", headers=bob.headers).json() == []
    gone = client.delete(f"/api/v1/warnings/rules/{made['id']}", headers=bob.headers)
    assert gone.status_code == 404
    assert (
        client.delete(f"/api/v1/warnings/rules/{made['id']}", headers=alice.headers).status_code
        == 204
    )


def test_the_forecast_is_not_offered_without_enough_days(
    client: TestClient, alice: Persona
) -> None:
    body = client.get("/api/v1/insights/forecast", headers=alice.headers).json()
    assert body["offered"] is False and body["days"] == []
