"""The Stress-Predict training script: beats to windows, and HRV's weight kept at or below zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training import stress_predict as sp


def test_windows_take_one_label_and_no_difference_across_a_dropped_beat(tmp_path: Path) -> None:
    rr = np.tile([0.80, 0.84], 200)  # 320 s of beats alternating by 40 ms: RMSSD 40
    at = 1000 + np.cumsum(rr)
    keep = np.ones(len(at), dtype=bool)
    keep[50] = False  # a dropped beat: the next one's time step is two intervals
    ibi = tmp_path / "IBI.csv"
    lines = ["1000.000000, IBI"] + [
        f"{t - 1000:.6f},{r:.6f}" for t, r in zip(at[keep], rr[keep], strict=True)
    ]
    ibi.write_text("\n".join(lines) + "\n")
    times, intervals = sp.beats(ibi)
    found = sp.windows(times, intervals, [(1000.0, 1150.0, 0), (1150.0, 1320.0, 1)])
    assert found and {label for *_, label in found} == {0, 1}
    for hr, rmssd, _ in found:
        assert abs(rmssd - 40.0) < 1e-6  # the step over the dropped beat never counts
        assert abs(hr - 60_000 / 820) < 1.0


def test_a_positive_hrv_weight_is_refitted_on_heart_rate_alone() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 2))
    y = ((x[:, 0] + x[:, 1]) > 0).astype(np.int64)  # HRV "raising" stress, as hyperventilation does
    weights, _ = sp.fit(x, y)
    assert weights[0] > 0 and weights[1] == 0.0
    y = ((x[:, 0] - x[:, 1]) > 0).astype(np.int64)  # the physiological direction is kept
    weights, _ = sp.fit(x, y)
    assert weights[0] > 0 and weights[1] < 0
