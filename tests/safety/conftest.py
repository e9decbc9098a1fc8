"""Fixtures for the safety tests: a rules-only gate (fast) and the shipped full gate."""

from __future__ import annotations

import pytest

from steadymind.safety.gate import SafetyGate, default_gate


@pytest.fixture(scope="session")
def rules_gate() -> SafetyGate:
    """Rules, lexicon and context only: what decides ``elevated`` and ``high``."""
    return SafetyGate()


@pytest.fixture(scope="session")
def full_gate() -> SafetyGate:
    """The shipped gate with the learned layer (loads the ONNX encoder once)."""
    return default_gate()
