"""Every flow file loads, holds together, and can be walked from start to summary."""

from __future__ import annotations

from typing import Any

import pytest

from steadymind.companion.engine import Companion, Reply
from steadymind.companion.registry import FlowError, offered, parse_flow, registry
from steadymind.companion.traps import TrapReading

REQUIRED = {
    "thought-record",
    "reframing",
    "activation",
    "activation-check",
    "grounding",
    "worry",
    "self-compassion",
    "problem-solving",
    "gratitude",
}


def fixed_detector(texts: list[str]) -> list[TrapReading]:
    return [
        TrapReading(True, ["mind reading", "labeling"], {"mind reading": 0.8, "labeling": 0.6})
        for _ in texts
    ]


def answer_for(reply: Reply) -> str:
    """A plausible answer to whatever the step asks."""
    if reply.expects == "scale":
        assert reply.scale is not None
        low, high = reply.scale
        return str((low + high) // 2 + 1)
    if reply.expects == "choice":
        return reply.choices[0].label
    return "They all think I'm useless at work."


def walk(engine: Companion, flow_id: str, carried: dict[str, Any] | None = None) -> list[Reply]:
    state = engine.new_state()
    if carried is None:
        replies = [engine.start(state, flow_id)]
    else:
        replies = [engine.open(state, follow_up=(flow_id, carried))]
    while replies[-1].finished is None:
        assert len(replies) < 40, "the flow never finished"
        replies.append(engine.turn(state, answer_for(replies[-1])))
    assert state["flow"] is None
    return replies


def test_the_required_flows_are_registered() -> None:
    assert set(registry()) >= REQUIRED
    assert "activation-check" not in {f.id for f in offered()}


@pytest.mark.parametrize("flow_id", sorted(REQUIRED - {"activation-check"}))
def test_every_flow_walks_end_to_end(flow_id: str) -> None:
    engine = Companion(detect=fixed_detector)
    replies = walk(engine, flow_id)
    finished = replies[-1].finished
    assert finished is not None and finished.flow == flow_id
    flow = registry()[flow_id]
    # Every asked step's answer is in the summary's answers, and no slot was left unfilled.
    asked = {r.step for r in replies if r.step}
    assert asked <= set(finished.answers)
    assert "{" not in finished.summary and "}" not in finished.summary
    assert finished.copy == flow.copy
    if flow.steps[0].lead:
        assert replies[0].text.startswith(flow.steps[0].lead)


def test_the_activation_plan_carries_into_its_follow_up() -> None:
    engine = Companion(detect=fixed_detector)
    replies = walk(engine, "activation")
    plan = replies[-1].finished
    assert plan is not None
    assert plan.follow_up == "activation-check"
    assert plan.tag == "They all think I'm useless at work."
    assert plan.checkin_mood == 1  # the middle of -5..+5, plus one
    assert plan.follow_up_days == 0  # "later today" was chosen
    assert plan.carried["when"] == "later today"
    check = walk(engine, "activation-check", dict(plan.carried))
    assert "You planned to: They all think I'm useless at work." in check[0].text
    done = check[-1].finished
    assert done is not None and done.checkin_mood == 1 and done.tag == plan.tag
    assert "Mood when you planned it: +1" in done.summary


def test_the_follow_up_asks_what_got_in_the_way_only_when_it_did_not_happen() -> None:
    engine = Companion(detect=fixed_detector)
    state = engine.new_state()
    carried = {"activity": "a short walk", "mood_before": -2, "when": "tomorrow"}
    engine.open(state, follow_up=("activation-check", carried))
    reply = engine.turn(state, "no")
    assert reply.step == "blocked"
    state = engine.new_state()
    engine.open(state, follow_up=("activation-check", carried))
    assert engine.turn(state, "yes").step == "mood_after"


def test_the_thought_record_explains_the_traps_it_found_in_plain_words() -> None:
    engine = Companion(detect=fixed_detector)
    state = engine.new_state()
    engine.start(state, "thought-record")
    for answer in ("At work, in a meeting.", "They all think I'm useless.", "ashamed", "80"):
        reply = engine.turn(state, answer)
    assert reply.step == "traps"
    assert "mind reading and labeling" in reply.text
    assert "Mind reading: being sure we know what others think of us" in reply.text


def test_a_scale_answer_out_of_range_is_asked_again_with_the_hint() -> None:
    engine = Companion(detect=fixed_detector)
    state = engine.new_state()
    engine.start(state, "grounding")
    for answer in ("a lamp", "the chair", "traffic", "coffee", "done"):
        engine.turn(state, answer)
    again = engine.turn(state, "eleven out of ten")
    assert again.step == "now" and again.text.startswith("A number from 0 to 10.")
    assert engine.turn(state, "4").finished is not None


def test_stop_pauses_a_flow_and_continue_picks_it_up_where_it_was() -> None:
    engine = Companion(detect=fixed_detector)
    state = engine.new_state()
    engine.start(state, "problem-solving")
    engine.turn(state, "My landlord won't fix the heating.")
    paused = engine.turn(state, "stop")
    assert paused.flow is None and "continue" in paused.text
    assert state["flow"] is None and state["paused"]["answers"]["problem"]
    resumed = engine.turn(state, "continue")
    assert resumed.step == "goal" and resumed.text.startswith("Let's pick up where we left off.")


def test_skip_moves_on_and_the_summary_marks_what_was_skipped() -> None:
    engine = Companion(detect=fixed_detector)
    state = engine.new_state()
    engine.start(state, "gratitude")
    engine.turn(state, "A good coffee with Sam.")
    engine.turn(state, "Sam invited me.")
    reply = engine.turn(state, "skip")
    assert reply.finished is not None
    assert "Also: —" in reply.finished.summary


def test_a_broken_flow_file_is_refused_with_the_reason() -> None:
    text = """
id = "x"
title = "X"
summary = "x"
copy = "1"
[[steps]]
id = "a"
kind = "text"
say = "About {b}?"
[[steps]]
id = "b"
kind = "summary"
say = "done"
"""
    with pytest.raises(FlowError, match="names \\['b'\\] before they exist"):
        parse_flow(text)
    with pytest.raises(FlowError, match="the last step is the summary"):
        parse_flow(text.replace('kind = "summary"', 'kind = "text"').replace("{b}", "it"))


def test_worry_time_brings_the_parked_worry_back_and_shows_only_the_branch_taken() -> None:
    engine = Companion(detect=fixed_detector)
    replies = walk(engine, "worry")
    parked = replies[-1].finished
    assert parked is not None and parked.follow_up == "worry-time"
    assert parked.carried["worry"] == "They all think I'm useless at work."
    state = engine.new_state()
    opening = engine.open(state, follow_up=("worry-time", dict(parked.carried)))
    assert "Earlier you parked this worry: They all think I'm useless at work." in opening.text
    engine.turn(state, "not any more")
    done = engine.turn(state, "A walk helped.")
    assert done.finished is not None
    assert "What you found: A walk helped." in done.finished.summary
    assert "—" not in done.finished.summary
