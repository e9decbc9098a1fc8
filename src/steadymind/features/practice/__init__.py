"""Guided practice: a catalogue of reviewed practices, a composer that times a script for this
person and this moment, spoken audio made locally, a breathing pacer, ratings before and after
("what helped you"), a one-minute exercise for anyone from Help now, and live heart-rate
biofeedback."""

from __future__ import annotations

from steadymind.crypto.principal import Principal
from steadymind.features.practice.catalogue import catalogue, goal_book
from steadymind.features.practice.personal import PracticeData
from steadymind.features.practice.service import NOTE, PracticeService
from steadymind.runtime import Activity, Feature, MoodSource, OutcomeSource, Rephraser, Runtime


class PracticeSuggestions:
    """The practices as activities the coach may suggest (``runtime.SuggestionSource``); each
    links to its page, where its purpose, evidence and cautions are, for its first goal."""

    def activities(self, owner: Principal) -> list[Activity]:
        return [
            Activity(
                key=f"practice:{p.id}",
                label=p.title,
                kind="practice",
                link=f"/practice?goal={p.goals[0]}#about-{p.id}",
            )
            for p in catalogue().values()
        ]


def setup(runtime: Runtime) -> None:
    # Read and check every practice file at start: an incomplete one stops the app here.
    catalogue()
    goal_book()
    service = runtime.provide(PracticeService(runtime.db, runtime.clock, runtime.seam))
    service.moods = runtime.find(MoodSource)
    service.rephraser = lambda: runtime.find(Rephraser)
    runtime.seam.register_surface(NOTE)
    runtime.seam.register_answers(NOTE.name, service.record_answer)
    runtime.add_personal_data(PracticeData(service))
    runtime.add_factor_source(service)
    runtime.provide(service, OutcomeSource)
    runtime.add_suggestion_source(PracticeSuggestions())


FEATURE = Feature(
    name="practice",
    setup=setup,
    requires=("accounts", "checkins"),
    # The one-minute exercise is one tap from Help now and the crisis screen: for everyone.
    public_routes=frozenset(
        {
            ("GET", "/breathe"),
            ("GET", "/practice/assets/{name}"),
            ("GET", "/api/v1/practice/catalogue"),
        }
    ),
)
