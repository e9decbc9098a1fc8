"""Every word the coach sends or says on its own, in one place to review.

Reminders are composed only from these words and counts: never from anything the person wrote
(a habit's name, a goal, a note or the journal), which a job could not read anyway (it holds no
key) and which a lock screen would show to anyone nearby.
"""

from __future__ import annotations

from collections.abc import Callable

Lookup = Callable[[str], "tuple[str, str] | None"]

REMINDER = {
    "checkin": ("A moment to check in", "How are you right now? A check-in takes a few seconds."),
    "habit": ("A moment for your habit", "When it suits you: the habit you planned for now."),
    "test": (
        "A test from steadymind",
        "This is the test you asked for. Reminders will look like this.",
    ),
}
DIGEST_TITLE = "A few reminders"


def digest_body(count: int) -> str:
    return f"{count} reminders fell due together; open steadymind when it suits you."


# Words another feature offers for its own reminders ("Your GAD-7 check is due"), reviewed
# there (``runtime.ReminderSource.messages``); the coach's setup says where to find them.
_offered: list[Lookup] = []


def offer(lookup: Lookup) -> None:
    _offered[:] = [lookup]


def message(about: str, count: int = 1) -> tuple[str, str]:
    """(title, body) for a delivery: reviewed words and a number, nothing else."""
    if about == "digest":
        return DIGEST_TITLE, digest_body(count)
    if about in REMINDER:
        return REMINDER[about]
    found = _offered[0](about) if _offered else None
    if found is None:
        raise KeyError(about)
    return found


PROGRESS_NOTE = (
    "Progress counts the days you did it, never a streak: a missed day takes nothing away."
)
SUGGESTIONS_OFF = (
    "Suggestions are off because your AI setting is \u201coff\u201d. You can change it in Settings."
)
NO_SUGGESTION = "Nothing to suggest right now."
NOT_FOR_ME_DONE = "Understood. It will not be suggested again."
WHY_TIME = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "night": "at night",
}
# The group of feelings the last check-in named most, in a suggestion's "why" (bandit.GROUPS).
WHY_FEELINGS = {
    "unpleasant-high": "tense or on edge",
    "unpleasant-low": "low or drained",
    "pleasant-high": "lively",
    "pleasant-low": "calm or content",
}
CHANNEL_KINDS = {
    "inapp": "In the app",
    "webhook": "Webhook",
    "ntfy": "ntfy",
    "email": "Email",
    "webpush": "Push notification (this browser)",
}
