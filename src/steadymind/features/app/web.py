"""The manifest, the service worker, the icons and the offline check-in page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from steadymind.features.app.icons import icon_png
from steadymind.features.app.lockweb import router as lock_router
from steadymind.ui.web import MaybeUser, render

router = APIRouter(include_in_schema=False)
ASSETS = Path(__file__).parent / "assets"
# Bumped with any change to what the service worker caches, so old caches are dropped.
CACHE_VERSION = "steadymind-app-v2"

MANIFEST: dict[str, Any] = {
    "name": "steadymind",
    "short_name": "steadymind",
    "description": "A private companion for mood, journaling and emotion regulation.",
    "id": "/",
    "start_url": "/checkin?source=app",
    "scope": "/",
    "display": "standalone",
    "background_color": "#f6f5f1",
    "theme_color": "#4f7c6f",
    "icons": [
        {"src": "/app/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": "/app/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": "/app/icon-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
    "shortcuts": [
        {"name": "Check in", "url": "/checkin"},
        {"name": "Help now", "url": "/help"},
    ],
}


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    script = (ASSETS / "sw.js").read_text(encoding="utf-8").replace("__VERSION__", CACHE_VERSION)
    # Served from the root so that it may control every page; never stored by HTTP caches (as
    # every response: the middleware), so an update reaches the device on its next visit. The
    # service worker keeps its own copies of the app's files in the Cache API.
    return Response(script, media_type="text/javascript", headers={"Service-Worker-Allowed": "/"})


@router.get("/app/offline.js")
def offline_script() -> Response:
    return Response(
        (ASSETS / "offline.js").read_text(encoding="utf-8"), media_type="text/javascript"
    )


@router.get("/app/icon-192.png")
def icon_192() -> Response:
    return Response(icon_png(192), media_type="image/png")


@router.get("/app/icon-512.png")
def icon_512() -> Response:
    return Response(icon_png(512), media_type="image/png")


@router.get("/offline")
def offline_page(request: Request, user: MaybeUser) -> Response:
    """The check-in the app opens to without a connection (cached by the service worker; it
    shows no one's data, so it is public and the same for everyone)."""
    return render(request, "offline.html", None)


@router.get("/app/lock.js")
def lock_script() -> Response:
    return Response((ASSETS / "lock.js").read_text(encoding="utf-8"), media_type="text/javascript")


router.include_router(lock_router)
