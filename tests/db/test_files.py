"""The database on disk is readable by the server's user alone: folder 0700, files 0600.

With the usual umask (022) SQLite made its database, WAL and shared-memory files 0644 in a 0755
folder: any local user could read the password hashes and the wrapped keys.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from steadymind.core.errors import ConfigError
from steadymind.db.engine import make_engine
from steadymind.db.migrate import upgrade
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the files of the embedded SQLite database")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_its_wal_and_shm_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "steadymind.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:  # an open connection keeps -wal and -shm on disk
        conn.execute(text("SELECT 1"))
        files = {p.name: mode(p) for p in path.parent.iterdir()}
        assert files == {
            "steadymind.db": 0o600,
            "steadymind.db-wal": 0o600,
            "steadymind.db-shm": 0o600,
        }
    assert mode(path.parent) == 0o700
    engine.dispose()


def test_existing_database_files_are_made_private(tmp_path: Path) -> None:
    path = tmp_path / "steadymind.db"
    upgrade(make_engine(f"sqlite:///{path}"))
    for name in ("steadymind.db", "steadymind.db-wal", "steadymind.db-shm"):
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)  # as an earlier version left them
    engine = make_engine(f"sqlite:///{path}")
    assert [mode(tmp_path / n) for n in ("steadymind.db", "steadymind.db-wal")] == [0o600] * 2
    assert mode(tmp_path / "steadymind.db-shm") == 0o600
    engine.dispose()


def test_an_existing_folder_named_in_the_url_is_left_as_the_operator_made_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    make_engine(f"sqlite:///{folder / 'steadymind.db'}").dispose()
    assert mode(folder) == 0o755
    assert mode(folder / "steadymind.db") == 0o600


def test_a_database_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigError) as caught:
        make_engine(f"sqlite:///{tmp_path / 'a-file' / 'data' / 'steadymind.db'}")
    assert "cannot be created" in caught.value.message
    assert "STEADYMIND_DATA_DIR" in caught.value.message


def test_memory_databases_touch_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///:memory:"):
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()
    assert list(tmp_path.iterdir()) == []
