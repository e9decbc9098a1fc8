"""The severity training code and the numpy softmax regression it shares with the category head,
on synthetic data (the real data is not in the repository)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.datasets import parse_posts
from training.paths import SHARED_DATA_ENV
from training.safety_severity import LABELS, cross_validate, default_data_path, report
from training.softmax import fit, linear_head, softmax, standardise


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


def test_fit_finds_the_number_of_classes_or_is_told_it() -> None:
    x = np.array([[0.0], [1.0], [2.0]])
    y = np.array([0, 1, 1])
    assert fit(x, y)[0].shape == (1, 2)
    assert fit(x, y, n_classes=len(LABELS))[0].shape == (1, len(LABELS))


def test_a_linear_head_is_stored_as_plain_lists() -> None:
    w, b = np.ones((2, 3)), np.zeros(3)
    head = linear_head(w, b, np.zeros(2), np.ones(2))
    assert set(head) == {"coef", "intercept", "mean", "scale"}
    assert head["coef"] == [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]


def test_the_cssrs_data_is_looked_for_in_the_shared_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path))
    assert default_data_path() == tmp_path / "crisis" / "reddit_cssrs_500.csv"
