"""Build folders: a working copy of the shipped artefact that each script updates in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from steadymind.core.errors import ModelError
from steadymind.models.manifest import Manifest, hash_files, load_artefact, write_manifest
from training.artefacts import record, working_copy


def _shipped(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "encoder.onnx").write_bytes(b"encoder v1")
    (folder / "head.json").write_text('{"threshold": 0.5}', encoding="utf-8")
    files = hash_files(folder, {"model": "encoder.onnx", "crisis_head": "head.json"})
    write_manifest(folder, Manifest("enc@1", "test", "CC0-1.0", "docs/models/x.md", files))
    return folder


def test_a_working_copy_starts_as_the_shipped_artefact(tmp_path: Path) -> None:
    shipped = _shipped(tmp_path / "src" / "x")
    build = working_copy("x", build=tmp_path / "build" / "x", shipped=shipped)
    assert load_artefact(build).manifest == load_artefact(shipped).manifest


def test_a_working_copy_is_kept_once_started(tmp_path: Path) -> None:
    shipped = _shipped(tmp_path / "src" / "x")
    build = working_copy("x", build=tmp_path / "build" / "x", shipped=shipped)
    (build / "head.json").write_text('{"threshold": 0.4}', encoding="utf-8")
    record(build, {"crisis_head": "head.json"})
    again = working_copy("x", build=build, shipped=shipped)
    assert (again / "head.json").read_text(encoding="utf-8") == '{"threshold": 0.4}'


def test_recording_a_file_rehashes_it_and_applies_changes(tmp_path: Path) -> None:
    build = working_copy("x", build=tmp_path / "build", shipped=_shipped(tmp_path / "src"))
    (build / "encoder.onnx").write_bytes(b"encoder v2")
    with pytest.raises(ModelError, match="checksum"):
        load_artefact(build)  # written but not recorded: the runtime refuses it
    record(build, {"model": "encoder.onnx"}, model_id="enc@2", config={"dim": 4})
    loaded = load_artefact(build)
    assert (loaded.model_id, dict(loaded.config)) == ("enc@2", {"dim": 4})
    assert set(loaded.manifest.files) == {"model", "crisis_head"}


def test_a_new_artefact_gets_an_empty_build_folder(tmp_path: Path) -> None:
    build = working_copy("new", build=tmp_path / "build", shipped=tmp_path / "nowhere")
    assert build.is_dir() and not any(build.iterdir())
