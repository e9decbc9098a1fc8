"""Semantic layer: the fine-tuned crisis output of the encoder, with the rules' readings.

Rules catch the phrasings someone thought of; people write others ("put my affairs in order",
"in the garage with the engine running"). The shipped encoder (MiniLM fine-tuned on the project's
written training set, ``training/safety_finetune.py`` at the repository root) has a crisis
output, P(elevated or worse). The gate sends each chunk of a message (``readings.py``) with the
harmless reading the rules found in it, if any. A chunk without one flags at ``threshold``; a
chunk with one (an idiom, a negation, fiction, someone else, resolved history, a question, a
joke) only at the stricter ``cautious_threshold``: a reading caps a weak score, never strong
risk. Both thresholds were chosen on held-out scores (``training/safety_crisis_head.py``) and are
stored with a checksum in ``crisis_head.json`` of the safety artefact (``models/safety/``). The
evidence names the nearest reviewed prototype (``data/prototypes.jsonl``, embeddings precomputed
by ``python -m training.safety_prototypes``) for its category and wording, never the person's
words.
It only raises: it never lowers a rule decision. Since v4 the encoder also has a ``high`` output,
P(high): a flagged chunk without a harmless reading is ``high`` when that reaches the head's
``high_threshold`` (also chosen on held-out scores); otherwise the layer decides ``elevated``.
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
CRISIS_HEAD, CRISIS_HEAD_ROLE = "crisis_head.json", "crisis_head"
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
        self._head = _load_head(artefact.path(CRISIS_HEAD_ROLE), encoder.model_id)
        if not encoder.has_crisis_output:
            raise ModelError("The encoder has no crisis output: rebuild it (safety_finetune).")
        self.model_id = f"{MODEL_ID}+crisis-finetuned@4"
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

    def crisis_probability(self, text: str) -> float:
        """P(elevated or worse) from the fine-tuned crisis output of the encoder."""
        score = self.encoder.crisis_score(text)
        if score is None:
            raise ModelError("The encoder has no crisis output: rebuild it (safety_finetune).")
        return score

    def assess(self, chunks: Sequence[tuple[str, str | None]]) -> list[Evidence]:
        """Evidence from the chunks of one message (see ``readings.read``), best chunk first.

        A chunk without a harmless reading flags at the crisis head's threshold or near a risk
        prototype; a chunk the rules read as harmless flags only at the head's stricter
        ``cautious_threshold`` (prototypes are not consulted for it).
        """
        found: list[Evidence] = []
        for text, reading in chunks:
            found += self._assess_chunk(text, reading)
            if found:
                break  # one chunk is enough to flag; the rest would only cost time
        return found

    def _assess_chunk(self, text: str, reading: str | None) -> list[Evidence]:
        p = self.crisis_probability(text)
        threshold = self._head.threshold if reading is None else self._head.cautious_threshold
        if p < threshold:
            return []
        out = self.encoder.run(text)
        level, why = RiskLevel.ELEVATED, "" if reading is None else f":despite-{reading}"
        high = self._head.high_threshold
        if reading is None and high is not None and out.high is not None and out.high >= high:
            level, why = RiskLevel.HIGH, f":high-head:{out.high:.2f}"
        # The category head (or the nearest prototype) names the category; the nearest
        # prototype of that category explains the decision in project words: evidence never
        # quotes the person here.
        category = None if self._categories is None else self._categories.predict(out.embedding)
        proto, sim, _ = self.nearest(out.embedding, category)
        return [
            Evidence(
                "semantic",
                f"crisis-head:{p:.2f}{why}:near:{proto.id}:{sim:.2f}",
                level,
                category or proto.category,
                proto.text,
            )
        ]


@dataclass(frozen=True, slots=True)
class Head:
    """Thresholds on the encoder's fine-tuned outputs (``crisis_head.json``)."""

    threshold: float
    cautious_threshold: float
    high_threshold: float | None = None  # on P(high); None: the layer never says high


def _load_head(path: Path, encoder_id: str) -> Head:
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
        high = head.get("high_threshold")
        result = Head(
            float(head["threshold"]),
            float(head["cautious_threshold"]),
            None if high is None else float(high),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError("The crisis head is missing or unreadable.") from exc
    _check_provenance(head, encoder_id, "crisis head")
    if not 0.0 < result.threshold <= result.cautious_threshold <= 1.0:
        raise ModelError("The crisis head thresholds are out of range.")
    if result.high_threshold is not None and not 0.0 < result.high_threshold <= 1.0:
        raise ModelError("The crisis head's high threshold is out of range.")
    return result


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
