"""A simulated heart-rate strap, for demos, tests and the bench.

Heart rate swings with the breath (respiratory sinus arrhythmia), most at the person's resonance
rate: the swing's amplitude follows a resonance curve around ``resonance_bpm``. On top: beat-to-
beat noise, a slow drift, and now and then an ectopic beat (a premature beat and the pause after
it), which the cleaning must catch. Seeded: the same strap gives the same beats.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from steadymind.features.practice.hrv import SCAN_BLOCK_SECONDS, SCAN_RATES


@dataclass
class SimulatedStrap:
    resonance_bpm: float = 5.5
    hr_bpm: float = 64.0
    noise_ms: float = 12.0
    ectopic_rate: float = 0.01
    seed: int = 0
    # The swing at resonance and away from it (ms), and how sharp the resonance is (Hz).
    peak_ms: float = 70.0
    base_ms: float = 10.0
    width_hz: float = 0.01
    _rng: np.random.Generator = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)

    def swing_ms(self, bpm: float) -> float:
        """How far RR swings with the breath at ``bpm`` breaths a minute."""
        off = (bpm - self.resonance_bpm) / 60.0 / self.width_hz
        return self.base_ms + self.peak_ms / (1.0 + off * off)

    def beats(self, pace: Callable[[float], float]) -> Iterator[float]:
        """RR intervals (ms) for ever, the breath following ``pace(t)`` breaths a minute."""
        t, phase, pending = 0.0, 0.0, 0.0
        mean = 60_000.0 / self.hr_bpm
        while True:
            bpm = pace(t)
            rr = mean + self.swing_ms(bpm) * math.sin(phase)
            rr += 15.0 * math.sin(2 * math.pi * 0.02 * t) + self._rng.normal(0.0, self.noise_ms)
            if pending:
                rr, pending = rr + pending, 0.0
            elif self._rng.random() < self.ectopic_rate:
                early = rr * self._rng.uniform(0.35, 0.5)
                rr, pending = rr - early, early  # a premature beat, then the pause after it
            rr = max(rr, 260.0)
            phase += 2 * math.pi * (bpm / 60.0) * rr / 1000.0
            t += rr / 1000.0
            yield rr

    def record(self, seconds: float, pace: Callable[[float], float]) -> list[float]:
        found, elapsed = [], 0.0
        for rr in self.beats(pace):
            found.append(round(rr, 1))
            elapsed += rr / 1000.0
            if elapsed >= seconds:
                return found
        return found  # pragma: no cover - beats() never ends

    def scan(
        self, rates: tuple[float, ...] = SCAN_RATES, block_seconds: float = SCAN_BLOCK_SECONDS
    ) -> list[float]:
        """A resonance-scan recording: ``block_seconds`` at each rate in turn."""

        def pace(t: float) -> float:
            return rates[min(int(t // block_seconds), len(rates) - 1)]

        return self.record(block_seconds * len(rates), pace)
