"""Two features must not claim the same command: Typer keeps the last one silently, so the other
feature's command would vanish (it happened: check-ins from a CSV and a wearable's CSV were both
``steadymind import csv``)."""

from __future__ import annotations

from collections import Counter

from steadymind.cli import main


def test_no_command_is_registered_twice_in_any_group() -> None:
    for path, group in main._groups.items():
        names = Counter(
            info.name or (info.callback.__name__.replace("_", "-") if info.callback else "")
            for info in group.registered_commands
        )
        names.update(info.name for info in group.registered_groups if info.name)
        twice = sorted(name for name, count in names.items() if count > 1)
        assert not twice, f"`steadymind {path}` has {twice} more than once"


def test_the_import_group_offers_every_importer() -> None:
    names = {info.name for info in main._groups["import"].registered_commands}
    assert {"daylio", "checkins", "apple-health", "fitbit", "oura", "fit", "csv"} <= names
