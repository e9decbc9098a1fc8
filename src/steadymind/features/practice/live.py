"""A live biofeedback session: RR intervals arrive (from a strap through the page, or from the
simulated strap), and after each batch the server answers with heart rate, RMSSD and the power
in the breathing band over the last minute, and the pace the pacer should follow.

Two modes: ``paced`` (breathe at the person's resonance rate, or 6 a minute) and ``scan`` (the
resonance-frequency scan: ``block_seconds`` at each of 6.5, 6, 5.5, 5 and 4.5 breaths a minute,
then the rate whose breathing-band power was largest). Numbers only: nothing here is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from steadymind.core.errors import ValidationError
from steadymind.features.practice import hrv

Mode = Literal["paced", "scan"]
WINDOW_SECONDS = 60.0
# The summary keeps one point every few seconds: a 30-minute session stays small.
SUMMARY_EVERY = 5.0
DEFAULT_PACE = 6.0
MAX_BEATS = 12_000  # about three hours: a stream that goes on longer is cut off
# What a window too short or too noisy raises (ours, or neurokit2's on a degenerate series).
UNMEASURABLE = (ValidationError, ValueError, IndexError, ZeroDivisionError)


@dataclass
class LiveSession:
    mode: Mode = "paced"
    pace_bpm: float = DEFAULT_PACE
    block_seconds: float = hrv.SCAN_BLOCK_SECONDS
    rr: list[float] = field(default_factory=list)
    series: list[dict[str, float]] = field(default_factory=list)
    _elapsed: float = 0.0
    _next_point: float = 0.0

    @property
    def elapsed(self) -> float:
        return self._elapsed

    def current_pace(self) -> float:
        if self.mode != "scan":
            return self.pace_bpm
        block = min(int(self._elapsed // self.block_seconds), len(hrv.SCAN_RATES) - 1)
        return hrv.SCAN_RATES[block]

    @property
    def scan_done(self) -> bool:
        return self.mode == "scan" and self._elapsed >= self.block_seconds * len(hrv.SCAN_RATES)

    def add(self, rr_ms: list[float]) -> dict[str, Any]:
        """Take a batch of RR intervals (ms); the figures over the last minute."""
        for value in rr_ms:
            if hrv.RR_RANGE_MS[0] <= value <= hrv.RR_RANGE_MS[1] and len(self.rr) < MAX_BEATS:
                self.rr.append(float(value))
                self._elapsed += value / 1000.0
        found = self.figures()
        if found.get("rmssd") is not None and self._elapsed >= self._next_point:
            self.series.append({k: found[k] for k in ("t", "hr", "rmssd")})
            self._next_point = self._elapsed + SUMMARY_EVERY
        return found

    def figures(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "t": round(self._elapsed, 2), "pace": self.current_pace(), "hr": None,
            "rmssd": None, "power": None,
        }  # fmt: skip
        window = self._window()
        if len(window) < hrv.MIN_BEATS:
            return figures
        try:
            cleaned = hrv.clean(window)
            measured = hrv.measures(cleaned)
            # A straight-line detrend: the smoothness-priors one (the scan's) inverts a matrix
            # the size of the window on every batch, most of a batch's time.
            power = hrv.band_power(cleaned, self.current_pace(), detrend="polynomial")
        except UNMEASURABLE:  # a noisy minute: the next batch tries again
            return figures
        figures.update(
            hr=round(measured.mean_hr_bpm, 1),
            rmssd=round(measured.rmssd_ms, 1),
            power=round(power, 1),
        )
        return figures

    def _window(self) -> list[float]:
        total, start = 0.0, len(self.rr)
        while start > 0 and total < WINDOW_SECONDS:
            start -= 1
            total += self.rr[start] / 1000.0
        return self.rr[start:]

    def resonance(self) -> hrv.Scan:
        return hrv.scan(self.rr, block_seconds=self.block_seconds)

    def summary(self) -> dict[str, Any]:
        """Heart rate and RMSSD over time, and the first and last minute side by side."""
        before = self._minute(first=True)
        after = self._minute(first=False)
        return {"series": self.series, "before": before, "after": after,
                "seconds": round(self._elapsed, 1), "pace": self.pace_bpm}  # fmt: skip

    def _minute(self, *, first: bool) -> dict[str, float] | None:
        times = np.cumsum(self.rr) / 1000.0 if self.rr else np.zeros(0)
        if len(times) == 0:
            return None
        inside = times <= WINDOW_SECONDS if first else times >= times[-1] - WINDOW_SECONDS
        part = [rr for rr, keep in zip(self.rr, inside, strict=True) if keep]
        try:
            found = hrv.analyse(part)
        except UNMEASURABLE:  # too short, or too noisy to say
            return None
        return {"hr": round(found.mean_hr_bpm, 1), "rmssd": round(found.rmssd_ms, 1)}
