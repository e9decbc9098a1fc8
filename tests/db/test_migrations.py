"""Schema migrations and SQLite durability settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from steadymind.core.errors import DatabaseNotMigrated
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import current_revision, ensure_migrated, head_revision, upgrade
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.screen import TextSeam
from tests.conftest import FrozenClock, fast_settings
from tests.support import PG_URL, FakeEmotions, FakeGate


def test_app_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    seam = TextSeam(FakeGate(), FakeEmotions(), FrozenClock())
    runtime = build_runtime(fast_settings(tmp_path), db=Database(engine), seam=seam)
    with pytest.raises(DatabaseNotMigrated, match="steadymind db upgrade"):
        create_app(runtime)


def test_upgrade_brings_a_new_database_to_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    ensure_migrated(engine)
    upgrade(engine)  # idempotent
    assert current_revision(engine) == head_revision()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite pragmas; the PostgreSQL run checks PostgreSQL")
def test_sqlite_runs_with_wal_full_sync_foreign_keys_and_secure_delete(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_schema_matches_the_models(db: Database) -> None:
    """Autogenerate finds nothing to do: the migrations and the tables agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from tests.conftest import metadata

    # What a migration makes for one engine only (an FTS5 table, a GIN index) is named in
    # metadata.info["unmodelled"] by the feature that owns it.
    unmodelled = metadata.info.get("unmodelled", set())

    def modelled(name: str | None, *_: object) -> bool:
        return name not in unmodelled

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": modelled})
        diff = compare_metadata(context, metadata)
    assert diff == []
