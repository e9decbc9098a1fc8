"""Account pages and API (issue 12, items 2, 14 and 16): the device cookie that keeps the owner
in under a guessing attack, log out in the header, the time zone list, the new password typed
twice and refused early when too short, and a new recovery key."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from steadymind.core.errors import AuthenticationError, RateLimited
from steadymind.features.accounts.zones import zone_choices
from tests.conftest import PASSWORD, Persona
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in

NEW = "a brand new passphrase"


def _distributed_guesses(services: Services, username: str = "alice") -> None:
    """Wrong guesses from many addresses, until clients that never logged in are slowed."""
    for i in range(services.settings.login_free_failures_per_account):
        with pytest.raises(AuthenticationError):
            services.credentials.log_in(username, "not the password", client=f"192.0.2.{i}")


def _alert(page: str) -> str:
    """The error shown at the top of the page (not the hints beside the fields)."""
    match = re.search(r'<p class="notice error" role="alert">(.*?)</p>', page, re.S)
    assert match, "the page shows no error"
    return match.group(1)


def _header(page: str) -> str:
    match = re.search(r"<header.*?</header>", page, re.S)
    assert match, "the page has no header"
    return match.group(0)


# -- the known-device cookie and token ---------------------------------------------------------


def test_a_browser_that_logged_in_before_gets_in_during_an_attack(
    client: TestClient, services: Services, alice: Persona
) -> None:
    log_in(client, alice)
    assert client.cookies.get("sm_device", path="/login")
    client.post("/logout", data={"csrf": csrf_of(client.get("/checkin").text)})
    _distributed_guesses(services)
    log_in(client, alice)  # the device cookie: 303 to the check-in
    assert client.get("/checkin", follow_redirects=False).status_code == 200


def test_a_new_browser_during_an_attack_is_asked_to_wait(
    client: TestClient, services: Services, alice: Persona
) -> None:
    _distributed_guesses(services)
    page = client.get("/login").text
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf": csrf_of(page)}
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Please wait" in response.text
    assert 'href="/recover"' in response.text  # the other way in


def test_an_api_client_sends_its_device_token_back(
    client: TestClient, services: Services, alice: Persona
) -> None:
    first = client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD})
    device = first.json()["device_token"]
    _distributed_guesses(services)
    body = {"username": "alice", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", json=body).status_code == 429
    again = client.post("/api/v1/auth/token", json=body | {"device_token": device})
    assert again.status_code == 201, again.text


def test_sign_up_gives_the_client_a_device_token(client: TestClient, services: Services) -> None:
    response = client.post(
        "/api/v1/auth/signup", json={"username": "erin", "password": "a long enough secret"}
    )
    device = response.json()["device_token"]
    _distributed_guesses(services, "erin")
    body = {"username": "erin", "password": "a long enough secret", "device_token": device}
    assert client.post("/api/v1/auth/token", json=body).status_code == 201


# -- log out in the header -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/checkin", "/journal", "/history", "/settings", "/help"])
def test_every_signed_in_page_has_log_out_in_its_header(
    client: TestClient, alice: Persona, path: str
) -> None:
    log_in(client, alice)
    header = _header(client.get(path).text)
    form = re.search(r'<form method="post" action="/logout".*?</form>', header, re.S)
    assert form, f"{path}: no log-out form in the header"
    assert csrf_of(form.group(0))
    assert ">Log out</button>" in form.group(0)


def test_signed_out_pages_have_no_log_out(client: TestClient) -> None:
    assert "/logout" not in client.get("/help").text


def test_the_header_log_out_ends_the_session(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    header = _header(client.get("/settings").text)
    response = client.post("/logout", data={"csrf": csrf_of(header)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/settings", follow_redirects=False).status_code == 303


# -- the time zone --------------------------------------------------------------------------------


def test_the_time_zone_is_a_searchable_list_of_iana_zones(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/settings").text
    field = re.search(r'<input name="timezone"[^>]*>', page)
    assert field and 'list="time-zones"' in field.group(0)
    options = re.search(r'<datalist id="time-zones">(.*?)</datalist>', page, re.S)
    assert options
    offered = re.findall(r'<option value="([^"]+)">', options.group(1))
    assert offered == list(zone_choices())
    assert {"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"} <= set(offered)
    assert "localtime" not in offered


@pytest.mark.parametrize(
    ("typed", "stored"), [("europe/dublin", "Europe/Dublin"), (" Asia/Tokyo ", "Asia/Tokyo")]
)
def test_a_time_zone_is_saved_as_its_iana_name(
    client: TestClient, services: Services, alice: Persona, typed: str, stored: str
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/settings").text)
    response = client.post(
        "/settings/profile",
        data={"country": "GB", "timezone": typed, "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert services.accounts.get_user(alice.principal).timezone == stored


@pytest.mark.parametrize("typed", ["Mars/Olympus", "London", "localtime", "../etc/passwd", ""])
def test_a_time_zone_not_on_the_list_is_refused(
    client: TestClient, services: Services, alice: Persona, typed: str
) -> None:
    log_in(client, alice)
    csrf = csrf_of(client.get("/settings").text)
    response = client.post(
        "/settings/profile", data={"country": "GB", "timezone": typed, "csrf": csrf}
    )
    assert response.status_code == 422
    assert "Choose a time zone from the list" in _alert(response.text)
    assert services.accounts.get_user(alice.principal).timezone == "Europe/London"


@pytest.mark.parametrize(
    ("detected", "stored"), [("Etc/Unknown", "UTC"), ("Asia/Tokyo", "Asia/Tokyo")]
)
def test_a_zone_the_browser_could_not_place_at_sign_up_becomes_utc(
    client: TestClient, services: Services, detected: str, stored: str
) -> None:
    """The sign-up form's time zone is filled in by the browser, out of sight: a name it could
    not place must not stop the sign-up with an error the person cannot correct."""
    page = client.get("/signup").text
    response = client.post(
        "/signup",
        data={
            "username": "erin",
            "password": NEW,
            "password2": NEW,
            "timezone": detected,
            "csrf": csrf_of(page),
        },
    )
    assert response.status_code == 200, _alert(response.text)
    login = services.credentials.log_in("erin", NEW, client="t")
    assert services.accounts.get_user(login.principal).timezone == stored


# -- the new password, typed twice, refused early when too short ---------------------------------


def _change(client: TestClient, new: str, again: str) -> httpx.Response:
    csrf = csrf_of(client.get("/settings").text)
    return client.post(
        "/settings/password",
        data={
            "current_password": PASSWORD,
            "new_password": new,
            "new_password2": again,
            "csrf": csrf,
        },
        follow_redirects=False,
    )


def test_the_new_password_is_typed_twice(
    client: TestClient, services: Services, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/settings").text
    for name in ("new_password", "new_password2"):
        field = re.search(rf'<input type="password" name="{name}"[^>]*>', page)
        assert field and 'minlength="8"' in field.group(0) and "required" in field.group(0)
    differ = _change(client, NEW, NEW + "!")
    assert differ.status_code == 422
    assert "The passwords differ" in _alert(differ.text)
    services.credentials.log_in("alice", PASSWORD, client="t")  # unchanged
    done = _change(client, NEW, NEW)
    assert done.headers["location"] == "/settings?saved=password"
    services.credentials.log_in("alice", NEW, client="t")


def test_a_too_short_new_password_is_refused_for_itself(client: TestClient, alice: Persona) -> None:
    """Not "the passwords differ": the person learns what is wrong with the first one."""
    log_in(client, alice)
    response = _change(client, "short", "other")
    assert response.status_code == 422
    assert "at least 8 characters" in _alert(response.text)


def test_sign_up_refuses_a_too_short_password_for_itself(client: TestClient) -> None:
    page = client.get("/signup").text
    for name in ("password", "password2"):
        field = re.search(rf'<input name="{name}"[^>]*>', page)
        assert field and 'minlength="8"' in field.group(0)
    response = client.post(
        "/signup",
        data={"username": "erin", "password": "short", "password2": "shrt", "csrf": csrf_of(page)},
    )
    assert response.status_code == 422
    assert "at least 8 characters" in _alert(response.text)


def test_recovery_asks_for_the_new_password_twice(client: TestClient, alice: Persona) -> None:
    page = client.get("/recover").text
    assert 'name="password2"' in page
    response = client.post(
        "/recover",
        data={
            "username": "alice",
            "recovery_key": alice.recovery_key,
            "password": NEW,
            "password2": NEW + "!",
            "csrf": csrf_of(page),
        },
    )
    assert response.status_code == 422
    assert "The passwords differ" in _alert(response.text)


# -- a new recovery key ---------------------------------------------------------------------------

RECOVERY_KEY = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}")


def test_a_new_recovery_key_is_shown_once_and_the_old_one_stops_working(
    client: TestClient, services: Services, alice: Persona
) -> None:
    log_in(client, alice)
    settings = client.get("/settings").text
    assert 'action="/settings/recovery-key"' in settings
    page = client.post(
        "/settings/recovery-key", data={"password": PASSWORD, "csrf": csrf_of(settings)}
    )
    assert page.status_code == 200
    assert "Your new recovery key" in page.text and "no longer works" in page.text
    keys = RECOVERY_KEY.findall(page.text)
    assert len(keys) == 1 and keys[0] != alice.recovery_key
    assert keys[0] not in client.get("/settings").text  # shown once
    with pytest.raises(AuthenticationError):
        services.accounts.recover("alice", alice.recovery_key, NEW)
    services.accounts.recover("alice", keys[0], NEW)


def test_a_new_recovery_key_needs_the_password(
    client: TestClient, services: Services, alice: Persona
) -> None:
    log_in(client, alice)
    settings = client.get("/settings").text
    page = client.post(
        "/settings/recovery-key", data={"password": "not it", "csrf": csrf_of(settings)}
    )
    assert page.status_code == 401
    assert not RECOVERY_KEY.search(page.text)
    services.accounts.recover("alice", alice.recovery_key, NEW)  # the old one still works


def test_a_new_recovery_key_over_the_api(
    client: TestClient, services: Services, alice: Persona, bob: Persona
) -> None:
    wrong = client.post(
        "/api/v1/me/recovery-key", json={"password": "not it"}, headers=alice.headers
    )
    assert wrong.status_code == 401
    response = client.post(
        "/api/v1/me/recovery-key", json={"password": PASSWORD}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    fresh = response.json()["recovery_key"]
    with pytest.raises(AuthenticationError):
        services.accounts.recover("alice", alice.recovery_key, NEW)
    with pytest.raises(AuthenticationError):  # it is Alice's key, not Bob's
        services.accounts.recover("bob", fresh, NEW)
    services.accounts.recover("alice", fresh, NEW)
    services.accounts.recover("bob", bob.recovery_key, NEW)  # Bob's own key is untouched


def test_asking_for_the_password_again_is_throttled_per_session(
    services: Services, alice: Persona
) -> None:
    """A stolen session must not become a way to guess the password at full speed."""
    for _ in range(services.settings.login_free_failures):
        with pytest.raises(AuthenticationError):
            services.accounts.new_recovery_key(alice.principal, "not it")
    with pytest.raises(RateLimited):
        services.accounts.new_recovery_key(alice.principal, PASSWORD)
    services.credentials.log_in("alice", PASSWORD, client="t")  # logins are not affected
