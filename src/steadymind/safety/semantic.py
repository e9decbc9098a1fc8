"""Semantic layer: nearest reviewed prototype in sentence-embedding space.

Rules catch the phrasings someone thought of; people write others ("put my affairs in order",
"in the garage with the engine running"). This layer compares the message embedding with a
reviewed list of short prototype sentences (``data/prototypes.jsonl``: risk statements *and*
look-alikes that are not risk, such as idioms, negations and helping a friend). A message is
flagged only when its nearest risk prototype is close (cosine >= ``THRESHOLD``) and clearly closer
than the nearest harmless one (``MARGIN``). It only raises: it never lowers a rule decision.
Prototype embeddings are precomputed by ``python -m steadymind.training.safety_prototypes`` and
checked against the prototype file's sha256 and the encoder id at load.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from steadymind.errors import ModelError
from steadymind.safety.encoder import MODELS_DIR, Encoder
from steadymind.safety.types import Category, Evidence, RiskLevel

PROTOTYPES = Path(__file__).parent / "data" / "prototypes.jsonl"
EMBEDDINGS = "prototypes.npz"
CRISIS_HEAD = "crisis_head.json"
MODEL_ID = "prototypes@1"
# Tuned on dev batch 2, which is not among the prototypes (see docs/models/safety.md).
THRESHOLD = 0.55
MARGIN = 0.05
HIGH_THRESHOLD = 0.80


@dataclass(frozen=True, slots=True)
class Prototype:
    id: str
    text: str
    level: RiskLevel
    category: Category | None


def load_prototypes(path: Path = PROTOTYPES) -> list[Prototype]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Prototype(
            r["id"],
            r["text"],
            RiskLevel.parse(r["level"]),
            Category(r["category"]) if r["category"] else None,
        )
        for r in rows
    ]


def prototypes_sha(path: Path = PROTOTYPES) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class SemanticLayer:
    def __init__(self, encoder: Encoder, directory: Path = MODELS_DIR) -> None:
        self.encoder = encoder
        self.prototypes = load_prototypes()
        try:
            saved = np.load(directory / EMBEDDINGS)
            matrix = np.asarray(saved["embeddings"], dtype=np.float32)
            sha = str(saved["prototypes_sha256"])
            encoder_id = str(saved["encoder_model_id"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError("Prototype embeddings are missing or unreadable.") from exc
        if sha != prototypes_sha() or encoder_id != encoder.model_id:
            raise ModelError("Prototype embeddings are stale: rebuild them.")
        if matrix.shape[0] != len(self.prototypes):
            raise ModelError("Prototype embeddings do not match the prototype list.")
        risky = np.array([p.level >= RiskLevel.ELEVATED for p in self.prototypes])
        self._pos = matrix[risky]
        self._neg = matrix[~risky]
        self._pos_protos = [p for p, r in zip(self.prototypes, risky, strict=True) if r]
        self._head = _load_head(directory, encoder.model_id)
        self.model_id = f"{MODEL_ID}+crisis-head@1"

    def nearest(self, emb: npt.NDArray[np.float32]) -> tuple[Prototype, float, float]:
        """Nearest risk prototype, its similarity, and the best harmless similarity."""
        pos = self._pos @ emb
        best = int(np.argmax(pos))
        return self._pos_protos[best], float(pos[best]), float(np.max(self._neg @ emb))

    def crisis_probability(self, emb: npt.NDArray[np.float32]) -> float:
        coef, intercept, mean, scale, _ = self._head
        z = float(((emb - mean) / scale) @ coef + intercept)
        return float(1.0 / (1.0 + np.exp(-z)))

    def assess(self, text: str) -> list[Evidence]:
        emb = self.encoder.encode(text)
        proto, sim, neg = self.nearest(emb)
        found: list[Evidence] = []
        if sim >= THRESHOLD and sim >= neg + MARGIN:
            high = proto.level is RiskLevel.HIGH and sim >= HIGH_THRESHOLD
            level = RiskLevel.HIGH if high else RiskLevel.ELEVATED
            # The phrase is the prototype (project text), never the person's words.
            found.append(
                Evidence(
                    "semantic", f"near:{proto.id}:{sim:.2f}", level, proto.category, proto.text
                )
            )
        p = self.crisis_probability(emb)
        if p >= self._head[4]:
            found.append(
                Evidence("semantic", f"crisis-head:{p:.2f}", RiskLevel.ELEVATED, proto.category)
            )
        return found


Head = tuple[
    npt.NDArray[np.float32], float, npt.NDArray[np.float32], npt.NDArray[np.float32], float
]


def _load_head(directory: Path, encoder_id: str) -> Head:
    try:
        head = json.loads((directory / CRISIS_HEAD).read_text(encoding="utf-8"))
        coef = np.asarray(head["coef"], dtype=np.float32)
        mean = np.asarray(head["mean"], dtype=np.float32)
        scale = np.asarray(head["scale"], dtype=np.float32)
        result = (coef, float(head["intercept"]), mean, scale, float(head["threshold"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError("The crisis head is missing or unreadable.") from exc
    if head.get("encoder_model_id") != encoder_id:
        raise ModelError("The crisis head was trained on a different encoder.")
    return result
