"""Every place the training scripts read from or write to, in one module.

Training may know the repository's layout; the runtime package may not (it finds its models
beside its own code). Scripts write artefacts only under ``build/models/<name>/`` (ignored by
git); ``training.promote`` is the one step that writes into ``src/``.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The project's own training lists (hand-written messages and the set built from them).
DATA = REPO / "training" / "data"
TRAIN_SET = DATA / "safety_train.jsonl"
# Evaluation sets: read to hold them out of training and to choose thresholds, never trained on
# except where a script says so (bench/data/README.md).
BENCH_DATA = REPO / "bench" / "data"
BUILD = REPO / "build" / "models"
PACKAGE_MODELS = REPO / "src" / "steadymind" / "models"
SHARED_DATA_ENV = "STEADYMIND_SHARED_DATA"


def shared_data() -> Path:
    """The shared data sets (GoEmotions, C-SSRS...): ``../shared/data`` beside the repository
    (see DATA.md there), or the folder ``STEADYMIND_SHARED_DATA`` names."""
    override = os.environ.get(SHARED_DATA_ENV)
    return Path(override) if override else REPO.parent / "shared" / "data"


def build_dir(name: str) -> Path:
    """Where the scripts write the artefact ``name`` before it is promoted."""
    return BUILD / name


def shipped_dir(name: str) -> Path:
    """Where ``training.promote`` puts the artefact ``name`` in the source tree."""
    return PACKAGE_MODELS / name
