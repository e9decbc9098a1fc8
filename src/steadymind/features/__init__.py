"""Features: one folder each, found by looking, not by a list someone must remember to edit.

A folder here whose ``__init__`` defines ``FEATURE = Feature(...)`` is a feature. Discovery
imports it (and with it its tables, which register on the one metadata), orders the features so
that each comes after those it ``requires``, and ``build_runtime`` lets each set itself up.
Features never import one another; they meet in the :class:`~steadymind.runtime.Runtime`.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from functools import cache

from sqlalchemy import MetaData

from steadymind.core.clock import Clock, SystemClock
from steadymind.core.config import Settings
from steadymind.db.base import Base
from steadymind.db.engine import Database, make_engine
from steadymind.runtime import Feature, Runtime
from steadymind.screen import TextSeam, shipped_seam


@cache
def discover() -> tuple[Feature, ...]:
    """Every feature under this package, each after the ones it requires."""
    found: dict[str, Feature] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg and not module.name.startswith("_"):
            package = f"{__name__}.{module.name}"
            feature = replace(importlib.import_module(package).FEATURE, package=package)
            found[feature.name] = feature
    return tuple(_ordered(found))


def _ordered(found: dict[str, Feature]) -> list[Feature]:
    ordered: list[Feature] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise RuntimeError(f"features require each other in a loop: {' -> '.join(path)}")
        if name not in found:
            raise RuntimeError(f"a feature requires {name!r}, which does not exist")
        if found[name] not in ordered:
            for needed in found[name].requires:
                visit(needed, (*path, name))
            ordered.append(found[name])

    for name in sorted(found):
        visit(name, ())
    return ordered


def metadata() -> MetaData:
    """The complete table metadata (every feature's tables imported)."""
    discover()
    return Base.metadata


def build_runtime(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    seam: TextSeam | None = None,
) -> Runtime:
    """The application, with every feature set up. Tests pass a database, a frozen clock and a
    seam with a fake gate; the app and the CLI pass nothing and get the shipped ones."""
    clock = clock or SystemClock()
    runtime = Runtime(
        settings=settings,
        db=db or Database(make_engine(settings.resolved_database_url)),
        clock=clock,
        seam=seam or shipped_seam(clock),
        features=discover(),
    )
    for feature in runtime.features:
        feature.setup(runtime)
    return runtime
