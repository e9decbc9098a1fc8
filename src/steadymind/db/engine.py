"""Engine creation, SQLite pragmas and the unit-of-work helper."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from steadymind.core.files import private_dir, private_file, tighten_if_present

# SQLite gives its -wal and -shm files the mode of the database file: a 0600 database keeps them
# 0600 too. -journal is there only while a rollback-journal database is being converted to WAL.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so
    # an acknowledged write survives power loss as well as kill -9 (NORMAL: only the latter).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows are overwritten with zeros rather than left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def private_sqlite(path: Path) -> None:
    """The database file (created now if missing) and its side files: readable by us alone. Its
    folder is made 0700 if missing; an existing folder is the operator's and left as it is."""
    private_dir(path.parent, what="The database folder", tighten=False)
    private_file(path)
    for suffix in SQLITE_SIDE_FILES:
        tighten_if_present(path.with_name(path.name + suffix))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
        if path and path != ":memory:":
            private_sqlite(Path(path))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """Owns the engine and hands out transactional sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits on success (the write is durable when this returns)."""
        with self._factory() as session, session.begin():
            yield session

    def scrub(self) -> None:
        """After a deletion: fold the WAL back so no old page of deleted rows lingers in it."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        self.engine.dispose()
