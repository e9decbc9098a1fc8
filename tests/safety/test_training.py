"""The severity training code on synthetic data (the real data is not in the repository)."""

from __future__ import annotations

import numpy as np

from steadymind.training.safety_severity import (
    LABELS,
    cross_validate,
    fit,
    parse_posts,
    report,
    softmax,
    standardise,
)


def test_parse_posts_reads_lists_and_survives_malformed_rows() -> None:
    assert parse_posts("['a', 'b']") == ["a", "b"]
    assert parse_posts("['it's broken', 'b']") == ["it's broken", "b"]


def test_fit_learns_separable_classes() -> None:
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(len(LABELS)), 20)
    x = rng.normal(size=(len(y), 8)) + np.eye(len(LABELS), 8)[y] * 5
    mu, sd = standardise(x)
    w, b = fit((x - mu) / sd, y)
    pred = softmax(((x - mu) / sd) @ w + b).argmax(axis=1)
    assert (pred == y).mean() > 0.9
    assert cross_validate(x, y, k=5)["accuracy"] > 0.8


def test_report_counts_ordinal_error() -> None:
    y = np.array([0, 1, 2, 3, 4])
    pred = np.array([0, 2, 2, 3, 0])
    rep = report(y, pred)
    assert rep["ordinal_mae"] == (0 + 1 + 0 + 0 + 4) / 5
    assert rep["per_level_recall"]["Attempt"] == 0.0
    assert sum(map(sum, rep["confusion"])) == 5
