"""The companion: conversations that listen and guided CBT exercises, on the person's say-so.

It runs only for someone whose AI setting is "companion" and who accepted its consent. Every
turn a person writes passes the text seam with the conversation as context; the companion's mind
(flows, free talk, thinking traps) lives in :mod:`steadymind.companion`.
"""

from __future__ import annotations

from datetime import timedelta

from steadymind.companion.llm import Generator, LLMConfig
from steadymind.companion.prompts import Prompt, choose
from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError
from steadymind.crypto.principal import Principal
from steadymind.features.companion.factors import FinishedFlows
from steadymind.features.companion.personal import CompanionData
from steadymind.features.companion.rephrase import LineRephraser
from steadymind.features.companion.service import MEMORY, TURN, CompanionService
from steadymind.runtime import (
    Activity,
    Feature,
    JournalPrompter,
    MoodSource,
    PlanSource,
    Rephraser,
    Runtime,
)


def language_model(settings: Settings) -> Generator | None:
    """The server's optional language model (``STEADYMIND_LLM_*``), or None (the default)."""
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    try:
        config = LLMConfig(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=key,
            gguf_path=settings.llm_gguf_path,
            connect_timeout=settings.llm_connect_timeout,
            first_token_timeout=settings.llm_first_token_timeout,
            total_timeout=settings.llm_total_timeout,
        )
    except ValueError as exc:
        raise ConfigError(f"The language model settings do not fit together: {exc}.") from None
    return config.generator()


class Prompter:
    """The journal's prompts (``runtime.JournalPrompter``): from the person's check-in moods,
    what they planned with the companion and the exercises they finished."""

    def __init__(self, runtime: Runtime, service: CompanionService) -> None:
        self.runtime = runtime
        self.service = service

    def journal_prompt(self, owner: Principal) -> Prompt | None:
        now = self.runtime.clock.now()
        source: MoodSource | None = self.runtime.find(MoodSource)
        moods = source.recent_moods(owner, now - timedelta(days=2)) if source else []
        planned = [
            (item["due_at"], str(item["carried"].get("activity") or item["carried"].get("worry")))
            for item in self.service.planned(owner)
            if item["carried"].get("activity") or item["carried"].get("worry")
        ]
        finished = self.service.recently_finished(owner, now - timedelta(days=3))
        return choose(now, moods=moods, planned=planned, finished=finished)


class FlowSuggestions:
    """The companion's flows as activities the coach may suggest (``runtime.SuggestionSource``):
    only to someone whose AI setting is "companion" and who accepted its consent, as the
    companion itself requires."""

    def __init__(self, service: CompanionService) -> None:
        self.service = service

    def activities(self, owner: Principal) -> list[Activity]:
        if owner.ai_level != "companion" or self.service.consent(owner).needed:
            return []
        return [
            Activity(key=f"flow:{f.id}", label=f.title, kind="flow", link=f"/companion#flow-{f.id}")
            for f in self.service.flows()
        ]


def setup(runtime: Runtime) -> None:
    llm = language_model(runtime.settings)
    service = runtime.provide(CompanionService(runtime.db, runtime.clock, runtime.seam, llm=llm))
    if llm is not None:  # no model on the server: nothing to offer, the default
        runtime.provide(LineRephraser(service, llm, runtime.seam), Rephraser)
    runtime.provide(service, PlanSource)
    runtime.provide(Prompter(runtime, service), JournalPrompter)
    runtime.seam.register_surface(TURN)
    runtime.seam.register_surface(MEMORY)
    runtime.seam.register_answers(TURN.name, service.record_answer)
    runtime.seam.register_context(service.recent_turns)
    runtime.add_personal_data(CompanionData(service))
    runtime.add_factor_source(FinishedFlows(runtime.db))
    runtime.add_suggestion_source(FlowSuggestions(service))


FEATURE = Feature(name="companion", setup=setup, requires=("accounts",))
