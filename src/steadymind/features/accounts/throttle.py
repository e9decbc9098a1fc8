"""Login and sign-up throttling: guessing is slowed down, and the owner is never locked out.

Every attempt is one row of ``login_attempts`` (the account name tried, the client, the time),
written *before* the password is checked, in a transaction that holds the table's write lock
(PostgreSQL: ``LOCK TABLE``; SQLite: the transaction's first statement is a write), so that
concurrent guesses, from every worker process and app instance sharing the database, are
counted one at a time: none is checked before it is counted. A success deletes the rows of its
own account and client; every row is forgotten ``login_forget_hours`` after it was written
(a rejected attempt writes nothing, so hammering during a delay does not grow the table).

An attempt falls into buckets, and goes ahead only when each of them lets it:

* the account **and** the client together (``login_free_failures``): the client is a known
  device (a token from an earlier login, see ``devices``), the session or API token that asks
  for the password again, the terminal, or else the address (IPv6: its /64 network);
* for a client that is not known, also the account from every unknown client together
  (``login_free_failures_per_account``: guesses spread over many addresses) and the address
  across every account (``login_free_failures_per_address``: one address spraying many).

A bucket whose count reached its free number lets the next attempt through only 1 s after its
latest, then 2 s, 4 s, 8 s ... up to ``login_max_delay_seconds``: a slowdown, never a lockout.
The owner's own device is counted on its own, so a stranger's guesses never slow it down; from a
new client the owner may wait, or use the recovery key, which is never throttled (160 random
bits cannot be guessed, and checking one costs no Argon2).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import RateLimited
from steadymind.db.engine import Database
from steadymind.features.accounts.tables import LoginAttempt

# Clients we know (a device, a session, the terminal) start with "~", which no address does.
KNOWN = "~"
# Sign-ups are counted under this name, which no username can be (usernames start [a-z0-9]).
SIGNUP = "+signup"
# The terminal runs beside the database it could read directly: its sign-ups are not counted.
TERMINAL = KNOWN + "cli"
_CLIENT_CHARS = 64  # the column's width
SWEEP_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Origin:
    """Who is trying, as counted: ``client`` is what the row stores."""

    client: str

    @property
    def known(self) -> bool:
        return self.client.startswith(KNOWN)

    @classmethod
    def address(cls, host: str) -> Origin:
        """An unknown client by its address; IPv6 by its /64, which one machine usually has."""
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return cls(host.lstrip(KNOWN)[:_CLIENT_CHARS] or "unknown")
        if ip.version == 6:
            return cls(str(ipaddress.ip_network(f"{ip}/64", strict=False)))
        return cls(str(ip))

    @classmethod
    def device(cls, device_id: str) -> Origin:
        return cls(f"{KNOWN}device:{device_id}"[:_CLIENT_CHARS])

    @classmethod
    def credential(cls, credential_id: str) -> Origin:
        return cls(f"{KNOWN}credential:{credential_id}"[:_CLIENT_CHARS])

    @classmethod
    def terminal(cls) -> Origin:
        return cls(TERMINAL)


@dataclass(frozen=True)
class _Bucket:
    where: tuple[Any, ...]
    free: int


def _when(seconds: int) -> str:
    if seconds < 60:
        return "a second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"


class LoginThrottle:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self._next_sweep = datetime.min.replace(tzinfo=UTC)

    # -- logins ------------------------------------------------------------------------------

    def admit(self, name: str, origin: Origin) -> None:
        """Count this attempt, or raise RateLimited (and count nothing) while a delay runs."""
        s = self.settings
        buckets = [_Bucket(_pair(name, origin.client), s.login_free_failures)]
        if not origin.known:
            unknown_clients = LoginAttempt.client.not_like(f"{KNOWN}%")
            buckets.append(
                _Bucket(
                    (LoginAttempt.username == name, unknown_clients),
                    s.login_free_failures_per_account,
                )
            )
            buckets.append(
                _Bucket(
                    (LoginAttempt.client == origin.client, LoginAttempt.username != SIGNUP),
                    s.login_free_failures_per_address,
                )
            )
        self._count(name, origin, buckets)

    def succeeded(self, name: str, origin: Origin) -> None:
        """The person got in: this account and client start again (so do the other buckets,
        by the rows of this pair that counted in them)."""
        with self.db.transaction() as tx:
            tx.execute(delete(LoginAttempt).where(*_pair(name, origin.client)))

    # -- sign-ups ----------------------------------------------------------------------------

    def admit_signup(self, origin: Origin) -> None:
        """Each sign-up costs two Argon2 runs: ``signup_free_per_address``, then delays."""
        if origin.client == TERMINAL:
            return
        free = self.settings.signup_free_per_address
        self._count(SIGNUP, origin, [_Bucket(_pair(SIGNUP, origin.client), free)])

    # -- the count ---------------------------------------------------------------------------

    def _count(self, name: str, origin: Origin, buckets: list[_Bucket]) -> None:
        now = self.clock.now()
        horizon = now - timedelta(hours=self.settings.login_forget_hours)
        with self.db.transaction() as tx:
            self._lock(tx, buckets[0], horizon)
            wait = max(self._wait(tx, bucket, now, horizon) for bucket in buckets)
            if wait > 0:
                raise RateLimited(
                    f"Too many tries for now. Please wait {_when(wait)} and try again.",
                    retry_after=wait,
                )
            tx.add(LoginAttempt(username=name, client=origin.client, at=now))
            self._sweep(tx, now, horizon)

    def _lock(self, tx: Session, first: _Bucket, horizon: datetime) -> None:
        """Take the write lock before reading any count, so that no two counts interleave."""
        if tx.get_bind().dialect.name == "postgresql":
            # Conflicts with itself and with every insert and delete: one count at a time.
            tx.execute(text("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE"))
        # On SQLite this delete (forgetting the bucket's old rows, by its index) is the
        # transaction's first statement and a write: it takes the database's write lock until
        # commit, so the counts read next cannot change under us.
        tx.execute(delete(LoginAttempt).where(*first.where, LoginAttempt.at < horizon))

    def _sweep(self, tx: Session, now: datetime, horizon: datetime) -> None:
        """Forget every old row now and then (a scan of the table, so not on every attempt)."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY
        tx.execute(delete(LoginAttempt).where(LoginAttempt.at < horizon))

    def _wait(self, tx: Session, bucket: _Bucket, now: datetime, horizon: datetime) -> int:
        """Whole seconds until the bucket lets the next attempt through (0: now)."""
        count, latest = tx.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                *bucket.where, LoginAttempt.at >= horizon
            )
        ).one()
        if count < bucket.free or latest is None:
            return 0
        delay = min(self.settings.login_max_delay_seconds, 2 ** min(count - bucket.free, 30))
        return max(0, math.ceil((latest + timedelta(seconds=delay) - now).total_seconds()))


def _pair(name: str, client: str) -> tuple[Any, ...]:
    return (LoginAttempt.username == name, LoginAttempt.client == client)
