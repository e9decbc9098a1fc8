"""Help now speaks to someone who has written nothing (issue 12, item 16): it does not refer to
"these thoughts" as if the page answered something they wrote; the crisis response after a
write still does."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from steadymind.safety import copy
from steadymind.safety.resources import for_country
from tests.conftest import Persona
from tests.web.test_pages import log_in


def _emergency_line(page: str) -> str:
    start = page.index('<p class="emergency">') + len('<p class="emergency">')
    return html.unescape(page[start : page.index("</p>", start)])


def test_help_now_does_not_speak_of_thoughts_nobody_wrote(client: TestClient) -> None:
    line = _emergency_line(client.get("/help", params={"country": "GB"}).text)
    assert "these thoughts" not in line
    assert line == copy.HELP_EMERGENCY_NOW.format(emergency=for_country("GB").emergency)
    assert "call 999 now" in line


def test_help_now_for_someone_logged_in_too(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    assert "these thoughts" not in _emergency_line(client.get("/help").text)


def test_the_crisis_response_after_a_write_still_names_what_was_written() -> None:
    assert "these thoughts" in copy.EMERGENCY_NOW
