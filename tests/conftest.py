"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when STEADYMIND_TEST_DATABASE_URL
is set), a runtime with a frozen clock and a text seam over a fake gate (``gate``) and a fake
emotion model (``emotions``), the app, and the personas Alice and Bob. A test module overrides
``gate`` or ``emotions``, or is marked ``shipped_models`` to use the production gate and emotion
model where it tests what a person really sees."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from steadymind.core.clock import FrozenClock
from steadymind.core.config import Settings
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.features import metadata as all_tables
from steadymind.http.app import create_app
from steadymind.runtime import Runtime
from steadymind.safety.gate import default_gate
from steadymind.screen import Assessor, EmotionReader, ModelEmotionReader, TextSeam
from tests.support import PG_URL, FakeEmotions, FakeGate, Services

metadata = all_tables()

PASSWORD = "correct horse battery staple"


def fast_settings(tmp_path: Path, **extra: Any) -> Settings:
    # Argon2 at its minimum cost: the tests exercise the code path, not the work factor.
    return Settings(
        data_dir=tmp_path,
        database_url=extra.pop("database_url", None),
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
        **extra,
    )


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "steadymind.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Any]:
    if not PG_URL:
        yield None
        return
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(tmp_path: Path, template_db: Path, pg_engine: Any) -> Iterator[Database]:
    if pg_engine is not None:
        with pg_engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        yield Database(pg_engine)
        return
    path = tmp_path / "steadymind.db"
    shutil.copy(template_db, path)
    database = Database(make_engine(f"sqlite:///{path}"))
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def _shipped(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("shipped_models") is not None


@pytest.fixture
def gate(request: pytest.FixtureRequest) -> Assessor:
    """The fake gate; the production one for tests marked ``shipped_models``."""
    return default_gate() if _shipped(request) else FakeGate()


@pytest.fixture
def emotions(request: pytest.FixtureRequest) -> EmotionReader:
    """The fake emotion model; the shipped one for tests marked ``shipped_models``."""
    return ModelEmotionReader() if _shipped(request) else FakeEmotions()


@pytest.fixture
def seam(gate: Assessor, emotions: EmotionReader, clock: FrozenClock) -> TextSeam:
    return TextSeam(gate, emotions, clock)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return fast_settings(tmp_path)


@pytest.fixture
def runtime(settings: Settings, db: Database, clock: FrozenClock, seam: TextSeam) -> Runtime:
    return build_runtime(settings, db=db, clock=clock, seam=seam)


@pytest.fixture
def services(runtime: Runtime) -> Services:
    return Services(runtime)


@pytest.fixture
def app(runtime: Runtime) -> Any:
    return create_app(runtime)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@dataclass
class Persona:
    username: str
    password: str
    token: str
    principal: Principal
    recovery_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_persona(services: Services, username: str, country: str | None = "GB") -> Persona:
    signed = services.accounts.sign_up(
        username, PASSWORD, country=country, timezone="Europe/London"
    )
    token = services.credentials.log_in_token(username, PASSWORD, client="test", name="tests")
    return Persona(username, PASSWORD, token.secret, token.principal, signed.recovery_key)


@pytest.fixture
def alice(services: Services) -> Persona:
    return make_persona(services, "alice")


@pytest.fixture
def bob(services: Services) -> Persona:
    return make_persona(services, "bob", country="US")


__all__ = ["PASSWORD", "Persona", "Services", "fast_settings", "make_persona"]
