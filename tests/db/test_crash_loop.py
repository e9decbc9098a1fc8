"""The crash loop: a write acknowledged to the user survives ``kill -9`` at any moment.

A writer process (tests/storage/crash_child.py) writes check-ins with encrypted notes to a SQLite
database in WAL mode with synchronous=FULL and prints each id only after its commit returned. The
test kills it with SIGKILL at a random moment, then reopens the database, reads every
acknowledged id back (decrypting its note) and runs ``PRAGMA integrity_check``. One database is
reused across all iterations, so it grows and every recovery starts from the last crash.

The kill moments come from a seeded RNG (a number of acknowledged writes to wait for, then a
short delay): ``STEADYMIND_CRASH_SEED`` reproduces a run and ``STEADYMIND_CRASH_ITERATIONS``
changes its length (100 by default).
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from steadymind.core.clock import SystemClock
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database, make_engine
from steadymind.features import build_runtime
from steadymind.features.checkins.tables import CheckIn
from steadymind.screen import TextSeam
from tests.conftest import PASSWORD, fast_settings
from tests.db.crash_child import note_text, quiet_checkins
from tests.support import PG_URL, FakeEmotions, FakeGate, Services

ITERATIONS = int(os.environ.get("STEADYMIND_CRASH_ITERATIONS", "100"))
SEED = int(os.environ.get("STEADYMIND_CRASH_SEED", "20261123"))
CHILD = Path(__file__).with_name("crash_child.py")
# Most kills land while the writer is committing; some land while it is still opening the database.
EARLY_KILL_SHARE = 0.1
# Otherwise the kill waits for a random number of acknowledged writes, then a random delay of up
# to about one write (~5 ms with fsync), so it lands at a random point of a commit whatever the
# speed of the disk.
MAX_ACKS_BEFORE_KILL = 12
MAX_DELAY = 0.008
LINE_TIMEOUT = 20.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(PG_URL), reason="crash loop: kill -9 durability of the embedded SQLite database only"
    ),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is forked (POSIX only)"),
]


class Zygote:
    """The fork server of crash_child.py, with a thread that drains its stdout into a queue."""

    def __init__(self, db_path: Path, env: dict[str, str], stderr: Path) -> None:
        self._stderr_path = stderr
        self._stderr = stderr.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "zygote", str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        assert self.next_line() == "zygote ready"

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.endswith("\n"):  # a line cut short by the kill was never acknowledged
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self) -> str:
        try:
            line = self.lines.get(timeout=LINE_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"the writer went silent; stderr: {self.stderr()}") from None
        if line is None:
            raise AssertionError(f"the fork server exited; stderr: {self.stderr()}")
        return line

    def fork(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("fork\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        self._stderr.flush()
        return self._stderr_path.read_text(errors="replace")[-4000:]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


@dataclass
class Writer:
    pid: int = 0
    ready: bool = False
    acked: list[tuple[int, str]] = field(default_factory=list)  # (seq, checkin id)
    status: int | None = None
    early: bool = False
    wait_for: int = 0  # acknowledged writes to wait for before the kill

    def take(self, line: str) -> None:
        kind, pid, *rest = line.split()
        if kind == "pid":
            self.pid = int(pid)
        elif kind == "ready":
            assert rest == ["journal_mode=wal", "synchronous=2"], line
            self.ready = True
        elif kind == "ack":
            self.acked.append((int(rest[0]), rest[1]))
        elif kind == "reaped":
            self.status = int(rest[0])
        else:
            raise AssertionError(f"unexpected line from the writer: {line!r}")


@dataclass
class Tally:
    iterations: int = 0
    acknowledged: int = 0
    lost: int = 0
    early_kills: int = 0
    waited_for: int = 0
    all_acked: dict[str, str] = field(default_factory=dict)  # id -> expected note


def _one_crash(zygote: Zygote, rng: random.Random) -> Writer:
    writer = Writer(early=rng.random() < EARLY_KILL_SHARE)
    writer.wait_for = 0 if writer.early else rng.randint(0, MAX_ACKS_BEFORE_KILL)
    delay = rng.uniform(0.0, 0.005 if writer.early else MAX_DELAY)
    zygote.fork()
    while (
        not writer.pid or not (writer.early or writer.ready) or len(writer.acked) < writer.wait_for
    ):
        writer.take(zygote.next_line())
    time.sleep(delay)
    os.kill(writer.pid, signal.SIGKILL)
    while writer.status is None:
        writer.take(zygote.next_line())
    assert os.WIFSIGNALED(writer.status), f"the writer exited by itself: {zygote.stderr()}"
    assert os.WTERMSIG(writer.status) == signal.SIGKILL
    return writer


def _verify(db_path: Path, principal: Principal, writer: Writer) -> int:
    """Reopen the database after the crash: every acknowledged write reads back; integrity ok."""
    db = Database(make_engine(f"sqlite:///{db_path}"))
    try:
        checkins = quiet_checkins(db)
        lost = 0
        for seq, checkin_id in writer.acked:
            try:
                item = checkins.get(principal, checkin_id)
            except Exception:
                lost += 1
                continue
            assert item.note == note_text(writer.pid, seq)
        with db.engine.connect() as conn:
            integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        assert integrity == ["ok"], integrity
        return lost
    finally:
        db.dispose()


@pytest.fixture
def crash_db(tmp_path: Path, template_db: Path) -> Iterator[tuple[Path, Principal]]:
    path = tmp_path / "crash.db"
    shutil.copy(template_db, path)
    db = Database(make_engine(f"sqlite:///{path}"))
    seam = TextSeam(FakeGate(), FakeEmotions(), SystemClock())
    settings = fast_settings(tmp_path, database_url=f"sqlite:///{path}")
    services = Services(build_runtime(settings, db=db, seam=seam))
    services.accounts.sign_up("crash", PASSWORD)
    principal = services.credentials.log_in_token(
        "crash", PASSWORD, client="crash", name="c"
    ).principal
    db.dispose()
    yield path, principal


def test_every_acknowledged_write_survives_kill_9(
    crash_db: tuple[Path, Principal],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property: pytest.RecordProperty,
) -> None:
    db_path, principal = crash_db
    env = {
        **os.environ,
        "STEADYMIND_CRASH_USER": principal.user_id,
        "STEADYMIND_CRASH_DATA_KEY": principal.data_key.hex(),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    rng = random.Random(SEED)
    tally = Tally()
    started = time.monotonic()
    zygote = Zygote(db_path, env, tmp_path / "writer.stderr")
    try:
        for _ in range(ITERATIONS):
            writer = _one_crash(zygote, rng)
            tally.iterations += 1
            tally.acknowledged += len(writer.acked)
            tally.early_kills += int(writer.early)
            tally.waited_for += writer.wait_for
            tally.all_acked.update({cid: note_text(writer.pid, seq) for seq, cid in writer.acked})
            tally.lost += _verify(db_path, principal, writer)
    finally:
        zygote.close()

    # After the last crash, every acknowledged id of every iteration is still there.
    db = Database(make_engine(f"sqlite:///{db_path}"))
    try:
        with db.transaction() as tx:
            on_disk = set(tx.scalars(select(CheckIn.id)).all())
            rows = tx.scalar(select(func.count()).select_from(CheckIn))
    finally:
        db.dispose()
    missing = set(tally.all_acked) - on_disk
    elapsed = time.monotonic() - started
    summary = (
        f"crash loop: {tally.iterations} iterations (seed {SEED}), "
        f"{tally.acknowledged} acknowledged writes, lost = {tally.lost + len(missing)}, "
        f"{rows} rows on disk (acknowledged, or committed just before the kill), "
        f"{tally.early_kills} kills before the first write, "
        f"integrity_check ok after every kill, {elapsed:.1f} s"
    )
    record_property("crash_loop", summary)
    with capsys.disabled():
        print(f"\n{summary}")

    assert tally.iterations == ITERATIONS
    assert tally.lost == 0 and not missing, summary
    assert tally.acknowledged >= tally.waited_for > 0
