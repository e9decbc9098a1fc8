"""The web pages through a test client: sign-up, CSRF, check-in to history, journal, settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Persona
from tests.support import Services

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "steadymind"


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "page has no CSRF field"
    return match.group(1)


def sign_up(
    client: TestClient, username: str = "erin", password: str = "tea and quiet mornings"
) -> str:
    page = client.get("/signup").text
    response = client.post(
        "/signup",
        data={
            "username": username,
            "password": password,
            "password2": password,
            "country": "GB",
            "timezone": "Europe/London",
            "csrf": csrf_of(page),
        },
    )
    assert response.status_code == 200, response.text
    return response.text


def log_in(client: TestClient, persona: Persona) -> None:
    page = client.get("/login").text
    response = client.post(
        "/login",
        data={"username": persona.username, "password": persona.password, "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_home_invites_to_sign_up(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/signup"' in page.text and 'href="/help"' in page.text


def test_sign_up_shows_the_recovery_key_once_and_logs_in(client: TestClient) -> None:
    page = sign_up(client)
    assert re.search(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", page)
    assert client.get("/checkin").status_code == 200


def test_sign_up_with_mismatched_passwords_shows_an_error(client: TestClient) -> None:
    page = client.get("/signup").text
    response = client.post(
        "/signup",
        data={
            "username": "erin",
            "password": "tea and quiet",
            "password2": "other one",
            "csrf": csrf_of(page),
        },
    )
    assert response.status_code == 422
    assert "The passwords differ" in response.text


def test_forms_without_csrf_token_are_refused(client: TestClient, alice: Persona) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf": "forged"}
    )
    assert response.status_code == 403


def test_pages_need_login_and_redirect_back(client: TestClient) -> None:
    response = client.get("/journal", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/journal"


def test_login_never_redirects_off_site(client: TestClient, alice: Persona) -> None:
    page = client.get("/login").text
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf": csrf_of(page),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/checkin"


def test_wrong_password_shows_the_form_again(client: TestClient, alice: Persona) -> None:
    page = client.get("/login").text
    response = client.post(
        "/login", data={"username": "alice", "password": "nope", "csrf": csrf_of(page)}
    )
    assert response.status_code == 401
    assert "Wrong username or password" in response.text


def test_checkin_appears_in_history(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    page = client.get("/checkin").text
    response = client.post(
        "/checkin",
        data={
            "mood": "3",
            "energy": "-2",
            "emotions": ["calm", "gratitude"],
            "tags": "walk, sun",
            "note": "sunny walk",
            "csrf": csrf_of(page),
        },
    )
    assert response.status_code == 200
    history = client.get("/history").text
    # "gratitude", a label of the emotion model, is read as the picker's word for it.
    assert "sunny walk" in history and "calm, grateful" in history
    assert "<polyline" in history


def test_suggested_feelings_can_be_confirmed(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    page = client.get("/checkin").text
    response = client.post(
        "/checkin",
        data={"mood": "1", "energy": "0", "note": "fine", "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    review_url = response.headers["location"]
    assert review_url.endswith("/review")
    review = client.get(review_url).text
    assert 'value="joyful" checked' in review
    checkin_id = review_url.split("/")[2]
    client.post(
        f"/checkin/{checkin_id}/edit",
        data={"emotions": ["joyful"], "emotions_only": "1", "csrf": csrf_of(review)},
    )
    assert services.checkins.get(alice.principal, checkin_id).emotions == ["joyful"]


def test_out_of_range_checkin_form_shows_an_error_page(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    page = client.get("/checkin").text
    response = client.post("/checkin", data={"mood": "12", "energy": "0", "csrf": csrf_of(page)})
    assert response.status_code == 422
    assert "<html" in response.text


def test_journal_write_read_search_edit_delete(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    page = client.get("/journal/new").text
    response = client.post(
        "/journal/new",
        data={
            "title": "Sea",
            "body": "The **sea** was calm <script>x()</script>\r\nNo wind at all.",
            "tags": "calm",
            "csrf": csrf_of(page),
        },
        follow_redirects=False,
    )
    entry_url = response.headers["location"]
    entry = client.get(entry_url).text
    assert "<strong>sea</strong>" in entry
    assert "<script>x()" not in entry
    # A line break the person typed stays a line break (not Markdown's soft wrap).
    assert re.search(r"calm.*<br ?/?>\s*No wind at all", entry)
    assert "Sea" in client.get("/journal", params={"q": "calm"}).text
    edit = client.get(f"{entry_url}/edit").text
    client.post(f"{entry_url}/edit", data={"title": "Lake", "body": "still", "csrf": csrf_of(edit)})
    assert "Lake" in client.get(entry_url).text
    client.post(f"{entry_url}/delete", data={"csrf": csrf_of(edit)})
    assert client.get(entry_url).status_code == 404


def test_settings_export_and_delete_account(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    settings = client.get("/settings").text
    assert client.get("/settings/export.json").json()["account"]["username"] == "alice"
    assert client.get("/settings/export.zip").headers["content-type"] == "application/zip"
    refused = client.post(
        "/settings/delete", data={"password": PASSWORD, "confirm": "no", "csrf": csrf_of(settings)}
    )
    assert refused.status_code == 422
    done = client.post(
        "/settings/delete",
        data={"password": PASSWORD, "confirm": "delete", "csrf": csrf_of(settings)},
    )
    assert "Your account is deleted" in done.text
    assert client.get("/checkin", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    page = client.get("/checkin").text
    client.post("/logout", data={"csrf": csrf_of(page)})
    assert client.get("/checkin", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/help"])
def test_pages_send_a_strict_content_security_policy(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert (
        "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_templates_and_static_files_name_no_third_party_origin() -> None:
    """Every page template (the shared frame's and each feature's) and every static file."""
    checked = [p for p in PACKAGE.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    assert len(checked) >= 20, "the scan found too few files: did the templates move?"
    for path in checked:
        text = path.read_text()
        assert not re.search(r"https?://", text), path
        # Inline handlers (onclick=...); a service worker's "notificationclick" event is not one.
        assert "<script>" not in text and " style=" not in text and "onclick=" not in text, path


def test_every_page_title_is_plain_words() -> None:
    """A title block ends on its own line and holds no markup: the early-warning page once held
    its whole supporter section inside <title> (a merge of two edits), which a browser shows as
    text in the tab and reads aloud to a screen reader."""
    templates = [p for p in PACKAGE.rglob("*.html")]
    titled = 0
    for path in templates:
        for line in path.read_text().splitlines():
            if "{% block title %}" in line:
                titled += 1
                title = line.split("{% block title %}", 1)[1]
                assert "{% endblock %}" in title, path
                assert "<" not in title.split("{% endblock %}", 1)[0], path
    assert titled >= 20, "the scan found too few titled pages: did the templates move?"


def test_help_page_is_public(client: TestClient) -> None:
    assert client.get("/help").status_code == 200
