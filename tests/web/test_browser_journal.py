"""The journal in headless Chromium at 1280 px and on a phone (390 px), issue 12, item 13: the list
shows plain-text excerpts (Markdown read, not shown as source; HTML typed stays text), twenty
entries a page; an entry has a way back to the list; nothing is wider than a phone's screen.

Fixtures and helpers come from tests/web/test_browser.py. With STEADYMIND_SCREENSHOTS set to a
folder, what the screen shows first is saved there (docs/screenshots: journal-1280.png,
journal-390.png, journal-entry-1280.png, journal-entry-390.png).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from steadymind.features.journal.schemas import JournalIn
from tests.web import test_browser as base
from tests.web.test_browser import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    LiveServer,
    assert_stayed_local,
    sign_up,
)

# The server and browser fixtures of tests/web/test_browser.py, used here as they are.
server_gate = base.server_gate
live_server = base.live_server
chromium = base.chromium
browser_page = base.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]

MARKDOWN_ENTRY = (
    "## Morning\n\n"
    "Woke at **six**, before the alarm. Made _proper_ coffee and sat by the window.\n\n"
    "- rain on the skylight\n- the neighbour's cat on the wall\n\n"
    "Read [an article](https://example.org/sleep) about sleep and `screens`, then napped."
)
# Typed into an entry: shown as the text it is, never run or rendered.
PAYLOAD = (
    "<script>document.title='run'</script> <img src=x onerror=\"document.title='run'\"> "
    "**https://example.org/a-very-long-address-that-goes-on-and-on-without-a-single-place-to-"
    "break-it-at-all**"
)
EARLIER = [
    ("Back at work", "First day back. Quieter than I feared; *lunch with Priya* helped."),
    ("Long walk", "Walked the canal path to the lock and back. Legs tired, head clear."),
    ("", "Couldn't settle tonight. Wrote three things I'm grateful for and felt a bit lighter."),
    ("Dentist", "Not as bad as I'd built it up to be. Treated myself to a film after."),
]


def _fill(live_server: LiveServer, username: str, password: str) -> None:
    """Twenty-four earlier entries (so that the list has a second page), written directly; the
    oldest holds HTML and a word longer than a phone is wide."""
    services = live_server.services
    principal = services.credentials.log_in_token(
        username, password, client="test", name="tests"
    ).principal
    start = datetime.now(UTC) - timedelta(days=40)
    services.journal.create(principal, JournalIn(at=start, title="Pasted", body=PAYLOAD))
    for i in range(1, 24):
        title, body = EARLIER[i % len(EARLIER)]
        entry = JournalIn(at=start + timedelta(days=i), title=title, body=body, tags=["daily"])
        services.journal.create(principal, entry)


def _screenshot(page: Any, name: str) -> None:
    """What a person sees first (the viewport), for docs/screenshots; the STEADYMIND_SCREENSHOTS
    mechanism of tests/web/test_browser.py, without its full-page length."""
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _journal_flow(page: Any, live_server: LiveServer, width: int) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)
    _fill(live_server, account.username, account.password)
    page.goto("/journal/new")
    page.get_by_label("Title").fill("A slow Saturday")
    page.get_by_label("Entry").fill(MARKDOWN_ENTRY)
    page.get_by_label("Tags").fill("weekend, sleep")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f]{32}$"))
    entry_url = page.url

    page.goto("/journal")
    items = page.locator("li.entry-item")
    expect(items).to_have_count(20)
    expect(page.locator("#entries-shown")).to_have_text("Entries 1–20 of 25")
    first = items.first.locator(".excerpt")
    expect(first).to_contain_text("Morning · Woke at six, before the alarm. Made proper coffee")
    text = first.inner_text()
    for markup in ("##", "**", "_proper_", "](", "- rain", "`"):
        assert markup not in text, markup
    _no_horizontal_overflow(page)
    _screenshot(page, f"journal-{width}")

    page.get_by_role("link", name="Older entries").click()
    expect(items).to_have_count(5)
    expect(page.get_by_role("link", name="Newer entries")).to_be_visible()
    pasted = items.last.locator(".excerpt")
    expect(pasted).to_contain_text("<script>document.title='run'</script> <img src=x")
    assert pasted.locator("script, img, strong").count() == 0
    assert page.title() != "run"
    _no_horizontal_overflow(page)

    page.goto(entry_url)
    expect(page.locator("article.entry h1")).to_have_text("A slow Saturday")
    expect(page.locator("article .prose strong")).to_have_text("six")
    _no_horizontal_overflow(page)
    _screenshot(page, f"journal-entry-{width}")
    back = page.get_by_role("link", name="Back to your journal")
    expect(back).to_be_visible()
    back.click()
    page.wait_for_url("**/journal")
    expect(items).to_have_count(20)


def test_journal_list_and_entry_at_1280(
    browser_page: tuple[Any, Any], live_server: LiveServer
) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _journal_flow(page, live_server, 1280)
    assert_stayed_local(log)


def test_journal_list_and_entry_on_a_phone(chromium: Any, live_server: LiveServer) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _journal_flow(page, live_server, 390)
    finally:
        context.close()
