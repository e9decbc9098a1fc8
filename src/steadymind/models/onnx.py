"""THE one ONNX session factory, and the tokenizer loader beside it.

Every model that runs on onnxruntime gets its session here, so that threads, execution mode,
logging and the provider are decided once for the whole application:

- one intra-op thread by default: a self-hosted server shares its cores with the web app and the
  database, and a short text gains little from more threads; one inter-op thread and sequential
  execution, because our graphs are a single chain and parallel branches only add contention;
- the CPU provider only: no accelerator is assumed, and results must not depend on one;
- warnings and above only in onnxruntime's own log (it otherwise logs every graph rewrite);
- onnxruntime's telemetry off before its library loads (``ORT_DISABLE_TELEMETRY``, set by this
  package's ``__init__``, which runs before this module), and its events switched off again
  below: the application sends nothing anywhere unless the person configures an endpoint
  (DESIGN.md; tests/models/test_telemetry.py watches a fresh process for both).
"""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort
from tokenizers import Tokenizer

from steadymind.core.errors import ModelError

# Belt and braces: ORT_DISABLE_TELEMETRY (steadymind.models) already kept telemetry from starting.
ort.disable_telemetry_events()

LOG_WARNINGS_AND_ABOVE = 3


def session_options(threads: int = 1) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = LOG_WARNINGS_AND_ABOVE
    return options


def session(path: Path, *, threads: int = 1, what: str = "the model") -> ort.InferenceSession:
    """An inference session on ``path``; ModelError naming ``what`` when it cannot be built."""
    try:
        return ort.InferenceSession(
            str(path), session_options(threads), providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelError(f"{what} could not be loaded.") from exc


def tokenizer(path: Path, *, max_tokens: int, what: str = "the model") -> Tokenizer:
    """A tokenizer that cuts at ``max_tokens`` and never pads (callers pad a batch themselves)."""
    try:
        loaded = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own base exception type
        raise ModelError(f"The tokenizer of {what} could not be loaded.") from exc
    loaded.no_padding()
    loaded.enable_truncation(max_length=max_tokens)
    return loaded
