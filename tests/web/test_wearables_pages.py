"""The wearables page: upload (with and without the page's script), progress, days beside mood."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.wearables.service import WearableService
from tests.conftest import Persona
from tests.features.wearables.synth import apple_export
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in


def _wait_done(client: TestClient, url: str) -> dict[str, object]:
    for _ in range(200):
        run = client.get(f"{url}/status").json()
        if run["status"] in ("done", "failed"):
            return dict(run)
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def _export(services: Services, tmp_path: Path, days: int = 20) -> Path:
    first = services.clock.now().date() - timedelta(days=days - 1)
    return apple_export(tmp_path / "export.xml", first=first, days=days)


def test_the_page_invites_an_import_before_there_is_anything(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/wearables")
    assert page.status_code == 200
    assert "Bring in what your watch" in page.text
    assert 'value="apple-health"' in page.text and 'value="fit"' in page.text


def test_the_scripts_upload_sends_the_file_as_the_body_and_follows_the_import(
    client: TestClient, alice: Persona, services: Services, tmp_path: Path
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/wearables").text)
    body = _export(services, tmp_path).read_bytes()
    sent = client.post(
        "/wearables/upload?importer=apple-health",
        content=body,
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/octet-stream"},
    )
    assert sent.status_code == 201, sent.text
    run = _wait_done(client, sent.json()["url"])
    assert run["status"] == "done" and run["added"] > 0 and run["bytes_total"] == len(body)
    page = client.get(sent.json()["url"])
    assert "Imported." in page.text


def test_a_plain_form_upload_works_without_the_script(
    client: TestClient, alice: Persona, services: Services, tmp_path: Path
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/wearables").text)
    export = _export(services, tmp_path)
    with export.open("rb") as f:
        sent = client.post(
            "/wearables/upload",
            data={"csrf": csrf, "importer": "apple-health"},
            files={"file": ("export.xml", f, "text/xml")},
            follow_redirects=False,
        )
    assert sent.status_code == 303
    assert _wait_done(client, sent.headers["location"])["status"] == "done"


def test_an_upload_without_the_token_is_refused(
    client: TestClient, alice: Persona, services: Services, tmp_path: Path
) -> None:
    log_in(client, alice)
    sent = client.post(
        "/wearables/upload?importer=apple-health",
        content=_export(services, tmp_path, days=1).read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert sent.status_code == 403
    assert services.runtime.get(WearableService).runs(alice.principal) == []


def test_days_are_shown_beside_mood_against_the_persons_usual(
    client: TestClient, alice: Persona, services: Services, tmp_path: Path
) -> None:
    services.runtime.get(WearableService).run(
        alice.principal, "apple-health", _export(services, tmp_path)
    )
    services.checkins.create(alice.principal, CheckInIn(mood=3, energy=1))
    log_in(client, alice)
    page = client.get("/wearables").text
    for heading in (
        "Hours of sleep",
        "Steps",
        "Resting heart rate",
        "Heart-rate variability (SDNN)",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "your usual:" in page and "mood +3.0" in page
    assert 'class="place' in page
    assert "Signs of strain, an estimate" in page and "not a medical measurement" in page


def test_a_failed_import_says_nothing_was_saved(
    client: TestClient, alice: Persona, tmp_path: Path
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/wearables").text)
    sent = client.post(
        "/wearables/upload?importer=apple-health",
        content=b"this is not an export at all\n" * 10,
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/octet-stream"},
    )
    url = sent.json()["url"]
    assert _wait_done(client, url)["status"] == "failed"
    assert "nothing of it was saved" in client.get(url).text


def test_another_persons_import_is_404(
    client: TestClient, alice: Persona, bob: Persona, services: Services, tmp_path: Path
) -> None:
    run = services.runtime.get(WearableService).run(
        alice.principal, "apple-health", _export(services, tmp_path, days=1)
    )
    log_in(client, bob)
    assert client.get(f"/wearables/imports/{run.id}").status_code == 404
    assert client.get(f"/wearables/imports/{run.id}/status").status_code == 404


def test_choosing_daily_numbers_only(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/wearables").text)
    saved = client.post("/wearables/settings", data={"csrf": csrf, "keep": "daily"})
    assert saved.status_code == 200 and "Your choice is saved." in saved.text
    assert services.runtime.get(WearableService).keeps_samples(alice.principal) is False
