"""HRV from RR intervals: neurokit2's figures on the cleaned series, ectopic beats set aside,
the resonance rate of a simulated scan, and the file formats the CLI reads."""

from __future__ import annotations

import warnings
from pathlib import Path

import neurokit2 as nk
import numpy as np
import pytest

from steadymind.core.errors import ValidationError
from steadymind.features.practice import hrv
from steadymind.features.practice.strap import SimulatedStrap


def _steady(seconds: float = 240, seed: int = 3) -> list[float]:
    return SimulatedStrap(ectopic_rate=0.0, seed=seed).record(seconds, lambda _t: 6.0)


def test_the_figures_are_neurokit2_s_on_the_cleaned_series() -> None:
    rr = SimulatedStrap(seed=5, ectopic_rate=0.02).record(300, lambda _t: 6.0)
    cleaned = hrv.clean(rr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = nk.hrv_time({"RRI": cleaned.rr_ms, "RRI_Time": cleaned.times_s})
    ours = hrv.measures(cleaned)
    assert ours.rmssd_ms == float(theirs["HRV_RMSSD"].iloc[0])
    assert ours.sdnn_ms == float(theirs["HRV_SDNN"].iloc[0])
    assert ours.mean_hr_bpm == pytest.approx(60_000 / float(theirs["HRV_MeanNN"].iloc[0]))


@pytest.mark.parametrize("seed", range(6))
def test_ectopic_beats_are_set_aside_and_barely_move_rmssd(seed: int) -> None:
    clean_rr = _steady(seed=seed)
    spoiled = list(clean_rr)
    for at in (25, 60, 110, 150, 180, 220):  # a premature beat and the pause after it
        early = spoiled[at] * 0.45
        spoiled[at], spoiled[at + 1] = spoiled[at] - early, spoiled[at + 1] + early
    truth, found = hrv.analyse(clean_rr), hrv.analyse(spoiled)
    assert found.removed >= 12
    assert found.rmssd_ms == pytest.approx(truth.rmssd_ms, rel=0.05)
    raw_rmssd = float(np.sqrt(np.mean(np.diff(spoiled) ** 2)))
    assert raw_rmssd > truth.rmssd_ms * 1.5  # what counting them would have given


def test_heart_rate_is_what_the_strap_was_set_to() -> None:
    assert hrv.analyse(_steady()).mean_hr_bpm == pytest.approx(64.0, abs=1.0)


@pytest.mark.parametrize(("seed", "resonance"), [(1, 4.8), (2, 5.5), (3, 6.2)])
def test_a_scan_finds_the_simulated_resonance_rate(seed: int, resonance: float) -> None:
    recording = SimulatedStrap(resonance_bpm=resonance, seed=seed).scan()
    found = hrv.scan(recording)
    assert abs(found.resonance_bpm - resonance) <= 0.5
    assert max(found.power, key=lambda r: found.power[r]) == min(
        hrv.SCAN_RATES, key=lambda r: abs(r - resonance)
    )


def test_a_scan_needs_the_whole_recording() -> None:
    with pytest.raises(ValidationError, match="too short"):
        hrv.scan(_steady(15))


@pytest.mark.parametrize("bad", [[800.0] * 5, [800.0] * 20 + [30.0], [800.0] * 20 + [9000.0]])
def test_implausible_input_is_refused_in_plain_words(bad: list[float]) -> None:
    with pytest.raises(ValidationError):
        hrv.analyse(bad)


def test_rr_files_one_a_line_or_a_csv_column(tmp_path: Path) -> None:
    lines = tmp_path / "rr.txt"
    lines.write_text("812\n830.5\n\n799\n", encoding="utf-8")
    table = tmp_path / "rr.csv"
    table.write_text("t,rr_ms\n0.8,812\n1.6,830.5\n2.4,799\n", encoding="utf-8")
    assert hrv.read_rr(lines) == hrv.read_rr(table) == [812.0, 830.5, 799.0]
    lines.write_text("812\nabc\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="number"):
        hrv.read_rr(lines)


def test_the_simulated_strap_is_repeatable_and_swings_most_at_resonance() -> None:
    strap = SimulatedStrap(resonance_bpm=5.0)
    assert strap.swing_ms(5.0) > strap.swing_ms(5.5) > strap.swing_ms(6.5)
    first = SimulatedStrap(seed=9).record(60, lambda _t: 6.0)
    assert first == SimulatedStrap(seed=9).record(60, lambda _t: 6.0)
