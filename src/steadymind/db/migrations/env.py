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


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
