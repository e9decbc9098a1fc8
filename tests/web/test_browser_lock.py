"""The app lock in headless Chromium at 1280 px and on a phone (390 px), issue 16: a person
sets a PIN, locks, still reaches Help now without unlocking, and unlocks; and a passkey is
registered and then unlocks the app, with Chromium's virtual authenticator (CDP ``WebAuthn``).

Fixtures and helpers come from tests/web/test_browser.py. With STEADYMIND_SCREENSHOTS set to a
folder, the lock screen is saved there (docs/screenshots: lock-1280.png, lock-390.png,
lock-settings-390.png).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steadymind.core.clock import SystemClock
from steadymind.core.config import Settings
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.screen import TextSeam
from tests.support import FakeEmotions, FakeGate, Services
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
PIN = "274915"


def _screenshot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is wider than the screen: {widths}"


def _lock_flow(page: Any, width: int) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    page.goto("/settings")
    page.get_by_role("link", name="Set up the app lock").click()
    expect(page.get_by_role("heading", name="App lock", exact=True)).to_be_visible()
    page.locator("#lock-pin").fill(PIN)
    page.locator("#lock-again").fill(PIN)
    page.get_by_role("button", name="Turn the lock on").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    if width == 390:
        _screenshot(page, "lock-settings-390")
    page.get_by_role("button", name="Lock now").click()
    page.wait_for_url(re.compile(r"/lock\?next="))
    expect(page.get_by_role("heading", name="steadymind is locked")).to_be_visible()
    _no_horizontal_overflow(page)
    _screenshot(page, f"lock-{width}")

    # Nothing personal without unlocking; Help now and the breathing minute all the same.
    page.goto("/journal")
    page.wait_for_url(re.compile(r"/lock\?next=/journal$"))
    page.get_by_role("link", name="Crisis lines and Help now").click()
    page.wait_for_url("**/help")
    expect(page.get_by_text("Samaritans").first).to_be_visible()
    page.get_by_role("link", name="Unlock").click()
    page.wait_for_url(re.compile(r"/lock"))
    page.goto("/breathe")
    assert "/breathe" in page.url

    # A wrong PIN, then the right one: back to where the person was going.
    page.goto("/lock?next=/journal")
    page.get_by_label("Your PIN").fill("111999")
    page.get_by_role("button", name="Unlock", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("That PIN is not right.")
    page.get_by_label("Your PIN").fill(PIN)
    page.get_by_role("button", name="Unlock", exact=True).click()
    page.wait_for_url("**/journal")


def _stayed_local(log: Any) -> None:
    # The wrong PIN's page answers 422 on purpose (the browser logs any 4xx page as an error).
    expected = [e for e in log.console_errors if "status of 422" in e]
    assert len(expected) == 1, log.console_errors
    log.console_errors = [e for e in log.console_errors if e not in expected]
    assert_stayed_local(log)


def test_a_pin_locks_the_app_and_help_now_stays_open_at_1280(
    browser_page: tuple[Any, Any],
) -> None:
    page, log = browser_page
    _lock_flow(page, 1280)
    _stayed_local(log)


def test_a_pin_locks_the_app_and_help_now_stays_open_on_a_phone(
    browser_page: tuple[Any, Any],
) -> None:
    page, log = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _lock_flow(page, 390)
    _stayed_local(log)


# -- passkeys: WebAuthn wants a secure context, which on plain http is localhost only ----------


@pytest.fixture
def localhost_server(tmp_path: Path) -> Iterator[LiveServer]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    db_url = f"sqlite:///{tmp_path / 'browser' / 'steadymind.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    settings = Settings(
        data_dir=tmp_path / "browser",
        database_url=db_url,
        base_url=f"http://localhost:{port}",
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )
    seam = TextSeam(FakeGate(), FakeEmotions(), SystemClock())
    services = Services(build_runtime(settings, db=Database(engine), seam=seam))
    config = uvicorn.Config(
        create_app(services.runtime), log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://localhost:{port}", services=services)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        services.db.dispose()


def test_a_passkey_is_registered_and_then_unlocks_the_app(
    chromium: Any, localhost_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    if True:
        context = chromium.new_context(base_url=localhost_server.url, service_workers="block")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        authenticator = cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )["authenticatorId"]
        try:
            sign_up(page)
            page.goto("/settings/lock")
            page.get_by_role("button", name="Add this device's passkey").click()
            page.wait_for_url(re.compile(r"/settings/lock\?saved=passkey$"))
            expect(page.get_by_text("A passkey added")).to_be_visible()
            credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
            assert len(credentials["credentials"]) == 1

            page.get_by_role("button", name="Lock now").click()
            page.wait_for_url(re.compile(r"/lock\?next="))
            page.goto("/history")
            page.wait_for_url(re.compile(r"/lock\?next=/history$"))
            page.get_by_role("button", name="Unlock with this device's passkey").click()
            page.wait_for_url("**/history")
            used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
            assert used["credentials"][0]["signCount"] >= 1
            assert errors == []
        finally:
            context.close()
