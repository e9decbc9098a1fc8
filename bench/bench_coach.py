"""Benchmark the coach (issue 16): reminders that arrive once, and a recommender that learns.

    .venv/bin/python bench/bench_coach.py [--people 1000] [--per-person 10] [--workers 8]
                                          [--skip-delivery] [--skip-recommender] [--skip-app]

**Delivery.** ``--people`` accounts, each with a webhook channel to a loopback HTTP server in
this process and ``--per-person`` reminders due in the same minute (digest off, so each is its
own message). One ``steadymind worker`` process (its threads: ``--workers``) plans and sends
them from the SQLite job queue. Printed: the seconds from the minute they fell due to the last
one received, how many the webhook received, how many distinct ids (each delivery's
``Idempotency-Key``), how many arrived more than once, and the database's count by status. The
**baseline**, measured in this run: the same number of POSTs to the same server from a plain
thread pool (no queue, no database), the floor any worker pays for HTTP.

The run is repeated with a ``kill -9`` of the worker after a third of the messages arrived and a
new worker started at once: none may be lost (every id arrives) and none doubled at the
receiver (an id that arrives twice is counted; the receiver sees the same id, so one that keeps
ids acts once).

**Recommender.** Simulated people with hidden preferences (``bandit.SimPerson``): per person,
``--rounds`` suggestions by linear Thompson sampling, by the same policy with the first
version's context (time of day, mood, energy: no feelings; ``ts-v1``) and by random choice
(the baseline); the cumulative regret of each against the best fixed practice for that person
and against the best practice in each context (an oracle). A person's hidden benefit from each
practice depends on the whole context, the feelings of their check-in most of all
(``SimPerson.random``). Then the offline evaluation: a new policy (greedy on what was learnt in
the first half) is estimated with IPS and SNIPS from the second half's logged propensities and
compared with its true simulated value.

**The app.** Chromium's installability check and an offline start of the check-in (Playwright,
Debian's chromium), as the browser tests do.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from machine import cpu_description
from sqlalchemy import func, select, update

from steadymind.core.clock import SystemClock
from steadymind.core.config import Settings
from steadymind.db.base import new_id
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.coach.bandit import (
    V1_DIMS,
    Logged,
    SimPerson,
    ThompsonPolicy,
    ips,
    random_context,
    snips,
    widen,
)
from steadymind.features.coach.tables import Channel, CoachPrefs, Delivery, Reminder
from steadymind.screen import TextSeam

ROOT = Path(__file__).resolve().parents[1]
STEADYMIND = ROOT / ".venv" / "bin" / "steadymind"
TARGET_SECONDS = 60.0


class Receiver:
    """A loopback webhook that counts each delivery's id."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.last = 0.0
        self.first = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    receiver.ids[key] += 1
                    receiver.last = time.time()
                    receiver.first = receiver.first or receiver.last
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a worker killed mid-request resets its connection: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.ids.clear()
            self.first = 0.0

    @property
    def unique(self) -> int:
        return len(self.ids)

    @property
    def total(self) -> int:
        return sum(self.ids.values())


def baseline(url: str, n: int, threads: int) -> float:
    """n POSTs from a plain thread pool: the cost of the HTTP alone."""
    local = threading.local()

    def post(i: int) -> None:
        client = getattr(local, "client", None) or httpx.Client()
        local.client = client
        client.post(url, json={"id": str(i)}, headers={"Idempotency-Key": f"base-{i}"})

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(post, range(n)))
    return time.perf_counter() - start


class PassGate:
    """The bench writes no text: a gate and an emotion reader that are never asked."""

    def assess(self, text: str, context: Any = None, *, surface: Any = "message") -> Any:
        raise AssertionError("the delivery bench screens no text")

    def read(self, text: str) -> Any:
        raise AssertionError("the delivery bench reads no text")


def setup_people(data: Path, people: int, per_person: int, url: str) -> Database:
    settings = Settings(
        data_dir=data, argon2_time_cost=1, argon2_memory_kib=8, insecure_argon2_for_tests=True
    )
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    db = Database(engine)
    seam = TextSeam(PassGate(), PassGate(), SystemClock())
    runtime = build_runtime(settings, db=db, seam=seam)
    accounts = runtime.get(Accounts)
    started = time.perf_counter()
    password = "a calm and quiet morning"
    users = [
        accounts.sign_up(f"p{i:05d}", password, country="GB", timezone="UTC").user_id
        for i in range(people)
    ]
    now = datetime.now(UTC)
    with db.transaction() as tx:
        for user in users:
            channel = Channel(id=new_id(), user_id=user, kind="webhook", target=url, created_at=now)
            tx.add(channel)
            tx.add(CoachPrefs(user_id=user, tz="UTC", digest=False, updated_at=now))
            for k in range(per_person):
                tx.add(
                    Reminder(
                        id=new_id(), user_id=user, about="checkin", kind="daily", weekdays=127,
                        every_n=1, start_day=date(2026, 1, 1), at_time=f"{k % 24:02d}:00",
                        channel_ids=[channel.id], active=True, next_due_at=None, created_at=now,
                    )
                )  # fmt: skip
    print(
        f"  {people} people, {people * per_person} reminders set up in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return db


def due_next_minute(db: Database, lead: float = 8.0) -> datetime:
    """Every reminder due at the next whole minute at least ``lead`` seconds away."""
    now = datetime.now(UTC)
    due = (now + timedelta(seconds=lead + 60)).replace(second=0, microsecond=0)
    due = due - timedelta(minutes=1) if (due - now).total_seconds() > 60 + lead else due
    with db.transaction() as tx:
        tx.execute(update(Reminder).values(next_due_at=due))
    return due


def start_worker(data: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STEADYMIND_")},
        "STEADYMIND_DATA_DIR": str(data),
        "STEADYMIND_ARGON2_TIME_COST": "1",
        "STEADYMIND_ARGON2_MEMORY_KIB": "8",
        "STEADYMIND_INSECURE_ARGON2_FOR_TESTS": "true",
        "STEADYMIND_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [str(STEADYMIND), "worker", "--workers", str(workers)], env=env, cwd=data
    )


def statuses(db: Database) -> dict[str, int]:
    with db.transaction() as tx:
        return {
            s: n
            for s, n in tx.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        }


def run_delivery(
    db: Database, data: Path, receiver: Receiver, expected: int, workers: int, kill_at: int | None
) -> dict[str, Any]:
    receiver.reset()
    due = due_next_minute(db)
    worker = start_worker(data, workers)
    killed = False
    deadline = due.timestamp() + (240 if kill_at else 150)
    try:
        while receiver.unique < expected and time.time() < deadline:
            if kill_at is not None and not killed and receiver.unique >= kill_at:
                os.kill(worker.pid, signal.SIGKILL)  # kill -9, mid-run
                worker.wait()
                killed = True
                worker = start_worker(data, workers)
            time.sleep(0.02)
        seconds = receiver.last - due.timestamp()
        first = receiver.first - due.timestamp()
        time.sleep(1.0)  # anything late still arriving is counted
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    with db.transaction() as tx:
        sent = tx.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.due_at == due, Delivery.status == "sent")
        )
    doubled = sum(1 for n in receiver.ids.values() if n > 1)
    return {
        "seconds": seconds, "first": first, "received": receiver.total, "unique": receiver.unique,
        "lost": expected - receiver.unique, "doubled": doubled, "sent_rows": sent, "killed": killed,
    }  # fmt: skip


def delivery(args: argparse.Namespace) -> None:
    expected = args.people * args.per_person
    print(
        f"== reminder delivery: {expected} reminders, {args.people} people, "
        f"one worker ({args.workers} threads)"
    )
    receiver = Receiver()
    with tempfile.TemporaryDirectory(prefix="bench-coach-") as folder:
        data = Path(folder)
        db = setup_people(data, args.people, args.per_person, receiver.url)
        floor = baseline(receiver.url, expected, args.workers)
        receiver.reset()
        print(
            f"  baseline: {expected} POSTs from a plain thread pool in {floor:.2f} s "
            f"({expected / floor:,.0f}/s)"
        )
        clean = run_delivery(db, data, receiver, expected, args.workers, kill_at=None)
        _report("clean run", clean, expected, floor)
        crash = run_delivery(db, data, receiver, expected, args.workers, kill_at=expected // 3)
        _report("kill -9 after a third, then a new worker", crash, expected, floor)
        print(f"  database after both runs: {statuses(db)}")
        db.dispose()


def _report(name: str, r: dict[str, Any], expected: int, floor: float) -> None:
    within = r["seconds"] <= TARGET_SECONDS
    if r["lost"] == 0 and r["doubled"] == 0:
        verdict = "exactly once"
    elif r["lost"] == 0:
        verdict = (
            f"none lost; {r['doubled']} sent again with the same id (in flight at the kill: a "
            "receiver that keeps ids acts once)"
        )
    else:
        verdict = f"{r['lost']} LOST"
    print(
        f"  {name}: last of {expected} received {r['seconds']:.1f} s after they fell due "
        f"({'within' if within else 'OVER'} the {TARGET_SECONDS:.0f} s target; "
        f"{r['seconds'] / floor:.1f}x the baseline; the first {r['first']:.1f} s after); "
        f"received {r['received']}, distinct ids {r['unique']}, lost {r['lost']}, "
        f"arrived twice {r['doubled']}, rows marked sent {r['sent_rows']} -> {verdict}"
    )


# -- the recommender --------------------------------------------------------------------------


ARMS = [
    f"practice:{n}" for n in ("breathing", "walk", "body-scan", "grounding", "journal", "music")
]


def recommender(args: argparse.Namespace) -> None:
    print(
        f"== recommender: {args.sim_people} simulated people, {args.rounds} suggestions each, "
        f"{len(ARMS)} practices"
    )
    rng = np.random.default_rng(2026)
    regret = {"ts": [0.0, 0.0], "ts-v1": [0.0, 0.0], "random": [0.0, 0.0]}
    est: dict[str, list[float]] = {"true": [], "ips": [], "snips": []}
    for _ in range(args.sim_people):
        person = SimPerson.random(ARMS, rng)
        contexts = [random_context(rng) for _ in range(args.rounds)]
        fixed = max(ARMS, key=lambda a: np.mean([person.expected(a, x) for x in contexts]))
        policy = ThompsonPolicy(ARMS)
        # The first version's context (time of day, mood, energy; no feelings), same people.
        v1 = ThompsonPolicy(ARMS)
        logs: list[Logged] = []
        for x in contexts:
            oracle = max(person.expected(a, x) for a in ARMS)
            choice = policy.choose(x, rng)
            reward = person.reward(choice.arm, x, rng)
            policy.learn(choice.arm, x, reward)
            logs.append(Logged(x, choice.arm, choice.propensity, reward))
            got = person.expected(choice.arm, x)
            regret["ts"][0] += person.expected(fixed, x) - got
            regret["ts"][1] += oracle - got
            blind = widen(x[:V1_DIMS])
            arm_v1 = v1.choose(blind, rng).arm
            v1.learn(arm_v1, blind, person.reward(arm_v1, x, rng))
            got_v1 = person.expected(arm_v1, x)
            regret["ts-v1"][0] += person.expected(fixed, x) - got_v1
            regret["ts-v1"][1] += oracle - got_v1
            other = person.expected(ARMS[int(rng.integers(len(ARMS)))], x)
            regret["random"][0] += person.expected(fixed, x) - other
            regret["random"][1] += oracle - other
        # A new policy, learnt from the first half, judged offline on the second half.
        half = len(logs) // 2
        learnt = ThompsonPolicy(ARMS)
        for e in logs[:half]:
            learnt.learn(e.arm, e.context, e.reward)
        later = logs[half:]

        def greedy(x: Any, learnt: ThompsonPolicy = learnt) -> dict[str, float]:
            return {learnt.greedy(x): 1.0}

        est["true"].append(
            float(np.mean([person.expected(learnt.greedy(e.context), e.context) for e in later]))
        )
        est["ips"].append(ips(later, greedy))
        est["snips"].append(snips(later, greedy))
    n = args.sim_people * args.rounds
    for name, (fixed_r, oracle_r) in regret.items():
        per_fixed, per_oracle = fixed_r / args.sim_people, oracle_r / args.sim_people
        print(
            f"  {name:>6}: cumulative regret {per_fixed:8.1f} per person against the best fixed "
            f"practice, {per_oracle:8.1f} against the best in each context "
            f"({oracle_r / n:.3f} a suggestion)"
        )
    print(
        f"  Thompson sampling's regret is {regret['ts'][1] / regret['random'][1]:.2f}x random's "
        f"and {regret['ts'][1] / regret['ts-v1'][1]:.2f}x that of the same policy without the "
        "feelings in its context (ts-v1), against the oracle"
    )
    true = float(np.mean(est["true"]))
    for name in ("ips", "snips"):
        value = float(np.nanmean(est[name]))
        error = abs(value - true) / true
        verdict = "within" if error <= 0.10 else "OVER"
        print(
            f"  offline estimate of the new policy by {name.upper():>5}: {value:.4f} against its "
            f"true value {true:.4f}: {error:.1%} off ({verdict} the 10 % target)"
        )


# -- the app ------------------------------------------------------------------------------------


def app_checks() -> None:
    print("== the app in Chromium: installable, opens offline")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        print("  skipped: /usr/bin/chromium is not installed")
        return
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
         "tests/web/test_browser_coach.py", "-k", "installs_opens_offline"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    last = (result.stdout.strip().splitlines() or ["no output"])[-1]
    print(
        "  Chromium's installability check (all but headless's incognito), offline start, "
        f"sync: {last}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--sim-people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--skip-delivery", action="store_true")
    parser.add_argument("--skip-recommender", action="store_true")
    parser.add_argument("--skip-app", action="store_true")
    args = parser.parse_args()
    print(f"machine: {cpu_description()}, {os.cpu_count()} CPUs; {json.dumps(vars(args))}")
    if not args.skip_delivery:
        delivery(args)
    if not args.skip_recommender:
        recommender(args)
    if not args.skip_app:
        app_checks()


if __name__ == "__main__":
    main()
