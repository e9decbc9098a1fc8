"""The writer the crash-loop test kills with SIGKILL (tests/storage/test_crash_loop.py).

It opens the SQLite database the way the app does (``make_engine``: WAL, synchronous=FULL), then
writes check-ins with encrypted notes through ``CheckInService`` in a loop, and prints each id on
stdout, flushed, only after the commit has returned: a printed id is an acknowledged write.

Usage::

    python tests/storage/crash_child.py run SQLITE_PATH      # one writer, until killed
    python tests/storage/crash_child.py zygote SQLITE_PATH   # a fork server, see below

Importing SQLAlchemy, pydantic and the services takes most of a second, too slow to start a
hundred writers. In ``zygote`` mode the process imports everything once, *without opening the
database*, then forks a fresh writer for each ``fork`` line read on stdin; each writer opens its
own engine after the fork. It prints ``pid N`` for the writer, and ``reaped N STATUS`` once the
writer is dead, so every line the writer printed is before ``reaped`` on the shared pipe.

Lines printed by a writer::

    ready PID journal_mode=wal synchronous=2
    ack PID SEQ CHECKIN_ID

The test gives the writer the user's data key through the environment (``STEADYMIND_CRASH_USER``,
``STEADYMIND_CRASH_DATA_KEY`` in hex): a test-only shortcut, never written to disk.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from steadymind.affect.text import EmotionReading
from steadymind.core.clock import SystemClock
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database, make_engine
from steadymind.features import discover
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import NOTE, CheckInService
from steadymind.safety.types import RiskAssessment, RiskLevel
from steadymind.screen import TextSeam

# A writer that is never killed stops by itself, so a broken test cannot leave it running.
MAX_SECONDS = 20.0


class QuietGate:
    """The crash loop tests storage, not the safety layer: every note passes."""

    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: str = "message"
    ) -> RiskAssessment:
        return RiskAssessment(RiskLevel.NONE, model_id="q")


class QuietEmotions:
    def read(self, text: str) -> EmotionReading:
        return EmotionReading(["neutral"], {}, ["neutral"], {}, 0.0, 0.0, 0.0, "q")


def quiet_checkins(db: Database) -> CheckInService:
    """The check-in service over a seam that reads nothing into the notes."""
    discover()  # every feature's tables: a check-in's user is a row of the accounts feature
    seam = TextSeam(QuietGate(), QuietEmotions(), SystemClock())  # type: ignore[arg-type]
    seam.register_surface(NOTE)
    return CheckInService(db, SystemClock(), seam)


def note_text(pid: int, seq: int) -> str:
    return f"crash-loop note from writer {pid}, write {seq}"


def write_forever(path: str) -> None:
    pid = os.getpid()
    principal = Principal(
        user_id=os.environ["STEADYMIND_CRASH_USER"],
        username="crash",
        data_key=bytes.fromhex(os.environ["STEADYMIND_CRASH_DATA_KEY"]),
        via="token",
        credential_id="crash-loop",
    )
    db = Database(make_engine(f"sqlite:///{path}"))
    checkins = quiet_checkins(db)
    with db.engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    _say(f"ready {pid} journal_mode={mode} synchronous={sync}")
    started = time.monotonic()
    seq = 0
    while time.monotonic() - started < MAX_SECONDS:
        data = CheckInIn(mood=seq % 11 - 5, energy=(seq * 7) % 11 - 5, note=note_text(pid, seq))
        item, _ = checkins.create(principal, data)
        # The commit has returned: only now is the write acknowledged.
        _say(f"ack {pid} {seq} {item.id}")
        seq += 1


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def zygote(path: str) -> None:
    _say("zygote ready")
    for command in sys.stdin:
        if command.strip() != "fork":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(path)
            finally:
                os._exit(0)
        _say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"reaped {pid} {status}")


def main(argv: list[str]) -> None:
    mode, path = argv[1], argv[2]
    if mode == "run":
        write_forever(path)
    elif mode == "zygote":
        zygote(path)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
