"""The export over the API."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response

from steadymind.features.export.service import Exporter
from steadymind.ui.api import PrincipalDep, service

router = APIRouter(tags=["your data"])
ExporterDep = Annotated[Exporter, Depends(service(Exporter))]


def download(exporter: Exporter, p: PrincipalDep, format: Literal["json", "csv"]) -> Response:
    """The export as a download (the API and the settings page share it)."""
    if format == "csv":
        return Response(
            exporter.to_csv_zip(p),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="steadymind-export.zip"'},
        )
    return Response(
        exporter.to_json(p),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="steadymind-export.json"'},
    )


@router.get("/export", response_class=Response)
def export(
    p: PrincipalDep, exporter: ExporterDep, format: Literal["json", "csv"] = "json"
) -> Response:
    """Everything you have stored, decrypted: JSON, or a ZIP of CSV files."""
    return download(exporter, p, format)
