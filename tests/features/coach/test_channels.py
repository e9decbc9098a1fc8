"""Web Push and email, each through a real server on 127.0.0.1: the push message is encrypted
to the browser's keys and signed with this server's VAPID key; the email goes by SMTP."""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from steadymind.core.config import Settings
from steadymind.features.coach import copy
from steadymind.features.coach.channels import Message, Senders, vapid_key_file, vapid_public_key
from tests.conftest import fast_settings
from tests.features.coach.loopback import loopback_server

MESSAGE = Message("d1", "checkin", *copy.REMINDER["checkin"], 1, "2026-01-15T09:30:00+00:00")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_web_push_arrives_encrypted_to_the_browser_and_signed(tmp_path: Path) -> None:
    import http_ece

    settings = fast_settings(tmp_path)
    browser_key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = browser_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    senders = Senders(settings)
    with loopback_server() as push_service:
        push_service.status = 201
        subscription = {
            "endpoint": push_service.url + "/push/abc",
            "keys": {"p256dh": _b64(public), "auth": _b64(auth)},
        }
        with senders.batch():
            senders.send("webpush", json.dumps(subscription), MESSAGE)
    [got] = push_service.received
    assert got.path == "/push/abc"
    assert got.headers["Content-Encoding"] == "aes128gcm"
    assert got.headers["Authorization"].startswith("vapid t=")
    assert vapid_public_key(settings) in got.headers["Authorization"]
    assert b"check in" not in got.body  # encrypted on the way
    clear = http_ece.decrypt(
        got.body, private_key=browser_key, auth_secret=auth, version="aes128gcm"
    )
    assert json.loads(clear)["title"] == copy.REMINDER["checkin"][0]
    assert oct(vapid_key_file(settings).stat().st_mode & 0o777) == "0o600"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Any, list[Any]]]:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd checks its own by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, received
    finally:
        controller.stop()


def test_an_email_reminder_goes_by_smtp(tmp_path: Path, smtp_server: tuple[Any, list[Any]]) -> None:
    controller, received = smtp_server
    port = controller.port
    settings = Settings(
        **{**fast_settings(tmp_path).model_dump(), "smtp_host": "127.0.0.1", "smtp_port": port,
           "smtp_starttls": False, "smtp_from": "steadymind@localhost"}
    )  # fmt: skip
    Senders(settings).send("email", "alice@example.org", MESSAGE)
    [mail] = received
    assert mail.rcpt_tos == ["alice@example.org"]
    text = mail.content.decode()
    assert f"Subject: {copy.REMINDER['checkin'][0]}" in text and copy.REMINDER["checkin"][1] in text


def test_email_without_a_server_set_up_says_so(tmp_path: Path) -> None:
    from steadymind.core.errors import ConfigError

    with pytest.raises(ConfigError, match="Email is not set up"):
        Senders(fast_settings(tmp_path)).send("email", "alice@example.org", MESSAGE)
