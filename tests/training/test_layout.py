"""Training stays out of the runtime package, and the package stays inside itself.

``steadymind`` is what a person installs: it must hold no training code and reach no path outside
its own folder (the repository's ``bench/``, ``training/`` or ``../shared/data`` are not there
once installed). ``training`` may import ``steadymind``; the other way round fails here. Inside
``training``, scripts (modules with a ``main``) import shared helpers, never another script.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "steadymind"
TRAINING = ROOT / "training"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MODULES = sorted(TRAINING.glob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and not n.level
    }
    return names


def _outside(line: str, depth: int) -> str | None:
    """What in ``line`` reaches above the package root, for a module ``depth`` folders below it."""
    for match in re.finditer(r"parents\[(\d+)\]", line):
        if int(match.group(1)) > depth:
            return match.group(0)
    for match in re.finditer(r"(?:\.parent\b)+", line):
        if match.group(0).count(".parent") > depth + 1:
            return match.group(0)
    flat = re.sub(r"[\"'\s]", "", line).replace(")/", "/")
    for needle in ("shared/data", "bench/data", "../", "/work/"):
        if needle in flat:
            return needle
    return None


def test_the_runtime_package_has_no_training_package() -> None:
    assert not [p for p in PACKAGE.rglob("training") if p.is_dir()]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_runtime_module_imports_training(path: Path) -> None:
    assert not {n for n in _imports(path) if n == "training" or n.startswith("training.")}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_runtime_module_builds_a_path_outside_the_package(path: Path) -> None:
    depth = len(path.relative_to(PACKAGE).parts) - 1  # parents[depth] is the package root
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [(n, hit) for n, line in enumerate(lines, 1) if (hit := _outside(line, depth))]
    assert not found, found


@pytest.mark.parametrize(
    ("line", "depth", "outside"),
    [
        ('ROOT = Path(__file__).resolve().parents[3] / "shared"', 1, True),
        ("HERE = Path(__file__).parents[1]", 1, False),
        ('Path(__file__).resolve().parent.parent / "web"', 1, False),
        ("Path(__file__).resolve().parent.parent.parent", 1, True),
        ('DATA = ROOT / "shared" / "data" / "goemotions"', 0, True),
        ('TEST = ROOT / "bench" / "data" / "safety_test.jsonl"', 0, True),
        ('Path("../shared/data")', 0, True),
        ('PROTOTYPES = Path(__file__).parent / "data" / "prototypes.jsonl"', 1, False),
    ],
)
def test_the_path_check_tells_outside_from_inside(line: str, depth: int, outside: bool) -> None:
    assert (_outside(line, depth) is not None) is outside


def _is_script(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)


SCRIPTS = {p.stem for p in MODULES if _is_script(p)}


def test_training_has_scripts_and_shared_helpers() -> None:
    assert {"emotions", "safety_finetune", "safety_severity", "promote"} <= SCRIPTS
    assert {"paths", "datasets", "softmax", "minilm", "artefacts"}.isdisjoint(SCRIPTS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_training_module_imports_a_script(path: Path) -> None:
    ours = {n.split(".")[1] for n in _imports(path) if n.startswith("training.")}
    assert not ours & SCRIPTS, f"{path.name} imports the script(s) {sorted(ours & SCRIPTS)}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.stem != "paths"], ids=lambda p: p.name)
def test_only_the_paths_module_names_the_source_tree(path: Path) -> None:
    """Scripts write to build/models/ (``training.paths``); only promote reaches src/."""
    text = path.read_text(encoding="utf-8")
    assert '"src"' not in text and "MODELS_DIR" not in text
