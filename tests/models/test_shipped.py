"""The shipped artefacts: each folder complete, listed and loadable; the runtime stays generic."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

from steadymind.models import ARTEFACTS
from steadymind.models.manifest import MANIFEST_FILE, ModelFile, load_artefact

SHIPPED = sorted(p for p in ARTEFACTS.iterdir() if (p / MANIFEST_FILE).is_file())
ROOT = Path(__file__).resolve().parents[2]


def test_the_four_models_ship_here() -> None:
    assert [p.name for p in SHIPPED] == ["emotions", "safety", "stress", "traps"]


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_every_file_of_a_shipped_model_is_in_its_manifest(folder: Path) -> None:
    artefact = load_artefact(folder)  # and each passes its checksum
    listed = {f.path for f in artefact.manifest.files.values()}
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST_FILE}
    assert present == listed


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_model_has_a_card(folder: Path) -> None:
    manifest = load_artefact(folder).manifest
    assert (ROOT / manifest.card).is_file()
    assert manifest.licence and manifest.source


def test_the_shipped_ids_are_the_ones_stored_analyses_record() -> None:
    # The thinking-trap detector's and the strain model's readings are not stored, so their ids
    # may change freely.
    ids = {p.name: load_artefact(p).model_id for p in SHIPPED if p.name not in ("traps", "stress")}
    assert ids == {
        "emotions": "emotions-minilm-l4-goemo-v2+21be47413631",
        "safety": "minilm-l6-v2-crisis-ft-int8-onnx@4-c8bc0cdb",
    }


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return {n for n in names if n.split(".")[0] == "steadymind"}


@pytest.mark.parametrize("module", sorted(ARTEFACTS.glob("*.py")), ids=lambda p: p.name)
def test_the_runtime_knows_nothing_of_what_its_models_are_for(module: Path) -> None:
    allowed = ("steadymind.core", "steadymind.models")
    assert all(name.startswith(allowed) for name in _our_imports(module))


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_every_file_of_a_shipped_model_goes_into_the_wheel(folder: Path) -> None:
    """The package-data globs name artefact files by extension (so that no stray file, such as
    a __pycache__ folder, ships): a model with a new kind of file needs a glob added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["steadymind"]
    package = ARTEFACTS.parent
    for path in [folder / MANIFEST_FILE, *(folder / f.path for f in _files(folder))]:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative


def _files(folder: Path) -> list[ModelFile]:
    return list(load_artefact(folder).manifest.files.values())
