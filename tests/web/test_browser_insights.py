"""The insights in headless Chromium at 1280 px and on a phone (390 px), issue 15: import a
Daylio export (a custom mood asked once), see the weekday and tag views and a pattern card with
its evidence, take PHQ-9 and GAD-7 and see the trend, download the PDF report, and set a warning
rule that fires on a declining week. Nothing is wider than a phone's screen.

With STEADYMIND_SCREENSHOTS set to a folder, what the screen shows first is saved there
(docs/screenshots: insights-*-1280.png and insights-*-390.png).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from steadymind.features.checkins.schemas import CheckInIn
from tests.web import test_browser as base
from tests.web.test_browser import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    LiveServer,
    assert_stayed_local,
    sign_up,
)

server_gate = base.server_gate
live_server = base.live_server
chromium = base.chromium
browser_page = base.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]
DAYLIO = Path(__file__).parents[1] / "fixtures" / "insights" / "daylio_en.csv"


def _screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _history(live_server: LiveServer, username: str, password: str) -> None:
    """Ninety days before the last week: walks on alternate days go with a better mood; then a
    week whose last five days each fall below the one before."""
    principal = live_server.services.credentials.log_in_token(
        username, password, client="test", name="tests"
    ).principal
    checkins = live_server.services.checkins
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for i in range(95, 6, -1):
        walked = i % 2 == 0
        mood = (2 if walked else 0) + (i % 3 - 1)
        tags = ["walk"] if walked else ["work"]
        at = now - timedelta(days=i)
        checkins.create(principal, CheckInIn(at=at, mood=mood, energy=1, tags=tags))
    for i, mood in zip(range(6, -1, -1), (2, 3, 2, 1, 0, -1, -2), strict=True):
        checkins.create(principal, CheckInIn(at=now - timedelta(days=i), mood=mood, energy=0))


def _insights_flow(page: Any, live_server: LiveServer, width: int) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)

    # Import a Daylio export: its custom mood is asked for once.
    nav = page.get_by_role("navigation", name="Main")
    if width < 640:  # on a phone, Insights is behind "More"
        nav.get_by_text("More").click()
    nav.get_by_role("link", name="Insights").click()
    page.get_by_role("link", name="Bring your history from Daylio or another app").click()
    page.get_by_label("The file").set_input_files(str(DAYLIO))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("group", name="Your own moods")).to_contain_text("sleepy")
    page.get_by_label("sleepy").select_option("-1")
    page.get_by_label("The file").set_input_files(str(DAYLIO))
    _no_horizontal_overflow(page)
    _screenshot(page, f"insights-import-{width}")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/insights\?saved=imported-6-0"))
    expect(page.get_by_role("status").first).to_have_text("Imported 6 check-ins.")

    # Patterns with evidence, the weekday and tag views, the week, a rule that fires.
    _history(live_server, account.username, account.password)
    page.goto("/insights/warnings")
    page.get_by_label("When").select_option("mood_falling")
    page.get_by_label("Over how many days").fill("5")
    page.get_by_role("button", name="Add the rule").click()
    page.wait_for_url("**/insights/warnings")
    expect(page.locator("#rules li")).to_contain_text("Mood falling 5 days running")
    expect(page.locator("#rules li .pill")).to_have_text("fires now")
    _no_horizontal_overflow(page)
    _screenshot(page, f"insights-warnings-{width}")

    page.goto("/insights")
    expect(page.locator(".warning-fired h2")).to_have_text("Mood falling 5 days running")
    card = page.locator(".finding", has_text="the tag “walk”").first
    expect(card).to_contain_text("your mood is")
    expect(card).to_contain_text("days with")
    expect(card).to_contain_text("95 % CI")
    expect(card).to_contain_text("This is an association, not proof of cause.")
    expect(page.locator("#weekdays svg rect.bar")).to_have_count(7)
    expect(page.locator("#tags")).to_contain_text("the tag “walk”")
    _no_horizontal_overflow(page)
    _screenshot(page, f"insights-{width}")
    page.locator("#patterns").scroll_into_view_if_needed()
    _screenshot(page, f"insights-patterns-{width}")

    # The calendar (year in pixels) is the history page's.
    page.get_by_role("link", name="Your year in colour").click()
    expect(page.locator("#year svg")).to_be_visible()

    # PHQ-9 and GAD-7, and their trend.
    taken = (
        ("phq9", [1, 1, 0, 2, 0, 1, 0, 0, 0]),
        ("gad7", [1, 2, 1, 1, 0, 1, 0]),
        ("gad7", [0, 1, 1, 0, 0, 1, 0]),
    )
    for instrument, answers in taken:
        page.goto(f"/insights/questionnaires/{instrument}")
        for i, value in enumerate(answers):
            page.locator(f"input[name=item{i}][value='{value}']").check()
        page.get_by_role("button", name="See my score").click()
        expect(page.locator("#result h1")).to_contain_text(str(sum(answers)))
    expect(page.locator("#result")).to_contain_text("not a diagnosis")
    page.goto("/insights/questionnaires")
    expect(page.locator("#gad7 svg circle.dot")).to_have_count(2)
    expect(page.locator("#phq9 table")).to_contain_text("5 of 27")
    _no_horizontal_overflow(page)
    page.locator("#gad7").scroll_into_view_if_needed()
    _screenshot(page, f"insights-questionnaires-{width}")

    # The weekly report, and its PDF.
    page.goto("/insights")
    page.get_by_role("link", name="Weekly report").click()
    expect(page.locator("article.report h1")).to_contain_text("Your week")
    expect(page.locator("article.report svg polyline")).to_have_count(1)
    _no_horizontal_overflow(page)
    _screenshot(page, f"insights-report-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes().startswith(b"%PDF")


def test_insights_at_1280(browser_page: tuple[Any, Any], live_server: LiveServer) -> None:
    pytest.importorskip("weasyprint")
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _insights_flow(page, live_server, 1280)
    assert_stayed_local(log)


def test_insights_on_a_phone(chromium: Any, live_server: LiveServer) -> None:
    pytest.importorskip("weasyprint")
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _insights_flow(page, live_server, 390)
    finally:
        context.close()
