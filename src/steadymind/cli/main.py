"""The ``steadymind`` command: ``serve`` and ``db``, plus every feature's commands.

Features add their commands with ``register(group)`` in their ``cli.py``; this file knows none
of them by name.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from steadymind import __version__
from steadymind.core.config import Settings, load_settings
from steadymind.core.files import private_dir
from steadymind.runtime import Runtime
from steadymind.ui import cli as kit
from steadymind.ui.cli import console, err_console, friendly_errors, one_line

# Plain help: Typer's rich help panels print a type such as `<bool>` beside every flag (a flag
# takes no value); the plain rendering shows types only where a value is typed.
PLAIN_HELP = None


class FriendlyGroup(TyperGroup):
    """The root group: whatever command runs, our errors are one line (as ``friendly_errors``
    does per command), so a command that forgets the decorator still shows no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            exit_ = one_line(exc)
            if exit_ is None:
                raise
            raise exit_ from None


app = typer.Typer(
    name="steadymind",
    help="steadymind: a private companion for mood, journaling and emotion regulation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=PLAIN_HELP,
    cls=FriendlyGroup,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=PLAIN_HELP)
app.add_typer(db_app, name="db")


def settings_with_data_dir() -> Settings:
    """The settings, with the data directory made (0700) and checked writable when the database
    lives in it: one clear error now rather than SQLite's "unable to open database file"."""
    settings = load_settings()
    if settings.database_url is None:
        private_dir(settings.data_dir)
    return settings


def build() -> Runtime:
    from steadymind.features import build_runtime

    return build_runtime(settings_with_data_dir())


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

    settings = settings_with_data_dir()
    logs.configure(settings.log_level)
    if settings.insecure_argon2_for_tests:
        err_console.print(
            "[yellow]Warning:[/yellow] STEADYMIND_INSECURE_ARGON2_FOR_TESTS is set: passwords "
            "are hashed below the OWASP minimum. Never run a real server like this.",
            soft_wrap=True,
        )
    rt = kit.runtime(migrated=False)
    application = create_app(rt)
    # Load the models now, not on the first person's first message (which may be a crisis).
    rt.seam.warm_up()
    bind_host, bind_port = host or settings.host, port or settings.port
    console.print(
        f"steadymind {__version__} on http://{bind_host}:{bind_port}  (data: {settings.data_dir})"
    )
    # Background work (the coach's job workers) runs in threads beside the app unless a
    # separate `steadymind worker` does it; each stops when the server does.
    stops = [start() for start in rt.background] if settings.jobs_in_process else []
    try:
        # uvicorn's access log prints query strings, which can hold journal search terms: ours
        # does not.
        uvicorn.run(
            application,
            host=bind_host,
            port=bind_port,
            access_log=False,
            log_level="warning",
            log_config=None,  # keep our handlers (and their redaction) instead of uvicorn's
            ws="wsproto",  # the live biofeedback stream (a pinned, pure-Python dependency)
        )
    finally:
        for stop in stops:
            stop()


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create the data directory and migrate the database to the current schema."""
    from steadymind.db.migrate import current_revision, upgrade

    private_dir(load_settings().data_dir)
    rt = kit.runtime(migrated=False)
    upgrade(rt.db.engine)
    console.print(f"The database is at revision {current_revision(rt.db.engine)}.")


_groups: dict[str, typer.Typer] = {"": app}


def group(path: str, help: str = "") -> typer.Typer:
    """The command group at ``path`` ("safety plan" is ``plan`` inside ``safety``), made once."""
    if path not in _groups:
        parent, _, name = path.rpartition(" ")
        child = typer.Typer(
            help=help or None,
            no_args_is_help=True,
            add_completion=False,
            rich_markup_mode=PLAIN_HELP,
        )
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
