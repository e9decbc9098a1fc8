"""The one manifest format of a shipped model, and loading that verifies every file.

A model folder holds its files and ``manifest.json``::

    {
      "format": "steadymind-model",
      "format_version": 2,
      "model_id": "emotions-minilm-l4-goemo-v2+f33e3a1524de",
      "source": "what it was built from", "licence": "Apache-2.0",
      "card": "docs/models/emotions.md",
      "files": {"model": {"path": "x.onnx", "sha256": "..."}, "tokenizer": {...}},
      "config": {...},     # what the runtime reads: labels, thresholds, max_tokens, outputs
      "training": {...}    # how it was built (settings, metrics): recorded, never read at runtime
    }

Files are named by role (``model``, ``tokenizer``, ``crisis_head``...), so code asks for a role,
not a file name. ``model_id`` is recorded with every prediction; the training script that makes
the weights chooses it (the shipped ids carry a prefix of the weights' sha256).
Format 1 (two shapes, one per model, before this runtime) is refused with a clear error rather
than read: persisted formats are versioned, and old samples are kept as test fixtures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from steadymind.core.checksums import file_sha256
from steadymind.core.errors import ModelError

FORMAT = "steadymind-model"
FORMAT_VERSION = 2
MANIFEST_FILE = "manifest.json"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class ModelFile:
    """One file of a model: its path inside the model folder and its sha256 (hex)."""

    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    model_id: str
    source: str
    licence: str
    card: str
    files: Mapping[str, ModelFile]
    config: Mapping[str, Any] = field(default_factory=dict)
    training: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "model_id": self.model_id,
            "source": self.source,
            "licence": self.licence,
            "card": self.card,
            "files": {r: {"path": f.path, "sha256": f.sha256} for r, f in self.files.items()},
            "config": dict(self.config),
            "training": dict(self.training),
        }


@dataclass(frozen=True, slots=True)
class Artefact:
    """A model folder whose every listed file has passed its checksum."""

    directory: Path
    manifest: Manifest

    @property
    def model_id(self) -> str:
        return self.manifest.model_id

    @property
    def config(self) -> Mapping[str, Any]:
        return self.manifest.config

    def setting(self, key: str) -> Any:
        """One value of the model's config; ModelError when the manifest has none."""
        if key not in self.manifest.config:
            raise ModelError(f"Model {self.model_id} has no {key!r} in its config.")
        return self.manifest.config[key]

    def path(self, role: str) -> Path:
        """The verified file that plays ``role``; ModelError when the manifest lists none."""
        entry = self.manifest.files.get(role)
        if entry is None:
            raise ModelError(f"Model {self.model_id} lists no {role!r} file.")
        return self.directory / entry.path


def load_artefact(directory: Path) -> Artefact:
    """Read ``directory``'s manifest and check every file it lists against its sha256."""
    manifest = read_manifest(directory)
    verify(directory, manifest)
    return Artefact(directory, manifest)


def read_manifest(directory: Path) -> Manifest:
    where = directory / MANIFEST_FILE
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"Model manifest {where} is missing or unreadable.") from exc
    return parse_manifest(data, where)


def parse_manifest(data: object, where: Path | str = MANIFEST_FILE) -> Manifest:
    """A manifest from its JSON value; ModelError naming ``where`` when it is not format 2."""
    if not isinstance(data, dict):
        raise ModelError(f"Model manifest {where} is not a JSON object.")
    _check_format(data, where)
    try:
        return Manifest(
            model_id=_text(data, "model_id"),
            source=_text(data, "source"),
            licence=_text(data, "licence"),
            card=_text(data, "card"),
            files=_files(data.get("files")),
            config=_object(data.get("config", {}), "config"),
            training=_object(data.get("training", {}), "training"),
        )
    except (TypeError, ValueError) as exc:
        raise ModelError(f"Model manifest {where} is malformed: {exc}") from exc


def _check_format(data: dict[str, Any], where: Path | str) -> None:
    version = data.get("format_version")
    if data.get("format") == FORMAT and version == FORMAT_VERSION:
        return
    if version == 1 and "format" not in data:
        # The two loaders before this runtime each wrote their own "format_version": 1 shape.
        raise ModelError(
            f"Model manifest {where} has an unsupported format: version 1 predates the one "
            f"model runtime (version {FORMAT_VERSION}); promote the artefact again."
        )
    raise ModelError(
        f"Model manifest {where} has an unsupported format "
        f"({data.get('format')!r}, version {version!r}; expected {FORMAT!r} {FORMAT_VERSION})."
    )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _object(value: object, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{key} must be an object")
    return value


def _files(value: object) -> dict[str, ModelFile]:
    if not isinstance(value, dict) or not value:
        raise ValueError("files must list at least one file")
    out = {}
    for role, entry in value.items():
        entry = _object(entry, f"files.{role}")
        path, sha = entry.get("path"), entry.get("sha256")
        if not isinstance(path, str) or not is_plain_name(path):
            raise ValueError(f"files.{role}.path must be a file name inside the model folder")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise ValueError(f"files.{role}.sha256 must be 64 lower-case hex digits")
        out[str(role)] = ModelFile(path, sha)
    return out


def is_plain_name(path: str) -> bool:
    """A relative path that stays inside the model folder (a manifest never points outside)."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def verify(directory: Path, manifest: Manifest) -> None:
    for role, entry in manifest.files.items():
        path = directory / entry.path
        if not path.is_file():
            raise ModelError(f"Model file {path} ({role}) is missing.")
        digest = file_sha256(path)
        if digest != entry.sha256:
            raise ModelError(
                f"Model file {path} ({role}) failed its checksum.",
                details={"expected": entry.sha256, "actual": digest},
            )


def hash_files(directory: Path, paths: Mapping[str, str]) -> dict[str, ModelFile]:
    """``{role: ModelFile}`` with the current sha256 of each ``{role: path}`` in ``directory``."""
    return {role: ModelFile(path, file_sha256(directory / path)) for role, path in paths.items()}


def write_manifest(directory: Path, manifest: Manifest) -> Path:
    """Write ``manifest.json`` (stable key order, one file per line of the diff)."""
    where = directory / MANIFEST_FILE
    where.write_text(json.dumps(manifest.to_json(), indent=2) + "\n", encoding="utf-8")
    return where
