"""Limits are stated in characters, whatever the script: the transport's byte limit sits above the
largest valid request in any encoding, so the schema's character limits are the ones people meet.

The worst case is 12 bytes for one character: an astral character (an emoji, a rare CJK
ideograph) is a surrogate pair of ``\\uXXXX`` escapes in ASCII-only JSON (Python's default), and
four UTF-8 bytes each percent-encoded in a form.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steadymind.core.config import Settings
from steadymind.features.journal.schemas import MAX_BODY, MAX_TITLE
from tests.conftest import Persona
from tests.support import Services
from tests.web.test_pages import csrf_of, log_in

CJK = "心"  # U+5FC3, three bytes in UTF-8, six as a JSON escape
ASTRAL = "𠀋"  # U+2000B, four bytes in UTF-8, twelve as a JSON escape
WORST_BYTES_PER_CHAR = 12


def post_json(client: TestClient, alice: Persona, body: dict[str, Any], ascii_only: bool) -> Any:
    return client.post(
        "/api/v1/journal",
        content=json.dumps(body, ensure_ascii=ascii_only).encode(),
        headers={**alice.headers, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf-8", "ascii escapes"])
def test_the_longest_entry_in_cjk_is_accepted_and_one_more_character_is_a_422(
    client: TestClient, alice: Persona, services: Services, ascii_only: bool
) -> None:
    accepted = post_json(client, alice, {"title": "", "body": CJK * MAX_BODY}, ascii_only)
    assert accepted.status_code == 201, accepted.text[:300]
    (entry,) = services.journal.find(alice.principal)
    assert entry.body == CJK * MAX_BODY
    refused = post_json(client, alice, {"title": "", "body": CJK * (MAX_BODY + 1)}, ascii_only)
    assert refused.status_code == 422, refused.text[:300]
    error = refused.json()["error"]
    assert f"at most {MAX_BODY} characters" in error["message"]
    assert [p["field"] for p in error["details"]["errors"]] == ["body.body"]


def test_the_largest_valid_entry_in_its_worst_encoding_fits_the_transport(
    client: TestClient, alice: Persona
) -> None:
    body = {
        "title": ASTRAL * MAX_TITLE,
        "body": ASTRAL * MAX_BODY,
        "tags": [f"{i:02d}" + ASTRAL * 38 for i in range(20)],
        "tz": "America/Argentina/ComodRivadavia",
    }
    raw = json.dumps(body, ensure_ascii=True)
    assert len(raw) > WORST_BYTES_PER_CHAR * MAX_BODY
    response = post_json(client, alice, body, ascii_only=True)
    assert response.status_code == 201, response.text[:300]


def test_the_longest_entry_in_cjk_fits_a_web_form_too(app: Any, alice: Persona) -> None:
    # Nine bytes a character, percent-encoded. (Starlette caps one form field at 1 MiB: astral
    # characters reach about 87,000 in a form; the API takes the full 100,000.)
    with TestClient(app, base_url="http://testserver") as browser:
        log_in(browser, alice)
        page = browser.get("/journal/new").text
        response = browser.post(
            "/journal/new",
            data={"title": CJK * MAX_TITLE, "body": CJK * MAX_BODY, "csrf": csrf_of(page)},
            follow_redirects=False,
        )
    assert response.status_code == 303, response.text[:300]


def test_the_default_byte_limit_covers_the_worst_encoding_of_the_longest_entry() -> None:
    longest = MAX_BODY + MAX_TITLE + 20 * 40  # body, title and twenty tags of forty characters
    default = Settings.model_fields["max_body_bytes"].default
    assert default >= WORST_BYTES_PER_CHAR * longest + 64 * 1024
