"""Account pages in headless Chromium at 1280 px and 390 px (issue 12, item 14): log out from the
header of every signed-in page; in settings, the time zone from a searchable list, the new
password typed twice, a new recovery key shown once. The server, browser and sign-up flow are
the ones of tests/web/test_browser.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from steadymind.core.errors import AuthenticationError
from tests.web.test_browser import (
    CHROMIUM,
    RECOVERY_KEY,
    TIMEOUT_MS,
    BrowserLog,
    LiveServer,
    assert_stayed_local,
    screenshot,
    sign_up,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}
SIGNED_IN_PAGES = ["/checkin", "/journal", "/history", "/settings", "/help"]


@pytest.fixture(params=sorted(WIDTHS))
def sized_page(
    request: pytest.FixtureRequest, chromium: Any, live_server: LiveServer
) -> Iterator[tuple[Any, BrowserLog, str]]:
    """A fresh browser profile at a desktop or a phone width, recording requests and errors."""
    width, height = WIDTHS[request.param]
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    log = BrowserLog()
    context.on("request", lambda r: log.requests.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    try:
        yield page, log, request.param
    finally:
        context.close()


def _fits(page: Any, locator: Any) -> None:
    """On screen, inside the width, and nothing on the page scrolls sideways."""
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_log_out_is_in_the_header_of_every_signed_in_page(
    sized_page: tuple[Any, BrowserLog, str],
) -> None:
    from playwright.sync_api import expect

    page, log, width = sized_page
    sign_up(page)
    for path in SIGNED_IN_PAGES:
        page.goto(path)
        button = page.locator("header.top nav").get_by_role("button", name="Log out")
        expect(button).to_be_visible()
        _fits(page, button)
        box = button.bounding_box()
        assert box["y"] + box["height"] <= page.viewport_size["height"], (path, box)
    screenshot(page, f"header-{width}")
    page.goto("/journal")
    page.locator("header.top").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/settings")
    page.wait_for_url(re.compile(r"/login\?next=/settings$"))
    assert_stayed_local(log)


def test_settings_time_zone_password_and_recovery_key(
    sized_page: tuple[Any, BrowserLog, str], live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log, width = sized_page
    account = sign_up(page)
    page.goto("/settings")
    screenshot(page, f"settings-{width}")

    # The time zone: a text field searching a list of IANA names, checked by the server.
    zone = page.get_by_label("Time zone")
    assert zone.get_attribute("list") == "time-zones"
    options = page.locator("datalist#time-zones option")
    assert options.count() > 300
    expect(page.locator('datalist#time-zones option[value="Europe/Dublin"]')).to_have_count(1)
    _fits(page, zone)
    zone.fill("europe/dublin")
    page.locator("form[action='/settings/profile']").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Dublin")
    page.get_by_label("Time zone").fill("Atlantis/Capital")
    page.locator("form[action='/settings/profile']").get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a time zone from the list")

    # The new password, twice; the browser itself refuses one too short (minlength).
    new = "a slow walk by the sea"
    page.get_by_label("Current password").fill(account.password)
    page.get_by_label("New password", exact=False).first.fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_label("New password", exact=False).first.evaluate(
        "el => el.validity.tooShort"
    )
    assert "/settings" in page.url and "saved" not in page.url
    page.get_by_label("New password", exact=False).first.fill(new)
    page.get_by_label("New password again").fill(new + "!")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("The passwords differ")
    page.get_by_label("Current password").fill(account.password)
    page.get_by_label("New password", exact=False).first.fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/settings?saved=password")

    # A new recovery key, shown once, as at sign-up; the old one stops working.
    page.get_by_label("Your password").fill(new)
    page.get_by_role("button", name="Make a new recovery key").click()
    expect(page.get_by_role("heading", name="Your new recovery key")).to_be_visible()
    key = page.locator("#recovery-key").inner_text().strip()
    assert RECOVERY_KEY.match(key) and key != account.recovery_key
    _fits(page, page.locator("#recovery-key"))
    screenshot(page, f"new-recovery-key-{width}")
    page.get_by_role("link", name="I have saved it, back to settings").click()
    page.wait_for_url("**/settings")
    assert key not in page.content()
    accounts = live_server.services.accounts
    with pytest.raises(AuthenticationError):
        accounts.recover(account.username, account.recovery_key, "another calm passphrase")
    accounts.recover(account.username, key, "another calm passphrase")
    # The two refusals above (422) are the only console lines: Chromium logs every 4xx.
    refused = "the server responded with a status of 422"
    assert len([e for e in log.console_errors if refused in e]) == 2, log.console_errors
    log.console_errors = [e for e in log.console_errors if refused not in e]
    assert_stayed_local(log)
