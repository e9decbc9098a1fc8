"""Response headers: nothing that carries a person's data is cached, and HTTPS is pinned when the
server runs behind TLS (secure cookies on)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from steadymind.core.clock import FrozenClock
from steadymind.db.engine import Database
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.screen import TextSeam
from tests.conftest import Persona, fast_settings
from tests.web.test_pages import log_in

HSTS = "max-age=31536000"


def _get_routes(app: Any) -> list[str]:
    """Every GET route of the app that has no path parameter."""
    return sorted(
        str(r.path)
        for r in iter_route_contexts(app.routes)
        if isinstance(r.original_route, APIRoute)
        and "GET" in (r.methods or ())
        and "{" not in str(r.path)
    )


def test_the_walk_sees_pages_api_and_exports(app: Any) -> None:
    paths = set(_get_routes(app))
    assert {"/", "/checkin", "/settings/export.json", "/api/v1/me", "/api/v1/export"} <= paths


def test_every_page_api_response_and_export_is_never_stored_by_a_cache(
    app: Any, alice: Persona
) -> None:
    browser = TestClient(app, base_url="http://testserver")
    log_in(browser, alice)
    for path in _get_routes(app):
        if path.startswith("/api/"):
            response = browser.get(path, headers=alice.headers)
        else:
            response = browser.get(path, follow_redirects=False)
        assert response.status_code < 500, path
        assert response.headers.get("cache-control") == "no-store", path


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/nope", "/api/v1/me"], ids=["api 404", "page 404", "api 401"]
)
def test_errors_are_not_stored_either(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (401, 404)
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")


@pytest.fixture
def behind_tls(tmp_path: Path, db: Database, clock: FrozenClock, seam: TextSeam) -> Iterator[Any]:
    settings = fast_settings(tmp_path, secure_cookies=True)
    app = create_app(build_runtime(settings, db=db, clock=clock, seam=seam))
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.mark.parametrize(
    "path", ["/", "/login", "/api/v1/health", "/api/v1/nope", "/static/app.css"]
)
def test_hsts_is_sent_on_every_response_when_cookies_are_secure(
    behind_tls: TestClient, path: str
) -> None:
    response = behind_tls.get(path)
    assert response.headers["strict-transport-security"] == HSTS


def test_no_hsts_without_tls(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/").headers


def test_our_forms_send_their_origin_and_other_sites_learn_no_url(client: TestClient) -> None:
    # Under `no-referrer` a browser sends `Origin: null` with a page's own forms (Fetch
    # standard), which the Origin check must refuse; `same-origin` sends the true origin to us
    # and no Referer to anyone else.
    assert client.get("/login").headers["referrer-policy"] == "same-origin"
