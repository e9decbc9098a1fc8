"""Where generated words come from: any OpenAI-compatible endpoint, or a local GGUF file.

    backend = OpenAICompatible("http://127.0.0.1:11434/v1", "llama3.2:3b")   # Ollama
    for delta in backend.stream(messages, timeout=30.0):
        ...

Both backends stream text deltas and raise :class:`LLMUnavailable` on any failure, with a reason
from a fixed vocabulary: never the server's answer, never the messages (an error body can echo
the prompt, and the prompt holds what the person wrote). Nothing here logs.

Privacy, on purpose: the HTTP client sends only to the configured base URL. It ignores proxy
settings from the environment (``trust_env=False``: a proxy would be another machine reading the
conversation) and follows no redirect (a redirect would send it to an address nobody
configured). There is no default URL: the LLM is off unless a person configures it.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from ipaddress import ip_address
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import httpx

from steadymind.core.errors import SteadymindError

Messages = list[dict[str, str]]

# Why a backend gave up. Recorded with the fallback; none of them carries text.
Unavailable = Literal[
    "connect",  # nothing answered at the base URL (refused, no route, connect timeout)
    "timeout",  # the reply took longer than the time the caller gave it
    "transport",  # the connection broke mid-reply
    "http-status",  # the server answered with an error status (the number is kept apart)
    "malformed",  # the stream was not server-sent events of chat-completion chunks
    "incomplete",  # the stream ended before the reply said it was finished
    "server-error",  # the stream carried an error object
    "missing-extra",  # llama-cpp-python is not installed
    "model-missing",  # the GGUF file does not exist
    "model-failed",  # the local model raised while loading or generating
]

EXTRA_HINT = "pip install 'steadymind[llm]'"


class LLMUnavailable(SteadymindError):
    """The language model could not give a reply; the companion falls back to its own words.

    ``reason`` is one of :data:`Unavailable`; ``status`` the HTTP status for ``http-status``.
    The message is fixed text: it never quotes the server or the conversation.
    """

    status = 503
    code = "llm_unavailable"

    def __init__(self, reason: Unavailable, *, http_status: int | None = None) -> None:
        self.reason: Unavailable = reason
        self.http_status = http_status
        if reason == "missing-extra":
            message = (
                "The local language model needs the optional 'llm' extra "
                f"(llama-cpp-python): {EXTRA_HINT}"
            )
        elif reason == "http-status":
            message = f"The language model server answered with HTTP {http_status}."
        else:
            message = f"The language model is unavailable ({reason})."
        super().__init__(message, details={"reason": reason})

    @property
    def label(self) -> str:
        """The reason as recorded: ``http-500`` rather than ``http-status``."""
        return f"http-{self.http_status}" if self.reason == "http-status" else self.reason


class ChatBackend(Protocol):
    """A source of chat replies. ``stream`` yields text deltas of the assistant's reply.

    ``timeout``: seconds the whole reply may take. A backend never waits longer than that for
    one read, and raises ``LLMUnavailable("timeout")`` once the reply as a whole has taken
    longer. (The :class:`~steadymind.companion.llm.generate.Generator` enforces the tighter
    first-token and total deadlines itself, whatever the backend.)
    """

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]: ...


def is_loopback(base_url: str) -> bool:
    """Whether the endpoint is on this machine (what the settings page tells the person)."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class OpenAICompatible:
    """An OpenAI-compatible chat-completions endpoint: Ollama (``http://127.0.0.1:11434/v1``),
    the llama.cpp server (``http://127.0.0.1:8080/v1``), vLLM, LM Studio.

    ``POST {base_url}/chat/completions`` with ``"stream": true``; the reply is read as server-
    sent events (``data: {chunk}`` ... ``data: [DONE]``). A server that ignores ``stream`` and
    answers with one JSON body is read too. ``api_key`` is sent as a bearer token when given.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        connect_timeout: float = 3.0,
        max_tokens: int = 300,
        temperature: float = 0.7,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the language model's base URL must be an http(s) URL")
        if not model.strip():
            raise ValueError("the language model's name is empty")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = api_key
        self.connect_timeout = connect_timeout
        self.max_tokens = max_tokens
        self.temperature = temperature

    @property
    def local(self) -> bool:
        return is_loopback(self.base_url)

    def __repr__(self) -> str:
        # Never the key.
        return f"OpenAICompatible(base_url={self.base_url!r}, model={self.model!r})"

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "text/event-stream", "Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }
        limits = httpx.Timeout(timeout, connect=min(self.connect_timeout, timeout))
        deadline = time.monotonic() + timeout
        try:
            with (
                httpx.Client(timeout=limits, trust_env=False, follow_redirects=False) as client,
                client.stream(
                    "POST", f"{self.base_url}/chat/completions", json=body, headers=self._headers()
                ) as response,
            ):
                if response.status_code != 200:
                    raise LLMUnavailable("http-status", http_status=response.status_code)
                kind = response.headers.get("content-type", "")
                if kind.startswith("application/json"):
                    yield _whole_reply(response.read())
                    return
                yield from _chunks(_until(response.iter_lines(), deadline))
        except LLMUnavailable:
            raise
        # ``from None`` everywhere below: httpx's messages name the URL, and a chained
        # exception is one more place a reader of a traceback might find more than a reason.
        except httpx.ConnectError:
            raise LLMUnavailable("connect") from None
        except httpx.ConnectTimeout:
            raise LLMUnavailable("connect") from None
        except httpx.TimeoutException:
            raise LLMUnavailable("timeout") from None
        except httpx.HTTPError:
            raise LLMUnavailable("transport") from None


def _until(lines: Iterator[str], deadline: float) -> Iterator[str]:
    """The lines, until the deadline: a server that keeps a stream alive with comments and
    never says anything still runs out of time."""
    for line in lines:
        if time.monotonic() > deadline:
            raise LLMUnavailable("timeout")
        yield line


def _events(lines: Iterator[str]) -> Iterator[str]:
    """The data of each server-sent event: ``data:`` lines joined until a blank line; comments
    (``: keep-alive``) and other fields (``event:``, ``id:``) are skipped."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value.removeprefix(" "))
        elif field not in ("event", "id", "retry"):
            raise LLMUnavailable("malformed")
    if data:
        yield "\n".join(data)


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    """Text deltas of a chat-completion stream; ends at ``[DONE]`` (or at a finish reason if a
    server closes without it), raises on anything else."""
    finished = False
    for data in _events(lines):
        if data.strip() == "[DONE]":
            return
        try:
            chunk = json.loads(data)
        except json.JSONDecodeError:
            raise LLMUnavailable("malformed") from None
        if not isinstance(chunk, dict):
            raise LLMUnavailable("malformed")
        if "error" in chunk:
            raise LLMUnavailable("server-error")
        delta, finish = _delta(chunk)
        finished = finished or finish
        if delta:
            yield delta
    if not finished:
        raise LLMUnavailable("incomplete")


def _delta(chunk: Mapping[str, Any]) -> tuple[str, bool]:
    """The text of one chunk and whether it finishes the reply."""
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        raise LLMUnavailable("malformed")
    if not choices:
        return "", False  # a usage-only chunk
    first = choices[0]
    if not isinstance(first, dict):
        raise LLMUnavailable("malformed")
    delta = first.get("delta") or {}
    if not isinstance(delta, dict):
        raise LLMUnavailable("malformed")
    content = delta.get("content") or ""
    if not isinstance(content, str):
        raise LLMUnavailable("malformed")
    return content, first.get("finish_reason") is not None


def _whole_reply(raw: bytes) -> str:
    try:
        reply = json.loads(raw)
        content = reply["choices"][0]["message"]["content"]
    except (json.JSONDecodeError, KeyError, IndexError, TypeError):
        raise LLMUnavailable("malformed") from None
    if not isinstance(content, str):
        raise LLMUnavailable("malformed")
    return content


class LlamaCppGGUF:
    """A local GGUF model through llama-cpp-python (the optional ``llm`` extra), loaded on first
    use and kept. Nothing leaves the machine. Generation holds a lock: one llama.cpp context
    serves one reply at a time, and a reply that cannot start in time is unavailable."""

    def __init__(
        self,
        path: Path | str,
        *,
        context_tokens: int = 4096,
        max_tokens: int = 300,
        temperature: float = 0.7,
        threads: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LlamaCppGGUF(path={self.path.name!r})"

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            # Imported here, by name: the extra is optional, and mypy need not know it.
            llama_cpp = importlib.import_module("llama_cpp")
        except ImportError:
            raise LLMUnavailable("missing-extra") from None
        if not self.path.is_file():
            raise LLMUnavailable("model-missing")
        try:
            self._model = llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=self.context_tokens,
                n_threads=self.threads,
                verbose=False,
            )
        except Exception:
            raise LLMUnavailable("model-failed") from None
        return self._model

    def stream(self, messages: Messages, *, timeout: float) -> Iterator[str]:
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            raise LLMUnavailable("timeout")
        try:
            model = self._load()
            try:
                chunks = model.create_chat_completion(
                    messages=messages,
                    stream=True,
                    max_tokens=self.max_tokens,
                    temperature=self.temperature,
                )
                for chunk in chunks:
                    if time.monotonic() > deadline:
                        raise LLMUnavailable("timeout")
                    delta, _ = _delta(chunk)
                    if delta:
                        yield delta
            except LLMUnavailable:
                raise
            except Exception:
                raise LLMUnavailable("model-failed") from None
        finally:
            self._lock.release()
