"""Importers as a registry: adding a device is adding a file.

Each module in this package that defines ``IMPORTER`` (an object with a ``name``, a ``label``,
the file ``suffixes`` it reads and ``read(path, progress) -> Samples``) is found by looking, the
way features are. The CLI (``steadymind import <name> FILE``), the API and the upload page offer
whatever is found here; nothing else names an importer.

An importer may also be ``resumable``: its ``read_parts(path, progress, start)`` gives the file
a part at a time, each with the byte offset (and line) up to which everything has been read,
and can start again at such an offset. The service commits each part as it comes, so an import
killed halfway continues where it was (service.py); Apple Health's export, the one file that
runs to gigabytes, is read this way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from steadymind.core.errors import NotFound
from steadymind.features.wearables.samples import Samples

# Called with (bytes read so far, bytes in all): the progress bar on the terminal and the page.
Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """For callers that show none."""


class Importer(Protocol):
    name: str  # as typed after `steadymind import`: "apple-health", "fit"
    label: str  # as a person reads it: "Apple Health export"
    suffixes: tuple[str, ...]  # ".zip", ".xml"
    help: str  # one line: which file, and where to find it

    def read(self, path: Path, progress: Progress) -> Samples: ...


@dataclass(frozen=True)
class Resume:
    """Where a resumable importer starts again: a byte offset of the (unpacked) file at a
    record boundary, and the line there."""

    offset: int
    line: int


@dataclass
class Part:
    """What a resumable importer read since its last part; everything before ``offset`` has
    now been read (the next part starts there)."""

    samples: Samples
    offset: int
    line: int


class Resumable(Importer, Protocol):
    resumable: bool  # True

    def read_parts(
        self, path: Path, progress: Progress, start: Resume | None = None
    ) -> Iterator[Part]: ...


def resumable(chosen: Importer) -> Resumable | None:
    return chosen if getattr(chosen, "resumable", False) else None  # type: ignore[return-value]


@cache
def importers() -> dict[str, Importer]:
    """Every importer in this package, by name."""
    found: dict[str, Importer] = {}
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importer = getattr(
                importlib.import_module(f"{__name__}.{module.name}"), "IMPORTER", None
            )
            if importer is not None:
                found[importer.name] = importer
    return dict(sorted(found.items()))


def importer(name: str) -> Importer:
    try:
        return importers()[name]
    except KeyError:
        known = ", ".join(importers())
        raise NotFound(f"No importer is called {name!r}; there are: {known}.") from None
