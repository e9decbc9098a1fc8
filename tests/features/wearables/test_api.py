"""The wearables API: send a file as the body, follow the import, read the days."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Persona
from tests.features.wearables.synth import apple_export
from tests.support import Services


def _auth(persona: Persona) -> dict[str, str]:
    return {"Authorization": f"Bearer {persona.token}"}


def test_an_export_sent_as_the_body_is_imported_and_its_days_read(
    client: TestClient, alice: Persona, services: Services, tmp_path: Path
) -> None:
    first = services.clock.now().date() - timedelta(days=9)
    body = apple_export(tmp_path / "export.xml", first=first, days=10).read_bytes()
    headers = {**_auth(alice), "Content-Type": "application/octet-stream"}
    sent = client.post(
        "/api/v1/wearables/imports?importer=apple-health", content=body, headers=headers
    )
    assert sent.status_code == 201, sent.text
    run = sent.json()
    assert run["status"] == "done" and run["added"] > 0 and run["duplicates"] == 0
    again = client.post(
        "/api/v1/wearables/imports?importer=apple-health", content=body, headers=headers
    )
    assert again.json()["added"] == 0
    days = client.get("/api/v1/wearables/days", headers=_auth(alice)).json()
    assert len(days["days"]) == 10
    assert days["usual"]["sleep.hours"]["days"] == 10
    assert set(days["days"][-1]["places"].values()) <= {"low", "usual", "high"}
    listed = client.get("/api/v1/wearables/imports", headers=_auth(alice)).json()
    assert {r["id"] for r in listed} == {again.json()["id"], run["id"]}
    assert client.get(f"/api/v1/wearables/imports/{run['id']}", headers=_auth(alice)).json() == run


def test_an_upload_may_be_larger_than_a_request_but_other_routes_are_not(
    client: TestClient, alice: Persona, services: Services
) -> None:
    big = b"x" * (services.settings.max_body_bytes + 10)
    headers = {**_auth(alice), "Content-Type": "application/octet-stream"}
    sent = client.post(
        "/api/v1/wearables/imports?importer=apple-health", content=big, headers=headers
    )
    assert sent.status_code == 422  # read in full, then refused as not an export
    assert client.post("/api/v1/checkins", content=big, headers=headers).status_code == 413


def test_an_unknown_importer_and_an_empty_file_are_refused(
    client: TestClient, alice: Persona
) -> None:
    headers = {**_auth(alice), "Content-Type": "application/octet-stream"}
    unknown = client.post("/api/v1/wearables/imports?importer=polar", content=b"x", headers=headers)
    assert unknown.status_code == 404 and "apple-health" in unknown.json()["error"]["message"]
    empty = client.post("/api/v1/wearables/imports?importer=fit", content=b"", headers=headers)
    assert empty.status_code == 422


def test_the_choice_of_what_is_kept(client: TestClient, alice: Persona) -> None:
    assert client.get("/api/v1/wearables/settings", headers=_auth(alice)).json() == {
        "keep_samples": True
    }
    put = client.put(
        "/api/v1/wearables/settings", json={"keep_samples": False}, headers=_auth(alice)
    )
    assert put.json() == {"keep_samples": False}


def test_importers_are_listed(client: TestClient, alice: Persona) -> None:
    names = [
        i["name"] for i in client.get("/api/v1/wearables/importers", headers=_auth(alice)).json()
    ]
    assert names == ["apple-health", "csv", "fit", "fitbit", "oura"]
