"""A report as a PDF (WeasyPrint, the optional ``reports`` extra), from the same HTML as the
page and its inline SVG charts. WeasyPrint may fetch nothing: every URL is refused, so a report
can never make the server reach out, and everything it shows is inline."""

from __future__ import annotations

from typing import Any

from steadymind.core.errors import ConfigError

MISSING = (
    "PDF reports need WeasyPrint: install steadymind with the reports extra "
    "(pip install 'steadymind[reports]'). The report page itself works without it."
)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("a report fetches nothing")


def pdf_of(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError:
        raise ConfigError(MISSING) from None
    out = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    assert isinstance(out, bytes)
    return out
