"""Learned severity layer: C-SSRS-trained softmax head over the MiniLM sentence embedding.

Trained by ``python -m training.safety_severity`` on Reddit C-SSRS (CC BY). Its
cross-validated 5-level accuracy is modest (see docs/models/safety.md), so the gate uses it only
to *raise*: a message the rules call ``none`` whose predicted probability of ideation-or-worse is
high becomes ``low`` (distress worth a gentle check-in). It never lowers a rule decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ModelError
from steadymind.safety.encoder import Encoder, heads_artefact

# The head's file name in the safety artefact (training writes it) and its role in the manifest.
HEAD_FILE, HEAD_ROLE = "severity_head.json", "severity_head"
LABELS = ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt")


@dataclass(frozen=True, slots=True)
class SeverityScore:
    probabilities: tuple[float, ...]

    @property
    def risk(self) -> float:
        """P(Ideation or worse)."""
        return float(sum(self.probabilities[2:]))

    @property
    def label(self) -> str:
        return LABELS[int(np.argmax(self.probabilities))]


class SeverityModel:
    def __init__(self, encoder: Encoder, directory: Path | None = None) -> None:
        """The head comes from the encoder's artefact, or the model folder ``directory``."""
        path = heads_artefact(encoder, directory).path(HEAD_ROLE)
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
            self.coef = np.asarray(head["coef"], dtype=np.float32)
            self.intercept = np.asarray(head["intercept"], dtype=np.float32)
            self.mean = np.asarray(head["mean"], dtype=np.float32)
            self.scale = np.asarray(head["scale"], dtype=np.float32)
            self.model_id: str = head["model_id"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError("The severity head is missing or unreadable.") from exc
        if head.get("encoder_model_id") != encoder.model_id:
            raise ModelError("The severity head was trained on a different encoder.")
        if self.coef.shape != (self.mean.shape[0], len(LABELS)):
            raise ModelError("The severity head has the wrong shape.")
        self.encoder = encoder

    def score_embedding(self, emb: npt.NDArray[np.float32]) -> SeverityScore:
        z = ((emb - self.mean) / self.scale) @ self.coef + self.intercept
        z = z - z.max()
        p = np.exp(z) / np.exp(z).sum()
        return SeverityScore(tuple(float(x) for x in p))

    def score(self, text: str) -> SeverityScore:
        return self.score_embedding(self.encoder.encode(text))
