"""Semantic layer: the concern head on the encoder's sentence embedding, with the rules' readings.

Rules catch the phrasings someone thought of; people write others ("put my affairs in order",
"in the garage with the engine running"). The concern head (``concern_head.json`` in the safety
artefact, ``training/safety_concern.py``) is a logistic regression on the shipped encoder's
embedding, trained on text people wrote (ordinary Reddit comments as negatives, Reddit C-SSRS
posts labelled message by message) and calibrated, so its score is a probability that the text
calls for a safety question.

The gate sends every chunk of a message (``readings.py``) with the harmless reading the rules
found in it, if any. A chunk without one flags at the head's threshold for a text of that many
chunks (so that a long ordinary entry is not flagged more often than a short one); a chunk with
one (an idiom, a negation, fiction, someone else, resolved history, a question, a joke) only at
the stricter cautious threshold: a reading caps a weak score, never strong risk. The layer says
at most ``elevated``: the surface asks before it alarms, and ``high`` (the crisis response at
once) needs explicit evidence, which only the rules and the context layer name. The evidence
names the nearest reviewed prototype (``data/prototypes.jsonl``) for its category and wording,
never the person's words. It only raises: it never lowers a rule decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ModelError
from steadymind.safety.encoder import Encoder, heads_artefact
from steadymind.safety.types import Category, Evidence, RiskLevel

PROTOTYPES = Path(__file__).parent / "data" / "prototypes.jsonl"
# File names in the safety artefact (training writes them) and their roles in its manifest.
EMBEDDINGS, EMBEDDINGS_ROLE = "prototypes.npz", "prototypes"
CONCERN_HEAD, CONCERN_HEAD_ROLE = "concern_head.json", "concern_head"
CATEGORY_HEAD, CATEGORY_HEAD_ROLE = "category_head.json", "category_head"
MODEL_ID = "prototypes@1"


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
    def __init__(
        self, encoder: Encoder, directory: Path | None = None, *, use_category_head: bool = True
    ) -> None:
        """Heads and embeddings come from the encoder's artefact, or the folder ``directory``."""
        self.encoder = encoder
        self.prototypes = load_prototypes()
        artefact = heads_artefact(encoder, directory)
        try:
            saved = np.load(artefact.path(EMBEDDINGS_ROLE))
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
        self._head = ConcernHead.load(artefact.path(CONCERN_HEAD_ROLE), encoder.model_id)
        self.model_id = f"{MODEL_ID}+{self._head.model_id}"
        # The category of a flagged chunk: the category head (v4.1) when used, else the nearest
        # prototype's (the category head's own training script compares the two).
        self._categories: CategoryHead | None = None
        if use_category_head:
            self._categories = CategoryHead.load(
                artefact.path(CATEGORY_HEAD_ROLE), encoder.model_id
            )
            self.model_id += f"+{self._categories.model_id}"

    def nearest(
        self, emb: npt.NDArray[np.float32], category: Category | None = None
    ) -> tuple[Prototype, float, float]:
        """Nearest risk prototype (of ``category``, if it has any), its similarity, and the best
        harmless similarity."""
        pos = self._pos @ emb
        if category is not None:
            of_category = np.array([p.category is category for p in self._pos_protos])
            if of_category.any():
                pos = np.where(of_category, pos, -np.inf)
        best = int(np.argmax(pos))
        return self._pos_protos[best], float(pos[best]), float(np.max(self._neg @ emb))

    def concern(self, text: str) -> float:
        """Calibrated P(the text calls for a safety question), from the concern head."""
        return self._head.probability(self.encoder.encode(text))

    def assess(self, chunks: Sequence[tuple[str, str | None]]) -> list[Evidence]:
        """Evidence from the chunks of one message (see ``readings.read``): every chunk is read,
        and the one furthest above its threshold explains the decision."""
        plain = self._head.threshold_for(len(chunks))
        best: tuple[float, str, str | None, float] | None = None
        for text, reading in chunks:
            p = self.concern(text)
            limit = plain if reading is None else max(plain, self._head.cautious_threshold)
            if p >= limit and (best is None or p - limit > best[0]):
                best = (p - limit, text, reading, p)
        return [] if best is None else [self._evidence(*best[1:])]

    def _evidence(self, text: str, reading: str | None, p: float) -> Evidence:
        emb = self.encoder.encode(text)
        # The category head (or the nearest prototype) names the category; the nearest prototype
        # of that category explains the decision in project words: evidence never quotes the
        # person here.
        category = None if self._categories is None else self._categories.predict(emb)
        proto, sim, _ = self.nearest(emb, category)
        why = "" if reading is None else f":despite-{reading}"
        signal = f"concern:{p:.2f}{why}:near:{proto.id}:{sim:.2f}"
        return Evidence(
            "semantic", signal, RiskLevel.ELEVATED, category or proto.category, proto.text
        )


@dataclass(frozen=True, slots=True)
class ConcernHead:
    """A calibrated logistic head on the sentence embedding (``concern_head.json``).

    ``ordinary_tail`` holds the highest calibrated scores of the ordinary comments held out in
    training (of ``ordinary_n``), highest first: the threshold for a text of ``n`` chunks is the
    score that a share ``flag_budget / n`` of them reach, so a long ordinary entry has the same
    small chance of a question as one short comment."""

    model_id: str
    coef: npt.NDArray[np.float32]
    intercept: float
    a: float
    b: float
    ordinary_tail: tuple[float, ...]
    ordinary_n: int
    flag_budget: float
    cautious_threshold: float

    @classmethod
    def load(cls, path: Path, encoder_id: str) -> ConcernHead:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            head = cls(
                str(raw["model_id"]),
                np.asarray(raw["coef"], dtype=np.float32),
                float(raw["intercept"]),
                float(raw["calibration"]["a"]),
                float(raw["calibration"]["b"]),
                tuple(float(v) for v in raw["ordinary_tail"]),
                int(raw["ordinary_n"]),
                float(raw["flag_budget"]),
                float(raw["cautious_threshold"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError("The concern head is missing or unreadable.") from exc
        _check_provenance(raw, encoder_id, "concern head")
        if not head.ordinary_tail or not 0.0 < head.flag_budget < 1.0:
            raise ModelError("The concern head's thresholds are out of range.")
        return head

    def probability(self, emb: npt.NDArray[np.float32]) -> float:
        logit = float(emb @ self.coef) + self.intercept
        return float(1.0 / (1.0 + np.exp(-np.clip(self.a * logit + self.b, -40.0, 40.0))))

    def threshold_for(self, chunks: int) -> float:
        rank = int(self.ordinary_n * self.flag_budget / max(chunks, 1))
        return self.ordinary_tail[min(rank, len(self.ordinary_tail) - 1)]

    @property
    def threshold(self) -> float:
        return self.threshold_for(1)


def _check_provenance(head: dict[str, object], encoder_id: str, name: str) -> None:
    """A head must be built for this encoder and unchanged since it was written."""
    if head.get("encoder_model_id") != encoder_id:
        raise ModelError(f"The {name} was trained on a different encoder.")
    if head.get("sha256") != head_sha(head):
        raise ModelError(f"The {name} failed its checksum.")


def head_sha(head: dict[str, object]) -> str:
    """sha256 of the head's content (every key but ``sha256`` itself, canonical JSON)."""
    body = {k: v for k, v in head.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CategoryHead:
    """Softmax regression from the sentence embedding to a risk category (``category_head.json``,
    trained by ``python -m training.safety_categories``)."""

    model_id: str
    labels: tuple[Category, ...]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    mean: npt.NDArray[np.float32]
    scale: npt.NDArray[np.float32]

    @classmethod
    def load(cls, path: Path, encoder_id: str) -> CategoryHead:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            head = cls(
                str(raw["model_id"]),
                tuple(Category(label) for label in raw["labels"]),
                np.asarray(raw["coef"], dtype=np.float32),
                np.asarray(raw["intercept"], dtype=np.float32),
                np.asarray(raw["mean"], dtype=np.float32),
                np.asarray(raw["scale"], dtype=np.float32),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError("The category head is missing or unreadable.") from exc
        _check_provenance(raw, encoder_id, "category head")
        if head.coef.shape != (head.mean.shape[0], len(head.labels)):
            raise ModelError("The category head has the wrong shape.")
        return head

    def predict(self, emb: npt.NDArray[np.float32]) -> Category:
        scores = ((emb - self.mean) / self.scale) @ self.coef + self.intercept
        return self.labels[int(np.argmax(scores))]
