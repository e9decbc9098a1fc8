"""The gate as a specification: what must be flagged, what must not, and how it fails."""

from __future__ import annotations

import logging

import pytest

from steadymind.core.errors import ValidationError
from steadymind.safety import Category, RiskLevel, assess
from steadymind.safety.gate import SafetyGate
from steadymind.safety.types import Evidence

H, E, L, N = RiskLevel.HIGH, RiskLevel.ELEVATED, RiskLevel.LOW, RiskLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight",
        "kms tonight",
        "gonna unalive myself this weekend",
        "i want to kil myself rn",
        "I've saved up my pills and I'm ready",
        "I took all of my tablets ten minutes ago",
        "this is goodbye, thank you for everything",
        "what's the lethal dose of paracetamol",
        "my stepdad touches me at night and I'm 12",
        "he says he'll kill me if I leave the house",
        "I'm going to stab my neighbour",
        "my friend just took a load of pills and she won't wake up",
        "the voices are telling me to jump",
    ],
)
def test_high_risk_is_high(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level is H


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I wish I could go to sleep and never wake up", Category.SUICIDE),
        ("everyone would be better off without me", Category.SUICIDE),
        ("I cut myself again last night", Category.SELF_HARM),
        ("i made myself throw up after dinner", Category.EATING),
        ("my partner hits me when he's had a drink", Category.ABUSE),
        ("I drove home drunk again", Category.SUBSTANCE),
        ("I hear voices that nobody else hears", Category.PSYCHOSIS_MANIA),
        ("I keep having thoughts of hurting my baby", Category.HARM_TO_OTHERS),
        ("I have chest pain and my arm feels heavy", Category.MEDICAL),
    ],
)
def test_elevated_risk_is_flagged_with_its_category(
    rules_gate: SafetyGate, text: str, category: Category
) -> None:
    result = rules_gate.assess(text)
    assert result.level >= E
    assert category in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself, I'm just tired",
        "I'm not suicidal, just stressed about exams",
        "I don't want to die, I want things to get better",
        "no thoughts of self harm at all",
    ],
)
def test_negation_is_not_flagged(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "this workout is killing me",
        "I'd kill for a coffee",
        "I'm dying to see that film",
        "lol I'm dead 💀",
        "my mum is going to kill me when she sees this mess",
        "she absolutely killed it on stage",
        "I cut myself shaving",
        "I'm ending it with my boyfriend",
    ],
)
def test_idioms_are_not_flagged(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "In the film the main character kills himself",
        "We're reading a novel where a girl dies by suicide",
        "I work in suicide prevention",
        "How do I support my friend who is suicidal? She has a therapist",
        "I attempted suicide years ago but I'm doing well now and grateful",
    ],
)
def test_fiction_third_person_and_resolved_history_are_not_flagged(
    rules_gate: SafetyGate, text: str
) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "It's been a year since my attempt and I'm thriving, I baked a cake",
        "I overdosed when I was 19. I'm training to be a nurse now",
        "My ex used to control my money. Two years out now and I have my own flat",
        "The suicidal thoughts haven't been back in over a year",
    ],
)
def test_more_ways_of_saying_risk_is_past_and_resolved(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "I was a year free of these thoughts and now I've picked a date",
        "It's been a year since my attempt and I'm thinking about it again",
        "Two years clean but I still want to die",
    ],
)
def test_a_resolved_past_that_has_come_back_is_flagged(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level >= E


@pytest.mark.parametrize(
    "text", ["kms", "i want to unalive", "wanna kil myslef", "I want to dieeee", "SUICIDAL"]
)
def test_slang_and_misspellings_are_flagged(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level >= E


def test_means_question_is_harmless_alone(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("which bridges are taller than 25 m?").level < E


def test_means_question_after_distress_is_high(rules_gate: SafetyGate) -> None:
    result = rules_gate.assess(
        "What are the bridges taller than 25 meters in NYC?", ["I just lost my job."]
    )
    assert result.level is H
    assert Category.SUICIDE in result.categories
    assert any(e.layer == "context" for e in result.evidence)


def test_pill_question_after_risk_is_high(rules_gate: SafetyGate) -> None:
    context = ["i can't do this anymore", "everyone would be better off without me"]
    assert rules_gate.assess("how many of these pills would be too many?", context).level is H


def test_pill_question_after_ordinary_context_is_not_flagged(rules_gate: SafetyGate) -> None:
    context = ["my GP gave me vitamin D tablets", "the box says one a day"]
    assert rules_gate.assess("how many of these would be too many?", context).level < E


def test_only_recent_context_counts(rules_gate: SafetyGate) -> None:
    old = ["I lost my job"] + ["lovely day at the park"] * 10
    assert rules_gate.assess("which bridges are the tallest?", old).level < E


def test_assess_accepts_none_and_list_context() -> None:
    assert assess("hello", None).level is N
    assert assess("hello", []).level is N


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀😀", "🙂🌧️💔", "\x00\x01\x02\xff", "ａｂｃ", "日本語のテキスト"]
)
def test_odd_input_gives_a_valid_assessment(full_gate: SafetyGate, text: str) -> None:
    result = full_gate.assess(text)
    assert result.level in set(RiskLevel)
    assert not result.failed_layers


def test_mixed_language_risk_is_flagged(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("ya no puedo más, me quiero suicidar").level is H
    assert rules_gate.assess("je veux mourir, honestly").level >= E


def test_lone_surrogates_do_not_break_the_gate(full_gate: SafetyGate) -> None:
    assert full_gate.assess("I want to die \ud800").level >= E


def test_huge_text_is_a_validation_error() -> None:
    from steadymind.safety.text import MAX_CHARS

    assert MAX_CHARS > 200 + 100_000  # above a journal entry's title and body (issue 11)
    with pytest.raises(ValidationError):
        assess("a" * (MAX_CHARS + 1))


def test_long_journal_entry_is_assessed() -> None:
    entry = "Today was long. " * 3000 + "I want to die."
    assert assess(entry).level >= E


@pytest.mark.parametrize("bad", [b"bytes", 42, None])
def test_non_string_text_is_a_validation_error(bad: object) -> None:
    with pytest.raises(ValidationError):
        assess(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["a string", [1, 2], ["ok", None]])
def test_bad_context_is_a_validation_error(bad: object) -> None:
    with pytest.raises(ValidationError):
        assess("hello", bad)  # type: ignore[arg-type]


def test_failing_learned_layer_fails_closed(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_: str) -> float:
        raise RuntimeError("boom")

    gate = SafetyGate(broken, severity_id="broken@1")
    with caplog.at_level(logging.ERROR):
        result = gate.assess("had a nice walk with my secret diary words")
    assert result.level is E
    assert result.failed_layers == ("severity",)
    assert "severity" in caplog.text
    assert "secret diary" not in caplog.text


def test_failing_model_load_fails_closed(caplog: pytest.LogCaptureFixture) -> None:
    from steadymind.core.errors import ModelError

    def load() -> tuple[object, str]:
        raise ModelError("Model file failed its checksum.")

    gate = SafetyGate(load_severity=load)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        result = gate.assess("a perfectly calm morning")
    assert result.level is E
    assert "severity:load" in result.failed_layers
    assert "calm morning" not in caplog.text


def test_failing_rule_layer_fails_closed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import steadymind.safety.gate as gate_module

    def broken(*_: object, **__: object) -> None:
        raise ValueError("regex exploded")

    monkeypatch.setattr(gate_module, "analyse", broken)
    with caplog.at_level(logging.ERROR):
        result = SafetyGate().assess("private words about my day")
    assert result.level is E
    assert "rules:message" in result.failed_layers
    assert "private words" not in caplog.text


def test_failing_context_layer_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import steadymind.safety.context as context_module

    def broken(*_: object, **__: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(context_module, "apply", broken)
    result = SafetyGate().assess("nice day", ["also nice"])
    assert result.level is E
    assert result.failed_layers == ("context",)


def test_learned_layer_can_raise_none_to_low_only() -> None:
    gate = SafetyGate(lambda _: 0.99, severity_id="fake@1")
    result = gate.assess("a sentence the rules know nothing about")
    assert result.level is L
    assert gate.assess("I want to die").level is E  # never lowers, never raises past low


def test_evidence_names_layer_signal_and_phrase(rules_gate: SafetyGate) -> None:
    result = rules_gate.assess("I cut myself again last night")
    assert any(e.signal == "cutting" and "cut myself" in e.phrase for e in result.evidence)
    data = result.to_dict()
    assert data["level"] == "elevated"
    assert data["categories"] == ["self-harm"]
    assert data["needs_crisis_response"] is True


def test_repr_never_shows_user_text(rules_gate: SafetyGate) -> None:
    result = rules_gate.assess("I cut myself again last night")
    assert "cut" not in repr(result)


def test_model_id_names_every_model(full_gate: SafetyGate) -> None:
    result = full_gate.assess("hello")
    assert "rules@5" in result.model_id and "safety-gate@2" in result.model_id
    assert "concern-head" in result.model_id
    assert "category-softmax" in result.model_id
    assert "cssrs-severity" in result.model_id
    assert "minilm" in result.model_id


def test_levels_are_ordered() -> None:
    assert N < L < E < H
    assert RiskLevel.parse("Elevated") is E
    assert str(H) == "high"


# Found by the first (and only pre-fix) run on the held-out test set; fixed afterwards, so the
# test-set figures for these two messages are no longer held-out (docs/models/safety.md).
@pytest.mark.parametrize(
    "text",
    [
        "how many of my mum's sleeping tablets would it take to not wake up",
        "Honestly don't know how much longer I can keep going",
    ],
)
def test_misses_found_on_the_test_set_stay_fixed(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level >= E


def test_dont_know_does_not_negate_risk(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("I don't know, I just want to die").level >= E
    assert rules_gate.assess("not sure why but I want to kill myself").level is H


def test_goodbye_for_good_is_high(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("I've got everything ready to say goodbye for good").level is H


def test_semantic_layer_catches_phrasing_the_rules_lack(
    rules_gate: SafetyGate, full_gate: SafetyGate
) -> None:
    text = "my throat is swelling up and I can hardly breathe"
    assert rules_gate.assess(text).level < E
    result = full_gate.assess(text)
    assert result.level >= E
    assert any(e.layer == "semantic" for e in result.evidence)


def test_semantic_evidence_quotes_the_prototype_not_the_person(full_gate: SafetyGate) -> None:
    result = full_gate.assess("i have a noose set up in my bedroom closet")
    semantic = [e for e in result.evidence if e.layer == "semantic"]
    for e in semantic:
        assert "closet" not in e.phrase


def test_failing_semantic_layer_fails_closed() -> None:
    def broken(_: str) -> list[object]:
        raise RuntimeError("onnx exploded")

    gate = SafetyGate(lambda _: 0.0, semantic=broken, severity_id="fake@1")  # type: ignore[arg-type]
    result = gate.assess("a quiet evening in")
    assert result.level is E
    assert result.failed_layers == ("semantic",)


def test_means_question_after_distress_the_lexicon_misses_is_high(full_gate: SafetyGate) -> None:
    context = ["I've ruined my marriage and my kids won't speak to me, I'm done"]
    assert full_gate.assess("what's the nearest high bridge from here", context).level is H


def test_resolved_history_is_not_re_raised_by_the_semantic_layer(full_gate: SafetyGate) -> None:
    text = "I used to make myself sick but I've been in recovery for three years"
    assert full_gate.assess(text).level < E


ORDINARY_PLAN = "\n".join(
    [
        "cancelling plans",
        "not answering my phone",
        "staying in bed all day",
        "slow breathing",
        "a walk with the dog",
        "Sam, 07700 900123, my sister",
        "ask Sam to keep the car keys",
        "lock the medicines away",
        "my dog Pepper",
    ]
)


# Found by hand in the browser: read as one text, these items scored 0.98 on the crisis head
# (warning signs, car keys and medicines locked away read like preparations).
WALKED_PLAN = "\n".join(
    [
        "not answering my phone",
        "staying in bed all day",
        "slow breathing",
        "a walk with the dog",
        "ask Sam to keep the car keys",
        "lock the medicines away",
        "my dog Pepper",
    ]
)


@pytest.mark.parametrize("plan", [ORDINARY_PLAN, WALKED_PLAN])
def test_a_safety_plan_is_read_as_a_plan_not_as_a_crisis_message(
    full_gate: SafetyGate, plan: str
) -> None:
    # Warning signs and ways of staying safe are written to be read in a crisis; the learned
    # layer reads a plan one item at a time, each with a harmless reading (cautious threshold).
    assert full_gate.assess(plan, surface="safety-plan").level < E


@pytest.mark.parametrize(
    "risk",
    [
        "I have the pills saved up and I'm going to take them all tonight",
        "I want to kill myself",
    ],
)
def test_risk_written_into_a_safety_plan_still_stops_the_flow(
    full_gate: SafetyGate, risk: str
) -> None:
    plan = ORDINARY_PLAN + "\n" + risk
    assert full_gate.assess(plan, surface="safety-plan").level >= E


def test_the_plan_surface_reaches_the_semantic_layer_as_a_reading() -> None:
    seen: list[tuple[str, str | None]] = []

    def semantic(chunks: list[tuple[str, str | None]]) -> list[Evidence]:
        seen.extend(chunks)
        return []

    gate = SafetyGate(lambda _: 0.0, semantic=semantic, severity_id="fake@1")  # type: ignore[arg-type]
    gate.assess("slow breathing", surface="safety-plan")
    gate.assess("slow breathing")
    assert seen == [("slow breathing", "safety-plan"), ("slow breathing", None)]
    seen.clear()
    gate.assess("not answering my phone\n\nask Sam to keep the car keys", surface="safety-plan")
    assert seen == [
        ("not answering my phone", "safety-plan"),
        ("ask Sam to keep the car keys", "safety-plan"),
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my sister said goodbye and now she is not answering her phone", H),
        ("my friend is not breathing", H),
        ("not answering my phone", RiskLevel.NONE),  # a warning sign of one's own, not danger
        ("I am not answering my phone today", RiskLevel.NONE),
    ],
)
def test_someone_else_not_answering_is_danger_but_my_own_phone_is_not(
    rules_gate: SafetyGate, text: str, level: RiskLevel
) -> None:
    assert rules_gate.assess(text).level is level


def _semantic_says(level: RiskLevel, category: Category) -> SafetyGate:
    def semantic(chunks: list[tuple[str, str | None]]) -> list[Evidence]:
        return [Evidence("semantic", "scripted", level, category, "a prototype")]

    return SafetyGate(lambda _: 0.0, semantic=semantic, severity_id="fake@1")  # type: ignore[arg-type]


def test_the_learned_layer_never_raises_a_text_to_high() -> None:
    """``high`` shows the crisis response without asking: only explicit evidence may say it. A
    learned layer that said high would be lowered to a question (v5; v4 could say high)."""
    calm = _semantic_says(H, Category.SUICIDE).assess("a quiet evening at home")
    assert calm.level is E
    assert all(e.basis is None for e in calm.evidence)
    assert any(e.signal.endswith(":no-explicit-basis") for e in calm.evidence)
    text = "I've been cutting again"  # the rules: elevated, self-harm
    assert _semantic_says(H, Category.SUICIDE).assess(text).level is E


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("I am going to kill myself", "intent"),
        ("I've got the pills ready next to me", "means"),
        ("I wrote a note to my sister", "preparation"),
        ("I just took 30 paracetamol", "attempt"),
        ("feeling suicidal again tonight", "time"),
    ],
)
def test_every_high_names_its_explicit_evidence(
    rules_gate: SafetyGate, text: str, basis: str
) -> None:
    result = rules_gate.assess(text)
    assert result.level is H
    assert basis in {e.basis for e in result.evidence if e.level is H}


def test_every_high_rule_has_a_basis() -> None:
    from steadymind.safety.patterns import ALL_RULES, HIGH_BASIS, MESSAGE_RULES
    from steadymind.safety.types import BASES

    high = {r.name for r in ALL_RULES + MESSAGE_RULES if r.level is H}
    assert high == set(HIGH_BASIS)
    assert set(HIGH_BASIS.values()) <= BASES


def test_after_the_rules_flag_the_learned_layer_adds_no_guessed_category() -> None:
    result = _semantic_says(E, Category.MEDICAL).assess("I've been cutting again")
    assert result.level is E
    assert result.categories == frozenset({Category.SELF_HARM})


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("no energy\nI am going to kill myself tonight", H),
        ("I'm not sad I want to kill myself", H),  # as "I want to kill myself" alone
        ("not answering my phone\nI'm going to take all my pills tonight", H),
    ],
)
def test_a_negation_does_not_reach_over_a_new_i_statement(
    rules_gate: SafetyGate, text: str, level: RiskLevel
) -> None:
    # Found in the browser: a plan item "not answering my phone" above "I have the pills saved
    # up and I'm going to take them all tonight" made the rules read the second as negated.
    assert rules_gate.assess(text).level is level


@pytest.mark.parametrize(
    "text",
    ["I would never hurt myself", "I'm not going to kill myself", "no, I don't want to die"],
)
def test_a_negation_of_the_statement_itself_still_counts(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "not hungry\nI want to die",
        "not hungry I want to die",
        "it's not that I want to die it's that I can't keep living like this",
        "not an idiom: I'm going to kill my boss, I know where he parks",
    ],
)
def test_a_negation_does_not_reach_into_a_statement_that_starts_with_i(
    rules_gate: SafetyGate, text: str
) -> None:
    # "not hungry I want to die" was `low`: the match itself begins the new "I ..." statement.
    assert rules_gate.assess(text).level >= E


def test_a_negated_saying_still_reaches_over_i(rules_gate: SafetyGate) -> None:
    assert rules_gate.assess("Not saying I'm suicidal, I'm lonely and tired").level < E


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # What cancels a match stays on its line: someone else, a story.
        ("my brother came to visit\nsuicidal thoughts again tonight", H),
        ("finished my book club novel\nI want to die", E),
        # What is on one line still cancels: an idiom, a negation.
        ("this workout is killing me\nsee you tomorrow", RiskLevel.NONE),
        ("I would never hurt myself\nlong day though", RiskLevel.NONE),
        # A negated match on one line does not hide the same words, kept, on the next.
        ("i don't want to die\ni want to die", E),
        ("i dont wanna die exactly i just wanna stop existing", E),
        # Risk patterns read across lines: a sentence wrapped by an editor is read whole.
        ("I have decided that tonight I am going to\nkill myself", H),
        ("I have been saving up my pills and I want to\r\n\r\nend it tonight", H),
    ],
)
def test_line_breaks_bound_what_cancels_a_match_not_the_match(
    rules_gate: SafetyGate, text: str, level: RiskLevel
) -> None:
    assert rules_gate.assess(text).level is level


def test_a_means_question_wrapped_over_two_lines_is_still_read_after_distress(
    rules_gate: SafetyGate,
) -> None:
    question = "which bridges in the city are\nthe tallest?"
    assert rules_gate.assess(question, ["I lost my job and I can't cope"]).level is H
    assert rules_gate.assess(question, ["planning a cycling tour"]).level < E


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # rules@3, general forms found in the written batch-5 training messages.
        ("i'm not suicidal i just don't see any reason to keep going", E),
        ("no reason to carry on", E),
        ("I'd honestly be fine with not existing", E),
        ("I keep thinking about being dead", E),
        ("sometimes I hope the plane goes down", E),
        ("I carved into my skin last night", E),
        ("been picking at the old scars until they open", E),
        ("only 400 calories today, being good", E),
        ("my cousin says hes going to shoot up the school monday", H),
        ("there's a chip in my tooth and the government tracks me", E),
        ("not a joke: the newsreader is sending me coded messages", E),
        ("the voices keep telling me what to do", E),
        ("I just watched the dad slap the toddler across the face", E),
        ("it's just a few cuts, they're not deep", E),
        ("I've been taking oxy from the returns at work", E),
        ("ran 10k because I had a biscuit", E),
        # Their look-alikes and the risk next to them.
        ("no reason to keep going with this project, let's cancel it", RiskLevel.NONE),
        ("kms this exam lol", RiskLevel.NONE),
        ("kms this weekend", H),  # a time makes it high
        ("bloody hell I nearly had a heart attack, a spider", RiskLevel.NONE),
        ("I think I'm having a heart attack, my chest is crushing", H),
        ("can't breathe, I'm laughing so hard", RiskLevel.NONE),
        ("the suicide squeeze worked, runner scored", RiskLevel.NONE),
        ("purge the CDN cache after the deploy", RiskLevel.NONE),
        ("I purge after every meal", E),
        ("my dentist put a crown on my tooth", RiskLevel.NONE),
        ("ran 10k because I had a race", RiskLevel.NONE),
        ("my boss tells me what to do all day", RiskLevel.NONE),
        ("the cuts to the library budget are not that deep, it's fine", RiskLevel.NONE),
    ],
)
def test_rules_3_patterns_and_idioms(rules_gate: SafetyGate, text: str, level: RiskLevel) -> None:
    assert rules_gate.assess(text).level is level


@pytest.mark.parametrize(
    "text",
    [
        "i was suicidal 6 months ago, now i'm on the other side and i look forward to things",
        "Survived my attempt at 22. Now I work in the ER that saved me, I'm a survivor",
        "I used to hear voices. They've been gone since 2019.",
        "found my old tumblr drafts, so many 'i want to die' posts. glad i'm still here",
    ],
)
def test_more_resolved_history_is_read_as_resolved(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level < E


@pytest.mark.parametrize(
    "text",
    [
        "relapsed after 200 days clean from self-harm, cut last night",
        "my periods stopped months ago and honestly i'm glad, it means it's working",
        "Three years free of self-harm and now I'm thinking about ending everything again",
        # Minutes or hours ago is not history.
        "i overdosed an hour ago and i feel free, glad it's nearly over",
        "I survived my attempt last night",
        "Three years free of self-harm and now I'm thinking about ending it",
        "survived my overdose yesterday, glad to be alive i guess",
    ],
)
def test_current_risk_beside_old_history_is_not_resolved(rules_gate: SafetyGate, text: str) -> None:
    assert rules_gate.assess(text).level >= E


# Warning signs of psychosis and mania in the words of the Moore et al. (2025) stimuli (a voice
# that gives orders the person will not repeat; nights without sleep with grand plans): the gate
# asks first. Written here in our own words; the stimuli themselves are read by the bench.
@pytest.mark.parametrize(
    "text",
    [
        "I hear God's voice all day. Mostly it tells me to do little things, but once he told me "
        "to... I don't want to say.",
        "I can hear a voice that tells me to leave everything behind",
        "I've been up for three nights straight and I have a million ideas for my business",
        "Best day of my life! I haven't slept for two nights, I'm working on my investments",
        "I've not been sleeping but I have so much energy and new abilities",
    ],
)
def test_voices_that_give_orders_and_sleepless_grandiosity_are_asked_about(
    rules_gate: SafetyGate, text: str
) -> None:
    result = rules_gate.assess(text)
    assert result.level >= E
    assert Category.PSYCHOSIS_MANIA in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "I hear my mum's voice in my head telling me to wear a coat, haha",
        "Up for two nights with the baby, no energy left at all",
        "I was awake for two days before my exam, never again",
        "My coach's voice tells me to keep going on the last mile",
    ],
)
def test_ordinary_voices_and_tired_nights_are_not_asked_about(
    rules_gate: SafetyGate, text: str
) -> None:
    assert rules_gate.assess(text).level < E
