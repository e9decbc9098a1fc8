"""Test doubles and helpers shared by the suite."""

from __future__ import annotations

import os
from collections.abc import Sequence

from steadymind.gate import GateResult

PG_URL = os.environ.get("STEADYMIND_TEST_DATABASE_URL")
# Words that make the fake gate answer like the real one would for a crisis message.
FAKE_HIGH = "i am going to end my life tonight"


class FakeGate:
    """A deterministic stand-in for the safety gate in storage and API tests.

    The real gate has its own tests (tests/safety) and is used by the web crisis tests."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, list[str]]] = []
        self.surfaces: list[str] = []

    def check(
        self, text: str, *, context: Sequence[str], country: str | None, surface: str = "message"
    ) -> GateResult:
        self.seen.append((text, list(context)))
        self.surfaces.append(surface)
        high = FAKE_HIGH in text.lower()
        level = "high" if high else "none"
        safety = {
            "level": level,
            "categories": ["suicide"] if high else [],
            "evidence": [],
            "model_id": "fake",
        }
        emotions = None if high else {"labels": ["joy"], "model_id": "fake-emotions"}
        return GateResult(
            level=level, categories=safety["categories"], safety=safety, emotions=emotions
        )
