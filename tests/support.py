"""Test doubles and helpers shared by the suite."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from steadymind.affect.text import EmotionReading
from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.db.engine import Database
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.checkins.service import CheckInService
from steadymind.features.export.service import Exporter
from steadymind.features.journal.service import JournalService
from steadymind.features.safetyplan.service import SafetyPlanService
from steadymind.runtime import Runtime
from steadymind.safety.types import Category, RiskAssessment, RiskLevel, Surface
from steadymind.screen import TextSeam

PG_URL = os.environ.get("STEADYMIND_TEST_DATABASE_URL")
# Words that make the fake gate answer like the real one would: a crisis message with explicit
# evidence (a time, intent), and one that calls for the question first.
FAKE_HIGH = "i am going to end my life tonight"
FAKE_ELEVATED = "i don't want to be here anymore"


class FakeGate:
    """A deterministic stand-in for the crisis gate in storage and API tests.

    The real gate has its own tests (tests/safety) and is used by the web crisis tests."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, list[str]]] = []
        self.surfaces: list[str] = []

    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: Surface = "message"
    ) -> RiskAssessment:
        self.seen.append((text, list(context or [])))
        self.surfaces.append(surface)
        if FAKE_HIGH in text.lower():
            return RiskAssessment(RiskLevel.HIGH, frozenset({Category.SUICIDE}), model_id="fake")
        if FAKE_ELEVATED in text.lower():
            suicide = frozenset({Category.SUICIDE})
            return RiskAssessment(RiskLevel.ELEVATED, suicide, model_id="fake")
        return RiskAssessment(RiskLevel.NONE, model_id="fake")


class FakeEmotions:
    """Always reads joy: enough to tell that the emotion model ran, and when."""

    def __init__(self) -> None:
        self.read_texts: list[str] = []

    def read(self, text: str) -> EmotionReading:
        self.read_texts.append(text)
        return EmotionReading(
            labels=["joy"],
            scores={"joy": 0.9},
            ekman=["joy"],
            ekman_scores={"joy": 0.9},
            valence=0.8,
            arousal=0.3,
            confidence=0.9,
            model_id="fake-emotions",
        )


@dataclass
class Services:
    """The tests' handle on a runtime: the services of the features under test, by name."""

    runtime: Runtime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def db(self) -> Database:
        return self.runtime.db

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    @property
    def seam(self) -> TextSeam:
        return self.runtime.seam

    @property
    def accounts(self) -> Accounts:
        return self.runtime.get(Accounts)

    @property
    def credentials(self) -> Credentials:
        return self.runtime.get(Credentials)

    @property
    def checkins(self) -> CheckInService:
        return self.runtime.get(CheckInService)

    @property
    def journal(self) -> JournalService:
        return self.runtime.get(JournalService)

    @property
    def plans(self) -> SafetyPlanService:
        return self.runtime.get(SafetyPlanService)

    @property
    def exporter(self) -> Exporter:
        return self.runtime.get(Exporter)
