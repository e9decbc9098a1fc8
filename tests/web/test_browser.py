"""End to end in headless Chromium: a person signs up, checks in and sees it in their history.

The real app runs under uvicorn in a thread, on a free loopback port, against a fresh migrated
SQLite database. Chromium is Debian's ``chromium`` package (``.ci/run`` installs it); Playwright
drives it and is never asked to download a browser.

Reusable pieces for further browser tests in this module (the crisis test, for one):

* ``server_gate``: the safety gate the server uses, the fake one by default; a test that needs
  the production gate says ``@pytest.mark.parametrize("server_gate", [default_gate()])``;
  ``live_server``: the running app (its ``services`` too); ``browser_page``: a fresh page plus a
  ``BrowserLog`` of every request URL and console error; ``sign_up(...)``: the sign-up flow;
  ``assert_stayed_local(...)``: no request left 127.0.0.1 and nothing went wrong in the console.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from steadymind.core.clock import SystemClock
from steadymind.core.config import Settings
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.safety.gate import default_gate
from steadymind.screen import Assessor, ModelEmotionReader, TextSeam
from tests.support import FakeEmotions, FakeGate, Services

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RECOVERY_KEY = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")
TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run does this)",
    ),
]


# -- the server ----------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    services: Services


@pytest.fixture
def server_gate() -> Assessor:
    """The deterministic fake gate; a test that needs the real one overrides this fixture."""
    return FakeGate()


@pytest.fixture
def live_server(tmp_path: Path, server_gate: Assessor) -> Iterator[LiveServer]:
    import uvicorn

    db_url = f"sqlite:///{tmp_path / 'browser' / 'steadymind.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    settings = Settings(
        data_dir=tmp_path / "browser",
        database_url=db_url,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )
    # The shipped emotion model beside the shipped gate, the fake one beside the fake.
    emotions = FakeEmotions() if isinstance(server_gate, FakeGate) else ModelEmotionReader()
    seam = TextSeam(server_gate, emotions, SystemClock())
    services = Services(build_runtime(settings, db=Database(engine), seam=seam))
    app = create_app(services.runtime)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # wsproto: the live biofeedback stream is a WebSocket.
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", ws="wsproto"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", services=services)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        services.db.dispose()


# -- the browser ---------------------------------------------------------------------------------


@dataclass
class BrowserLog:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any, live_server: LiveServer) -> Iterator[tuple[Any, BrowserLog]]:
    """A fresh browser profile (no cookies) with every request and console error recorded."""
    context = chromium.new_context(base_url=live_server.url, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    log = BrowserLog()
    context.on("request", lambda request: log.requests.append(request.url))
    page = context.new_page()
    page.on(
        "console",
        lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    try:
        yield page, log
    finally:
        context.close()


def assert_stayed_local(log: BrowserLog) -> None:
    """No request left the loopback address; no console error (CSP violations land there)."""
    assert log.requests, "the browser made requests"
    outside = [
        url
        for url in log.requests
        if not url.startswith(("data:", "about:")) and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert log.console_errors == [], f"console errors: {log.console_errors}"
    assert log.page_errors == [], f"script errors: {log.page_errors}"


# -- flows ---------------------------------------------------------------------------------------


@dataclass
class Account:
    username: str
    password: str
    recovery_key: str


def sign_up(page: Any, *, username: str | None = None, country: str | None = "GB") -> Account:
    """Sign up through the form; ends on the check-in page, logged in."""
    from playwright.sync_api import expect

    username = username or f"user{uuid.uuid4().hex[:8]}"
    password = "a calm and quiet morning"
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password2]").fill(password)
    if country:
        page.locator("select[name=country]").select_option(country)
    page.get_by_role("button", name="Create account").click()
    key = page.locator("#recovery-key")
    expect(key).to_be_visible()
    recovery_key = key.inner_text().strip()
    assert RECOVERY_KEY.match(recovery_key), recovery_key
    page.get_by_role("link", name="I have saved it, continue").click()
    page.wait_for_url("**/checkin")
    return Account(username, password, recovery_key)


# -- tests ---------------------------------------------------------------------------------------


def test_sign_up_check_in_and_see_it_in_history(
    browser_page: tuple[Any, BrowserLog], live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log = browser_page
    account = sign_up(page)
    note = f"Walked by the river before work ({uuid.uuid4().hex[:6]})"

    # Check in: move the mood slider, pick a feeling, write a note.
    slider = page.get_by_label("Mood from -5 to +5")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    expect(page.locator("#mood-value")).to_have_text("+3")  # our script runs under the CSP
    page.get_by_text("Add feelings, a note or tags").click()
    page.locator("label.chip", has_text=re.compile(r"^hopeful$")).click()
    expect(page.locator("input[name=emotions][value=hopeful]")).to_be_checked()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save check-in").last.click()

    # The emotion model may suggest more words; accepting them leads on to the history.
    page.wait_for_url(re.compile(r"/(history|checkin/[0-9a-f]{32}/review)"))
    if "/review" in page.url:
        page.get_by_role("button", name="Save these feelings").click()
    page.wait_for_url("**/history?saved=checkin")

    expect(page.get_by_role("status")).to_have_text("Check-in saved.")
    mood_line = page.locator("figure.chart svg polyline.mood")
    expect(mood_line).to_have_count(1)
    points = mood_line.get_attribute("points") or ""
    assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*", points), points
    item = page.locator("#checkins li.checkin-item")
    expect(item).to_have_count(1)
    expect(item.locator(".note")).to_have_text(note)
    expect(item.locator(".words")).to_contain_text("hopeful")
    expect(item.locator(".pill").first).to_have_text("mood +3")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    expect(log_out).to_have_attribute("title", f"Log out {account.username}")

    # The note was stored once, and encrypted.
    with live_server.services.db.engine.connect() as conn:
        notes = conn.exec_driver_sql("SELECT note_ct FROM checkins").scalars().all()
    assert len(notes) == 1 and note.encode() not in notes[0]

    assert_stayed_local(log)


@pytest.mark.parametrize("server_gate", [default_gate()], ids=["production-gate"])
def test_crisis_message_shows_the_crisis_response_with_plan_and_lines(
    browser_page: tuple[Any, BrowserLog], live_server: LiveServer
) -> None:
    """Issue 4: someone writes a crisis message in the journal; they see the reviewed crisis
    response with their own safety plan and their country's lines, and no generated text."""
    from playwright.sync_api import expect

    page, log = browser_page
    sign_up(page, country="IE")

    # A plan written beforehand, in the guided page.
    page.goto("/safety-plan")
    page.get_by_label("4. People I can ask for help").fill("Niamh, 087 123 4567, my sister")
    page.get_by_label("7. My reasons for living").fill("my dog Bran")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_have_text("Your plan is saved.")

    page.goto("/journal/new")
    page.get_by_label("Entry").fill(
        "Work was awful again. I've written the notes and tonight I'm going to take all the "
        "pills I've been saving. I just want it to be over."
    )
    page.get_by_role("button", name="Save").click()

    crisis = page.locator("#crisis-response")
    expect(crisis).to_be_visible()
    expect(crisis).to_have_attribute("data-level", "high")
    expect(crisis.locator(".emergency").first).to_contain_text("112 or 999")  # Ireland
    expect(crisis).to_contain_text("116 123")  # Samaritans Ireland
    plan = page.locator("#your-plan")
    expect(plan).to_contain_text("Niamh")
    expect(plan).to_contain_text("my dog Bran")
    expect(page.get_by_role("link", name="087 123 4567")).to_have_attribute(
        "href", "tel:0871234567"
    )

    # What they wrote was kept, and "Help now" shows the same lines and plan at any time.
    with live_server.services.db.engine.connect() as conn:
        assert len(conn.exec_driver_sql("SELECT id FROM journal_entries").all()) == 1
    page.get_by_role("link", name="Help now").click()
    expect(page.locator("main")).to_contain_text("116 123")
    expect(page.locator("#your-plan")).to_contain_text("my dog Bran")
    assert_stayed_local(log)


SCREENSHOTS = os.environ.get("STEADYMIND_SCREENSHOTS")  # a folder: save what the tests see


def screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def write_entry(page: Any, text: str) -> None:
    page.goto("/journal/new")
    page.get_by_label("Entry").fill(text)
    page.get_by_role("button", name="Save").click()


@pytest.mark.parametrize("server_gate", [default_gate()], ids=["production-gate"])
def test_a_crisis_line_under_an_ordinary_line_is_asked_about(
    browser_page: tuple[Any, BrowserLog], live_server: LiveServer
) -> None:
    """A textarea sends its line breaks as CRLF: "not hungry" on one line must not cancel
    "I want to die" on the next (until rules@3 the gate said `low`). Without explicit evidence
    the person is asked first, with the crisis lines beside the question."""
    from playwright.sync_api import expect

    page, log = browser_page
    sign_up(page, country="GB")
    write_entry(page, "Long day at work.\nnot hungry\nI want to die")
    question = page.locator("#safety-question")
    expect(question).to_be_visible()
    expect(question).to_contain_text("Are you having thoughts like that?")
    expect(page.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    assert_stayed_local(log)


@pytest.mark.parametrize("server_gate", [default_gate()], ids=["production-gate"])
def test_ask_before_alarming_from_the_note_to_the_answer(
    browser_page: tuple[Any, BrowserLog], live_server: LiveServer
) -> None:
    """Issue 11: an ordinary medication note saves without a crisis screen; an ambiguous entry
    asks, and *Yes* shows the lines and the person's plan, with a way back."""
    from playwright.sync_api import expect

    page, log = browser_page
    sign_up(page, country="GB")
    page.goto("/safety-plan")
    page.get_by_label("7. My reasons for living").fill("my niece Ava")
    page.get_by_role("button", name="Save my plan").click()

    page.goto("/checkin")
    page.get_by_text("Add feelings, a note or tags").click()
    page.get_by_label("Note").fill("Took my sertraline as usual, then a walk")
    page.get_by_role("button", name="Save check-in").last.click()
    page.wait_for_url(re.compile(r"/(history|checkin/[0-9a-f]{32}/review)"))
    expect(page.locator("#crisis-response, #safety-question")).to_have_count(0)

    write_entry(page, "I don't want to be here anymore. Everything feels pointless.")
    expect(page.locator("#safety-question")).to_be_visible()
    screenshot(page, "ask-1280")
    page.get_by_role("button", name="Yes", exact=True).click()
    crisis = page.locator("#crisis-response")
    expect(crisis).to_be_visible()
    expect(page.locator("#your-plan")).to_contain_text("my niece Ava")
    expect(page.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?body=SHOUT"
    )
    page.get_by_role("link", name="Go back to what I was doing").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f]{32}$"))
    assert_stayed_local(log)


@pytest.mark.parametrize("server_gate", [default_gate()], ids=["production-gate"])
def test_no_to_the_question_goes_on_and_a_plan_goes_straight_to_the_crisis_response(
    browser_page: tuple[Any, BrowserLog], live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page, log = browser_page
    sign_up(page, country="GB")
    write_entry(page, "I don't want to be here anymore.")
    page.get_by_role("button", name="No", exact=True).click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f]{32}$"))
    expect(page.locator("#crisis-response")).to_have_count(0)

    write_entry(page, "I've written the note. Tonight I'm taking all the pills I saved.")
    crisis = page.locator("#crisis-response")
    expect(crisis).to_have_attribute("data-level", "high")
    expect(page.get_by_role("link", name="Call 999 now")).to_have_attribute("href", "tel:999")
    assert_stayed_local(log)


@pytest.mark.parametrize("server_gate", [default_gate()], ids=["production-gate"])
def test_on_a_phone_the_crisis_lines_are_above_the_fold(
    chromium: Any, live_server: LiveServer
) -> None:
    """At 390 x 844 (a phone) the emergency button and the first line can be tapped without
    scrolling."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_up(page, country="GB")
        write_entry(page, "I don't want to be here anymore.")
        box = page.get_by_role("button", name="Yes", exact=True).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box
        screenshot(page, "ask-390")
        write_entry(page, "I've written the note. Tonight I'm taking all the pills I saved.")
        for name in ("Call 999 now", "Call 116 123"):
            box = page.get_by_role("link", name=name).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, (name, box)
            assert box["height"] >= 44, (name, box)  # a thumb-sized target
        screenshot(page, "crisis-390")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "crisis-1280")
    finally:
        context.close()
