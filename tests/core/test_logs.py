"""Server logs never carry an exception's message (it can quote what a person wrote)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from steadymind.core.logs import RedactExceptionMessages, configure

SECRET = "the sentence from my journal that must never be logged"


@pytest.fixture
def root_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers.clear()
    configure("INFO")
    stream = io.StringIO()
    for handler in root.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).filters.clear()


def _fail() -> None:
    raise ValueError(f"Input should be a valid integer, input_value={SECRET!r}")


def test_server_exception_logs_keep_the_traceback_but_not_the_message(
    root_stream: io.StringIO,
) -> None:
    try:
        _fail()
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    text = root_stream.getvalue()
    assert "Exception in ASGI application" in text
    assert "_fail" in text and "ValueError (message withheld)" in text
    assert SECRET not in text


def test_records_without_exceptions_pass_unchanged() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s %s", ("/journal", 200), None)
    assert RedactExceptionMessages().filter(record)
    assert record.getMessage() == "GET /journal 200"
