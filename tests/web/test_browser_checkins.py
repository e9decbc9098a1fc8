"""Issue 12 in headless Chromium, at 1280 px and on a 390 px phone: the check-in form (scales in
words, aligned sliders, one Save, a date and time), the grouped feelings picker (with and
without JavaScript) and the history (daily means with their range, energy, how strong, the year
in pixels). Nothing may be wider than a phone.

The server, the browser and the sign-up flow are those of ``test_browser``. With
``STEADYMIND_SCREENSHOTS=docs/screenshots`` the tests save checkin-1280.png, checkin-390.png,
history-1280.png and history-390.png there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from steadymind.affect.vocabulary import QUADRANTS
from tests.web import test_browser as base
from tests.web.test_browser import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    LiveServer,
    screenshot,
    sign_up,
)

# The server, its gate and the browser: the fixtures of test_browser, shared by name.
server_gate = base.server_gate
live_server = base.live_server
chromium = base.chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]
WIDTHS = [1280, 390]
RAW_LABELS = ("approval", "realization", "desire", "admiration", "neutral")


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def _context(chromium: Any, live_server: LiveServer, width: int, **extra: Any) -> Any:
    height = 844 if width < 500 else 900
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        service_workers="block",
        timezone_id="Europe/London",
        locale="en-GB",
        **extra,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(chromium: Any, live_server: LiveServer, width: int) -> Iterator[Any]:
    context = _context(chromium, live_server, width)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page
        assert errors == [], errors  # CSP violations and script errors land here
    finally:
        context.close()


def screenshot_top(page: Any, name: str, height: float) -> None:
    """Like ``screenshot``, but only the top of the page, down to ``height``."""
    if SCREENSHOTS:
        size = page.viewport_size
        clip = {"x": 0, "y": 0, "width": size["width"], "height": height}
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True, clip=clip)


def assert_fits(page: Any, width: int) -> None:
    """Nothing sticks out sideways: no horizontal scrolling on a phone."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide in a {width} px window"


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return dict(found)


# -- the check-in form ---------------------------------------------------------------------------


def test_check_in_with_words_beside_the_scales_a_grouped_picker_and_a_time(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    mood, energy = (
        page.get_by_label("Mood from -5 to +5"),
        page.get_by_label("Energy from -5 to +5"),
    )
    # Aligned: both sliders start and end at the same place, the words at their ends beside them.
    m, e = box(mood), box(energy)
    assert abs(m["x"] - e["x"]) < 1 and abs(m["width"] - e["width"]) < 1, (m, e)
    assert m["width"] >= 0.6 * min(width, 700), m
    expect(page.get_by_text("very low", exact=True)).to_be_visible()
    expect(page.get_by_text("full of energy", exact=True)).to_be_visible()
    expect(page.locator("#mood-word")).to_have_text("okay")
    mood.focus()
    for _ in range(3):
        mood.press("ArrowRight")
    expect(page.locator("#mood-value")).to_have_text("+3")
    expect(page.locator("#mood-word")).to_have_text("quite good")
    expect(mood).to_have_attribute("aria-valuetext", "+3, quite good")
    energy.focus()
    energy.press("ArrowLeft")
    expect(page.locator("#energy-word")).to_have_text("slightly low")

    # A date and time, now in the person's zone, that can be set to a missed day.
    when = page.get_by_label("When")
    expect(when).to_be_visible()
    now = datetime.now(ZoneInfo("Europe/London"))
    assert abs(datetime.fromisoformat(when.input_value()) - now.replace(tzinfo=None)) < timedelta(
        minutes=5
    )
    yesterday = (now - timedelta(days=1)).replace(hour=21, minute=30)
    when.fill(yesterday.strftime("%Y-%m-%dT%H:%M"))

    # The feelings: four groups of plain words, each a fieldset named by its legend.
    page.get_by_text("Add feelings, a note or tags").click()
    for quadrant in QUADRANTS:
        group = page.get_by_role("group", name=quadrant.title, exact=True)
        expect(group).to_be_visible()
        expect(group.locator("label.chip")).to_have_count(len(quadrant.words))
    for label in RAW_LABELS:
        expect(page.locator(f"input[name=emotions][value={label}]")).to_have_count(0)
    low = page.get_by_role("group", name="Unpleasant, low energy", exact=True)
    low.locator("label.chip", has_text=re.compile(r"^tired$")).click()
    expect(page.locator("input[name=emotions][value=tired]")).to_be_checked()
    expect(page.get_by_text("How strong are these feelings?")).to_be_visible()
    page.get_by_label("How strong are these feelings?").fill("6")
    page.get_by_label("Tags or activities").fill("work,  late train ")
    assert_fits(page, width)
    saves = page.get_by_role("button", name="Save check-in")
    expect(saves).to_have_count(1)
    screenshot(page, f"checkin-{width}")

    saves.click()
    page.wait_for_url(re.compile(r"/history\?saved=checkin$"))
    item = page.locator("#checkins li.checkin-item")
    expect(item).to_have_count(1)
    expect(item.locator("time")).to_have_text(yesterday.strftime("%a %d %b, 21:30"))
    expect(item.locator(".words")).to_have_text("tired")
    expect(item).to_contain_text("late train")
    expect(item).to_contain_text("strength 6")
    assert_fits(page, width)


def test_the_picker_works_without_javascript(
    chromium: Any, live_server: LiveServer, width: int
) -> None:
    from playwright.sync_api import expect

    context = _context(chromium, live_server, width, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_up(page)
        page.get_by_text("Add feelings, a note or tags").click()
        pleasant = page.get_by_role("group", name="Pleasant, low energy", exact=True)
        for word in ("calm", "grateful"):
            pleasant.locator("label.chip", has_text=re.compile(rf"^{word}$")).click()
        page.get_by_label("Mood from -5 to +5").fill("2")
        assert_fits(page, width)
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(re.compile(r"/history\?saved=checkin$"))
        item = page.locator("#checkins li.checkin-item")
        expect(item.locator(".words")).to_have_text("calm, grateful")
        expect(item.locator(".pill").first).to_have_text("mood +2")
        # The next check-in offers the person's own words first.
        page.goto("/checkin")
        page.get_by_text("Add feelings, a note or tags").click()
        recent = page.get_by_role("group", name="Your recent words")
        expect(recent.locator("label.chip")).to_have_text(["calm", "grateful"])
    finally:
        context.close()


# -- the history ---------------------------------------------------------------------------------


def _seed(page: Any, username: str, password: str) -> None:
    """Six weeks of check-ins through the API: most days two or three, some with how strong."""
    token = page.request.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    today = datetime.now(ZoneInfo("Europe/London")).replace(hour=8, minute=0)
    for back in range(42):
        if back % 7 == 3:
            continue  # a missed day now and then
        day = today - timedelta(days=back)
        for i, hour in enumerate((8, 13, 21)[: 1 + back % 3]):
            mood = max(-5, min(5, (back % 11) - 5 + 2 * i))
            body: dict[str, Any] = {
                "at": day.replace(hour=hour).isoformat(),
                "mood": mood,
                "energy": max(-5, min(5, 3 - (back % 8) + i)),
            }
            if back % 2 == 0:
                body["intensity"] = (back + 3 * i) % 11
            response = page.request.post("/api/v1/checkins", data=body, headers=headers)
            assert response.status == 201, response.text()


def test_history_draws_days_with_their_range_energy_strength_and_a_year(
    page: Any, width: int
) -> None:
    from playwright.sync_api import expect

    account = sign_up(page)
    _seed(page, account.username, account.password)
    page.goto("/history?days=30")
    chart = page.locator("#mood-chart svg")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline.mood")).to_have_count(1)
    expect(chart.locator("polyline.energy")).to_have_count(1)
    expect(chart.locator("polygon.band")).to_have_count(1)
    mood_points = chart.locator("polyline.mood").get_attribute("points") or ""
    xs = [p.split(",")[0] for p in mood_points.split()]
    assert len(xs) == len(set(xs)) >= 20, "one point per day, never a vertical stroke"
    # Days with more than one check-in show the energy's range beside the mood's (issue 15).
    assert chart.locator("line.energy-range").count() >= 10
    expect(page.locator("#mood-chart .legend")).to_contain_text("energy, lowest to highest")
    assert chart.locator("rect.strength").count() >= 10
    expect(chart.locator("text", has_text="How strong the feelings were")).to_be_visible()
    # Its text is readable on a phone too (drawn larger there, as the SVG is scaled down).
    label = box(chart.locator("text.axis").first)
    assert label["height"] >= 10, label
    assert box(chart)["width"] <= width

    year = page.locator("#year svg")
    expect(year).to_be_visible()
    assert year.locator("rect.day").count() >= 330
    assert year.locator("rect.day:not(.none)").count() >= 30
    assert box(year)["width"] <= width

    # The numbers as tables, for anyone who cannot see the drawing.
    page.get_by_text("The numbers, day by day").click()
    rows = page.locator("#mood-chart table tbody tr")
    assert rows.count() >= 20
    expect(page.locator("#mood-chart table")).to_be_visible()
    assert_fits(page, width)
    page.get_by_text("The numbers, day by day").click()  # closed again for the picture
    # The charts and the first check-ins: the whole list would make a very long picture.
    bottom = box(page.locator("#checkins li").nth(1))
    screenshot_top(page, f"history-{width}", bottom["y"] + bottom["height"] + 16)
