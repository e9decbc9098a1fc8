"""Spoken sessions, made on this machine: a composed script -> WAV or Ogg.

The voice comes from a text-to-speech engine (Debian's ``espeak-ng`` by default, run as a
program; ``piper-tts`` when installed with a voice file the person gives). Soft tones mark the
breaths of a paced practice, optional background noise is generated (never downloaded), and the
mix is loudness-normalised to ``TARGET_LUFS`` (ITU-R BS.1770 with pyloudnorm). The result is
cached by the script, engine, voice, background and rewording (none, or which language model
and prompt), so a session is rendered once.

pyloudnorm and soundfile are the ``audio`` extra; they are imported when audio is made, with a
plain message when missing. Nothing here reads what a person wrote: scripts are catalogue words.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ConfigError, ValidationError
from steadymind.features.practice.composer import Background, Pace, Script

Audio = npt.NDArray[np.float32]
RATE = 22_050
# Spoken word at -20 LUFS: quieter than music masters, comfortable on headphones at night.
TARGET_LUFS = -20.0
PEAK = 0.89  # -1 dBFS
FORMATS = {".wav": ("WAV", "PCM_16"), ".ogg": ("OGG", "VORBIS")}
# Bump when the mix changes, so cached files are made again.
MIX_VERSION = 1
BLOCK = 8192
WORDS_PER_MINUTE: dict[Pace, int] = {"normal": 150, "slow": 125}
Progress = Callable[[int, int], None]


class Engine(Protocol):
    """A text-to-speech engine: mono float32 samples at ``RATE`` for one line."""

    name: str

    def speak(self, text: str, voice: str, pace: Pace) -> Audio: ...


def _needs(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            "Spoken audio needs the audio extra: pip install 'steadymind[audio]'"
        ) from None


class Espeak:
    """Debian's espeak-ng, run as a program (GPL-3.0-or-later; we only run it, never link)."""

    name = "espeak-ng"

    def __init__(self, program: str | None = None) -> None:
        found = program or shutil.which("espeak-ng")
        if found is None:
            raise ConfigError(
                "Spoken audio needs espeak-ng: on Debian or Ubuntu, apt-get install espeak-ng"
            )
        self.program = found

    def speak(self, text: str, voice: str, pace: Pace) -> Audio:
        soundfile = _needs("soundfile")
        command = [self.program, "-v", voice, "-s", str(WORDS_PER_MINUTE[pace]), "--stdout"]
        # The text goes on stdin: never through a shell, never as an option.
        done = subprocess.run(  # noqa: S603 (a fixed program, no shell)
            command, input=text.encode("utf-8"), capture_output=True, check=False, timeout=60
        )
        if done.returncode != 0 or not done.stdout:
            raise ConfigError(f"espeak-ng could not speak with voice {voice!r}")
        samples, rate = soundfile.read(io.BytesIO(done.stdout), dtype="float32")
        return _resampled(np.asarray(samples, dtype=np.float32), int(rate))


class Piper:
    """piper-tts (GPL-3.0-or-later, an optional extra: installing it brings GPL code into the
    process) with a voice file the person downloaded themselves (.onnx and its .onnx.json beside
    it); each voice has its own licence, in its model card (docs/user-guide.md)."""

    name = "piper"

    def __init__(self, model: Path) -> None:
        piper = _needs_piper()
        if not model.is_file():
            raise ConfigError(f"No piper voice file at {model}")
        # The voice is part of the name: the audio cache must tell two voices apart.
        self.name = f"piper:{model.stem}"
        self.voice = piper.PiperVoice.load(str(model))
        self.rate = int(self.voice.config.sample_rate)

    def speak(self, text: str, voice: str, pace: Pace) -> Audio:
        chunks = [
            np.asarray(c.audio_float_array, dtype=np.float32) for c in self.voice.synthesize(text)
        ]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return _resampled(samples, self.rate)


def _needs_piper() -> Any:
    import importlib

    try:
        return importlib.import_module("piper")
    except ImportError:
        raise ConfigError(
            "The piper voice needs the piper extra: pip install 'steadymind[piper]'"
        ) from None


def _resampled(samples: Audio, rate: int) -> Audio:
    if samples.ndim > 1:
        samples = samples.mean(axis=1).astype(np.float32)
    if rate == RATE or len(samples) == 0:
        return samples
    from scipy.signal import resample_poly

    g = np.gcd(rate, RATE)
    return np.asarray(resample_poly(samples, RATE // g, rate // g), dtype=np.float32)


# -- the mix -------------------------------------------------------------------------------------


def breath_tone(phase: str, seconds: float) -> Audio:
    """A soft tone under a breath: rising and swelling in, falling and fading out; holds are
    quiet. Low sine tones with slow envelopes, well below the voice."""
    n = int(seconds * RATE)
    if phase in ("hold", "hold_out") or n == 0:
        return np.zeros(n, dtype=np.float32)
    t = np.arange(n) / RATE
    start, end = (174.6, 220.0) if phase in ("in", "in_top") else (220.0, 164.8)
    freq = np.linspace(start, end, n)
    wave = np.sin(2 * np.pi * np.cumsum(freq) / RATE)
    envelope = np.sin(np.pi * t / seconds) ** 2  # up and down within the phase, no clicks
    return np.asarray(0.08 * wave * envelope, dtype=np.float32)


def background_noise(kind: Background, n: int, seed: int = 14) -> Audio:
    """Generated noise under the voice: "brown" (deep, steady) or "rain" (brighter, softer)."""
    if kind == "none" or n == 0:
        return np.zeros(n, dtype=np.float32)
    from scipy.signal import butter, sosfilt

    white = np.random.default_rng(seed).standard_normal(n)
    low, high = (20.0, 400.0) if kind == "brown" else (800.0, 6000.0)
    order = 1 if kind == "brown" else 2
    sos = butter(order, [low, high], btype="bandpass", fs=RATE, output="sos")
    shaped = sosfilt(sos, white)
    shaped /= np.max(np.abs(shaped)) or 1.0
    fade = np.minimum(1.0, np.arange(n) / (3 * RATE), dtype=np.float64)
    fade = np.minimum(fade, fade[::-1])
    return np.asarray(0.05 * shaped * fade, dtype=np.float32)


def mix(script: Script, engine: Engine, progress: Progress | None = None) -> Audio:
    """The whole session as samples (before loudness normalisation)."""
    prefs = script.request.prefs
    total = int(script.seconds * RATE) + RATE
    out = np.zeros(total, dtype=np.float32)
    spoken: dict[str, Audio] = {}
    lines = list(dict.fromkeys(s.text for s in script.voice))
    steps = len(lines) + 2
    for i, text in enumerate(lines):
        spoken[text] = engine.speak(text, prefs.voice, prefs.pace)
        if progress:
            progress(i + 1, steps)
    for said in script.voice:
        _add(out, spoken[said.text], said.start)
    for breath in script.breaths:
        _add(out, breath_tone(breath.phase, breath.seconds), breath.start)
    out += background_noise(prefs.background, total)
    if progress:
        progress(steps - 1, steps)
    return out


def _add(out: Audio, clip: Audio, start: float) -> None:
    at = int(start * RATE)
    end = min(at + len(clip), len(out))
    if end > at:
        out[at:end] += clip[: end - at]


def normalise(samples: Audio, target: float = TARGET_LUFS) -> tuple[Audio, float]:
    """Samples at ``target`` LUFS and their measured loudness. Speech from a synthesiser has
    sharp peaks: a soft limiter (tanh above -1 dBFS) keeps them from clipping, and the gain is
    corrected again after it, so the loudness lands on the target, not under it."""
    meter = _needs("pyloudnorm").Meter(RATE)
    measured = meter.integrated_loudness(samples.astype(np.float64))
    if not np.isfinite(measured):
        return samples, float("-inf")
    gain = 10 ** ((target - measured) / 20)
    louder = samples
    for _ in range(4):
        louder = _limited(samples * gain)
        measured = meter.integrated_loudness(louder.astype(np.float64))
        if abs(measured - target) < 0.1:
            break
        gain *= 10 ** ((target - measured) / 20)
    return louder, float(measured)


def _limited(samples: npt.NDArray[np.floating[Any]]) -> Audio:
    over = np.abs(samples) > PEAK * 0.8
    knee = PEAK * 0.8
    soft = np.sign(samples) * (
        knee + (PEAK - knee) * np.tanh((np.abs(samples) - knee) / (PEAK - knee))
    )
    return np.asarray(np.where(over, soft, samples), dtype=np.float32)


def loudness(path: Path) -> float:
    soundfile, pyloudnorm = _needs("soundfile"), _needs("pyloudnorm")
    samples, rate = soundfile.read(str(path), dtype="float64")
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


# -- files and the cache -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    path: Path
    seconds: float
    lufs: float
    engine: str
    cached: bool


def cache_key(script: Script, engine: Engine, suffix: str) -> str:
    """The cached file's name: what is said and when, by which engine, mix and format, and
    whether (and by which model and prompt) lines were reworded: a reworded session never
    plays the reviewed words' audio, nor the other way round."""
    made = {
        "script": script.as_json(),
        "engine": engine.name,
        "mix": MIX_VERSION,
        "as": suffix,
        "worded_by": script.worded_by,
    }
    return hashlib.sha256(json.dumps(made, sort_keys=True).encode()).hexdigest()[:32]


def render(
    script: Script,
    output: Path,
    *,
    engine: Engine,
    cache: Path | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Write the spoken session to ``output`` (.wav or .ogg); from the cache when it is there."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError("The output must end in .wav or .ogg")
    cached = None if cache is None else cache / f"{cache_key(script, engine, suffix)}{suffix}"
    if cached is not None and cached.is_file():
        if cached.resolve() != output.resolve():
            shutil.copyfile(cached, output)
        if progress:
            progress(1, 1)
        return Rendered(output, script.seconds, loudness(output), engine.name, True)
    samples, lufs = normalise(mix(script, engine, progress))
    _write(output, samples, *FORMATS[suffix])
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output, cached)
    if progress:
        progress(1, 1)
    return Rendered(output, len(samples) / RATE, lufs, engine.name, False)


def _write(path: Path, samples: Audio, fmt: str, subtype: str) -> None:
    # In blocks: libsndfile's Vorbis encoder crashes on one large write (seen with 1.2.2).
    soundfile = _needs("soundfile")
    with soundfile.SoundFile(str(path), "w", RATE, 1, format=fmt, subtype=subtype) as out:
        for at in range(0, len(samples), BLOCK):
            out.write(samples[at : at + BLOCK])


def default_engine() -> Engine:
    return Espeak()
