"""Generated replies against the loopback server: sentences stream only when every check passes;
a blocked sentence, a timeout or a failure falls back, with a reason and never the text."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from steadymind.companion.llm import FallBack, Generator, OpenAICompatible
from steadymind.companion.llm.generate import Sentences
from tests.companion.openai_stub_server import (
    DIAGNOSIS,
    HUMAN,
    KIND,
    LONG,
    MEANS,
    MEDICATION,
    NORMAL,
    StubServer,
)

ROOT = Path(__file__).resolve().parents[2]
MOORE = ROOT / "bench" / "data" / "moore2025" / "interjections.jsonl"
CANARY = "Canary #5d2e: Ilse and the shed"


def messages(text: str = CANARY) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Be kind."}, {"role": "user", "content": text}]


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def generator(stub: StubServer, script: str, first: float = 3.0, total: float = 6.0) -> Generator:
    backend = OpenAICompatible(stub.base_url, script)
    return Generator(backend, first_token_timeout=first, total_timeout=total)


def run(
    gen: Generator, text: str = CANARY, check: object = None
) -> tuple[list[str], FallBack | None]:
    shown: list[str] = []
    checker = check if callable(check) else (lambda _text: True)
    try:
        for sentence in gen.stream_reply(messages(text), checker):
            shown.append(sentence)
    except FallBack as fallback:
        return shown, fallback
    return shown, None


def sentences_of(text: str) -> list[str]:
    return re.split(r"(?<=[.?!])\s+", text)


def test_a_good_reply_streams_sentence_by_sentence(stub: StubServer) -> None:
    seen: list[str] = []

    def check(text: str) -> bool:
        seen.append(text)
        return True

    shown, fallback = run(generator(stub, "normal"), check=check)
    assert fallback is None
    assert shown == sentences_of(NORMAL)
    # The caller's check (the text seam) read each sentence and the reply so far.
    s1, s2, s3 = shown
    assert seen == [s1, s2, f"{s1} {s2}", s3, f"{s1} {s2} {s3}"]


def test_the_whole_reply_at_once(stub: StubServer) -> None:
    outcome = generator(stub, "normal").reply(messages(), lambda _t: True)
    assert outcome.text == NORMAL
    assert not outcome.fell_back


@pytest.mark.parametrize(
    ("script", "blocked", "category"),
    [
        ("means-midway", MEANS, "means"),
        ("diagnosis", DIAGNOSIS, "diagnosis"),
        ("medication", MEDICATION, "medication"),
        ("human", HUMAN, "human"),
    ],
)
def test_a_blocked_sentence_is_never_shown(
    stub: StubServer, script: str, blocked: str, category: str
) -> None:
    shown, fallback = run(generator(stub, script))
    assert fallback is not None
    assert fallback.reason.startswith(f"filter:{category}:")
    assert shown == [KIND]  # the kind sentence before it, and nothing from it on
    assert fallback.shown == 1
    assert not any(part in " ".join(shown) for part in sentences_of(blocked))


def test_the_caller_s_check_can_stop_a_reply(stub: StubServer) -> None:
    """The seam's verdict on generated words: here it stops the second sentence."""
    shown, fallback = run(generator(stub, "normal"), check=lambda text: "worn out" not in text)
    assert fallback is not None and fallback.reason == "check"
    assert shown == sentences_of(NORMAL)[:1]


def test_a_check_that_breaks_falls_back_closed(stub: StubServer) -> None:
    def broken(_text: str) -> bool:
        raise RuntimeError("the gate broke")

    shown, fallback = run(generator(stub, "normal"), check=broken)
    assert fallback is not None and fallback.reason == "check-error"
    assert shown == []


def test_no_first_word_in_time_falls_back(stub: StubServer) -> None:
    start = time.monotonic()
    shown, fallback = run(generator(stub, "slow-first-token", first=0.5, total=5.0))
    assert fallback is not None and fallback.reason == "timeout-first-token"
    assert shown == []
    assert time.monotonic() - start < 1.5


def test_a_stream_that_stalls_mid_reply_falls_back(stub: StubServer) -> None:
    start = time.monotonic()
    shown, fallback = run(generator(stub, "stall", first=1.0, total=1.5))
    assert fallback is not None and fallback.reason == "timeout-total"
    assert shown == sentences_of(NORMAL)[:1]
    assert fallback.shown == 1
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("http-500", "unavailable:http-500"),
        ("malformed", "unavailable:malformed"),
        ("error-event", "unavailable:server-error"),
        ("no-done", "unavailable:incomplete"),
        ("empty", "empty"),
    ],
)
def test_a_failing_backend_falls_back(stub: StubServer, script: str, reason: str) -> None:
    outcome = generator(stub, script).reply(messages(), lambda _t: True)
    assert outcome.fell_back
    assert outcome.reason == reason


def test_a_rambling_reply_is_cut_after_six_sentences(stub: StubServer) -> None:
    shown, fallback = run(generator(stub, "long"))
    assert fallback is None
    assert shown == sentences_of(LONG)[:6]


def test_every_risk_stimulus_answered_naively_is_blocked(stub: StubServer) -> None:
    """Moore et al. 2025's stimuli, to a model that answers every question naively (bridge
    heights, where to buy pesticides, lethal amounts): no harmful sentence reaches the person."""
    items = [json.loads(line) for line in MOORE.read_text("utf-8").splitlines() if line]
    assert len(items) >= 10
    for item in items:
        outcome = generator(stub, "naive").reply(messages(item["text"]), lambda _t: True)
        assert outcome.fell_back, item["id"]
        assert outcome.reason is not None and outcome.reason.startswith("filter:means"), item["id"]
        assert outcome.sentences == (KIND,), item["id"]
        assert outcome.text is None


def test_nothing_the_person_or_the_model_wrote_reaches_the_logs(
    stub: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for script in ("means-midway", "http-500", "slow-first-token"):
        run(generator(stub, script, first=0.5, total=2.0))
    assert "fell back" in caplog.text  # the reasons are logged...
    assert "filter:means" in caplog.text
    assert "Ilse" not in caplog.text  # ...never the person's words
    assert "Brooklyn" not in caplog.text  # nor the blocked reply


def test_a_reply_left_unread_ends_its_worker_within_the_total_timeout(stub: StubServer) -> None:
    """A page closed mid-reply on a stalled stream: the worker, blocked on a read, gives up at
    the backend's own timeout (the total timeout) and closes the connection; no thread is left
    behind reading."""
    before = set(threading.enumerate())
    reply = generator(stub, "stall", first=1.0, total=1.0).stream_reply(messages(), lambda _t: True)
    assert next(reply) == sentences_of(NORMAL)[0]
    [worker] = [t for t in threading.enumerate() if t.name == "companion-llm" and t not in before]
    reply.close()
    deadline = time.monotonic() + 3
    while worker.is_alive():
        assert time.monotonic() < deadline, "the worker thread is still running"
        time.sleep(0.05)


def test_timeouts_must_be_positive(stub: StubServer) -> None:
    with pytest.raises(ValueError):
        Generator(OpenAICompatible(stub.base_url, "normal"), first_token_timeout=0)


# -- sentences ------------------------------------------------------------------------------


def feed_all(deltas: list[str]) -> list[str]:
    splitter = Sentences()
    out = [s for d in deltas for s in splitter.feed(d)]
    rest = splitter.rest()
    return out + ([rest] if rest else [])


def test_sentences_wait_for_what_follows_the_full_stop() -> None:
    splitter = Sentences()
    assert splitter.feed("That sounds hard.") == []  # "hard." might go on ("hard...")
    assert splitter.feed(" What") == ["That sounds hard."]
    assert splitter.rest() == "What"


@pytest.mark.parametrize(
    ("deltas", "expected"),
    [
        (["Hi", " there", ". How", " are you", "?"], ["Hi there.", "How are you?"]),
        (["Dr. Lee said so. Yes."], ["Dr. Lee said so.", "Yes."]),
        (["It is 84.5 m. Fine."], ["It is 84.5 m.", "Fine."]),
        (["Options:\n1. Walk\n2. Rest"], ["Options:", "1. Walk", "2. Rest"]),
        (["Oh… I see! Right?"], ["Oh…", "I see!", "Right?"]),
        (['He said "stop." Then left.'], ['He said "stop."', "Then left."]),
        (["e.g. this. And that"], ["e.g. this.", "And that"]),
    ],
)
def test_sentences_are_split_where_a_reader_would(deltas: list[str], expected: list[str]) -> None:
    assert feed_all(deltas) == expected


def test_a_run_on_without_a_full_stop_is_checked_as_one_piece() -> None:
    splitter = Sentences(max_chars=50)
    assert splitter.feed("word " * 5) == []
    out = splitter.feed("word " * 10)
    assert len(out) == 1 and out[0].startswith("word word")
