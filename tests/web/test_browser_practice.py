"""Guided practice in headless Chromium at 1280 px and on a phone (390 px), issue 14: pick (or be
offered) a practice, breathe with the pacer, rate it and see what helped; the one-minute exercise
from Help now and from the crisis screen, without a login, with and without reduced motion; the
live biofeedback page with the simulated strap (a resonance scan, then a paced session and its
chart) and with a fake Web Bluetooth heart-rate strap injected into the page.

Fixtures come from tests/web/test_browser.py. With STEADYMIND_SCREENSHOTS set to a folder, what
the screen shows is saved there (docs/screenshots/practice-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import FAKE_HIGH
from tests.web import test_browser as base
from tests.web.test_browser import (
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    BrowserLog,
    LiveServer,
    assert_stayed_local,
    sign_up,
)

server_gate = base.server_gate
live_server = base.live_server
chromium = base.chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]
WIDTHS = {1280: 900, 390: 844}

# A heart-rate strap in the page: navigator.bluetooth answers with a device whose Heart Rate
# Measurement characteristic notifies 0x2A37 values (flags 0x10: RR present, 8-bit heart rate),
# two RR intervals (in 1/1024 s) every 250 ms (eight times life), swinging with the breath.
FAKE_STRAP = """
(() => {
  let beat = 0;
  const listeners = [];
  const characteristic = {
    addEventListener: (type, fn) => listeners.push(fn),
    startNotifications: async () => {
      setInterval(() => {
        const buffer = new ArrayBuffer(6), view = new DataView(buffer);
        view.setUint8(0, 0x10); view.setUint8(1, 64);
        for (let i = 0; i < 2; i++, beat++) {
          const ms = 940 + 60 * Math.sin(2 * Math.PI * beat * 0.94 / 10);
          view.setUint16(2 + 2 * i, Math.round(ms / 1000 * 1024), true);
        }
        listeners.forEach((fn) => fn({ target: { value: view } }));
      }, 250);
      return characteristic;
    },
  };
  const device = { name: "Fake H10", gatt: { connect: async () => ({
    getPrimaryService: async (name) => { if (name !== "heart_rate") throw new Error(name);
      return { getCharacteristic: async () => characteristic }; } }) } };
  Object.defineProperty(navigator, "bluetooth", { configurable: true,
    value: { requestDevice: async (options) => {
      window.__strapFilters = options.filters; return device; } } });
})();
"""


@pytest.fixture(params=sorted(WIDTHS), ids=lambda w: f"{w}px")
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def _page(chromium: Any, live_server: LiveServer, width: int, **extra: Any) -> Any:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": WIDTHS[width]},
        service_workers="block",
        **extra,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page_at(
    chromium: Any, live_server: LiveServer, width: int
) -> Iterator[tuple[Any, BrowserLog, int]]:
    context = _page(chromium, live_server, width)
    log = BrowserLog()
    context.on("request", lambda request: log.requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    try:
        yield page, log, width
    finally:
        context.close()


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full)


def _fits(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def test_pick_a_practice_breathe_with_the_pacer_rate_it_and_see_what_helped(
    page_at: tuple[Any, BrowserLog, int], live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log, width = page_at
    sign_up(page)
    page.get_by_role("link", name="Practice").click()
    page.wait_for_url("**/practice")
    page.locator("label.chip", has_text="Calm down now").click()
    page.locator("select[name=minutes]").select_option("1")
    page.get_by_role("button", name="Show practices").click()
    offered = page.locator("#start-form input[name=practice]:checked")
    expect(offered).to_have_value("physiological-sigh")
    expect(page.locator(".offer .reason").first).to_contain_text("1 minute")
    page.locator("#start-form .calm-option", has_text=re.compile(r"^3$")).click()
    _fits(page)
    _shot(page, f"practice-pick-{width}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/practice/session/[0-9a-f]{32}$"))

    # The player: the pacer grows with the first in-breath, the words follow the script.
    expect(page.locator("h1")).to_have_text("The physiological sigh")
    page.locator("#speak").uncheck()  # the spoken audio has its own test; keep this one quiet
    first = page.evaluate(
        "() => JSON.parse(document.getElementById('practice-script').textContent).breaths[0]"
    )
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#caption")).not_to_be_empty()
    elapsed = "() => Number(document.getElementById('player').dataset.elapsed)"
    page.wait_for_function(f"() => ({elapsed})() > {first['start'] + 0.3}", timeout=30_000)
    expect(page.locator("#pacer-word")).to_have_text("Breathe in")
    expect(page.locator("#pacer")).to_have_attribute("style", re.compile(r"scale\(1\)"))
    page.wait_for_function(f"() => ({elapsed})() > {first['start'] + 4.3}", timeout=30_000)
    expect(page.locator("#pacer-word")).to_have_text("Breathe out")
    expect(page.locator("#pacer")).to_have_attribute("style", re.compile(r"scale\(0?\.55\)"))
    expect(page.locator("#timer")).to_contain_text(" / 1:00")
    _fits(page)
    _shot(page, f"practice-player-{width}")
    page.get_by_role("button", name="Pause").click()
    audio = page.request.get(page.url + "/audio.ogg")
    assert audio.status == 200 and audio.headers["content-type"] == "audio/ogg"
    assert audio.body()[:4] == b"OggS"

    # The rating after, and what helped.
    page.locator("#rate .calm-option", has_text=re.compile(r"^7$")).click()
    page.get_by_label("Anything you noticed?").fill("Shoulders dropped a little.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/practice?saved=rated*")
    expect(page.get_by_role("status")).to_have_text("Thank you. Your rating is saved.")
    row = page.locator("#helped tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("The physiological sigh")
    expect(row.locator("td").last).to_have_text("+4.0")
    _fits(page)
    _shot(page, f"practice-helped-{width}")
    assert_stayed_local(log)


def test_one_minute_of_breathing_from_help_now_without_a_login(
    page_at: tuple[Any, BrowserLog, int],
) -> None:
    from playwright.sync_api import expect

    page, log, width = page_at
    page.goto("/help")
    link = page.get_by_role("link", name="Breathe with me for one minute")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/breathe")
    pacer = page.locator(".pacer-minute")
    expect(pacer).to_be_visible()
    assert pacer.evaluate("el => getComputedStyle(el).animationName") == "breathe-minute"
    expect(page.locator("#minute-left")).to_have_text(re.compile(r"^0:(5\d|60) left$"))
    expect(page.locator("#grounding")).to_contain_text("five things you can see")
    _fits(page)
    _shot(page, f"practice-breathe-{width}")
    assert_stayed_local(log)


def test_the_minute_keeps_still_for_reduced_motion_and_works_without_javascript(
    chromium: Any, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    context = _page(chromium, live_server, 390, reduced_motion="reduce", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/breathe")
        pacer = page.locator(".pacer-minute")
        expect(pacer).to_be_visible()
        assert pacer.evaluate("el => getComputedStyle(el).animationName") == "none"
        assert pacer.evaluate("el => getComputedStyle(el).transform") == "none"
        expect(page.locator(".word-in")).to_have_text("Breathe in")
    finally:
        context.close()


def test_one_minute_of_breathing_from_the_crisis_screen(
    page_at: tuple[Any, BrowserLog, int],
) -> None:
    from playwright.sync_api import expect

    page, _, width = page_at
    sign_up(page)
    page.get_by_text("Add feelings, a note or tags").click()
    page.get_by_label("Note").fill(FAKE_HIGH)
    page.get_by_role("button", name="Save check-in").last.click()
    expect(page.locator("#crisis-response")).to_be_visible()
    order = page.evaluate(
        "() => [...document.querySelectorAll('#crisis-response, #your-plan, #breathe-link')]"
        ".map((el) => el.id)"
    )
    assert order == ["crisis-response", "your-plan", "breathe-link"]  # safety first
    page.get_by_role("link", name="Breathe with me for one minute").click()
    page.wait_for_url("**/breathe")
    expect(page.locator(".pacer-minute")).to_be_visible()
    if width == 390:
        _shot(page, "practice-crisis-link-390")


def test_a_resonance_scan_then_a_paced_session_with_the_simulated_strap(
    page_at: tuple[Any, BrowserLog, int], live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log, width = page_at
    sign_up(page)
    # Forty-second blocks at sixty times life: the whole scan in a few seconds.
    page.goto("/practice/biofeedback?speed=60&block=40")
    page.get_by_role("button", name="No strap? Use the simulated one").click()
    expect(page.locator("#bio-source")).to_have_text("Using the simulated strap.")
    page.locator("label.chip", has_text="Find my resonance pace").click()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#bio-pacer")).to_have_attribute("data-pace", "4.5", timeout=30_000)
    expect(page.locator("#bio-resonance")).to_have_text(
        re.compile(r"^\d\.\d breaths a minute$"), timeout=30_000
    )
    resonance = float(page.locator("#bio-resonance").inner_text().split()[0])
    assert 4.5 <= resonance <= 6.5
    expect(page.locator("#bio-summary")).to_be_visible()

    page.locator("label.chip", has_text="Breathe at my pace").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_function("() => document.getElementById('bio-pacer').dataset.pace !== '4.5'")
    pace = float(page.locator("#bio-pacer").get_attribute("data-pace") or 0)
    assert pace == pytest.approx(resonance, abs=0.051)  # the pacer follows the scanned pace
    page.wait_for_function(
        "() => document.getElementById('bio-rmssd').textContent !== '–'", timeout=30_000
    )
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#biofeedback")).to_have_attribute("data-finished", "true")
    points = page.locator("#bio-chart .hr-line").get_attribute("points") or ""
    assert len(points.split()) >= 3, points
    expect(page.locator("#bio-before-after")).to_contain_text("First minute: heart rate")
    _fits(page)
    _shot(page, f"practice-biofeedback-{width}", full=True)
    assert_stayed_local(log)


def test_a_web_bluetooth_strap_streams_rr_intervals_to_the_server(
    page_at: tuple[Any, BrowserLog, int],
) -> None:
    from playwright.sync_api import expect

    page, log, width = page_at
    if width != 1280:
        pytest.skip("one width is enough for the Bluetooth path")
    page.add_init_script(FAKE_STRAP)
    sign_up(page)
    page.goto("/practice/biofeedback")
    page.get_by_role("button", name="Connect a heart-rate strap").click()
    expect(page.locator("#bio-source")).to_have_text("Connected: Fake H10.")
    assert page.evaluate("() => window.__strapFilters") == [{"services": ["heart_rate"]}]
    page.get_by_role("button", name="Start").click()
    page.wait_for_function(
        "() => document.getElementById('bio-rmssd').textContent !== '–'", timeout=30_000
    )
    hr = float(page.locator("#bio-hr").inner_text())
    assert 55 < hr < 75  # 940 ms on average: about 64 beats a minute
    page.wait_for_function("() => window.steadymindBio.latency.length >= 20")
    latency = page.evaluate("() => window.steadymindBio.latency")
    assert all(ms >= 0 for ms in latency)  # every batch answered (bench/: the p95)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#biofeedback")).to_have_attribute("data-finished", "true")
    assert_stayed_local(log)


def test_a_paced_session_with_the_strap_is_charted_on_its_page_without_javascript(
    page_at: tuple[Any, BrowserLog, int], chromium: Any, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log, width = page_at
    sign_up(page)
    page.goto("/practice")
    about = page.locator("#about-resonance")
    about.locator("summary").click()
    about.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/practice/session/[0-9a-f]{32}$"))
    session_page = page.url
    link = page.get_by_role("link", name="Breathe with a heart-rate strap instead")
    page.goto(str(link.get_attribute("href")) + "&speed=60")  # sixty times life
    page.get_by_role("button", name="No strap? Use the simulated one").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_function(
        "() => document.getElementById('bio-rmssd').textContent !== '–'", timeout=30_000
    )
    page.wait_for_timeout(5000)  # about five minutes of the simulated strap
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#biofeedback")).to_have_attribute("data-finished", "true")
    page.get_by_role("link", name="See it with your session").click()
    page.wait_for_url(session_page + "#heart-chart")

    chart = page.locator("#heart-chart")
    expect(chart.locator("svg[role=img]")).to_have_count(2)
    points = int(chart.locator("svg.hr").get_attribute("data-points") or 0)
    assert points >= 10
    expect(chart.locator("#heart-words")).to_contain_text(
        re.compile(r"your heart rate went from \d+ beats a minute in the first minute to \d+")
    )
    expect(chart.locator("#heart-words")).to_contain_text("RMSSD, the beat-to-beat variation")
    labels = chart.locator("svg.hr").get_attribute("aria-labelledby") or ""
    assert page.locator(f"#{labels.split()[0]}").count() == 1
    # Readable on a phone: the plots fit the screen, and their labels are not shrunk away.
    _fits(page)
    box = chart.locator("svg.hr").bounding_box()
    assert box is not None and box["width"] >= 280
    tick = chart.locator("svg.hr text.tick").first.bounding_box()
    assert tick is not None and tick["height"] >= 9
    chart.scroll_into_view_if_needed()
    if SCREENSHOTS:
        chart.screenshot(path=str(Path(SCREENSHOTS) / f"practice-heart-chart-{width}.png"))
    assert_stayed_local(log)

    # The same page with JavaScript off: the chart and its words are there all the same.
    state = page.context.storage_state()
    still = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": WIDTHS[width]},
        java_script_enabled=False,
        storage_state=state,
        service_workers="block",
    )
    try:
        plain = still.new_page()
        plain.goto(session_page)
        expect(plain.locator("#heart-chart svg[role=img]")).to_have_count(2)
        expect(plain.locator("#heart-words")).to_contain_text("your heart rate went from")
        assert plain.locator("#heart-chart svg.hr polyline").get_attribute("points")
    finally:
        still.close()
