"""Generated replies, a sentence at a time, each checked before anyone sees it.

    generator = Generator(backend, first_token_timeout=15, total_timeout=60)
    shown = []
    try:
        for sentence in generator.stream_reply(messages, check=seam_says_ok):
            send(sentence)                     # to the page, as it comes
            shown.append(sentence)
    except FallBack as fallback:
        replace_with(deterministic_reply)      # the engine's own words instead
        record(fallback.reason)                # a reason from a fixed list, never text

The stream is buffered into sentences. A sentence is yielded only when it and the reply so far
(with it) pass the output filter (:func:`.filter.check_reply`) and the caller's ``check`` (the
text seam: the crisis gate reads generated words too). On the first sentence that fails, on a
timeout (no first word within ``first_token_timeout``, or the reply not done within
``total_timeout``), on a backend failure or an empty reply, the stream stops and
:class:`FallBack` is raised; the sentence that failed is never yielded. Sentences already yielded
passed every check, but the reply they began was not finished: the caller replaces them with the
deterministic engine's reply (``FallBack.shown`` says how many there were).

The backend runs in a worker thread so that the deadlines hold whatever it does (a local GGUF
model cannot be interrupted mid-token, a socket can stall): the reader waits on a queue with a
timeout and, when it gives up (or its caller stops reading), tells the worker to close the
stream at its next word. A worker blocked on a read ends at the backend's own timeout, which is
the total timeout: no thread outlives a reply by more than that.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from steadymind.companion.llm.backend import ChatBackend, LLMUnavailable, Messages
from steadymind.companion.llm.filter import check_reply

log = logging.getLogger(__name__)

Check = Callable[[str], bool]

# A reply is two to four sentences (the prompt asks so); past these the stream is cut there.
MAX_SENTENCES = 6
MAX_CHARS = 1_500
# Words a full stop follows without ending a sentence.
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "mx", "st", "prof", "approx", "no"}
    | {"fig", "cf", "al", "jr", "sr"}
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")


class FallBack(Exception):
    """Show the deterministic engine's reply instead of this one.

    ``reason``: why, from a fixed vocabulary (``timeout-first-token``, ``timeout-total``,
    ``unavailable:<reason>``, ``filter:<rule>``, ``check``, ``check-error``, ``empty``), safe to
    record: it never holds text. ``shown``: sentences already yielded before it.
    """

    def __init__(self, reason: str, shown: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.shown = shown


@dataclass(frozen=True)
class Outcome:
    """A whole reply (for callers that do not stream): ``text`` is None when it fell back."""

    text: str | None
    reason: str | None = None
    sentences: tuple[str, ...] = ()

    @property
    def fell_back(self) -> bool:
        return self.text is None


class Sentences:
    """Splits streamed text into sentences. A sentence ends at ``.``, ``!``, ``?`` or ``…``
    followed by white space (so the stream must go on, or end, before it counts), or at a line
    break; not after an abbreviation or a list number ("2.")."""

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.buffer = ""
        self.max_chars = max_chars

    def feed(self, delta: str) -> list[str]:
        self.buffer += delta
        out: list[str] = []
        start = 0
        for match in _END.finditer(self.buffer):
            candidate = self.buffer[start : match.end()]
            if match.group() != "\n" and self._not_an_end(candidate):
                continue
            if candidate.strip():
                out.append(candidate.strip())
            start = match.end()
        self.buffer = self.buffer[start:]
        if len(self.buffer) > self.max_chars:
            # A run-on with no sentence end: checked as one piece rather than held forever.
            out.append(self.buffer.strip())
            self.buffer = ""
        return out

    def rest(self) -> str | None:
        text, self.buffer = self.buffer.strip(), ""
        return text or None

    @staticmethod
    def _not_an_end(candidate: str) -> bool:
        words = candidate.rstrip(".!?…\"'”’)] \t").split()
        word = words[-1].strip("(\"'") if words else ""
        stop = candidate.rstrip("\"'”’)] \t")
        if not stop.endswith("."):
            return False
        # "Dr.", "e.g.", a list number ("2."), an initial ("J.").
        initial = len(word) == 1 and word.isupper() and word != "I"
        return word.lower() in ABBREVIATIONS or word.isdigit() or initial


Kind = Literal["delta", "end", "error"]


class _Pump:
    """Runs the backend's stream in a daemon thread, handing deltas over a queue."""

    def __init__(self, backend: ChatBackend, messages: Messages, timeout: float) -> None:
        self.items: queue.Queue[tuple[Kind, str]] = queue.Queue()
        self.stopped = threading.Event()
        self._backend, self._messages, self._timeout = backend, messages, timeout
        self.thread = threading.Thread(target=self._run, name="companion-llm", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        stream: Iterator[str] | None = None
        try:
            stream = self._backend.stream(self._messages, timeout=self._timeout)
            for delta in stream:
                if self.stopped.is_set():
                    return
                self.items.put(("delta", delta))
            self.items.put(("end", ""))
        except LLMUnavailable as exc:
            self.items.put(("error", exc.label))
        except Exception as exc:
            # Only the type: a third-party message may quote the conversation.
            log.warning("language model backend failed (%s)", type(exc).__name__)
            self.items.put(("error", "failed"))
        finally:
            close = getattr(stream, "close", None)
            if callable(close):
                close()

    def get(self, timeout: float) -> tuple[Kind, str]:
        return self.items.get(timeout=max(timeout, 0.0))

    def stop(self) -> None:
        self.stopped.set()


class Generator:
    """Streams checked sentences from a :class:`ChatBackend` (see the module's docstring)."""

    def __init__(
        self,
        backend: ChatBackend,
        *,
        first_token_timeout: float = 15.0,
        total_timeout: float = 60.0,
        max_sentences: int = MAX_SENTENCES,
        max_chars: int = MAX_CHARS,
    ) -> None:
        if first_token_timeout <= 0 or total_timeout <= 0:
            raise ValueError("timeouts must be positive")
        self.backend = backend
        self.first_token_timeout = first_token_timeout
        self.total_timeout = total_timeout
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    def stream_reply(self, messages: Messages, check: Check) -> Iterator[str]:
        """Yield the reply's sentences that pass; raise :class:`FallBack` on the first that
        does not, or on a timeout or failure. Sentences come without their trailing space:
        join them with one space."""
        start = time.monotonic()
        first_deadline = start + min(self.first_token_timeout, self.total_timeout)
        deadline = start + self.total_timeout
        pump = _Pump(self.backend, messages, self.total_timeout)
        splitter = Sentences(self.max_chars)
        shown: list[str] = []
        started = False
        try:
            while True:
                now = time.monotonic()
                waiting_first = not started
                try:
                    kind, value = pump.get((first_deadline if waiting_first else deadline) - now)
                except queue.Empty:
                    reason = "timeout-first-token" if waiting_first else "timeout-total"
                    raise self._fall_back(reason, shown) from None
                if kind == "error":
                    raise self._fall_back(f"unavailable:{value}", shown)
                pieces = splitter.feed(value) if kind == "delta" else []
                if kind == "delta" and value.strip():
                    started = True
                if kind == "end":
                    rest = splitter.rest()
                    pieces = [rest] if rest else []
                for sentence in pieces:
                    self._verify(sentence, shown, check)
                    shown.append(sentence)
                    yield sentence
                    if len(shown) >= self.max_sentences or len(" ".join(shown)) >= self.max_chars:
                        return
                if kind == "end":
                    if not shown:
                        raise self._fall_back("empty", shown)
                    return
                if time.monotonic() > deadline:
                    raise self._fall_back("timeout-total", shown)
        finally:
            pump.stop()

    def reply(self, messages: Messages, check: Check) -> Outcome:
        """The whole reply at once (the terminal, the benchmark): ``text`` is None on a
        fallback, and nothing of a reply that fell back is returned as text."""
        sentences: list[str] = []
        try:
            for sentence in self.stream_reply(messages, check):
                sentences.append(sentence)
        except FallBack as fallback:
            return Outcome(None, fallback.reason, tuple(sentences))
        return Outcome(" ".join(sentences), None, tuple(sentences))

    def _verify(self, sentence: str, shown: list[str], check: Check) -> None:
        so_far = " ".join([*shown, sentence])
        for text in (sentence, so_far) if shown else (sentence,):
            result = check_reply(text)
            if not result.ok:
                raise self._fall_back(f"filter:{result.reasons[0]}", shown)
        for text in (sentence, so_far) if shown else (sentence,):
            try:
                passed = check(text)
            except Exception as exc:
                log.warning("reply check failed (%s); falling back", type(exc).__name__)
                raise self._fall_back("check-error", shown) from None
            if not passed:
                raise self._fall_back("check", shown)

    @staticmethod
    def _fall_back(reason: str, shown: list[str]) -> FallBack:
        level = logging.INFO if reason.startswith(("filter:", "check")) else logging.WARNING
        log.log(level, "generated reply fell back to the companion's own words (%s)", reason)
        return FallBack(reason, len(shown))
