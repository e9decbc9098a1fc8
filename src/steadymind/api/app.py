"""The ASGI application: API under /api/v1, web pages at /, one error shape, strict headers."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from steadymind import __version__
from steadymind.api import auth_routes, errors, tracking_routes
from steadymind.api.middleware import LimitAndHeaders
from steadymind.db.migrate import ensure_migrated
from steadymind.services import Services

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def create_app(services: Services, *, check_migrations: bool = True) -> FastAPI:
    """Build the app. Refuses to start on a database that is not at the current schema."""
    if check_migrations:
        ensure_migrated(services.db.engine)
    app = FastAPI(
        title="steadymind",
        version=__version__,
        description="A self-hostable, privacy-first companion for mindfulness and emotions.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs pages load scripts from a CDN; we serve no third-party origin.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    api = APIRouter(prefix="/api/v1")

    @api.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    api.include_router(auth_routes.router)
    api.include_router(tracking_routes.router)
    for extra in _optional_api_routers():
        api.include_router(extra)
    app.include_router(api)

    from steadymind.web.common import wants_html
    from steadymind.web.routes import router as web_router

    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app, wants_html=wants_html)
    app.add_middleware(LimitAndHeaders, max_body=services.settings.max_body_bytes)
    return app


def _optional_api_routers() -> list[APIRouter]:
    from steadymind.api import affect_routes, safety_routes

    return [affect_routes.router, safety_routes.router]
