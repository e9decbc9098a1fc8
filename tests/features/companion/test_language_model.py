"""The optional language model in a conversation, against a real OpenAI-compatible server on
loopback: used only in free talk, only for someone who chose it, never after the seam stopped a
turn, and replaced by the engine's words whenever a sentence fails a check or time runs out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from steadymind.companion.llm import Generator, OpenAICompatible, rephrase_prompt, system_prompt
from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError
from steadymind.crypto.principal import Principal
from steadymind.features import build_runtime
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.companion import language_model
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.service import CompanionService, Replaced, TurnResult
from steadymind.runtime import Rephraser, Reworded, Runtime
from steadymind.screen import TextSeam
from tests.companion.openai_stub_server import NORMAL, StubServer
from tests.conftest import Persona, fast_settings
from tests.support import FAKE_HIGH, FakeEmotions, FakeGate, Services


@pytest.fixture
def server() -> Iterator[StubServer]:
    with StubServer() as running:
        yield running


def on(services: Services, persona: Persona) -> Principal:
    services.runtime.get(Accounts).update_profile(persona.principal, ai_level="companion")
    p = dataclasses.replace(persona.principal, ai_level="companion")
    services.runtime.get(CompanionService).accept(p, CONSENT_VERSION)
    return p


def with_model(
    services: Services, server: StubServer, script: str, **timeouts: float
) -> CompanionService:
    backend = OpenAICompatible(server.base_url, script)
    generator = Generator(
        backend,
        first_token_timeout=timeouts.get("first", 5.0),
        total_timeout=timeouts.get("total", 10.0),
    )
    return CompanionService(services.db, services.clock, services.seam, llm=generator)


def test_free_talk_streams_the_model_s_reply_when_the_person_chose_it(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "normal")
    assert service.prefs(p).llm_available and not service.prefs(p).llm_replies
    service.set_prefs(p, llm_replies=True)
    session, _ = service.start(p)
    events = list(service.say_events(p, session.id, "Work was a lot today."))
    *sentences, result = events
    assert isinstance(result, TurnResult) and result.reply is not None
    assert " ".join(str(s) for s in sentences) == NORMAL == result.reply.text
    assert result.reply.meta["engine"] == "llm"
    assert result.reply.meta["prompt"] == system_prompt().version
    sent = server.requests[-1]["body"]["messages"]
    assert sent[0]["role"] == "system" and sent[-1]["content"] == "Work was a lot today."


def test_without_the_person_s_choice_nothing_is_sent(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "normal")
    session, _ = service.start(p)
    result = service.say(p, session.id, "Work was a lot today.")
    assert result.reply is not None and result.reply.meta["engine"] == "default"
    assert server.requests == []


def test_a_turn_the_seam_stopped_is_never_sent_to_the_model(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "normal")
    service.set_prefs(p, llm_replies=True)
    session, _ = service.start(p)
    result = service.say(p, session.id, FAKE_HIGH)
    assert result.reply is None and server.requests == []
    service.say(p, session.id, "Thank you.")
    # Nor is it in the conversation the model reads afterwards.
    contents = [m["content"] for m in server.requests[-1]["body"]["messages"]]
    assert all(FAKE_HIGH not in c for c in contents)


def test_an_exercise_is_the_engine_s_words_only(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "normal")
    service.set_prefs(p, llm_replies=True)
    session, _ = service.start(p, flow="grounding")
    result = service.say(p, session.id, "a lamp, a door, a cup, a plant, a book")
    assert result.reply is not None and result.reply.meta["step"] == "touch"
    assert server.requests == []


def test_means_information_midway_gives_way_to_the_engine_s_words(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "means-midway")
    service.set_prefs(p, llm_replies=True)
    session, _ = service.start(p)
    events = list(service.say_events(p, session.id, "I just lost my job."))
    result = events[-1]
    assert isinstance(result, TurnResult) and result.reply is not None
    assert any(isinstance(e, Replaced) for e in events)
    shown = " ".join(e for e in events if isinstance(e, str))
    assert "metre" not in shown and "meter" not in shown
    assert result.reply.meta["engine"] == "default"
    assert result.reply.meta["fallback"].startswith("filter:means")
    assert "bridge" not in result.reply.text.lower()


def test_a_model_that_does_not_answer_in_time_falls_back(
    services: Services, alice: Persona, server: StubServer
) -> None:
    p = on(services, alice)
    service = with_model(services, server, "slow-first-token", first=0.5, total=2.0)
    service.set_prefs(p, llm_replies=True)
    session, _ = service.start(p)
    result = service.say(p, session.id, "Long day.")
    assert result.reply is not None and result.reply.meta["fallback"] == "timeout-first-token"


def test_settings_that_do_not_fit_are_one_clear_error(tmp_path: object) -> None:
    settings = fast_settings(tmp_path, llm_base_url="http://127.0.0.1:11434/v1")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="model's name"):
        language_model(settings)
    assert language_model(fast_settings(tmp_path)) is None  # type: ignore[arg-type]


def _with(settings: Settings, services: Services) -> Runtime:
    """Another runtime on the same database, with its own seam (surfaces register once)."""
    seam = TextSeam(FakeGate(), FakeEmotions(), services.clock)
    return build_runtime(settings, db=services.db, clock=services.clock, seam=seam)


def test_a_configured_model_rewords_a_practice_line_only_for_someone_who_chose_it(
    services: Services, alice: Persona, server: StubServer, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path, llm_base_url=server.base_url, llm_model="normal")
    runtime = _with(settings, services)
    rephraser = runtime.find(Rephraser)
    assert rephraser is not None
    assert rephraser.rewording(alice.principal) is None  # the AI setting is not "companion"
    assert rephraser.rephrase(alice.principal, "Breathe in.", timeout=5) == Reworded(
        None, "not-chosen"
    )
    assert server.requests == []
    p = on(services, alice)
    runtime.get(CompanionService).set_prefs(p, llm_replies=True)
    assert rephraser.rewording(p) == f"llm:normal:{rephrase_prompt().version}"
    assert rephraser.rephrase(p, "Let the breath be easy.", timeout=5) == Reworded(NORMAL)
    sent = server.requests[-1]["body"]["messages"]
    assert sent == [
        {"role": "system", "content": rephrase_prompt().text},
        {"role": "user", "content": "Let the breath be easy."},
    ]


def test_a_model_s_unsafe_rewording_is_never_returned(
    services: Services, alice: Persona, server: StubServer, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path, llm_base_url=server.base_url, llm_model="means-midway")
    runtime = _with(settings, services)
    p = on(services, alice)
    runtime.get(CompanionService).set_prefs(p, llm_replies=True)
    found = runtime.find(Rephraser).rephrase(p, "Let the breath be easy.", timeout=5)
    assert found.text is None and found.reason is not None
    assert found.reason.startswith("filter:means")
