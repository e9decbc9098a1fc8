"""The ASGI application: every feature's API under /api/v1 and its pages at /, one error shape,
strict headers. Adding a feature adds its routes here without editing this file."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from steadymind import __version__
from steadymind.db.migrate import ensure_migrated
from steadymind.http import errors
from steadymind.http.content import require_json_body
from steadymind.http.middleware import Boundary
from steadymind.runtime import Runtime
from steadymind.ui.web import STATIC, Pages, wants_html

# FastAPI's own OpenTelemetry would record paths, queries (journal searches) and rejected input
# values through any provider in the process, and add OTLP exporters when
# FASTAPI_OTEL_AUTO_CONFIGURE is set: nothing leaves this server (tests/http/test_telemetry.py).
NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(runtime: Runtime, *, check_migrations: bool = True) -> FastAPI:
    """Build the app. Refuses to start on a database that is not at the current schema."""
    if check_migrations:
        ensure_migrated(runtime.db.engine)
    app = FastAPI(
        title="steadymind",
        version=__version__,
        description="A self-hostable, privacy-first companion for mindfulness and emotions.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs pages load scripts from a CDN; we serve no third-party origin.
        docs_url=None,
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    app.state.runtime = runtime
    app.state.pages = Pages(runtime.template_dirs())
    app.include_router(_api(runtime))
    for feature in runtime.features:
        web = feature.web_router()
        if web is not None:
            app.include_router(web)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    pages = errors.ErrorPages(wants_html)
    errors.install(app, pages)
    settings = runtime.settings
    app.add_middleware(
        Boundary,
        max_body=settings.max_body_bytes,
        secure=settings.secure_cookies,
        pages=pages,
        uploads=runtime.upload_routes(),
        max_upload=settings.max_upload_bytes,
    )
    return app


def _api(runtime: Runtime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(require_json_body)])

    @api.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for feature in runtime.features:
        router = feature.api_router()
        if router is not None:
            api.include_router(router)
    return api
