"""The ``steadymind`` command: ``serve`` and ``db``, plus every feature's commands.

Features add their commands with ``register(group)`` in their ``cli.py``; this file knows none
of them by name.
"""

from __future__ import annotations

from typing import Annotated

import typer

from steadymind import __version__
from steadymind.core.config import load_settings
from steadymind.runtime import Runtime
from steadymind.ui import cli as kit
from steadymind.ui.cli import console, friendly_errors

app = typer.Typer(
    name="steadymind",
    help="steadymind: a private companion for mood, journaling and emotion regulation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def build() -> Runtime:
    from steadymind.features import build_runtime

    return build_runtime(load_settings())


kit.set_runtime_factory(build)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(__version__)
        raise typer.Exit()


@app.command()
@friendly_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Start the web app and API (refuses an un-migrated database)."""
    import uvicorn

    from steadymind.core import logs
    from steadymind.http.app import create_app

    settings = load_settings()
    logs.configure(settings.log_level)
    rt = kit.runtime(migrated=False)
    application = create_app(rt)
    # Load the models now, not on the first person's first message (which may be a crisis).
    rt.seam.warm_up()
    bind_host, bind_port = host or settings.host, port or settings.port
    console.print(
        f"steadymind {__version__} on http://{bind_host}:{bind_port}  (data: {settings.data_dir})"
    )
    # uvicorn's access log prints query strings, which can hold journal search terms: ours does not.
    uvicorn.run(
        application,
        host=bind_host,
        port=bind_port,
        access_log=False,
        log_level="warning",
        log_config=None,  # keep our handlers (and their redaction) instead of uvicorn's
    )


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create the data directory and migrate the database to the current schema."""
    from steadymind.db.migrate import current_revision, upgrade

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    rt = kit.runtime(migrated=False)
    upgrade(rt.db.engine)
    console.print(f"database at revision {current_revision(rt.db.engine)}")


_groups: dict[str, typer.Typer] = {"": app}


def group(path: str, help: str = "") -> typer.Typer:
    """The command group at ``path`` ("safety plan" is ``plan`` inside ``safety``), made once."""
    if path not in _groups:
        parent, _, name = path.rpartition(" ")
        child = typer.Typer(help=help or None, no_args_is_help=True, add_completion=False)
        group(parent).add_typer(child, name=name)
        _groups[path] = child
    elif help and not _groups[path].info.help:
        # Made earlier on the way to a subgroup ("safety" for "safety plan"): name it now.
        _groups[path].info.help = help
    return _groups[path]


def _mount_features() -> None:
    from steadymind.features import discover

    for feature in discover():
        feature.add_commands(group)


_mount_features()
__all__ = ["app"]
