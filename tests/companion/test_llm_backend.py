"""The backends against a real HTTP server on loopback (``openai_stub_server``): server-sent
events as Ollama, llama.cpp and vLLM send them, every failure a typed, text-free
``LLMUnavailable``, and nothing sent anywhere but the configured URL."""

from __future__ import annotations

import logging
import socket
import sys
import time
import tomllib
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steadymind.companion.llm import LlamaCppGGUF, LLMConfig, LLMUnavailable, OpenAICompatible
from steadymind.companion.llm.backend import is_loopback
from tests.companion.openai_stub_server import NORMAL, StubServer

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Canary sentence #a81f3c: my neighbour Ilse knows about the shed"
MESSAGES = [
    {"role": "system", "content": "Be kind."},
    {"role": "user", "content": CANARY},
]


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def fails(backend: OpenAICompatible, timeout: float = 5.0) -> LLMUnavailable:
    with pytest.raises(LLMUnavailable) as caught:
        list(backend.stream(MESSAGES, timeout=timeout))
    return caught.value


def test_a_reply_streams_word_by_word_over_server_sent_events(stub: StubServer) -> None:
    deltas = list(OpenAICompatible(stub.base_url, "normal").stream(MESSAGES, timeout=5))
    assert len(deltas) == len(NORMAL.split(" "))  # one delta per word: it streamed
    assert "".join(deltas) == NORMAL
    sent = stub.requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["stream"] is True
    assert sent["body"]["model"] == "normal"
    assert sent["body"]["messages"] == MESSAGES
    assert "Authorization" not in sent["headers"]


def test_crlf_framing_and_keep_alive_comments_are_read(stub: StubServer) -> None:
    assert "".join(OpenAICompatible(stub.base_url, "crlf").stream(MESSAGES, timeout=5)) == NORMAL


def test_a_server_that_answers_with_one_json_body_is_read(stub: StubServer) -> None:
    assert "".join(OpenAICompatible(stub.base_url, "json").stream(MESSAGES, timeout=5)) == NORMAL


def test_the_api_key_is_a_bearer_token_and_never_in_the_repr(stub: StubServer) -> None:
    backend = OpenAICompatible(stub.base_url + "/", "normal", api_key="sk-secret-123")
    list(backend.stream(MESSAGES, timeout=5))
    assert stub.requests[-1]["headers"]["Authorization"] == "Bearer sk-secret-123"
    assert stub.requests[-1]["path"] == "/v1/chat/completions"  # the trailing slash is folded
    assert "sk-secret" not in repr(backend)
    assert "sk-secret" not in repr(
        LLMConfig(base_url=stub.base_url, model="m", api_key="sk-secret")
    )


def test_an_error_status_is_unavailable_and_never_echoes_the_server(
    stub: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = fails(OpenAICompatible(stub.base_url, "http-500"))
    assert (error.reason, error.label, error.http_status) == ("http-status", "http-500", 500)
    # The stub's error body quotes the prompt, as some servers do: none of it is passed on.
    assert CANARY in str(stub.requests[-1]["body"])
    assert "Ilse" not in str(error)
    assert "Ilse" not in repr(error.details)
    assert "Ilse" not in caplog.text


@pytest.mark.parametrize(
    ("script", "reason"),
    [("malformed", "malformed"), ("error-event", "server-error"), ("no-done", "incomplete")],
)
def test_a_broken_stream_is_unavailable(stub: StubServer, script: str, reason: str) -> None:
    assert fails(OpenAICompatible(stub.base_url, script)).reason == reason


def test_nothing_listening_is_unavailable() -> None:
    backend = OpenAICompatible(f"http://127.0.0.1:{closed_port()}/v1", "normal")
    assert fails(backend).reason == "connect"


def test_a_stream_kept_alive_without_words_runs_out_of_time(stub: StubServer) -> None:
    start = time.monotonic()
    assert (
        fails(OpenAICompatible(stub.base_url, "slow-first-token"), timeout=0.5).reason == "timeout"
    )
    assert time.monotonic() - start < 2.0


def test_a_redirect_is_not_followed(stub: StubServer) -> None:
    """A redirect would send the conversation to an address nobody configured."""
    before = len(stub.requests)
    error = fails(OpenAICompatible(stub.base_url, "redirect"))
    assert error.label == "http-307"
    assert len(stub.requests) == before + 1


def test_proxy_settings_in_the_environment_are_ignored(
    stub: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy is another machine reading the conversation: only the configured URL is used."""
    dead = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert "".join(OpenAICompatible(stub.base_url, "normal").stream(MESSAGES, timeout=5)) == NORMAL


def test_the_base_url_and_model_are_checked() -> None:
    with pytest.raises(ValueError, match="http"):
        OpenAICompatible("file:///etc/passwd", "m")
    with pytest.raises(ValueError, match="http"):
        OpenAICompatible("127.0.0.1:11434", "m")
    with pytest.raises(ValueError, match="name"):
        OpenAICompatible("http://127.0.0.1:11434/v1", " ")


def test_loopback_is_told_apart_from_another_machine() -> None:
    assert is_loopback("http://127.0.0.1:11434/v1")
    assert is_loopback("http://localhost:8080/v1")
    assert is_loopback("http://[::1]:8080/v1")
    assert not is_loopback("http://192.168.1.20:11434/v1")
    assert not is_loopback("https://api.example.org/v1")


# -- configuration --------------------------------------------------------------------------


def test_the_language_model_is_off_unless_configured() -> None:
    config = LLMConfig()
    assert not config.enabled
    assert config.backend() is None
    assert config.generator() is None


def test_a_configured_endpoint_makes_a_generator(stub: StubServer) -> None:
    config = LLMConfig(
        base_url=stub.base_url, model="normal", first_token_timeout=2, total_timeout=5
    )
    generator = config.generator()
    assert generator is not None
    assert isinstance(generator.backend, OpenAICompatible)
    assert (generator.first_token_timeout, generator.total_timeout) == (2, 5)
    assert isinstance(LLMConfig(gguf_path=Path("model.gguf")).backend(), LlamaCppGGUF)


@pytest.mark.parametrize(
    "values",
    [
        {"base_url": "http://127.0.0.1:1/v1", "model": "m", "gguf_path": Path("m.gguf")},
        {"base_url": "http://127.0.0.1:1/v1"},
        {"base_url": "http://127.0.0.1:1/v1", "model": "m", "total_timeout": 0},
    ],
)
def test_a_configuration_that_cannot_work_fails_at_start(values: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        LLMConfig(**values)


# -- a local GGUF file ----------------------------------------------------------------------


def test_without_the_extra_a_gguf_model_is_unavailable_and_says_which_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # as if not installed (it is not)
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(LLMUnavailable) as caught:
        list(LlamaCppGGUF(model).stream(MESSAGES, timeout=5))
    assert caught.value.reason == "missing-extra"
    assert "'llm' extra" in str(caught.value)
    assert "steadymind[llm]" in str(caught.value)
    # The extra it names exists, pinned like every other dependency.
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras["llm"] == ["llama-cpp-python==0.3.36"]


def _llama_cpp_stand_in(chunks: list[dict[str, Any]], loaded: list[dict[str, Any]]) -> Any:
    """llama-cpp-python's documented surface (``Llama(...)``, ``create_chat_completion(
    stream=True)`` yielding OpenAI-shaped chunks): the library is a C++ build not installed in
    the test environment, and no model file is shipped, so its two calls are stood in for."""

    class Llama:
        def __init__(self, **kwargs: Any) -> None:
            loaded.append(kwargs)

        def create_chat_completion(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
            assert kwargs["stream"] is True
            assert kwargs["messages"] == MESSAGES
            yield from chunks

    module = types.ModuleType("llama_cpp")
    module.Llama = Llama  # type: ignore[attr-defined]
    return module


def test_a_gguf_model_streams_its_chunks_and_is_loaded_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chunks = [
        {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {"content": " there."}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    loaded: list[dict[str, Any]] = []
    monkeypatch.setitem(sys.modules, "llama_cpp", _llama_cpp_stand_in(chunks, loaded))
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    backend = LlamaCppGGUF(model)
    assert list(backend.stream(MESSAGES, timeout=5)) == ["Hello", " there."]
    assert list(backend.stream(MESSAGES, timeout=5)) == ["Hello", " there."]
    assert len(loaded) == 1
    assert loaded[0]["model_path"] == str(model)


def test_a_missing_gguf_file_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", _llama_cpp_stand_in([], []))
    with pytest.raises(LLMUnavailable) as caught:
        list(LlamaCppGGUF(tmp_path / "absent.gguf").stream(MESSAGES, timeout=5))
    assert caught.value.reason == "model-missing"
