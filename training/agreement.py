"""Agreement between two annotators' labels of the same items (the labelling scripts share it)."""

from __future__ import annotations

from collections import Counter
from typing import Any


def kappa(a: list[Any], b: list[Any]) -> float:
    """Cohen's kappa of two raters' labels of the same items."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)
