"""Beat-to-beat intervals (RR) and the HRV read from them, shared by the importers.

Two devices give beats: a chest strap through a FIT file (``hrv`` messages, RR in seconds), and
an Apple Watch, whose HRV readings in ``export.xml`` carry the beats they were read from
(``<InstantaneousBeatsPerMinute bpm="62" time="7:19:04.34 AM"/>``, one per beat, about a
minute of them). Either way the intervals become RMSSD (ms): the root mean square of successive
differences, the short-term, vagally mediated HRV index that stays meaningful over a minute.

A strap's RR intervals (FIT) are turned into RMSSD by NeuroKit2 (``pip install
'steadymind[hrv]'``, an optional extra), five minutes at a time. An Apple Watch export holds
thousands of readings, and NeuroKit2 costs about 45 ms for each here (it builds a table of every
time-domain index; importing it takes seconds more): a 1 GB export would spend minutes on it
alone, far past the import's target. So Apple's readings are computed by the same definition in
numpy, vectorised over a block's readings at once, and a test checks that the two agree (to the
hundredth of a millisecond they are rounded to, on whole-millisecond intervals, as NeuroKit2
places beats on a 1000 Hz grid). It needs no extra, so every export gets its RMSSD.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

RR_RANGE = (0.3, 2.0)  # seconds: outside it a beat was missed or an extra one counted
MIN_READING_BEATS = 30  # an ultra-short reading needs about half a minute of beats
GAP_TOLERANCE = 0.25  # a time step this far from 60/bpm is a gap (a dropped beat), not an RR


def hrv_rmssd_function() -> Callable[[npt.NDArray[np.float64]], float]:
    """RMSSD (ms) of RR intervals (ms), by NeuroKit2; ImportError when the extra is missing."""
    import neurokit2 as nk

    def rmssd(intervals_ms: npt.NDArray[np.float64]) -> float:
        peaks = nk.intervals_to_peaks(intervals_ms, sampling_rate=1000)
        table = nk.hrv_time(peaks, sampling_rate=1000)
        return round(float(table["HRV_RMSSD"].iloc[0]), 2)

    return rmssd


def rr_from_beats(
    bpm: npt.NDArray[np.float64], seconds: npt.NDArray[np.float64], reading: npt.NDArray[np.int64]
) -> Any:
    """RR intervals (s) of Apple readings' beats, laid one reading after another (``reading``
    says whose each beat is): the time from each beat to the one before it, where it agrees with
    the beat's own rate (otherwise a beat between them was dropped, and the step is not one
    interval); NaN marks such a gap and each reading's first beat, so that no difference is
    taken across them.

    ``seconds`` is each beat's clock time within twelve hours (AM/PM, or a 24-hour clock, as
    the phone's language writes it): only differences are used, taken modulo twelve hours, so
    a reading across noon or midnight, and any locale's words for AM and PM, read alike."""
    out = np.full(len(bpm), np.nan)
    if len(bpm) < 2:
        return out
    expected = 60.0 / bpm[1:]
    step = np.mod(np.diff(seconds), 12 * 3600)
    gap = np.abs(step - expected) > GAP_TOLERANCE * expected
    out_of_range = (step < RR_RANGE[0]) | (step > RR_RANGE[1])
    out[1:] = np.where(gap | out_of_range | (reading[1:] != reading[:-1]), np.nan, step)
    return out


def rmssd_many(rr: npt.NDArray[np.float64], reading: npt.NDArray[np.int64], n: int) -> Any:
    """RMSSD (ms) of each of ``n`` readings at once: ``rr`` holds every reading's intervals
    (seconds, NaN at gaps) one after another, ``reading`` says whose each is. NaN for a reading
    with fewer than ``MIN_READING_BEATS`` intervals."""
    ms = rr * 1000
    diff = np.diff(ms)
    same = reading[1:] == reading[:-1]
    ok = same & ~np.isnan(diff)
    squares = np.bincount(reading[1:][ok], weights=diff[ok] ** 2, minlength=n)
    pairs = np.bincount(reading[1:][ok], minlength=n)
    beats = np.bincount(reading[~np.isnan(ms)], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.sqrt(squares / pairs)
    return np.where((beats >= MIN_READING_BEATS) & (pairs > 0), np.round(result, 2), np.nan)
