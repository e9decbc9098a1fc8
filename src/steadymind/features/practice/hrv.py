"""Heart rate variability from RR intervals, with neurokit2 (the ``biofeedback`` extra).

Cleaning: neurokit2's Kubios method (``signal_fixpeaks``) finds ectopic, missed, extra and
long-short beats; both intervals touching a flagged beat are dropped (not invented), and the
intervals keep their times, so neurokit2's time-domain measures skip the gaps instead of
counting a jump across them. The figures are neurokit2's own on that cleaned series (the bench
checks they are equal); nothing here re-implements a formula.

The resonance scan: about two minutes each at 6.5, 6, 5.5, 5 and 4.5 breaths a minute. At the
person's resonance rate heart rate swings most with the breath, so the rate whose breathing-band
power (neurokit2's ``signal_power`` on the interpolated series, within 0.015 Hz of the pace) is
largest wins, refined between its neighbours by a parabola through the three powers.
"""

from __future__ import annotations

import csv
import importlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ConfigError, ValidationError

Floats = npt.NDArray[np.float64]
SCAN_RATES: tuple[float, ...] = (6.5, 6.0, 5.5, 5.0, 4.5)
SCAN_BLOCK_SECONDS = 120.0
# The first seconds of each block are the breath changing pace: left out of its power.
SETTLE_SECONDS = 20.0
BAND_HZ = 0.015
INTERPOLATION_HZ = 4
MIN_BEATS = 10
RR_RANGE_MS = (250.0, 2500.0)  # 24 to 240 beats a minute: anything else is not a heartbeat


def nk() -> Any:
    try:
        return importlib.import_module("neurokit2")
    except ImportError:
        raise ConfigError(
            "Heart rate variability needs the biofeedback extra: "
            "pip install 'steadymind[biofeedback]'"
        ) from None


@dataclass(frozen=True)
class Cleaned:
    rr_ms: Floats
    times_s: Floats  # when each interval ended, from the first beat
    removed: int


@dataclass(frozen=True)
class HRV:
    mean_hr_bpm: float
    rmssd_ms: float
    sdnn_ms: float
    beats: int
    removed: int

    def as_json(self) -> dict[str, float | int]:
        return {
            "mean_hr_bpm": round(self.mean_hr_bpm, 2),
            "rmssd_ms": round(self.rmssd_ms, 2),
            "sdnn_ms": round(self.sdnn_ms, 2),
            "beats": self.beats,
            "removed": self.removed,
        }


@dataclass(frozen=True)
class Scan:
    resonance_bpm: float
    power: dict[float, float]  # breaths a minute -> breathing-band power (ms²)

    def as_json(self) -> dict[str, Any]:
        return {
            "resonance_bpm": round(self.resonance_bpm, 2),
            "power": {str(rate): round(p, 2) for rate, p in self.power.items()},
        }


def _array(rr_ms: Any) -> Floats:
    rr = np.asarray(rr_ms, dtype=np.float64)
    if rr.ndim != 1 or len(rr) < MIN_BEATS:
        raise ValidationError(f"At least {MIN_BEATS} RR intervals are needed.")
    if not np.all(np.isfinite(rr)) or rr.min() < RR_RANGE_MS[0] or rr.max() > RR_RANGE_MS[1]:
        raise ValidationError("RR intervals are in milliseconds, between 250 and 2500.")
    return rr


def clean(rr_ms: Any) -> Cleaned:
    """The intervals without those ending on a beat neurokit2 flags (ectopic, missed, extra,
    long-short), each with its time."""
    rr = _array(rr_ms)
    lib = nk()
    peaks = lib.intervals_to_peaks(rr, sampling_rate=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # neurokit2 warns about what it corrects: we drop it
        # One pass: with iterative=True the flags returned are those of the last pass, indexed
        # on beats it already moved, not on the beats we were given.
        info, _ = lib.signal_fixpeaks(peaks, sampling_rate=1000, method="Kubios", iterative=False)
    flagged = {int(i) for key in ("ectopic", "missed", "extra", "longshort") for i in info[key]}
    # Interval i runs from beat i to beat i + 1: a flagged beat spoils both intervals it
    # touches (a premature beat's short interval and the pause after it).
    keep = np.array([i not in flagged and i + 1 not in flagged for i in range(len(rr))])
    times = np.cumsum(rr) / 1000.0
    return Cleaned(rr[keep], times[keep], int((~keep).sum()))


def measures(cleaned: Cleaned) -> HRV:
    """neurokit2's time-domain HRV on the cleaned series."""
    if len(cleaned.rr_ms) < MIN_BEATS:
        raise ValidationError("Too few clean beats to measure.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = nk().hrv_time({"RRI": cleaned.rr_ms, "RRI_Time": cleaned.times_s})
    mean_nn = float(found["HRV_MeanNN"].iloc[0])
    return HRV(
        mean_hr_bpm=60_000.0 / mean_nn,
        rmssd_ms=float(found["HRV_RMSSD"].iloc[0]),
        sdnn_ms=float(found["HRV_SDNN"].iloc[0]),
        beats=len(cleaned.rr_ms),
        removed=cleaned.removed,
    )


def analyse(rr_ms: Any) -> HRV:
    return measures(clean(rr_ms))


def band_power(cleaned: Cleaned, bpm: float, *, detrend: str = "tarvainen2002") -> float:
    """Power (ms²) of the interpolated RR series within ``BAND_HZ`` of ``bpm`` breaths a
    minute (wider for a short window): how much heart rate swings with the breath at that pace."""
    if len(cleaned.rr_ms) < MIN_BEATS:
        return 0.0
    lib = nk()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        signal, _, rate = lib.intervals_process(
            cleaned.rr_ms,
            intervals_time=cleaned.times_s,
            interpolate=True,
            interpolation_rate=INTERPOLATION_HZ,
            detrend=detrend,
        )
        centre = bpm / 60.0
        if len(signal) / rate < 2.5 / centre:  # fewer than two and a half breaths: no answer
            return 0.0
        # The spectrum's bins are 1/duration apart: a band narrower than two bins (a one-minute
        # window) would hold a single bin, whose integral is zero.
        half = max(BAND_HZ, 1.01 / (len(signal) / rate))
        table = lib.signal_power(
            signal,
            frequency_band=[(centre - half, centre + half)],
            sampling_rate=rate,
            normalize=False,
            **_lowest(centre - half, len(signal) / rate),
        )
    value = float(table.iloc[0, 0])
    return value if np.isfinite(value) else 0.0


def _lowest(low: float, seconds: float) -> dict[str, float]:
    """neurokit2 starts the spectrum at 4 cycles per window by default (and sizes its Welch
    segments from that): keep its default unless it would start above the band, as it does for
    slow breathing in a window under a minute."""
    return {"min_frequency": low} if 4.0 / seconds > low else {}


def scan(
    rr_ms: Any,
    rates: tuple[float, ...] = SCAN_RATES,
    block_seconds: float = SCAN_BLOCK_SECONDS,
) -> Scan:
    """The resonance rate of a scan recording: blocks of ``block_seconds`` at each of
    ``rates`` in turn, from the first beat."""
    cleaned = clean(rr_ms)
    power: dict[float, float] = {}
    settle = min(SETTLE_SECONDS, block_seconds / 6)
    for n, rate in enumerate(rates):
        start, end = n * block_seconds + settle, (n + 1) * block_seconds
        inside = (cleaned.times_s >= start) & (cleaned.times_s < end)
        block = Cleaned(cleaned.rr_ms[inside], cleaned.times_s[inside] - start, 0)
        power[rate] = band_power(block, rate)
    if not any(power.values()):
        raise ValidationError("The recording is too short for a resonance scan.")
    return Scan(_peak(rates, [power[r] for r in rates]), power)


def _peak(rates: tuple[float, ...], powers: list[float]) -> float:
    """The rate of the largest power, moved towards the larger neighbour by a parabola through
    the three points (never past half a step)."""
    best = int(np.argmax(powers))
    if best in (0, len(rates) - 1):
        return rates[best]
    left, mid, right = powers[best - 1], powers[best], powers[best + 1]
    bend = left - 2 * mid + right
    shift = 0.0 if bend == 0 else 0.5 * (left - right) / bend
    step = rates[best + 1] - rates[best]
    return float(rates[best] + max(-0.5, min(0.5, shift)) * step)


def warm_up() -> None:
    """Run every computation once on a made-up minute: neurokit2 imports much of SciPy lazily on
    first use, which would otherwise stall the first batches of a live stream for seconds."""
    beats = [1000.0 + 50.0 * np.sin(2 * np.pi * 0.1 * i) for i in range(70)]
    cleaned = clean(beats)
    measures(cleaned)
    for detrend in ("polynomial", "tarvainen2002"):
        band_power(cleaned, 6.0, detrend=detrend)


def read_rr(path: Path) -> list[float]:
    """RR intervals in milliseconds: one a line, or a CSV with a column ``rr_ms``."""
    text = path.read_text(encoding="utf-8-sig")
    first = text.lstrip().split("\n", 1)[0]
    try:
        if "rr_ms" in first:
            rows = csv.DictReader(io.StringIO(text))
            return [float(row["rr_ms"]) for row in rows if (row.get("rr_ms") or "").strip()]
        return [float(line) for line in text.split() if line.strip()]
    except ValueError:
        raise ValidationError(f"{path.name}: every RR interval must be a number") from None
