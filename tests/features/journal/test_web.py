"""Journal pages (issue 12, items 9 and 13): the list shows plain-text excerpts, page by page;
an entry links back to the list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from steadymind.features.journal.schemas import JournalIn
from tests.conftest import Persona
from tests.support import Services
from tests.web.test_pages import log_in

MARKDOWN = (
    "# Heading here\n\n**Bold** and _soft_ words, a [link](https://example.org/x) and `code`."
    "\n\n- first item\n- second item\n\n<script>alert(1)</script> <b>not bold</b>"
)


def _excerpt(page: str) -> str:
    match = re.search(r'<p class="excerpt">(.*?)</p>', page, re.S)
    assert match, "no excerpt on the page"
    return match.group(1)


def test_the_list_shows_markdown_as_plain_text(
    client: TestClient, services: Services, alice: Persona
) -> None:
    services.journal.create(alice.principal, JournalIn(title="Marked", body=MARKDOWN))
    log_in(client, alice)
    excerpt = _excerpt(client.get("/journal").text)
    assert excerpt.startswith("Heading here · Bold and soft words, a link and code. first item ·")
    for markup in ("#", "**", "_soft_", "](", "`", "- first"):
        assert markup not in excerpt, markup
    # Raw HTML the person typed is shown as the text they typed, escaped, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;not bold&lt;/b&gt;" in excerpt
    assert "<script>" not in excerpt and "<b>" not in excerpt


def test_a_long_entry_is_cut_at_a_word_with_an_ellipsis(
    client: TestClient, services: Services, alice: Persona
) -> None:
    body = " ".join(f"word{i}" for i in range(200))
    services.journal.create(alice.principal, JournalIn(body=body))
    log_in(client, alice)
    excerpt = _excerpt(client.get("/journal").text)
    assert excerpt.endswith("…") and len(excerpt) <= 161
    assert excerpt[:-1].split()[-1] in body.split()  # a whole word before the ellipsis


def test_an_entry_page_links_back_to_the_journal(
    client: TestClient, services: Services, alice: Persona
) -> None:
    entry, _ = services.journal.create(alice.principal, JournalIn(body="a walk"))
    log_in(client, alice)
    page = client.get(f"/journal/{entry.id}").text
    assert re.search(r'<a [^>]*href="/journal"[^>]*>[^<]*Back to your journal', page)


def test_the_list_comes_in_pages_with_a_count(
    client: TestClient, services: Services, alice: Persona
) -> None:
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for i in range(45):
        body = f"entry {i}" + (" river" if i % 2 else "")
        services.journal.create(alice.principal, JournalIn(at=t0 + timedelta(days=i), body=body))
    log_in(client, alice)
    first = client.get("/journal").text
    assert first.count('<li class="card entry-item">') == 20
    assert "Entries 1–20 of 45" in first
    assert 'href="/journal?page=2"' in first and "Newer entries" not in first
    last = client.get("/journal", params={"page": 3}).text
    assert last.count('<li class="card entry-item">') == 5
    assert "Entries 41–45 of 45" in last and 'href="/journal?page=2"' in last
    found = client.get("/journal", params={"q": "river", "page": 2}).text
    assert "22 entries match" in found
    assert found.count('<li class="card entry-item">') == 2
    assert 'href="/journal?q=river&amp;page=1"' in found


def test_a_page_past_the_end_is_empty_not_an_error(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    assert client.get("/journal", params={"page": 9}).status_code == 200
    assert client.get("/journal", params={"page": "x"}).status_code == 422


def test_the_api_says_how_many_entries_there_are(
    client: TestClient, services: Services, alice: Persona
) -> None:
    for i in range(3):
        services.journal.create(alice.principal, JournalIn(body=f"sea {i}"))
    response = client.get("/api/v1/journal", params={"limit": 1}, headers=alice.headers)
    assert len(response.json()) == 1
    assert response.headers["x-total-count"] == "3"
