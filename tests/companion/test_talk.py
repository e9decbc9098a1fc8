"""Free talk: reflections from the person's own words, offers that never push, no repeats."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from steadymind.companion.engine import Companion
from steadymind.companion.talk import NO_REPEAT_TURNS, hear, topics
from steadymind.companion.traps import TrapReading

CALM = TrapReading(False, [], {})
Detect = Callable[[list[str]], list[TrapReading]]


def calm(texts: list[str]) -> list[TrapReading]:
    return [CALM for _ in texts]


def distorted(texts: list[str]) -> list[TrapReading]:
    return [TrapReading(True, ["mind reading"], {"mind reading": 0.9}) for _ in texts]


SCRIPT = [
    "I had a rough day at work.",
    "My boss yelled at me in front of everyone.",
    "I feel so embarrassed.",
    "I keep replaying it in my head.",
    "My partner says I should let it go.",
    "ok",
    "I went for a walk after, which helped a bit.",
    "I'm tired of feeling like this.",
    "My sister called, that was nice.",
    "I don't know.",
]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


def several_traps(texts: list[str]) -> list[TrapReading]:
    # The detector reads a trap in every turn, as it does in a long, troubled conversation.
    return [
        TrapReading(True, ["fortune telling", "labeling"], {"fortune telling": 0.9}) for _ in texts
    ]


@pytest.mark.parametrize("detect", [calm, distorted, several_traps])
def test_no_sentence_comes_back_within_twenty_turns(detect: Detect) -> None:
    engine = Companion(detect=detect)
    state = engine.new_state()
    said: list[list[str]] = []
    for turn in range(120):
        reply = engine.turn(state, SCRIPT[turn % len(SCRIPT)], emotions=["sadness"])
        said.append(sentences(reply.text))
        if reply.offer:  # the offer is declined; the talk goes on, and that reply is a turn too
            said.append(sentences(engine.turn(state, "no thanks").text))
    for i, now in enumerate(said):
        for earlier in said[max(0, i - NO_REPEAT_TURNS) : i]:
            assert not set(now) & set(earlier), (i, set(now) & set(earlier))


def test_the_person_s_own_feeling_word_comes_before_the_model_s() -> None:
    heard = hear("I feel so alone since the move", ["sadness"])
    assert heard.feelings[:2] == ("alone", "sad")
    reply = Companion(detect=calm).turn(
        Companion.new_state(), "I feel so alone lately", emotions=[]
    )
    assert "alone" in reply.text


def test_topics_are_reflected_in_the_second_person() -> None:
    assert topics("My boss and the deadline, and stuff at work") == [
        "your boss",
        "the deadline",
        "work",
    ]


def test_model_labels_a_person_would_not_use_are_never_reflected() -> None:
    heard = hear("Just thinking about things", ["realization", "approval", "desire"])
    assert heard.feelings == ()


def test_a_fitting_flow_is_offered_after_some_listening_and_a_yes_starts_it() -> None:
    engine = Companion(detect=distorted)
    state = engine.new_state()
    first = engine.turn(state, "Everyone at work thinks I'm an idiot.")
    assert first.offer is None  # listening first
    engine.turn(state, "They never ask me to join anything.")
    offered = engine.turn(state, "I just know they talk about me.")
    assert offered.offer == "thought-record"
    started = engine.turn(state, "yes")
    assert started.flow == "thought-record" and started.step == "situation"


def test_a_declined_flow_is_not_offered_again_in_the_session() -> None:
    engine = Companion(detect=distorted)
    state = engine.new_state()
    offers = []
    for turn in range(40):
        reply = engine.turn(state, f"They all hate me, it happened again on day {turn}.")
        if reply.offer:
            offers.append(reply.offer)
            engine.turn(state, "no")
    assert len(offers) == len(set(offers)) and offers[0] == "thought-record"


def test_an_acute_moment_is_offered_grounding_straight_away() -> None:
    engine = Companion(detect=calm)
    reply = engine.turn(engine.new_state(), "I'm panicking and I can't breathe properly")
    assert reply.offer == "grounding"


def test_remember_that_hands_the_item_to_the_feature_and_says_where_it_is_kept() -> None:
    engine = Companion(detect=calm)
    reply = engine.turn(engine.new_state(), "Please remember that walks with my dog Max help me.")
    assert reply.remember == "walks with my dog Max help me."
    assert "Memory page" in reply.text


def test_something_remembered_is_brought_back_when_the_talk_touches_it() -> None:
    engine = Companion(detect=calm)
    state = engine.new_state()
    memory = ["Walks with my dog Max help me."]
    reply = engine.turn(state, "I haven't taken Max out in days.", memory=memory)
    assert "Walks with my dog Max help me." in reply.text
    again = engine.turn(state, "Max is sleeping now.", memory=memory)
    assert "Walks with my dog Max help me." not in again.text  # once, not every turn
