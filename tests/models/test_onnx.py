"""The one ONNX session factory: the same settings for every model, telemetry off first."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import onnxruntime as ort
import pytest

from steadymind.core.errors import ModelError
from steadymind.models import artefact_dir, onnx

EMOTIONS = artefact_dir("emotions")


def test_sessions_run_sequentially_on_the_cpu_with_the_threads_asked_for() -> None:
    options = onnx.session_options(threads=2)
    assert options.intra_op_num_threads == 2
    assert options.inter_op_num_threads == 1
    assert options.execution_mode == ort.ExecutionMode.ORT_SEQUENTIAL
    assert options.log_severity_level == onnx.LOG_WARNINGS_AND_ABOVE
    session = onnx.session(next(EMOTIONS.glob("*.onnx")))
    assert session.get_providers() == ["CPUExecutionProvider"]


def test_telemetry_is_switched_off_before_any_session(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(ort, "disable_telemetry_events", lambda: calls.append("telemetry off"))
    monkeypatch.setattr(ort, "InferenceSession", lambda *a, **k: calls.append("session"))
    importlib.reload(onnx)  # what importing the module does, watched
    onnx.session(Path("model.onnx"))
    assert calls == ["telemetry off", "session"]


def test_a_file_that_is_not_a_model_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a graph")
    with pytest.raises(ModelError, match="The test model could not be loaded"):
        onnx.session(bad, what="the test model")


def test_the_tokenizer_truncates_and_never_pads() -> None:
    tok = onnx.tokenizer(EMOTIONS / "tokenizer.json", max_tokens=8)
    long: Any = tok.encode("word " * 50)
    assert len(long.ids) == 8 and long.overflowing
    assert len(tok.encode("hi").ids) < 8


def test_an_unreadable_tokenizer_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="tokenizer of the test model"):
        onnx.tokenizer(bad, max_tokens=8, what="the test model")
