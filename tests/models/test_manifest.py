"""The one manifest format: what it accepts, what it refuses and how it says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from steadymind.core.checksums import file_sha256
from steadymind.core.errors import ModelError
from steadymind.models.manifest import (
    MANIFEST_FILE,
    Manifest,
    hash_files,
    load_artefact,
    read_manifest,
    write_manifest,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def artefact(tmp_path: Path) -> Path:
    """A small model folder: two files and their manifest."""
    (tmp_path / "weights.bin").write_bytes(b"\x00\x01weights")
    (tmp_path / "vocab.txt").write_text("a\nb\n", encoding="utf-8")
    manifest = Manifest(
        model_id="tiny@1",
        source="made by the test",
        licence="CC0-1.0",
        card="docs/models/tiny.md",
        files=hash_files(tmp_path, {"model": "weights.bin", "tokenizer": "vocab.txt"}),
        config={"max_tokens": 8, "labels": ["a", "b"]},
        training={"seed": 1},
    )
    write_manifest(tmp_path, manifest)
    return tmp_path


def _rewrite(directory: Path, **changes: Any) -> None:
    path = directory / MANIFEST_FILE
    data = json.loads(path.read_text(encoding="utf-8")) | changes
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_written_manifest_loads_back_unchanged(artefact: Path) -> None:
    loaded = load_artefact(artefact)
    assert loaded.model_id == "tiny@1"
    assert loaded.setting("max_tokens") == 8
    assert loaded.path("model") == artefact / "weights.bin"
    assert loaded.manifest.files["model"].sha256 == file_sha256(artefact / "weights.bin")
    assert read_manifest(artefact) == loaded.manifest


def test_the_manifest_names_its_format_and_version(artefact: Path) -> None:
    data = json.loads((artefact / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert (data["format"], data["format_version"]) == ("steadymind-model", 2)
    assert list(data) == [
        "format", "format_version", "model_id", "source", "licence", "card", "files", "config",
        "training",
    ]  # fmt: skip


@pytest.mark.parametrize("sample", ["emotions-manifest-v1.json", "safety-encoder-manifest-v1.json"])
def test_both_format_1_manifests_are_refused_with_a_clear_error(
    tmp_path: Path, sample: str
) -> None:
    shutil.copyfile(FIXTURES / sample, tmp_path / MANIFEST_FILE)
    with pytest.raises(ModelError, match="version 1 predates the one model runtime") as info:
        read_manifest(tmp_path)
    assert MANIFEST_FILE in info.value.message


@pytest.mark.parametrize(
    "changes",
    [{"format_version": 3}, {"format": "something-else"}, {"format": None}],
)
def test_an_unknown_format_is_refused(artefact: Path, changes: dict[str, Any]) -> None:
    _rewrite(artefact, **changes)
    with pytest.raises(ModelError, match="unsupported format"):
        load_artefact(artefact)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"model_id": ""}, "model_id"),
        ({"files": {}}, "at least one file"),
        ({"files": {"model": {"path": "../../etc/passwd", "sha256": "0" * 64}}}, "inside"),
        ({"files": {"model": {"path": "/etc/passwd", "sha256": "0" * 64}}}, "inside"),
        ({"files": {"model": {"path": "weights.bin", "sha256": "abc"}}}, "hex"),
        ({"config": []}, "config"),
    ],
)
def test_a_malformed_manifest_is_refused(
    artefact: Path, changes: dict[str, Any], problem: str
) -> None:
    _rewrite(artefact, **changes)
    with pytest.raises(ModelError, match=f"malformed.*{problem}"):
        load_artefact(artefact)


def test_a_missing_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing or unreadable"):
        load_artefact(tmp_path)


def test_an_unreadable_manifest_is_refused(artefact: Path) -> None:
    (artefact / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="missing or unreadable"):
        load_artefact(artefact)


def test_a_missing_file_is_refused(artefact: Path) -> None:
    (artefact / "vocab.txt").unlink()
    with pytest.raises(ModelError, match=r"vocab\.txt \(tokenizer\) is missing"):
        load_artefact(artefact)


def test_a_changed_file_fails_its_checksum(artefact: Path) -> None:
    (artefact / "weights.bin").write_bytes(b"\x00\x01weightz")
    with pytest.raises(ModelError, match="failed its checksum") as info:
        load_artefact(artefact)
    assert set(info.value.details) == {"expected", "actual"}


def test_asking_for_an_unlisted_role_or_setting_is_a_model_error(artefact: Path) -> None:
    loaded = load_artefact(artefact)
    with pytest.raises(ModelError, match="no 'crisis_head' file"):
        loaded.path("crisis_head")
    with pytest.raises(ModelError, match="no 'thresholds'"):
        loaded.setting("thresholds")
