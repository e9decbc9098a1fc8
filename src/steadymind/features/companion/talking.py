"""How the companion's words reach the person: sentence by sentence, and (when the person chose
it and the server has one) written by a language model instead of the engine.

The engine's reply always exists first; a language model may only replace its words in free
talk, and every sentence it writes passes the output filter and the text seam before it is
shown. Without a configured model there is nothing to replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from steadymind.companion.engine import Reply
from steadymind.crypto.principal import Principal
from steadymind.runtime import Runtime

Writer = Callable[[Reply, list[str]], tuple[str, str]]
_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n\n+")


def sentences(text: str) -> list[str]:
    """The reply in the pieces it is streamed in (a blank line stays with its paragraph)."""
    parts = [p for p in _SENTENCE.split(text) if p.strip()]
    return parts or [text]


def reply_writer(runtime: Runtime, person: Principal) -> Writer | None:
    """The language model's writer for this person, or None: the engine's words are shown."""
    del runtime, person
    return None
