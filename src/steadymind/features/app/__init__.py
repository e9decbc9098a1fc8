"""The app on the home screen: a web app manifest, a service worker, and a check-in that works
offline and syncs when the connection comes back (docs/user-guide.md says what the device keeps).
"""

from __future__ import annotations

from steadymind.runtime import Feature, Runtime


def setup(runtime: Runtime) -> None:
    """Nothing to build: the app shell is static files and one page."""


FEATURE = Feature(
    name="app",
    setup=setup,
    public_routes=frozenset(
        {
            ("GET", "/manifest.webmanifest"),
            ("GET", "/sw.js"),
            ("GET", "/offline"),
            ("GET", "/app/offline.js"),
            ("GET", "/app/icon-192.png"),
            ("GET", "/app/icon-512.png"),
        }
    ),
)
