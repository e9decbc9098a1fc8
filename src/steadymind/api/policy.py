"""The explicit list of routes anyone may call without logging in.

Every other route must depend on ``require_principal`` (API) or ``web_principal`` (web pages);
tests/api/test_route_inventory.py fails when a route is neither.
"""

from __future__ import annotations

PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/health"),
        ("POST", "/api/v1/auth/signup"),
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v1/auth/recover"),
        ("GET", "/"),
        ("GET", "/signup"),
        ("POST", "/signup"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("GET", "/recover"),
        ("POST", "/recover"),
        # Crisis lines must be reachable by anyone, logged in or not.
        ("GET", "/help"),
        ("GET", "/api/v1/safety/resources"),
        ("GET", "/api/v1/safety/countries"),
        ("GET", "/static"),
    }
)
