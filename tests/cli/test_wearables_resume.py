"""An import killed halfway (kill -9) continues where it was, and ends as an uninterrupted one.

The killed importer is a real ``steadymind import apple-health FILE`` in a child process
(tests/features/wearables/import_child.py), killed with SIGKILL right after a part is committed,
or in the middle of the final save. The same file is then imported again, and Alice's rows are
compared with Bob's, who imported the same file without interruption into the same database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from steadymind.cli.main import app
from steadymind.db.engine import Database, make_engine
from steadymind.features.wearables import resume
from steadymind.features.wearables.importers import apple_health as ah
from steadymind.features.wearables.tables import DayValue, ImportPart, ImportRun, SampleDay
from tests.features.wearables import import_child
from tests.features.wearables.synth import apple_export
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
CHILD = Path(import_child.__file__)


def _small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ah, "BLOCK", import_child.BLOCK)
    monkeypatch.setattr(resume, "PART_BYTES", import_child.PART_BYTES)


def _db() -> Database:
    return Database(
        make_engine(f"sqlite:///{Path(os.environ['STEADYMIND_DATA_DIR'])}/steadymind.db")
    )


def _user_id(db: Database, name: str) -> str:
    from steadymind.features.accounts.tables import User

    with db.transaction() as tx:
        return tx.scalars(select(User.id).where(User.username == name)).one()


def _rows(db: Database, user_id: str) -> tuple[list[Any], list[Any]]:
    with db.transaction() as tx:
        days = tx.execute(
            select(DayValue.day, DayValue.factor, DayValue.value, DayValue.count)
            .where(DayValue.user_id == user_id).order_by(DayValue.day, DayValue.factor)
        ).all()  # fmt: skip
        samples = tx.execute(
            select(SampleDay.day, SampleDay.metric, SampleDay.count)
            .where(SampleDay.user_id == user_id).order_by(SampleDay.day, SampleDay.metric)
        ).all()  # fmt: skip
    return [tuple(r) for r in days], [tuple(r) for r in samples]


def _killed(export: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(CHILD), str(export), *args],
        env=dict(os.environ), capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr.decode()[-2000:]


def test_a_killed_import_continues_where_it_was_and_ends_as_an_uninterrupted_one(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("alice", "bob"):
        assert cli.invoke(app, ["user", "create", name]).exit_code == 0
    export = apple_export(tmp_path / "export.xml", days=12)
    assert export.stat().st_size > 4 * import_child.PART_BYTES
    _killed(export, "3")
    db = _db()
    alice, bob = _user_id(db, "alice"), _user_id(db, "bob")
    with db.transaction() as tx:
        parts = tx.execute(select(ImportPart.seq, ImportPart.offset).order_by(ImportPart.seq)).all()
        runs = tx.scalars(select(ImportRun.status)).all()
    assert [seq for seq, _ in parts] == [1, 2, 3] and runs == ["reading"]
    assert _rows(db, alice) == ([], [])  # nothing reaches the days before the file is read
    reads: list[int] = []
    opened = ah._open_export

    def watched(path: Path) -> Any:
        context = opened(path)

        class Spy:
            def __enter__(self) -> tuple[Any, int]:
                stream, total = context.__enter__()
                real_seek = stream.seek

                def seek(offset: int, *more: Any) -> int:
                    reads.append(offset)
                    return real_seek(offset, *more)

                stream.seek = seek
                return stream, total

            def __exit__(self, *exc: Any) -> Any:
                return context.__exit__(*exc)

        return Spy()

    _small_parts(monkeypatch)
    monkeypatch.setattr(ah, "_open_export", watched)
    again = cli.invoke(app, ["import", "apple-health", str(export), "--json"])
    assert again.exit_code == 0, again.output
    resumed = json.loads(again.output)
    assert resumed["resumed_from"] == parts[-1][1] > 0
    assert reads == [parts[-1][1]]  # it started there, not at the beginning
    monkeypatch.setattr(ah, "_open_export", opened)
    whole = cli.invoke(app, ["import", "apple-health", str(export), "--json", "--user", "bob"])
    uninterrupted = json.loads(whole.output)
    assert uninterrupted["resumed_from"] == 0  # Bob's import is his own
    assert resumed["added"] == uninterrupted["added"] > 0
    mine, his = _rows(db, alice), _rows(db, bob)
    assert mine == his and mine[0] and mine[1]
    with db.transaction() as tx:
        assert tx.scalar(select(func.count()).select_from(ImportPart)) == 0
        statuses = tx.execute(
            select(ImportRun.user_id, ImportRun.status).order_by(ImportRun.started_at)
        ).all()  # fmt: skip
    assert sorted(s for u, s in statuses if u == alice) == ["continued", "done"]


def test_a_kill_in_the_middle_of_the_save_writes_no_day_and_the_next_import_finishes(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("alice", "bob"):
        assert cli.invoke(app, ["user", "create", name]).exit_code == 0
    export = apple_export(tmp_path / "export.xml", days=6)
    _killed(export, "0", "save")
    db = _db()
    alice, bob = _user_id(db, "alice"), _user_id(db, "bob")
    assert _rows(db, alice) == ([], [])  # the save's transaction never committed: no half
    with db.transaction() as tx:
        offsets = tx.scalars(select(ImportPart.offset)).all()
    assert max(offsets) == export.stat().st_size  # the whole file had been read
    _small_parts(monkeypatch)
    again = json.loads(cli.invoke(app, ["import", "apple-health", str(export), "--json"]).output)
    assert again["resumed_from"] == export.stat().st_size
    cli.invoke(app, ["import", "apple-health", str(export), "--json", "--user", "bob"])
    assert _rows(db, alice) == _rows(db, bob) != ([], [])


def test_another_file_starts_from_the_beginning(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.invoke(app, ["user", "create", "alice"]).exit_code == 0
    export = apple_export(tmp_path / "export.xml", days=12)
    _killed(export, "2")
    other = apple_export(tmp_path / "other.xml", days=12, seed=99)
    _small_parts(monkeypatch)
    result = json.loads(cli.invoke(app, ["import", "apple-health", str(other), "--json"]).output)
    assert result["resumed_from"] == 0 and result["added"] > 0
    db = _db()
    with db.transaction() as tx:  # the killed import's parts wait for their own file
        assert tx.scalar(select(func.count()).select_from(ImportPart)) == 2
