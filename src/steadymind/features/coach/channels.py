"""How a reminder leaves: in the app, a webhook, ntfy, email (SMTP) or Web Push.

Each sender takes the channel's address and a :class:`Message` made only of reviewed words, a
count and ids, and raises on failure (the caller records the exception's type, never its text).
Nothing is sent anywhere unless the person configured a channel: this is the only outbound
traffic the coach makes.
"""

from __future__ import annotations

import json
import smtplib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError, ValidationError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
VAPID_FILE = "vapid_private.pem"
PUSH_TTL_SECONDS = 4 * 3600


@dataclass(frozen=True)
class Message:
    id: str  # the delivery's id: the receiver's idempotency key
    about: str
    title: str
    body: str
    count: int
    due_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "about": self.about,
            "title": self.title,
            "body": self.body,
            "count": self.count,
            "due_at": self.due_at,
        }


def check_target(kind: str, target: str) -> str:
    """The channel's address, checked enough to catch a typo (never fetched here)."""
    target = target.strip()
    if kind == "inapp":
        return ""
    if kind in ("webhook", "ntfy"):
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("Give the full address, starting with https:// (or http://).")
        if kind == "ntfy" and len(parts.path.strip("/")) == 0:
            raise ValidationError(
                "Give the ntfy address with its topic, as https://ntfy.sh/your-topic."
            )
        return target
    if kind == "email":
        if "@" not in target or " " in target or len(target) > 254:
            raise ValidationError("That does not look like an email address.")
        return target
    if kind == "webpush":
        try:
            sub = json.loads(target)
            assert (
                isinstance(sub["endpoint"], str) and sub["keys"]["p256dh"] and sub["keys"]["auth"]
            )
        except (ValueError, KeyError, TypeError, AssertionError):
            raise ValidationError("The browser's push subscription is not complete.") from None
        return json.dumps(sub, separators=(",", ":"))
    raise ValidationError(f"Unknown channel {kind!r}.")


class Senders:
    """One sender per kind; the HTTP ones share a client (keep-alive) for one batch."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One HTTP client for the messages sent inside (per thread), closed after them."""
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
            self._local.client = client
            try:
                yield
            finally:
                self._local.client = None

    @property
    def client(self) -> httpx.Client:
        client = getattr(self._local, "client", None)
        if client is None:
            raise RuntimeError("send inside Senders.batch()")
        return client  # type: ignore[no-any-return]

    def send(self, kind: str, target: str, message: Message) -> None:
        senders: dict[str, Callable[[str, Message], None]] = {
            "inapp": lambda _t, _m: None,  # the row itself is the in-app message
            "webhook": self.webhook,
            "ntfy": self.ntfy,
            "email": self.email,
            "webpush": self.webpush,
        }
        senders[kind](target, message)

    def webhook(self, url: str, message: Message) -> None:
        response = self.client.post(
            url, json=message.as_json(), headers={"Idempotency-Key": message.id}
        )
        response.raise_for_status()

    def ntfy(self, url: str, message: Message) -> None:
        # ntfy's publish API: the body is the message, the title a header (plain ASCII).
        response = self.client.post(
            url,
            content=message.body.encode(),
            headers={"Title": message.title, "Tags": "bell", "X-Steadymind-Id": message.id},
        )
        response.raise_for_status()

    def email(self, address: str, message: Message) -> None:
        s = self.settings
        if not s.smtp_host or not s.smtp_from:
            raise ConfigError("Email is not set up on this server (STEADYMIND_SMTP_HOST, _FROM).")
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = s.smtp_from, address, message.title
        mail["Message-ID"] = make_msgid(idstring=message.id)
        mail.set_content(message.body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user and s.smtp_password:
                smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
            smtp.send_message(mail)

    def webpush(self, subscription: str, message: Message) -> None:
        try:
            from pywebpush import webpush
        except ImportError:
            raise ConfigError(
                "Web Push needs the push extra: pip install 'steadymind[push]'."
            ) from None
        webpush(
            json.loads(subscription),
            data=json.dumps(message.as_json()),
            vapid_private_key=str(vapid_key_file(self.settings)),
            vapid_claims={"sub": self.settings.push_contact},
            timeout=10,
            # A reminder still worth showing if the phone was off for a few hours, not later.
            ttl=PUSH_TTL_SECONDS,
        )


def vapid_key_file(settings: Settings) -> Path:
    """The server's VAPID key, made here the first time (never fetched, never sent)."""
    path = settings.data_dir / VAPID_FILE
    if not path.exists():
        from py_vapid import Vapid

        key = Vapid()
        key.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        key.save_key(str(path))
        path.chmod(0o600)
    return path


def vapid_public_key(settings: Settings) -> str:
    """The application server key a browser subscribes with (base64url, uncompressed point)."""
    import base64

    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from py_vapid import Vapid

    key = Vapid.from_file(str(vapid_key_file(settings)))
    raw = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
