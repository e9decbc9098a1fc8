"""Promote a built artefact into the package: ``python -m training.promote <name>``.

``make promote MODEL=<name>`` runs it. It reads ``build/models/<name>/manifest.json`` and checks
every file it lists (a build folder changed by hand since its script wrote it is refused), copies
those files into ``src/steadymind/models/<name>/``, deletes the files the previous manifest listed
and the new one does not, and writes the manifest with the sha256 of every copied file. The
manifest is written last, so an interrupted promote leaves a folder the runtime refuses (its
files fail the old checksums) rather than one that loads a mix.

Afterwards: run the tests (golden sentences, the gate's cases and the shipped ids say what
moved), bench the model, update its card, and commit the folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import sys
from pathlib import Path

from steadymind.core.errors import ModelError
from steadymind.models.manifest import (
    Artefact,
    hash_files,
    load_artefact,
    read_manifest,
    write_manifest,
)
from training.paths import BUILD, PACKAGE_MODELS

# A model's folder name: it becomes a path in the package, so nothing that could leave it.
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def promote(name: str, *, build: Path = BUILD, package: Path = PACKAGE_MODELS) -> Artefact:
    """Copy ``build/<name>`` into ``package/<name>`` with a fresh manifest; the loaded result."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not a model name: {name!r} (lower-case letters, digits, - and _)")
    built = load_artefact(build / name)
    target = package / name
    target.mkdir(parents=True, exist_ok=True)
    stale = _listed(target) - {f.path for f in built.manifest.files.values()}
    for entry in built.manifest.files.values():
        (target / entry.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built.directory / entry.path, target / entry.path)
    for path in sorted(stale):
        (target / path).unlink(missing_ok=True)
    paths = {role: f.path for role, f in built.manifest.files.items()}
    write_manifest(target, dataclasses.replace(built.manifest, files=hash_files(target, paths)))
    return load_artefact(target)  # what the runtime will do with it


def _listed(target: Path) -> set[str]:
    """The files the folder's current manifest lists (none for a new or unreadable one)."""
    try:
        return {f.path for f in read_manifest(target).files.values()}
    except ModelError:
        return set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="a folder of build/models/, e.g. emotions or safety")
    parser.add_argument("--build", type=Path, default=BUILD, help=argparse.SUPPRESS)
    parser.add_argument("--package", type=Path, default=PACKAGE_MODELS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        artefact = promote(args.name, build=args.build, package=args.package)
    except (ModelError, ValueError) as exc:
        print(f"not promoted: {exc}", file=sys.stderr)
        return 1
    print(f"promoted {artefact.model_id} to {artefact.directory}")
    for role, entry in artefact.manifest.files.items():
        size = (artefact.directory / entry.path).stat().st_size
        print(f"  {role:<14} {entry.path:<40} {size:>10} bytes  sha256 {entry.sha256[:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
