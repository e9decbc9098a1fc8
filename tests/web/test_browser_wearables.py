"""Wearables in headless Chromium at 1280 px and on a phone (390 px), issue 17: a person imports
an Apple Health export and a FIT file through the page (the file sent with a progress bar, the
import followed), then sees sleep, steps, resting heart rate and HRV beside their mood, each
against their own usual; the same days reach the insights as factors. Nothing is wider than the
screen, and nothing leaves the machine.

With STEADYMIND_SCREENSHOTS set to a folder, the pages are saved there (docs/screenshots:
wearables-1280.png, wearables-390.png, wearables-import-1280.png, wearables-import-390.png).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from steadymind.features.checkins.schemas import CheckInIn
from tests.features.wearables.synth import apple_export, fit_night_and_day
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
DAYS = 24


def _screenshot(page: Any, name: str, *, full: bool = False) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full)


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _moods(live_server: LiveServer, username: str, password: str) -> Any:
    """A check-in a day for the same days as the export: mood lower after short nights."""
    services = live_server.services
    principal = services.credentials.log_in_token(
        username, password, client="test", name="tests"
    ).principal
    today = datetime.now(UTC).date()
    for i in range(DAYS):
        day = today - timedelta(days=DAYS - 1 - i)
        at = datetime.combine(day, time(19, 0), UTC)
        services.checkins.create(principal, CheckInIn(at=at, mood=(i * 3) % 7 - 2, energy=0))
    return principal


def _upload(page: Any, importer: str, path: Path) -> None:
    from playwright.sync_api import expect

    page.goto("/wearables")
    page.get_by_label("From", exact=True).select_option(importer)
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/wearables/imports/[0-9a-f]{32}$"))
    expect(page.get_by_text("Imported.")).to_be_visible(timeout=60_000)  # a busy machine


def _flow(page: Any, live_server: LiveServer, width: int, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)
    principal = _moods(live_server, account.username, account.password)
    today = datetime.now(UTC).date()
    export = apple_export(
        tmp_path / "export.xml", first=today - timedelta(days=DAYS - 1), days=DAYS
    )
    fit = tmp_path / "strap.fit"
    fit.write_bytes(
        fit_night_and_day(datetime.combine(today, time(0, 30), UTC) - timedelta(days=1))
    )

    _upload(page, "apple-health", export)
    expect(page.get_by_text("were here already")).to_be_visible()
    _no_horizontal_overflow(page)
    _screenshot(page, f"wearables-import-{width}")
    _upload(page, "fit", fit)

    page.goto("/wearables")
    for heading in ("Hours of sleep", "Steps", "Resting heart rate",
                    "Heart-rate variability (SDNN)", "Heart-rate variability (RMSSD)"):  # fmt: skip
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    sleep = page.locator("#chart-sleep-hours")
    expect(sleep.locator("rect.bar")).to_have_count(DAYS)
    expect(sleep.locator("circle.dot")).to_have_count(DAYS)  # mood under the same days
    expect(sleep.locator("rect.usual-band")).to_have_count(1)
    expect(sleep).to_contain_text("your usual:")
    expect(page.get_by_role("heading", name="Signs of strain, an estimate")).to_be_visible()
    expect(page.locator("section.strain")).to_contain_text("not a medical measurement")
    _no_horizontal_overflow(page)
    _screenshot(page, f"wearables-{width}")

    page.get_by_text("The numbers, day by day").click()
    expect(page.locator("details.numbers tbody tr")).to_have_count(DAYS)

    # The same days reach the insights as factors, each against this person's usual.
    sources = live_server.services.runtime.factor_sources
    values = [
        v
        for source in sources
        for v in source.daily_values(principal, today - timedelta(days=DAYS), today)
    ]
    factors = {v.factor for v in values}
    assert {"wearable:sleep.hours", "wearable:activity.steps", "wearable:heart.resting",
            "wearable:hrv.sdnn"} <= factors  # fmt: skip
    assert all(v.kind == "amount" for v in values if v.factor.startswith("wearable:"))


def test_import_and_days_beside_mood_at_1280(
    browser_page: tuple[Any, Any], live_server: LiveServer, tmp_path: Path
) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    _flow(page, live_server, 1280, tmp_path)
    assert_stayed_local(log)


def test_import_and_days_beside_mood_on_a_phone(
    chromium: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _flow(page, live_server, 390, tmp_path)
    finally:
        context.close()
