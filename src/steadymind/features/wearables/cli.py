"""``steadymind import apple-health|fitbit|oura|fit|csv FILE`` and ``steadymind wearables``.

One ``import`` command per importer in the registry (another feature may add its own commands to
the same ``import`` group). The file is read with a progress bar, then what was added, what was
there already and any record that could not be read (with where it is) are printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from steadymind.core.errors import ValidationError
from steadymind.features.wearables import daily as d
from steadymind.features.wearables.importers import Importer, importers
from steadymind.features.wearables.service import ImportSummary, WearableService, today
from steadymind.runtime import CommandGroup
from steadymind.ui.cli import UserOpt, console, friendly_errors, runtime, unlocked

FileArg = Annotated[Path, typer.Argument(help="The file to import.", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
MappingOpt = Annotated[
    Path | None, typer.Option("--mapping", help="For a CSV: the TOML file that maps its columns.")
]


def _import_command(chosen: Importer) -> Callable[..., None]:
    @friendly_errors
    def command(
        file: FileArg, user: UserOpt = None, as_json: JsonOpt = False, mapping: MappingOpt = None
    ) -> None:
        rt = runtime()  # a configuration problem is said first, as by every command
        for given in (file, mapping):
            if given is not None and not given.is_file():
                raise ValidationError(f"There is no file at {given}.")
        if mapping is not None and not getattr(chosen, "takes_mapping", False):
            raise ValidationError(f"The {chosen.name} importer takes no mapping file.")
        wearables = rt.get(WearableService)
        with unlocked(rt, user) as principal:
            summary = _with_bar(
                lambda bar: wearables.run(principal, chosen.name, file, bar, mapping=mapping)
            )
        if as_json:
            typer.echo(json.dumps(summary.as_json(), indent=2))
        else:
            _print_summary(summary)

    command.__doc__ = f"Import a {chosen.label}: {chosen.help}"
    return command


def _with_bar(work: Callable[[Callable[[int, int], None]], ImportSummary]) -> ImportSummary:
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Reading", total=None)

        def bar(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return work(bar)


def _print_summary(s: ImportSummary) -> None:
    console.print(
        f"Imported {s.added:,} new samples over {s.days:,} days "
        f"({s.duplicates:,} were there already).",
        highlight=False,
    )
    if s.skipped:
        console.print(
            f"{s.skipped:,} records could not be read and were left out:", highlight=False
        )
        for problem in s.problems:
            console.print(f"  {problem.where}: {problem.what}", highlight=False, markup=False)


@friendly_errors
def wearables_days(
    days: Annotated[int, typer.Option(help="How many days, up to today.", min=1, max=366)] = 14,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Your last days from your devices, each against your own usual."""
    rt = runtime()
    wearables = rt.get(WearableService)
    with unlocked(rt, user) as principal:
        end = today(rt.clock.now(), principal.timezone)
        start = end - timedelta(days=days - 1)
        found = wearables.days(principal.user_id, start, end)
        usual = wearables.baselines(principal.user_id, start)
    if as_json:
        typer.echo(json.dumps([{"day": x.day.isoformat(), **x.values} for x in found], indent=2))
        return
    if not found:
        console.print("Nothing imported for these days yet: see `steadymind import --help`.")
        return
    shown = ("sleep.hours", "sleep.efficiency", "activity.steps", "heart.resting", "hrv.sdnn")
    table = Table("day", *(d.FACTORS[k].label for k in shown))
    for day in found:
        table.add_row(f"{day.day:%a %d %b}", *(_cell(k, day.values, usual) for k in shown))
    console.print(table)


def _cell(key: str, values: dict[str, float], usual: dict[str, Any]) -> str:
    if key not in values:
        return "-"
    factor, value = d.FACTORS[key], values[key]
    text = f"{value:,.{factor.digits}f}"
    base = usual.get(key)
    return text if base is None else f"{text} ({base.place(value)})"


@friendly_errors
def wearables_samples(
    keep: Annotated[
        bool | None,
        typer.Option(
            "--keep/--daily-only",
            help="Keep encrypted samples, or daily numbers only (this deletes the samples kept "
            "so far). Without either, say which it is now.",
        ),
    ] = None,
    user: UserOpt = None,
) -> None:
    """What is kept of what you import: every sample (encrypted), or daily numbers only."""
    rt = runtime()
    wearables = rt.get(WearableService)
    with unlocked(rt, user) as principal:
        if keep is not None:
            wearables.set_keep_samples(principal, keep)
        kept = wearables.keeps_samples(principal)
    console.print("Samples are kept, encrypted." if kept else "Only daily numbers are kept.")


def register(group: CommandGroup) -> None:
    imports = group("import", help="Import data from another app or device.")
    for name, chosen in importers().items():
        imports.command(name)(_import_command(chosen))
    wearables = group("wearables", help="Sleep, activity and heart-rate variability.")
    wearables.command("days")(wearables_days)
    wearables.command("samples")(wearables_samples)
