"""The coach and the app in headless Chromium at 1280 px and on a phone (390 px), issue 16: a
habit with a reminder that arrives (in the app, and through a loopback webhook with "send a
test"), a suggestion that explains itself, and the app installed and checking in offline, then
synced.

Fixtures and helpers come from tests/web/test_browser.py. With STEADYMIND_SCREENSHOTS set to a
folder, what the screen shows first is saved there (docs/screenshots: coach-1280.png,
coach-390.png, coach-reminders-1280.png, coach-reminders-390.png, coach-offline-390.png).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.tables import Reminder
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.service import CompanionService
from tests.features.coach.loopback import loopback_server
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


def _screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _principal(live_server: LiveServer, username: str, password: str) -> Any:
    return live_server.services.credentials.log_in_token(
        username, password, client="test", name="t"
    ).principal


def _coach_flow(page: Any, live_server: LiveServer, width: int) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)
    principal = _principal(live_server, account.username, account.password)
    # The companion on, so that its flows may be suggested (the suggestion's source).
    live_server.services.accounts.update_profile(principal, ai_level="companion")
    principal = replace(principal, ai_level="companion")
    live_server.services.runtime.get(CompanionService).accept(principal, CONSENT_VERSION)

    page.goto("/coach")
    expect(page.get_by_role("heading", name="Coach", exact=True)).to_be_visible()
    page.get_by_text("Add a habit").click()
    page.get_by_label("The habit, in your words").fill("A glass of water")
    page.locator("#habit-time").fill("08:00")
    page.get_by_role("button", name="Add the habit").click()
    habit = page.locator("li.habit")
    expect(habit).to_contain_text("A glass of water")
    expect(habit).to_contain_text("every day at 08:00")
    habit.get_by_role("button", name="Did it today").click()
    expect(page.locator("li.habit .progress")).to_have_text("1 of 1 planned days in the last 7")

    # The reminder the page made falls due, and the job sends it to the app.
    reminders = live_server.services.runtime.get(ReminderService)
    with live_server.services.db.transaction() as tx:
        tx.execute(update(Reminder).values(next_due_at=live_server.services.clock.now()))
    assert reminders.deliver(reminders.plan()) == 1
    page.goto("/coach")
    expect(page.locator("#inbox")).to_contain_text("A moment for your habit")
    expect(page.locator("#inbox")).not_to_contain_text("water")  # reviewed words only

    suggestion = page.locator("#suggestion")
    expect(suggestion).to_contain_text("A suggestion")
    suggestion.get_by_text("Why this?").click()
    expect(suggestion.locator(".why")).to_contain_text("Suggested because it is")
    _no_horizontal_overflow(page)
    _screenshot(page, f"coach-{width}")

    with loopback_server() as hook:
        page.goto("/coach/reminders")
        page.locator("#channels summary").click()
        page.get_by_label("Kind").select_option("webhook")
        page.locator("#ch-target").fill(hook.url + "/steadymind")
        page.get_by_role("button", name="Add the channel").click()
        page.locator("#channels li", has_text="Webhook").get_by_role(
            "button", name="Send a test"
        ).click()
        expect(page.get_by_role("status")).to_have_text("Test sent.")
        deadline = time.monotonic() + 5
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [r.json()["about"] for r in hook.received] == ["test"]
    _no_horizontal_overflow(page)
    _screenshot(page, f"coach-reminders-{width}")


def test_coach_at_1280(browser_page: tuple[Any, Any], live_server: LiveServer) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _coach_flow(page, live_server, 1280)
    assert_stayed_local(log)


def test_coach_on_a_phone_with_the_tab_bar_at_the_bottom(
    browser_page: tuple[Any, Any], live_server: LiveServer
) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _coach_flow(page, live_server, 390)
    tabs = page.locator("nav.tabs")
    box = tabs.bounding_box()
    assert box is not None and box["y"] + box["height"] >= 844 - 1, box  # at the bottom
    # The coach sits behind "More" on a phone, and "More" shows that it holds the open page.
    more = tabs.locator("details.more summary")
    assert more.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    assert tabs.locator('a[href="/coach"]').first.get_attribute("aria-current") == "page"
    page.goto("/journal")
    assert tabs.locator('a[href="/coach"]').first.get_attribute("aria-current") is None
    assert tabs.locator('a[href="/journal"]').first.get_attribute("aria-current") == "page"
    page.goto("/coach")
    assert tabs.locator('a[href="/coach"]').first.get_attribute("aria-current") == "page"
    assert_stayed_local(log)


def test_the_app_installs_opens_offline_and_syncs_the_check_in(
    chromium: Any, live_server: LiveServer
) -> None:
    """Installable (Chromium's own installability check finds no error), opens offline to a
    check-in kept on the device, and sends it when the connection is back."""
    from playwright.sync_api import expect

    context = chromium.new_context(
        base_url=live_server.url, service_workers="allow", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        account = sign_up(page)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        # Headless Chromium reports every profile as incognito, where nothing installs; every
        # other criterion (manifest, icons, a service worker with a fetch handler, a secure
        # origin, a start URL in scope) is checked and must pass.
        assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
        manifest = page.evaluate("() => fetch('/manifest.webmanifest').then(r => r.json())")
        assert manifest["display"] == "standalone" and {"192x192", "512x512"} <= {
            i["sizes"] for i in manifest["icons"]
        }

        context.set_offline(True)
        page.goto("/checkin?source=app")
        expect(page.get_by_role("heading", name="Check in")).to_be_visible()
        expect(page.locator("#offline-checkin")).to_be_visible()
        page.locator("#off-mood").fill("3")
        page.locator("#off-energy").fill("-1")
        page.get_by_role("button", name="Save on this device").click()
        expect(page.locator("#offline-waiting")).to_contain_text(
            "1 check-in is waiting on this device"
        )
        _screenshot(page, "coach-offline-390")

        principal = _principal(live_server, account.username, account.password)
        assert live_server.services.checkins.find(principal) == []
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        expect(page.locator("#offline-waiting")).to_have_text("Nothing is waiting on this device.")
        [synced] = live_server.services.checkins.find(principal)
        assert (synced.mood, synced.energy, synced.note) == (3, -1, None)
        page.goto("/history")
        expect(page.locator("main")).to_contain_text(re.compile(r"\+3"))
    finally:
        context.close()
