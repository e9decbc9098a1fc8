"""A journal prompt for an empty page, chosen from what the person did lately.

The journal offers one when a person opens a new entry: after a hard day (their latest mood was
low), after a good one, before something they planned with the companion, after an exercise, or
otherwise a question to start with. The words are in ``copy/prompts.toml``; the day picks one of
several, so the page does not say the same thing every time. Only the person's own numbers and
plans choose it: no model reads anything here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

HARD, GOOD = -2, 2
RECENT = timedelta(hours=36)
SOON = timedelta(hours=36)


@dataclass(frozen=True)
class Prompt:
    situation: str
    why: str
    text: str


@cache
def _copy() -> dict[str, Any]:
    text = resources.files("steadymind.companion.copy").joinpath("prompts.toml").read_text("utf-8")
    return tomllib.loads(text)


def _pick(situation: str, now: datetime, **values: str) -> Prompt:
    section = _copy()[situation]
    options = section["prompts"]
    text = str(options[now.toordinal() % len(options)])
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return Prompt(situation, str(section["why"]), text)


def choose(
    now: datetime,
    *,
    moods: Sequence[tuple[datetime, int]] = (),
    planned: Sequence[tuple[datetime, str]] = (),
    finished: Sequence[tuple[datetime, str]] = (),
) -> Prompt:
    """The prompt for now. ``moods``: the person's check-ins (when, mood -5..+5); ``planned``:
    what they planned or parked with the companion (when it is due, in their words);
    ``finished``: exercises they finished (when, the flow's id)."""
    soon = sorted((due, what) for due, what in planned if now <= due <= now + SOON)
    if soon:
        return _pick("before", now, what=soon[0][1])
    recent_moods = sorted((at, mood) for at, mood in moods if now - at <= RECENT)
    if recent_moods:
        latest = recent_moods[-1][1]
        if latest <= HARD:
            return _pick("hard_day", now)
        if latest >= GOOD:
            return _pick("good_day", now)
    recent = sorted((at, flow) for at, flow in finished if now - at <= RECENT * 2)
    if recent:
        flow = recent[-1][1]
        if flow in ("thought-record", "reframing"):
            return _pick("after_thought", now)
        if flow in ("activation", "activation-check"):
            return _pick("after_step", now)
    return _pick("any_day", now)
