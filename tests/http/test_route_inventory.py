"""Every route has an explicit auth policy.

A route is either public by the allowlist (``steadymind.http.policy``: the app's own and each
feature's ``public_routes``) or it demands
authentication twice over:

* by construction: its dependency tree contains ``require_principal`` (API) or ``web_principal``
  (web pages), and
* by behaviour: called without credentials it answers 401 in the one JSON error shape (API) or
  redirects to ``/login`` with 303 (web pages).

The route list is read from the app itself (routers included), so a new route with neither an
allowlist entry nor an auth dependency fails here; the last test proves it with a throwaway route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

from steadymind.core.clock import SystemClock
from steadymind.core.config import Settings
from steadymind.db.engine import Database, make_engine
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.http.policy import public_routes
from steadymind.screen import TextSeam
from steadymind.ui.api import require_principal
from steadymind.ui.web import (
    POLICY_VIOLATION,
    session_principal,
    socket_principal,
    web_principal,
)
from tests.support import FakeEmotions, FakeGate


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    dependant: Dependant | None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


def _inventory_app() -> FastAPI:
    """The real route table. Unauthenticated calls never reach the database, so none is needed."""
    settings = Settings(data_dir=Path("/nonexistent/steadymind-route-inventory"))
    seam = TextSeam(FakeGate(), FakeEmotions(), SystemClock())
    runtime = build_runtime(settings, db=Database(make_engine("sqlite://")), seam=seam)
    app = create_app(runtime, check_migrations=False)
    app.state.public_routes = public_routes(runtime)
    return app


def endpoints(app: FastAPI) -> Iterator[Endpoint]:
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        if isinstance(original, Mount):
            yield Endpoint("GET", str(route.path), None)
        elif isinstance(original, APIWebSocketRoute | WebSocketRoute):
            # A live stream: "WS" here, guarded by the session cookie and the origin.
            yield Endpoint("WS", str(route.path), getattr(route, "dependant", None))
        elif isinstance(original, APIRoute | Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    yield Endpoint(method, str(route.path), getattr(route, "dependant", None))
        else:  # pragma: no cover - a new kind of route needs a decision here
            raise AssertionError(f"unknown route type {type(original).__name__}: {route.path}")


def _calls(dependant: Dependant | None) -> Iterator[Callable[..., Any]]:
    if dependant is None:
        return
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _fill(path: str) -> str:
    parts = path.split("/")
    return "/".join(uuid.uuid4().hex if p.startswith("{") else p for p in parts)


def policy_problems(app: FastAPI, endpoint: Endpoint, client: TestClient) -> list[str]:
    """Why this route breaks the auth policy (an empty list when it keeps it)."""
    if (endpoint.method, endpoint.path) in app.state.public_routes:
        return []
    if endpoint.method == "WS":
        return _socket_problems(endpoint, client)
    problems = []
    # A page's guard is web_principal, or session_principal for the app lock's own screen
    # (logged in, whether or not the lock is closed).
    guards = {require_principal} if endpoint.is_api else {web_principal, session_principal}
    if not guards & set(_calls(endpoint.dependant)):
        names = " or ".join(sorted(g.__name__ for g in guards))
        problems.append(f"{endpoint.id} is not a public route and does not depend on {names}")
    response = client.request(endpoint.method, _fill(endpoint.path), follow_redirects=False)
    if endpoint.is_api:
        body = _json(response)
        if response.status_code != 401 or body.get("error", {}).get("code") != (
            "not_authenticated"
        ):
            problems.append(
                f"{endpoint.id} without credentials answered {response.status_code} "
                f"{response.text[:200]!r}, not 401 in the error shape"
            )
    elif response.status_code != 303 or not response.headers.get("location", "").startswith(
        "/login"
    ):
        problems.append(
            f"{endpoint.id} without credentials answered {response.status_code}, "
            "not a 303 redirect to /login"
        )
    return problems


def _socket_problems(endpoint: Endpoint, client: TestClient) -> list[str]:
    """A WebSocket depends on ``socket_principal``, and without a session it is closed with a
    policy violation before it is accepted."""
    problems = []
    if socket_principal not in set(_calls(endpoint.dependant)):
        problems.append(f"{endpoint.id} does not depend on socket_principal")
    headers = {"origin": "http://testserver"}
    try:
        with client.websocket_connect(_fill(endpoint.path), headers=headers) as socket:
            socket.receive_text()
        problems.append(f"{endpoint.id} accepted a stream without credentials")
    except WebSocketDisconnect as closed:
        if closed.code != POLICY_VIOLATION:
            problems.append(f"{endpoint.id} closed with {closed.code}, not {POLICY_VIOLATION}")
    return problems


def _json(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


APP = _inventory_app()
ENDPOINTS = list(endpoints(APP))
# Known breaches of the policy, each an app bug reported to the owner of the route.
# (An entry here marks that route's test xfail(strict=True) with the reason given.)
KNOWN_BREACHES: dict[str, str] = {}


def _param(endpoint: Endpoint) -> Any:
    reason = KNOWN_BREACHES.get(endpoint.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(endpoint, id=endpoint.id, marks=marks)


@pytest.fixture(scope="module")
def anonymous() -> Iterator[TestClient]:
    with TestClient(APP, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("endpoint", [_param(e) for e in ENDPOINTS])
def test_route_is_public_by_the_allowlist_or_demands_authentication(
    endpoint: Endpoint, anonymous: TestClient
) -> None:
    assert policy_problems(APP, endpoint, anonymous) == []


def test_the_inventory_sees_every_route() -> None:
    ids = {e.id for e in ENDPOINTS}
    # A sample across the API router, the web router and the included safety pages.
    for expected in (
        "GET /api/v1/checkins/{checkin_id}",
        "POST /api/v1/journal",
        "GET /history",
        "POST /journal/{entry_id}/delete",
        "GET /help",
        "GET /static",
    ):
        assert expected in ids
    assert len(ENDPOINTS) > 40


def test_every_allowlisted_route_exists() -> None:
    stale = APP.state.public_routes - {(e.method, e.path) for e in ENDPOINTS}
    assert not stale, f"public routes named that the app does not have: {sorted(stale)}"


def test_public_routes_work_without_credentials(anonymous: TestClient) -> None:
    assert anonymous.get("/api/v1/health").status_code == 200
    assert anonymous.get("/api/v1/openapi.json").status_code == 200
    assert anonymous.get("/static/app.css").status_code == 200
    assert anonymous.get("/login").status_code == 200


def test_a_new_unauthenticated_route_fails_the_inventory() -> None:
    app = _inventory_app()

    @app.get("/api/v1/leak")
    def api_leak() -> dict[str, str]:
        return {"journal": "everything"}

    @app.get("/leak")
    def web_leak() -> dict[str, str]:
        return {"journal": "everything"}

    leaks = [e for e in endpoints(app) if e.path in ("/api/v1/leak", "/leak")]
    assert len(leaks) == 2
    with TestClient(app, base_url="http://testserver") as client:
        for leak in leaks:
            problems = policy_problems(app, leak, client)
            assert any("does not depend on" in p for p in problems), problems
            assert any("without credentials answered 200" in p for p in problems), problems


def test_a_new_route_that_depends_on_the_guard_passes_the_inventory() -> None:
    from fastapi import Depends

    app = _inventory_app()

    @app.get("/api/v1/guarded", dependencies=[Depends(require_principal)])
    def guarded() -> dict[str, str]:
        return {}

    (endpoint,) = [e for e in endpoints(app) if e.path == "/api/v1/guarded"]
    with TestClient(app, base_url="http://testserver") as client:
        assert policy_problems(app, endpoint, client) == []
