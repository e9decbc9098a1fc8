"""ALL user-facing safety copy, in one file, for clinical and editorial review.

Rules for this file (tests in tests/safety/test_copy.py assert them):
- short, warm, plain words; no blame, no diagnosis, no "you should have";
- never any information about means (methods, doses, heights, places);
- at ``high`` always a clear instruction to call emergency services now if in danger;
- the app says what it is (a program) and points to people who can help right now.
Crisis lines themselves live in ``data/resources.toml`` (a reviewed table, not copy).
Change this file only with a review; tests pin the key sentences.
"""

from __future__ import annotations

from typing import Final

COPY_VERSION: Final = "2026-12-01.1"

# --- Crisis response ------------------------------------------------------------------------
TITLE_ELEVATED: Final = "You don't have to go through this alone"
TITLE_HIGH: Final = "Your safety comes first right now"

MESSAGE_ELEVATED: Final = (
    "Thank you for telling me. It sounds like things are really hard right now, and I'm glad "
    "you wrote it down. I'm a program, so I can't be there the way a person can, but the people "
    "below are ready to listen, day or night, and talking to one of them can help."
)
MESSAGE_HIGH: Final = (
    "Thank you for telling me. What you wrote makes me worried about your safety right now. "
    "You deserve support from a real person straight away."
)
EMERGENCY_NOW: Final = (
    "If you are in danger or think you might act on these thoughts, call {emergency} now, "
    "or go to your nearest emergency department."
)
# Help now is open to anyone, often before they have written a word: no "these thoughts".
HELP_EMERGENCY_NOW: Final = (
    "If you are in danger, or think you might act on thoughts of ending your life, "
    "call {emergency} now, or go to your nearest emergency department."
)
SOMEONE_ELSE_IN_DANGER: Final = (
    "If someone else is in danger right now, call {emergency} now and stay with them if it is "
    "safe for you to do so."
)
MEDICAL_NOW: Final = "If this is a medical emergency, call {emergency} now."
ABUSE_NOTE: Final = (
    "What is happening to you is not your fault. If you are not safe where you are, call "
    "{emergency}, or one of the lines below when it is safe to talk."
)
PLAN_INTRO: Final = "Your safety plan: the steps you wrote down for a moment like this."
PLAN_INVITE: Final = (
    "When you feel ready, you can make a safety plan: a short list, in your own words, of what "
    "helps and who you can reach. It takes about ten minutes."
)
LINES_INTRO: Final = "People you can talk to now, free and confidential:"
FALLBACK_LINES_INTRO: Final = "We don't have a list for your country yet."
NO_AI_NOTICE: Final = (
    "Nothing automatic answers this message: no suggestions, no generated words. "
    "What you wrote is saved, and you can go back to what you were doing whenever you like."
)
# Where nothing is kept (a safety check, reading emotions in the terminal).
NO_AI_NOTICE_UNSAVED: Final = (
    "Nothing automatic answers this message: no suggestions, no generated words. "
    "What you wrote was not saved, and you can go back to what you were doing whenever you like."
)
BACK: Final = "Go back to what I was doing"

# --- Asking before alarming (the question at elevated, C-SSRS style) --------------------------
# Asked directly: asking about suicidal thoughts does not put them in someone's head or raise
# risk (Dazzi et al. 2014); it tells the person they can say it.
ASK_TITLE: Final = "Can I ask you something?"
# Shown after a journal entry, a chat message and a questionnaire answer alike, so it names no
# way of sharing ("writing this down" read oddly after ticking an answer on PHQ-9).
ASK_INTRO: Final = "Thank you for sharing this. What you shared sounds really hard."
ASK_QUESTION: Final = (
    "Some people who feel this way think about ending their life. "
    "Are you having thoughts like that?"
)
ANSWERS: Final[dict[str, str]] = {"yes": "Yes", "not_sure": "Not sure", "no": "No"}
ASK_LINES_INTRO: Final = "Whatever you answer, these people are there to talk, day or night:"
ASK_THANKS_NO: Final = (
    "Thank you for answering. If that changes, Help now is at the top of every page."
)
ASKED_AGAIN: Final = (
    "This is the second time today that what you wrote sounds this hard, "
    "so here is everything in one place."
)
HELP_NOW_LINK: Final = "Help now"

# --- Safety plan: guided steps (Stanley & Brown safety planning intervention) ---------------
PLAN_STEPS: Final[dict[str, dict[str, str]]] = {
    "warning_signs": {
        "title": "1. My warning signs",
        "prompt": "What thoughts, feelings, situations or behaviours tell you a crisis may be "
        "starting?",
        "example": "Not sleeping, pulling away from friends, thinking 'what's the point'.",
    },
    "coping_strategies": {
        "title": "2. Things I can do on my own to take my mind off things",
        "prompt": "What can you do by yourself, without contacting anyone, to feel a little "
        "calmer or safer?",
        "example": "A slow breathing exercise, a walk, a hot shower, music I like.",
    },
    "distractions": {
        "title": "3. People and places that help me take my mind off things",
        "prompt": "Who or where can you go to be around others and feel a bit better, without "
        "having to talk about how you feel?",
        "example": "The library, a café, my cousin's house, a football match.",
    },
    "help_contacts": {
        "title": "4. People I can ask for help",
        "prompt": "Who could you tell that you are struggling? Add their name and number.",
        "example": "My sister, a close friend, a neighbour I trust.",
    },
    "professionals": {
        "title": "5. Professionals and services I can contact",
        "prompt": "Which professionals or services can you reach in a crisis? Your GP, therapist, "
        "a crisis line or your local emergency department.",
        "example": "My GP surgery, my therapist, the crisis line for my country.",
    },
    "safe_environment": {
        "title": "6. Making my surroundings safer",
        "prompt": "What can you do, or ask someone to do, to keep things you might use to hurt "
        "yourself away from you while you feel like this?",
        "example": "Ask someone I trust to look after some things for me for a while.",
    },
    "reasons_for_living": {
        "title": "7. My reasons for living",
        "prompt": "What matters most to you and is worth living for, even on hard days?",
        "example": "My dog, my little brother, the trip I'm planning, seeing what's next.",
    },
}
PLAN_TITLE: Final = "My safety plan"
PLAN_INTRO_PAGE: Final = (
    "A safety plan is a short list, in your own words, to use when things get hard. Fill in what "
    "you can; you can change it at any time. Only you can read it."
)

# --- CLI ------------------------------------------------------------------------------------
PLAN_INTRO_CLI: Final = (
    PLAN_INTRO_PAGE + " Seven short steps follow; skip any you are not ready for."
)
PLAN_SAVED_CLI: Final = "Your safety plan is saved (encrypted). This is what it says now:"
PLAN_EMPTY_CLI: Final = (
    "You have no safety plan yet. `steadymind safety plan edit` walks you through one; "
    + PLAN_INVITE.split(": ", 1)[1]
)
CLI_LEVEL_LABELS: Final[dict[str, str]] = {
    "none": "no risk signals found",
    "low": "distress, no safety risk found",
    "elevated": "elevated risk: ask directly, with crisis lines beside the question",
    "high": "high risk: show crisis support and emergency number at once",
}
CLI_ANSWER_PROMPT: Final = "Answer yes, not sure or no"
