"""How the companion's words reach the person: sentence by sentence, as server-sent events.

A turn's events come from :meth:`CompanionService.say_events`: the sentences of a language
model's reply as each passes its checks, a replacement when that reply was abandoned for the
engine's, and the stored result. The engine's own reply (no model, or an exercise) is sent in
sentences once it is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from steadymind.features.companion.service import Replaced, TurnResult

_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n\n+")


def sentences(text: str) -> list[str]:
    """The reply in the pieces it is streamed in (a blank line stays with its paragraph)."""
    parts = [p for p in _SENTENCE.split(text) if p.strip()]
    return parts or [text]


def event(kind: str, data: dict[str, object] | str) -> str:
    payload = data if isinstance(data, str) else json.dumps(data)
    return f"event: {kind}\ndata: {payload}\n\n"


def stream(
    events: Iterator[str | Replaced | TurnResult],
    finish: Callable[[TurnResult], Iterator[str]],
) -> Iterator[str]:
    """Server-sent events for one turn: ``delta`` (a sentence), ``replace`` (the reply shown so
    far gives way to the engine's), then what ``finish`` makes of the stored result."""
    streamed = False
    for item in events:
        if isinstance(item, TurnResult):
            if (
                not streamed
                and item.reply is not None
                and (item.verdict is None or not item.verdict.stops_flow)
            ):
                for sentence in sentences(item.reply.text):
                    yield event("delta", {"text": sentence})
            yield from finish(item)
        elif isinstance(item, Replaced):
            yield event("replace", {"text": item.text})
        else:
            streamed = True
            yield event("delta", {"text": item})
