from __future__ import annotations

from datetime import UTC, datetime, timedelta

from steadymind.companion.prompts import choose

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def test_after_a_hard_day_the_prompt_says_so() -> None:
    prompt = choose(NOW, moods=[(NOW - timedelta(hours=30), 3), (NOW - timedelta(hours=2), -3)])
    assert prompt.situation == "hard_day" and prompt.why == "After a hard day"


def test_after_a_good_day() -> None:
    assert choose(NOW, moods=[(NOW - timedelta(hours=1), 4)]).situation == "good_day"


def test_before_something_planned_the_prompt_names_it_in_the_person_s_words() -> None:
    prompt = choose(NOW, planned=[(NOW + timedelta(hours=12), "the job interview")])
    assert prompt.situation == "before" and "the job interview" in prompt.text
    assert "{" not in prompt.text


def test_after_a_thought_record_and_otherwise_a_question_to_start() -> None:
    after = choose(NOW, finished=[(NOW - timedelta(hours=20), "thought-record")])
    assert after.situation == "after_thought"
    assert choose(NOW).situation == "any_day"
    # Old check-ins and plans long past do not count.
    assert choose(NOW, moods=[(NOW - timedelta(days=5), -4)]).situation == "any_day"


def test_the_day_varies_the_words() -> None:
    texts = {choose(NOW + timedelta(days=d)).text for d in range(5)}
    assert len(texts) > 1
