"""The companion's consent: one reviewed text (``companion/copy/consent.md``), versioned."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def consent_text() -> tuple[str, str]:
    """(version, Markdown body) of the consent a person reads before the first conversation."""
    raw = resources.files("steadymind.companion.copy").joinpath("consent.md").read_text("utf-8")
    head, _, body = raw.partition("\n")
    if not head.startswith("version:"):
        raise ValueError("consent.md starts with its version line")
    return head.removeprefix("version:").strip(), body.strip()


CONSENT_VERSION = consent_text()[0]
