"""Alembic environment: runs against the connection steadymind hands it, or a URL.

The metadata is complete only once the features are imported (each registers its tables):
``steadymind.features.metadata()`` does that, for autogenerating a revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from steadymind.db.base import Base

metadata = Base.metadata

config = context.config


def include_name(name: str | None, type_: str, parents: object) -> bool:
    """Autogenerate leaves alone what a migration made for one engine only (an FTS5 table, a GIN
    index): the feature that owns it names it in ``metadata.info["unmodelled"]``."""
    return name not in metadata.info.get("unmodelled", set())


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=metadata,
            render_as_batch=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
