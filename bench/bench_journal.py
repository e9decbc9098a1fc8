"""Benchmark one person's journal at scale: list a page, count, search (issue 12, item 9).

    .venv/bin/python bench/bench_journal.py [--entries 10000] [--repeat 7] [--database-url URL]

Writes ``--entries`` journal entries for one person through the real service (sealed, indexed),
then times, each ``--repeat`` times (the median is printed):

- the first page and a middle page of the list (20 entries), and the count;
- searches: a common word, a word in about 1 entry in 20, a rare word, a three-letter prefix,
  two words together, a tag;
- the same listings and searches done the way they were before the index (decrypt every entry,
  filter and cut the page in Python): the **baseline**, measured in this run, on this machine.

Also printed: writes per second (screen, seal, index), the one-time catch-up of an unindexed
journal (what the first search after upgrading costs), and the index's size on SQLite.

The default database is a fresh SQLite file in a temporary folder. ``--database-url`` runs against
another (PostgreSQL: an empty database you can spare; its tables are created and left there).
The text is GoEmotions comments (written by people) strung into entries of 80-250 words, with
a fixed seed; without the data set, Zipf-distributed made-up words. The gate and the emotion
model are stand-ins that pass everything (their cost is benchmarked by bench_safety.py and
bench_emotion.py).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from machine import cpu_description
from sqlalchemy import delete, select

from steadymind.affect.text import EmotionReading
from steadymind.core.clock import FrozenClock
from steadymind.core.config import Settings
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.journal.schemas import JournalIn, JournalOut
from steadymind.features.journal.service import CATCH_UP_SECONDS, JournalService, _out
from steadymind.features.journal.tables import JournalEntry, JournalSearch
from steadymind.safety.types import RiskAssessment, RiskLevel, Surface
from steadymind.screen import TextSeam

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the training helpers live at the repository root
from training.paths import shared_data  # noqa: E402

PAGE = 20
SEED = 20261201
_COMMON = """the and i to a was it of my in that me with for but so had today felt about at not
be this all just like on after work when then up out really time day feel one home again got
more bit went slept sleep tired friend walk rain coffee morning evening anxious calm better worse
talked mum dad sister partner dog garden lunch dinner meeting email headache run music book quiet
noisy long short tea bus train"""
COMMON = _COMMON.split()
TAGS = ["work", "sleep", "family", "exercise", "health", "friends", "weekend", "therapy"]


class PassGate:
    """A gate that reads nothing into anything: the bench times storage, not the models."""

    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: Surface = "message"
    ) -> RiskAssessment:
        return RiskAssessment(RiskLevel.NONE, model_id="bench")


class NoEmotions:
    def read(self, text: str) -> EmotionReading:
        return EmotionReading(
            labels=[],
            scores={},
            ekman=[],
            ekman_scores={},
            valence=0.0,
            arousal=0.0,
            confidence=0.0,
            model_id="bench",
        )


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Common words first, then made-up ones of English-like lengths (3-12 letters)."""
    syllables = ["ka", "lo", "ri", "ven", "tas", "mo", "pel", "dra", "ny", "sto", "qua", "fen"]
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def goemotions_comments() -> list[str]:
    """Reddit comments written by people (GoEmotions train, Apache-2.0), if the data is here."""
    path = shared_data() / "goemotions" / "train.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as lines:
        return [line.split("\t", 1)[0] for line in lines if line.strip()]


def make_entries(n: int, rng: random.Random) -> tuple[list[JournalIn], str]:
    """Entries of 80-250 words: comments strung together when GoEmotions is here (English as
    people write it), else Zipf-distributed made-up words. Also: which it was."""
    comments = goemotions_comments()
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf
    start = datetime(2000, 1, 1, 8, 0, tzinfo=UTC)
    entries = []
    for i in range(n):
        size = rng.randint(80, 250)
        if comments:
            parts: list[str] = []
            while sum(len(p.split()) for p in parts) < size:
                parts.append(rng.choice(comments))
            body = " ".join(parts)
        else:
            body = " ".join(rng.choices(words, weights, k=size))
        title = " ".join(rng.choices(COMMON, k=rng.randint(1, 4))).capitalize()
        tags = rng.sample(TAGS, k=rng.choice([0, 0, 1, 1, 2]))
        at = start + timedelta(days=i * 0.8, minutes=rng.randint(0, 600))
        entries.append(JournalIn(at=at, title=title, body=body, tags=tags))
    source = "GoEmotions comments" if comments else "generated words (no GoEmotions here)"
    return entries, source


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def decrypt_everything(
    service: JournalService,
    p: Principal,
    query: str = "",
    tag: str = "",
    offset: int = 0,
    limit: int | None = PAGE,
) -> list[JournalOut]:
    """The listing before the index (steadymind up to issue 12): every entry decrypted, then
    filtered by substring and cut to the page in Python."""
    stmt = select(JournalEntry).where(JournalEntry.user_id == p.user_id)
    with service.db.transaction() as tx:
        rows = tx.scalars(stmt.order_by(JournalEntry.at.desc(), JournalEntry.id)).all()
    cipher = p.cipher()
    entries = [_out(cipher, r, tolerant=True) for r in rows]
    needle = query.casefold().strip()
    matches = [
        e
        for e in entries
        if (not needle or needle in e.title.casefold() or needle in e.body.casefold())
        and (not tag or tag in e.tags)
    ]
    return matches[offset:] if limit is None else matches[offset : offset + limit]


def index_bytes(db: Database) -> tuple[int, int] | None:
    """Bytes of the search index (its table, the engine's index) and of all the journal."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            index = conn.exec_driver_sql("SELECT pg_total_relation_size('journal_search')")
            total = conn.exec_driver_sql("SELECT pg_total_relation_size('journal_entries')")
            return int(index.scalar() or 0), int(total.scalar() or 0)
        try:
            index = conn.exec_driver_sql(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'journal_search%' "
                "OR name = 'sqlite_autoindex_journal_search_1'"
            ).scalar()
            total = conn.exec_driver_sql(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%journal_entries%'"
            ).scalar()
        except Exception:  # dbstat is a compile-time option of SQLite
            return None
    return int(index or 0), int(total or 0)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as folder:
        bench(args, Path(folder))


def bench(args: argparse.Namespace, folder: Path) -> None:
    url = args.database_url or f"sqlite:///{folder / 'steadymind.db'}"
    engine = make_engine(url)
    upgrade(engine)
    clock = FrozenClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    # Argon2 at its floor: this bench times the journal, not logging in (one unlock per run).
    settings = Settings(
        data_dir=folder,
        database_url=url,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )
    seam = TextSeam(PassGate(), NoEmotions(), clock)
    runtime = build_runtime(settings, db=Database(engine), clock=clock, seam=seam)
    username = f"bench{random.randrange(10**6)}"
    runtime.get(Accounts).sign_up(username, "a long and quiet bench walk", country="GB")
    p = runtime.get(Credentials).log_in_token(
        username, "a long and quiet bench walk", client="bench", name="bench"
    )
    principal = p.principal
    journal = runtime.get(JournalService)

    print(f"journal benchmark: {args.entries:,} entries, median of {args.repeat} runs")
    print(f"machine: {cpu_description()}; database: {engine.dialect.name}")
    entries, source = make_entries(args.entries, random.Random(SEED))
    print(f"text: {source}")
    t0 = time.perf_counter()
    for entry in entries:
        journal.create(principal, entry)
        clock.advance(hours=25)  # one entry a day: the seam's context stays a day's writing
    wrote = time.perf_counter() - t0
    print(f"write: {args.entries / wrote:,.0f} entries/s (screen, seal, index; {wrote:.1f} s)")

    with runtime.db.transaction() as tx:
        tokens = sum(len(t) for t in tx.scalars(select(JournalSearch.tokens)))
    size = index_bytes(runtime.db)
    line = f"index: {tokens:,} tokens ({tokens / args.entries:,.0f} an entry)"
    if size:
        line += (
            f", {size[0] / 1e6:,.1f} MB ({size[0] / args.entries / 1e3:,.1f} kB an entry; "
            f"the entries themselves: {size[1] / 1e6:,.1f} MB)"
        )
    print(line)

    # The catch-up: what the first search after upgrading to the index costs, once.
    with runtime.db.transaction() as tx:
        tx.execute(delete(JournalSearch))
    t0 = time.perf_counter()
    assert journal.index.catch_up(principal)
    took = time.perf_counter() - t0
    searches = math.ceil(took / CATCH_UP_SECONDS)
    print(
        f"catch-up of an unindexed journal: {args.entries:,} entries in {took:.1f} s "
        f"(a search spends up to {CATCH_UP_SECONDS:.0f} s on it: done after ~{searches} searches)"
    )

    if engine.dialect.name == "postgresql":
        # What autovacuum does on a running server; without it the first plans are guesses.
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE journal_entries, journal_search")

    middle = args.entries // 2
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "list: first page",
            lambda: journal.find(principal, limit=PAGE),
            lambda: decrypt_everything(journal, principal),
        ),
        (
            f"list: page at {middle:,}",
            lambda: journal.find(principal, limit=PAGE, offset=middle),
            lambda: decrypt_everything(journal, principal, offset=middle),
        ),
        (
            "count",
            lambda: journal.count(principal),
            lambda: len(decrypt_everything(journal, principal, limit=None)),
        ),
    ]
    for label, query in [
        ("search: common word", "like"),
        ("search: word in 1 of 7", "happy"),
        ("search: word in 1 of 60", "sleep"),
        ("search: absent word", "zzzz"),
        ("search: prefix", "bet"),
        ("search: two words", "good day"),
    ]:
        cases.append(
            (
                f"{label} ({query!r})",
                lambda q=query: journal.find(principal, query=q, limit=PAGE),
                lambda q=query: decrypt_everything(journal, principal, query=q),
            )
        )
    cases.append(
        (
            "tag: 'sleep'",
            lambda: journal.find(principal, tag="sleep", limit=PAGE),
            lambda: decrypt_everything(journal, principal, tag="sleep"),
        )
    )

    print(f"\n{'':38} {'index':>10} {'baseline':>10} {'faster':>8}  matches")
    for label, new, old in cases:
        new_ms, _ = median_ms(new, args.repeat)
        old_ms, _ = median_ms(old, max(1, args.repeat // 2))
        matches = _matches(journal, principal, label)
        print(f"{label:38} {new_ms:8.2f}ms {old_ms:8.1f}ms {old_ms / new_ms:7.0f}x  {matches}")
    print(
        "\nbaseline: decrypt every entry, filter by substring, cut the page in Python "
        "(the listing before issue 12). Two-word search: the baseline looks for the phrase."
    )


def _matches(journal: JournalService, p: Principal, label: str) -> str:
    if "'" not in label:
        return ""
    term = label.split("'")[1]
    count = journal.count(p, tag=term) if label.startswith("tag") else journal.count(p, query=term)
    return f"{count:,}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--database-url", default=None, help="default: SQLite in a temporary folder, removed after"
    )
    run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
