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

import os
import sys
import warnings
from pathlib import Path

# onnxruntime starts Microsoft's 1DS telemetry as its library loads: a device id and an event
# store under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ at once, and a lookup of
# mobile.events.data.microsoft.com seconds later. Only this variable, set before the first
# `import onnxruntime` in the process, stops both (`disable_telemetry_events()` comes too late);
# every session is made under this package (`models.onnx`), so this line runs first. Forced, not
# defaulted: the application sends nothing anywhere unless the person configures an endpoint.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
if "onnxruntime" in sys.modules:  # pragma: no cover (a caller imported it before us)
    warnings.warn(
        "onnxruntime was imported before steadymind.models: its telemetry may be on",
        RuntimeWarning,
        stacklevel=2,
    )

ARTEFACTS = Path(__file__).resolve().parent


def artefact_dir(name: str) -> Path:
    """The folder of the shipped model ``name`` (for example ``emotions`` or ``safety``)."""
    return ARTEFACTS / name
