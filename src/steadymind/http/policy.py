"""Routes anyone may call without logging in.

The app's own (below) and those each feature declares in its ``public_routes``; every other
route must depend on ``require_principal`` (API) or ``web_principal`` (pages).
tests/http/test_route_inventory.py fails when a route is neither.
"""

from __future__ import annotations

from steadymind.runtime import Runtime

APP_PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/health"),
        ("GET", "/static"),
    }
)


def public_routes(runtime: Runtime) -> frozenset[tuple[str, str]]:
    return APP_PUBLIC_ROUTES | runtime.public_routes()
