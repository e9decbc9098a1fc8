"""The export from the settings page."""

from __future__ import annotations

from fastapi import APIRouter, Response

from steadymind.features.export.api import ExporterDep, download
from steadymind.ui.web import WebUser

router = APIRouter(include_in_schema=False)


@router.get("/settings/export.json")
def export_json(user: WebUser, exporter: ExporterDep) -> Response:
    return download(exporter, user, "json")


@router.get("/settings/export.zip")
def export_zip(user: WebUser, exporter: ExporterDep) -> Response:
    return download(exporter, user, "csv")
