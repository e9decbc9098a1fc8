"""The one model runtime: manifests with sha256, the ONNX session factory, the shipped artefacts.

Every shipped model is a folder here (``emotions/``, ``safety/``) holding its files and one
``manifest.json`` in the format of :mod:`steadymind.models.manifest`. Loading verifies every
listed file; :mod:`steadymind.models.onnx` builds the sessions and tokenizers. This package knows
nothing of what a model is for (affect, safety and later voice or face build on it), and imports
nothing of ours but ``steadymind.core``.

Artefacts are not edited here by hand: ``training/`` (outside the package) builds them into
``build/models/<name>/`` and ``python -m training.promote <name>`` copies them in.
"""

from __future__ import annotations

from pathlib import Path

ARTEFACTS = Path(__file__).resolve().parent


def artefact_dir(name: str) -> Path:
    """The folder of the shipped model ``name`` (for example ``emotions`` or ``safety``)."""
    return ARTEFACTS / name
