"""The one error hierarchy: every message a person reads is a sentence, and a full disk is known
wherever it is hit (the operating system, SQLite, PostgreSQL)."""

from __future__ import annotations

import ast
import errno
import importlib
import pkgutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import steadymind
from steadymind.core import errors
from steadymind.core.errors import DiskFull, SteadymindError, is_disk_full, sentence

PACKAGE = Path(steadymind.__file__).parent


def _error_classes() -> dict[str, type[SteadymindError]]:
    for module in pkgutil.walk_packages([str(PACKAGE)], "steadymind."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found: dict[str, type[SteadymindError]] = {}
    todo: list[type[SteadymindError]] = [SteadymindError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo += cls.__subclasses__()
    return found


def _raised_messages() -> list[tuple[str, type[SteadymindError], str]]:
    """(where, class, the message's literal start) for every error raised with a message."""
    classes = _error_classes()
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            cls = classes.get(node.func.id)
            if cls is None or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.JoinedStr) and first.values:
                first = first.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                found.append((where, cls, first.value))
    return found


MESSAGES = _raised_messages()


def test_the_walk_finds_the_errors_of_every_layer() -> None:
    places = {where.split("/")[0] for where, _, _ in MESSAGES}
    assert {"core", "features", "crypto", "models"} <= places
    assert len(MESSAGES) > 40


@pytest.mark.parametrize(("where", "cls", "text"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_error_message_reads_as_a_sentence(
    where: str, cls: type[SteadymindError], text: str
) -> None:
    raised = cls.__new__(cls)
    SteadymindError.__init__(raised, text)
    assert not raised.message[:1].islower(), where
    assert str(raised) == raised.message


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("no such check-in", "No such check-in"),
        ("Already a sentence.", "Already a sentence."),
        ("", ""),
        ("/path/first", "/path/first"),
        ("émotion", "Émotion"),
    ],
)
def test_a_message_becomes_a_sentence(written: str, read: str) -> None:
    assert sentence(written) == read
    assert SteadymindError(written).message == read


def _sqlite_full() -> sqlite3.OperationalError:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    except sqlite3.OperationalError as exc:
        return exc
    raise AssertionError("SQLite took a row past its page cap")


class _PgDiskFull(Exception):
    sqlstate = "53100"  # what psycopg's errors.DiskFull carries


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
        _sqlite_full(),
        OperationalError("INSERT ...", {}, _sqlite_full()),
        OperationalError("INSERT ...", {}, _PgDiskFull()),
    ],
    ids=["ENOSPC", "EDQUOT", "sqlite", "sqlalchemy over sqlite", "sqlalchemy over postgres"],
)
def test_a_full_disk_is_recognised_wherever_it_is_hit(exc: Exception) -> None:
    assert is_disk_full(exc)
    try:
        try:
            raise exc
        except Exception as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert is_disk_full(outer)


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.EACCES, "Permission denied"),
        ValueError("database or disk is full"),
        KeyError(),
    ],
)
def test_other_errors_are_not_a_full_disk(exc: Exception) -> None:
    assert not is_disk_full(exc)


def test_a_full_disk_says_so_in_words() -> None:
    full = DiskFull()
    assert (full.status, full.code) == (507, "disk_full")
    assert full.message == errors.DISK_FULL
    assert full.message.startswith("The server's disk is full")
