"""Cross-site request forgery, beyond SameSite.

* A form's token is bound to the browser's session (an HMAC keyed by the session cookie), so a
  token from another session, or an ``sm_csrf`` cookie planted by a neighbour on the same site
  (a sibling subdomain, another port of localhost), is worth nothing once someone is logged in.
* Every unsafe request that says where it comes from (``Origin``, else ``Referer``) must come
  from this site; one that says neither is accepted only with a valid token (a form) or a bearer
  token (the API).
* The API takes bearer tokens only: the session cookie, which a browser attaches by itself,
  opens nothing there.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Persona
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in

HERE = "http://testserver"


def logged_in(app: Any, persona: Persona) -> TestClient:
    client = TestClient(app, base_url=HERE)
    log_in(client, persona)
    return client


# -- the token is bound to the session ----------------------------------------------------------


def plant(browser: TestClient, value: str) -> None:
    """What a neighbour on the same site can do: set our double-submit cookie to its value."""
    browser.cookies.delete("sm_csrf")
    browser.cookies.set("sm_csrf", value, domain="testserver.local", path="/")


def test_a_token_and_cookie_from_another_session_are_refused(
    app: Any, alice: Persona, bob: Persona, services: Services
) -> None:
    mallory = logged_in(app, bob)  # a session of her own: her token, her sm_csrf cookie
    token, cookie = csrf_of(mallory.get("/checkin").text), mallory.cookies["sm_csrf"]
    victim = logged_in(app, alice)
    plant(victim, cookie)
    response = victim.post("/checkin", data={"mood": "1", "energy": "0", "csrf": token})
    assert response.status_code == 403
    assert services.checkins.find(alice.principal) == []


def test_a_planted_csrf_cookie_does_not_make_a_forged_form_valid(
    app: Any, alice: Persona, services: Services
) -> None:
    victim = logged_in(app, alice)
    plant(victim, "planted-by-a-neighbour")
    response = victim.post(
        "/checkin", data={"mood": "1", "energy": "0", "csrf": "planted-by-a-neighbour"}
    )
    assert response.status_code == 403
    assert services.checkins.find(alice.principal) == []


def test_the_token_changes_with_the_session(app: Any, alice: Persona) -> None:
    browser = logged_in(app, alice)
    first = csrf_of(browser.get("/checkin").text)
    assert csrf_of(browser.get("/journal/new").text) == first  # stable within a session
    browser.post("/logout", data={"csrf": first})
    log_in(browser, alice)
    assert csrf_of(browser.get("/checkin").text) != first


def test_the_token_of_the_page_that_welcomes_a_new_person_logs_them_out(
    client: TestClient,
) -> None:
    from tests.web.test_pages import sign_up

    welcome = sign_up(client)  # the session starts in this response; its header has Log out
    response = client.post("/logout", data={"csrf": csrf_of(welcome)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/checkin", follow_redirects=False).status_code == 303


# -- Origin and Referer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "http://testserver:8081"},
        {"Referer": "https://evil.example/page"},
    ],
)
def test_a_form_from_another_site_is_refused_even_with_a_valid_token(
    app: Any, alice: Persona, services: Services, headers: dict[str, str]
) -> None:
    browser = logged_in(app, alice)
    token = csrf_of(browser.get("/checkin").text)
    response = browser.post(
        "/checkin", data={"mood": "1", "energy": "0", "csrf": token}, headers=headers
    )
    assert response.status_code == 403
    assert services.checkins.find(alice.principal) == []


@pytest.mark.parametrize(
    "headers",
    [{"Origin": HERE}, {"Referer": f"{HERE}/checkin"}, {}],
    ids=["same origin", "same-site referer", "neither (token decides)"],
)
def test_a_form_from_this_site_with_its_token_is_accepted(
    app: Any, alice: Persona, services: Services, headers: dict[str, str]
) -> None:
    browser = logged_in(app, alice)
    token = csrf_of(browser.get("/checkin").text)
    response = browser.post(
        "/checkin",
        data={"mood": "1", "energy": "0", "csrf": token},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert len(services.checkins.find(alice.principal)) == 1


def test_a_login_form_posted_from_another_site_is_refused(app: Any, alice: Persona) -> None:
    # Login CSRF: logging the victim into the attacker's account, token and cookie planted.
    browser = TestClient(app, base_url=HERE)
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "csrf": token},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "sm_session" not in response.cookies


def test_an_api_call_from_another_site_is_refused_even_with_a_token(
    client: TestClient, alice: Persona
) -> None:
    response = client.post(
        "/api/v1/checkins",
        json={"mood": 1, "energy": 0},
        headers={**alice.headers, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


# -- the API takes bearer tokens only ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/auth/logout", None),
        ("GET", "/api/v1/me", None),
        ("POST", "/api/v1/checkins", {"mood": 1, "energy": 0}),
        ("GET", "/api/v1/export", None),
    ],
)
def test_the_session_cookie_alone_opens_nothing_in_the_api(
    app: Any, alice: Persona, services: Services, method: str, path: str, body: Any
) -> None:
    browser = logged_in(app, alice)
    response = browser.request(method, path, json=body)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert services.checkins.find(alice.principal) == []
    assert browser.get("/checkin").status_code == 200  # the session was not logged out
