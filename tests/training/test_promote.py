"""Promotion: a built artefact is copied into the package with a manifest of every file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steadymind.core.checksums import file_sha256
from steadymind.core.errors import ModelError
from steadymind.models.manifest import MANIFEST_FILE, Manifest, hash_files, write_manifest
from training.promote import main, promote


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A small fake artefact as a training script leaves it in build/models/tiny/."""
    folder = tmp_path / "build" / "tiny"
    folder.mkdir(parents=True)
    (folder / "tiny.onnx").write_bytes(b"\x08\x07fake graph")
    (folder / "tokenizer.json").write_text('{"model": "fake"}', encoding="utf-8")
    (folder / "scratch.log").write_text("not part of the artefact", encoding="utf-8")
    files = hash_files(folder, {"model": "tiny.onnx", "tokenizer": "tokenizer.json"})
    manifest = Manifest(
        "tiny@1+abc", "made by the test", "CC0-1.0", "docs/models/tiny.md", files, {"k": 1}
    )
    write_manifest(folder, manifest)
    return tmp_path / "build"


def _promote(build: Path, name: str = "tiny") -> Path:
    return promote(name, build=build, package=build.parent / "package").directory


def test_promote_copies_every_listed_file_and_writes_its_manifest(build: Path) -> None:
    target = _promote(build)
    assert sorted(p.name for p in target.iterdir()) == [
        MANIFEST_FILE,
        "tiny.onnx",
        "tokenizer.json",
    ]
    data = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert (data["format"], data["format_version"], data["model_id"]) == (
        "steadymind-model", 2, "tiny@1+abc",
    )  # fmt: skip
    for entry in data["files"].values():
        assert entry["sha256"] == file_sha256(target / entry["path"])
        assert (target / entry["path"]).read_bytes() == (
            build / "tiny" / entry["path"]
        ).read_bytes()
    assert data["config"] == {"k": 1}


def test_promoting_again_removes_files_the_new_manifest_no_longer_lists(build: Path) -> None:
    target = _promote(build)
    (target / "README.md").write_text("kept: not listed by any manifest", encoding="utf-8")
    source = build / "tiny"
    (source / "tiny.onnx").rename(source / "tiny-v2.onnx")
    files = hash_files(source, {"model": "tiny-v2.onnx", "tokenizer": "tokenizer.json"})
    write_manifest(source, Manifest("tiny@2", "test", "CC0-1.0", "docs/models/tiny.md", files))
    assert _promote(build) == target
    assert sorted(p.name for p in target.iterdir()) == [
        "README.md", MANIFEST_FILE, "tiny-v2.onnx", "tokenizer.json",
    ]  # fmt: skip


def test_a_build_changed_after_its_manifest_is_refused(build: Path) -> None:
    (build / "tiny" / "tiny.onnx").write_bytes(b"edited by hand")
    with pytest.raises(ModelError, match="checksum"):
        _promote(build)
    assert not (build.parent / "package" / "tiny").exists()


def test_a_build_without_a_manifest_is_refused(build: Path) -> None:
    (build / "tiny" / MANIFEST_FILE).unlink()
    with pytest.raises(ModelError, match="missing"):
        _promote(build)


@pytest.mark.parametrize("name", ["../tiny", "Tiny", "", "a/b", ".hidden"])
def test_a_name_that_is_not_a_plain_folder_name_is_refused(build: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a model name"):
        _promote(build, name)


def test_the_command_reports_what_it_promoted(
    build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = build.parent / "package"
    assert main(["tiny", "--build", str(build), "--package", str(package)]) == 0
    out = capsys.readouterr().out
    assert "promoted tiny@1+abc" in out and "tokenizer.json" in out
    assert main(["missing", "--build", str(build), "--package", str(package)]) == 1
    assert "not promoted" in capsys.readouterr().err


def test_make_promote_runs_the_command() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "python -m training.promote $(MODEL)" in makefile
    assert "promote" in makefile.split(".PHONY:", 1)[1].splitlines()[0]
