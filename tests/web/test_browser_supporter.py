"""Telling a supporter and the import's upload progress, in headless Chromium at 1280 px and on
a phone (390 px), issue 15: name a supporter, see exactly what they would receive, mark a rule
for them, and the rule firing on a declining week reaches them through the coach's job queue (a
loopback webhook); a Daylio export's upload shows the bytes sent, then that rows are being saved.

With STEADYMIND_SCREENSHOTS set to a folder: insights-supporter-*.png, insights-upload-*.png.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.coach.jobs import Jobs
from tests.features.coach.loopback import Loopback, loopback_server
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
ROWS = 4000


def _screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _declining_week(live_server: LiveServer, username: str, password: str) -> None:
    principal = live_server.services.credentials.log_in_token(
        username, password, client="test", name="tests"
    ).principal
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for i, mood in zip(range(4, -1, -1), (2, 1, 0, -1, -2), strict=True):
        live_server.services.checkins.create(
            principal, CheckInIn(at=now - timedelta(days=i), mood=mood, energy=0)
        )


def _wait_for(hook: Loopback, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(hook.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def _supporter_flow(page: Any, live_server: LiveServer, width: int) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)
    _declining_week(live_server, account.username, account.password)
    stop = live_server.services.runtime.get(Jobs).start_in_process()
    try:
        with loopback_server() as hook:
            page.goto("/insights/warnings")
            page.get_by_label("Their name").fill("Sam")
            page.get_by_label("Your name, as they know you").fill("Robin")
            page.get_by_label("Their email address").fill("sam@example.org")
            page.get_by_label("A webhook address (optional)").fill(hook.url + "/sam")
            page.get_by_role("button", name="Save my supporter").click()
            expect(page.get_by_role("status").first).to_have_text("Saved. Nothing has been sent.")
            expect(page.locator("#supporter-message")).to_contain_text(
                "Robin asked steadymind to let you know"
            )
            assert hook.received == []

            page.get_by_label("When").select_option("mood_falling")
            page.get_by_label("Over how many days").fill("5")
            page.get_by_label(re.compile("Also tell my supporter")).check()
            page.get_by_role("button", name="Add the rule").click()
            page.wait_for_url("**/insights/warnings")
            expect(page.locator("#rules li .pill")).to_have_text("fires now")
            expect(page.locator("#rules li")).to_contain_text("Sam is told, at most once a day")
            _wait_for(hook, 1)
            [told] = hook.received
            assert told.path == "/sam"
            assert told.json()["body"].startswith("Robin asked steadymind to let you know")
            page.reload()  # the page again: the rule still fires, Sam is not told twice
            time.sleep(1.5)
            assert len(hook.received) == 1

            page.locator("#supporter").scroll_into_view_if_needed()
            page.get_by_role("button", name="Send a test to Sam").click()
            expect(page.locator("#supporter [role=status]")).to_contain_text("Webhook: sent")
            expect(page.locator("#supporter [role=status]")).to_contain_text(
                "Email: not sent: this server is not set up for it"
            )
            assert len(hook.received) == 2 and "This is a test" in hook.received[1].json()["body"]
            _no_horizontal_overflow(page)
            page.locator("#supporter-message").scroll_into_view_if_needed()
            _screenshot(page, f"insights-supporter-{width}")
    finally:
        stop()


def _daylio(path: Path) -> Path:
    start = datetime(2010, 1, 1)
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    moods = ("rad", "good", "meh", "bad", "awful")
    for i in range(ROWS):
        day = start + timedelta(days=i)
        lines.append(f"{day:%Y-%m-%d},,,21:00,{moods[i % 5]},walk | reading,,")
    path.write_text("\n".join(lines) + "\n")
    return path


def _upload_flow(page: Any, width: int, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    page.goto("/insights/import")
    page.get_by_label("The file").set_input_files(str(_daylio(tmp_path / "daylio.csv")))
    # Record every value the bar shows (its attribute follows .value).
    page.evaluate(
        """() => { window.seen = []; const bar = document.getElementById('import-progress');
        new MutationObserver(() => window.seen.push([bar.getAttribute('value'),
        bar.getAttribute('max')])).observe(bar, {attributes: true}); }"""
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("[data-upload-label]")).to_contain_text("Reading and saving the rows")
    expect(page.locator("#import-progress")).to_be_visible()
    _no_horizontal_overflow(page)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    _screenshot(page, f"insights-upload-{width}")
    seen = page.evaluate("window.seen")
    page.wait_for_url(re.compile(rf"/insights\?saved=imported-{ROWS}-0"))
    size = (tmp_path / "daylio.csv").stat().st_size
    sent = [(int(v), int(m)) for v, m in seen if v is not None and m not in (None, "100")]
    assert sent, f"the bar never showed bytes: {seen}"
    assert max(v for v, _ in sent) == sent[-1][1] >= size  # all of it (with the form's parts)


def test_supporter_at_1280(browser_page: tuple[Any, Any], live_server: LiveServer) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _supporter_flow(page, live_server, 1280)
    assert_stayed_local(log)


def test_supporter_on_a_phone(chromium: Any, live_server: LiveServer) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _supporter_flow(page, live_server, 390)
    finally:
        context.close()


def test_upload_progress_at_1280(
    browser_page: tuple[Any, Any], live_server: LiveServer, tmp_path: Path
) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _upload_flow(page, 1280, tmp_path)
    assert_stayed_local(log)


def test_upload_progress_on_a_phone(chromium: Any, live_server: LiveServer, tmp_path: Path) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _upload_flow(page, 390, tmp_path)
    finally:
        context.close()
