"""Logging that cannot leak what people write.

Our own code logs only ids, types and counts. Exceptions are the gap: a server re-raises them
for its logger, and their messages can quote input (a pydantic error shows the value it
rejected). This filter keeps the traceback's frames and the exception type, and drops the
message, so a journal sentence inside an exception never reaches a log file.
"""

from __future__ import annotations

import logging
import traceback


class RedactExceptionMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, _, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb))
            name = exc_type.__name__ if exc_type else "Exception"
            record.msg = f"{record.getMessage()}\n{frames}{name} (message withheld)"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def configure(level: str) -> None:
    """Root logging for ``steadymind serve``; every handler redacts exception messages."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    redact = RedactExceptionMessages()
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.addFilter(redact)
        logger.handlers.clear()
        logger.propagate = True
