"""Spoken lines in the companion's language model's words, issue 14 item 2: only for someone who
chose generated words, only the lines that may be reworded (never a breathing cue, a caution or
the timing), each checked (the output filter, the text seam, the same numbers and instructions)
and replaced by the reviewed words when anything fails; the audio cache tells the two apart.

The model is a fake backend behind the real interface (``ChatBackend``), run by the real
generator and the companion's real rephraser, as the companion's own tests do."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from steadymind.companion.llm import Generator, LLMUnavailable, rephrase_prompt
from steadymind.core.errors import ConfigError
from steadymind.crypto.principal import Principal
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.rephrase import LineRephraser
from steadymind.features.companion.service import CompanionService
from steadymind.features.practice import audio
from steadymind.features.practice.catalogue import CAUTION_WORDS, FOLDER, catalogue, load_practice
from steadymind.features.practice.composer import Request, Script, Wording, compose
from steadymind.features.practice.rewording import fault, numbers, reword
from steadymind.features.practice.schemas import StartIn
from steadymind.features.practice.service import PracticeService
from steadymind.runtime import Rephraser
from tests.companion.openai_stub_server import MEANS
from tests.conftest import Persona
from tests.support import FAKE_HIGH, Services

Answer = Callable[[str], str]
CUES = {"Breathe in", "Breathe out", "Hold", "and a little more"}


class LineBackend:
    """A chat backend that answers each line with ``answer(line)``, word by word (or raises
    what ``answer`` raises), and keeps what it was sent."""

    def __init__(self, answer: Answer, delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.sent: list[list[dict[str, str]]] = []

    def stream(self, messages: list[dict[str, str]], *, timeout: float) -> Iterator[str]:
        self.sent.append(messages)
        if self.delay:
            time.sleep(self.delay)
        yield from re.findall(r"\S+\s*", self.answer(messages[-1]["content"]))


def gently(line: str) -> str:
    """A rewording that keeps every number and instruction."""
    return "Gently now: " + line[0].lower() + line[1:]


def opted_in(services: Services, persona: Persona, *, llm_replies: bool = True) -> Principal:
    services.runtime.get(Accounts).update_profile(persona.principal, ai_level="companion")
    p = dataclasses.replace(persona.principal, ai_level="companion")
    companion = services.runtime.get(CompanionService)
    companion.accept(p, CONSENT_VERSION)
    companion.set_prefs(p, llm_replies=llm_replies)
    return p


def with_model(services: Services, answer: Answer, *, delay: float = 0.0) -> LineBackend:
    backend = LineBackend(answer, delay)
    generator = Generator(backend, first_token_timeout=0.5, total_timeout=2.0)
    companion = services.runtime.get(CompanionService)
    services.runtime.provide(LineRephraser(companion, generator, services.seam), Rephraser)
    return backend


def start(services: Services, p: Principal, practice: str = "box-breathing") -> Script:
    _, script = services.runtime.get(PracticeService).start(
        p, StartIn(practice=practice, minutes=5)
    )
    return script


def reviewed(script: Script) -> Script:
    return compose(script.request.model_copy(update={"wording": None}))


def test_without_a_configured_model_no_feature_offers_a_rephraser(services: Services) -> None:
    assert services.runtime.find(Rephraser) is None


def test_lines_are_in_the_model_s_words_for_someone_who_chose_it(
    services: Services, alice: Persona
) -> None:
    p = opted_in(services, alice)
    backend = with_model(services, gently)
    script = start(services, p)
    plain = reviewed(script)
    assert script.worded_by == f"llm:LineBackend:{rephrase_prompt().version}"
    # The same moments, the same breaths: only words changed.
    assert [(s.start, s.seconds) for s in script.voice] == [
        (s.start, s.seconds) for s in plain.voice
    ]
    assert script.breaths == plain.breaths and script.seconds == plain.seconds
    pairs = list(zip(plain.voice, script.voice, strict=True))
    for before, after in pairs:
        if before.rewordable:
            assert after.text == gently(before.text)
        else:
            assert after.text == before.text
    caution = "If a hold feels uncomfortable, skip it and keep breathing slowly. Follow the count."
    assert caution in [s.text for s in script.voice]
    assert CUES & {s.text for s in script.voice}
    assert not any(s.rewordable for s in plain.voice if s.text in CUES or s.text == caution)
    # Each line went once, alone, with the reviewed prompt: nothing of the person's.
    sent = [m[-1]["content"] for m in backend.sent]
    assert (
        len(sent) == len(set(sent)) == sum(1 for _ in {s.text for s in plain.voice if s.rewordable})
    )
    assert all(m[0]["content"] == rephrase_prompt().text for m in backend.sent)
    # Replaying the session gives the same words, without asking the model again.
    again = services.runtime.get(PracticeService).script(p, _last_session(services, p))
    assert [s.text for s in again.voice] == [s.text for s in script.voice]
    assert len(backend.sent) == len(sent)


def _last_session(services: Services, p: Principal) -> str:
    return services.runtime.get(PracticeService).find(p, limit=1)[0].id


@pytest.mark.parametrize("chose", [False, None], ids=["llm-replies-off", "ai-setting-off"])
def test_without_the_person_s_choice_nothing_is_sent_and_the_words_are_the_reviewed_ones(
    services: Services, alice: Persona, chose: bool | None
) -> None:
    p = opted_in(services, alice, llm_replies=False) if chose is False else alice.principal
    backend = with_model(services, gently)
    script = start(services, p)
    assert backend.sent == []
    assert script.worded_by is None and script.request.wording is None
    assert script.as_json() == reviewed(script).as_json()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda _line: MEANS, "filter:means"),
        (lambda _line: FAKE_HIGH + ".", "check"),
        (lambda line: line.replace("four", "five").replace("Four", "Five"), "numbers"),
        (lambda _line: "Relax and let go of everything now.", None),
        (lambda line: line + " Notice your shoulders.", "body"),
    ],
    ids=["means", "crisis-words", "numbers-changed", "instruction-lost", "body-brought"],
)
def test_a_rewording_that_fails_a_check_leaves_the_reviewed_words(
    services: Services, alice: Persona, answer: Answer, reason: str | None
) -> None:
    p = opted_in(services, alice)
    with_model(services, answer)
    script = start(services, p)
    plain = reviewed(script)
    wording = script.request.wording
    assert wording is not None and wording.kept
    if reason is not None:
        assert any(why.startswith(reason) for why in wording.kept), wording.kept
    for before, after in zip(plain.voice, script.voice, strict=True):
        if after.text != before.text:  # only a rewording that passed every check
            assert fault(before.text, after.text) is None
    four = [s.text for s in plain.voice if re.search(r"\bfour\b", s.text, re.I)]
    assert four and set(four) <= {s.text for s in script.voice}
    if reason in ("filter:means", "check", "body"):
        assert script.worded_by is None and script.as_json()["voice"] == plain.as_json()["voice"]


def test_an_error_or_a_model_that_is_too_slow_leaves_the_reviewed_words(
    services: Services, alice: Persona
) -> None:
    p = opted_in(services, alice)

    def broken(_line: str) -> str:
        raise LLMUnavailable("connect")

    with_model(services, broken)
    script = start(services, p, "physiological-sigh")
    assert script.request.wording is not None
    assert set(script.request.wording.kept) == {"unavailable:connect"}
    assert script.as_json()["voice"] == reviewed(script).as_json()["voice"]

    with_model(services, gently, delay=1.0)  # the first word comes after the 0.5 s allowed
    slow = start(services, p, "physiological-sigh")
    assert slow.request.wording is not None
    assert set(slow.request.wording.kept) == {"timeout-first-token"}
    assert slow.worded_by is None


def test_the_time_allowed_for_rewording_runs_out_into_the_reviewed_words(
    services: Services, alice: Persona
) -> None:
    p = opted_in(services, alice)
    with_model(services, gently)
    script = compose(Request(practice="box-breathing", minutes=5))
    wording = reword(script, services.runtime.find(Rephraser), p, budget=0.0)
    assert wording is not None and wording.lines == {}
    assert wording.kept == {
        "budget": sum(1 for _ in {s.text for s in script.voice if s.rewordable})
    }


def test_a_stored_rewording_that_changes_a_number_is_never_spoken() -> None:
    plain = compose(Request(practice="box-breathing", minutes=5))
    line = next(s.text for s in plain.voice if s.rewordable and "four" in s.text)
    tampered = Wording(by="llm:x:1", lines={line: line.replace("four", "six")})
    script = compose(Request(practice="box-breathing", minutes=5, wording=tampered))
    assert line in [s.text for s in script.voice]
    assert script.as_json()["voice"] == plain.as_json()["voice"]


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def speak(self, text: str, voice: str, pace: str) -> audio.Audio:
        raise AssertionError("not spoken: only the cache key is asked for")


def test_the_audio_cache_key_names_the_rewording() -> None:
    engine = _Named("espeak-ng")
    plain = compose(Request(practice="box-breathing", minutes=5))
    line = next(s.text for s in plain.voice if s.rewordable)
    by_a = Wording(by="llm:model-a:1", lines={line: gently(line)})
    by_b = Wording(by="llm:model-b:1", lines={line: gently(line)})
    a = compose(Request(practice="box-breathing", minutes=5, wording=by_a))
    b = compose(Request(practice="box-breathing", minutes=5, wording=by_b))
    keys = {audio.cache_key(s, engine, ".ogg") for s in (plain, a, b)}
    assert len(keys) == 3
    # A rewording that changed nothing is the reviewed words' audio.
    none = compose(Request(practice="box-breathing", minutes=5, wording=Wording(by="llm:a:1")))
    assert none.worded_by is None


@pytest.mark.parametrize(
    ("original", "new", "why"),
    [
        ("Breathe in for four.", "Slowly breathe in for 4.", None),
        ("Breathe in for four.", "Slowly breathe in for five.", "numbers"),
        (
            "Hold for seven, then breathe out.",
            "Pause for seven, then breathe out.",
            "instruction:hold",
        ),
        ("Let the breath be easy.", "Let the breath be easy, jaw soft.", "body"),
        ("Let the breath be easy.", "Easy.", "length"),
        ("Let the breath be easy.", "Let the breath\nbe easy.", "shape"),
    ],
)
def test_a_rewording_must_keep_the_line_s_numbers_and_instructions(
    original: str, new: str, why: str | None
) -> None:
    assert fault(original, new) == why


def test_numbers_are_read_in_digits_and_in_words() -> None:
    assert numbers("in for four, out for 6, twice") == numbers("twice: 4 in, six out")


def test_a_spoken_caution_must_be_marked_verbatim(tmp_path: Path) -> None:
    text = (FOLDER / "box-breathing.toml").read_text(encoding="utf-8")
    assert "verbatim = true" in text
    unmarked = tmp_path / "box-breathing.toml"
    unmarked.write_text(text.replace("verbatim = true\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="verbatim"):
        load_practice(unmarked)


def test_every_caution_in_the_catalogue_is_spoken_as_written() -> None:
    for practice in catalogue().values():
        for step in practice.steps:
            if CAUTION_WORDS.search(step.say):
                assert step.verbatim, step.say
