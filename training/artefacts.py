"""The build folder of an artefact, ``build/models/<name>/``, kept loadable at every step.

A build folder has the same shape as a shipped model folder (files and a format-2
``manifest.json``), so the runtime loads it as it is (``Encoder(build_dir("safety"))``) and
``training.promote`` copies it into the package. Several scripts build parts of one artefact (the
safety encoder, then its prototype embeddings and heads): each starts from a working copy of the
shipped artefact and records the file it wrote, so a script that rebuilds one head leaves the
other parts as shipped.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from steadymind.models.manifest import (
    MANIFEST_FILE,
    Manifest,
    hash_files,
    read_manifest,
    write_manifest,
)
from training.paths import build_dir, shipped_dir


def working_copy(name: str, *, build: Path | None = None, shipped: Path | None = None) -> Path:
    """``build/models/<name>/``, first filled with a copy of the shipped artefact if it has no
    manifest yet. The heads' scripts need the whole artefact: the encoder they embed with."""
    target = build or build_dir(name)
    source = shipped or shipped_dir(name)
    if not (target / MANIFEST_FILE).is_file() and (source / MANIFEST_FILE).is_file():
        shutil.copytree(source, target, dirs_exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    return target


def record(
    directory: Path, files: dict[str, str], *, drop: tuple[str, ...] = (), **changes: Any
) -> Manifest:
    """Hash the files a script wrote (``{role: file name}``) into ``directory``'s manifest, with
    any other ``changes`` (``model_id``, ``config``, ``training``...), and write it. Roles in
    ``drop`` leave the artefact (their files are deleted; promote removes them from the package)."""
    manifest = read_manifest(directory)
    kept = {role: f for role, f in manifest.files.items() if role not in drop}
    for role in drop:
        if role in manifest.files:
            (directory / manifest.files[role].path).unlink(missing_ok=True)
    updated = dataclasses.replace(
        manifest, files={**kept, **hash_files(directory, files)}, **changes
    )
    write_manifest(directory, updated)
    return updated
