"""The browser tests' server and Chromium, shared with tests/web/test_browser.py."""

from tests.web.test_browser import chromium, live_server, server_gate

__all__ = ["chromium", "live_server", "server_gate"]
