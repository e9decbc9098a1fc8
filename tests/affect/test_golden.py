"""A golden set: plain sentences whose emotion any reader agrees on.

Each must have its expected label among the reading's labels, or as the top-scoring label. A
retrained model that fails several of these has regressed, whatever its F1 says.
"""

from __future__ import annotations

from typing import Any

import pytest

from steadymind.affect.text import EmotionModel

# Known misses of v1 are strict xfails: they stay visible, and a retrained model that gets
# them right fails the suite until the mark is removed.
GOLDEN: list[Any] = [
    ("Thank you so much for your help, I really appreciate it.", "gratitude"),
    ("Thanks for listening to me tonight.", "gratitude"),
    ("I love you so much.", "love"),
    ("I love this song, it's my favourite.", "love"),
    ("That was hilarious, I can't stop laughing lol", "amusement"),
    ("Haha that's so funny", "amusement"),
    ("I'm so angry I could scream.", "anger"),
    ("This is so annoying, stop spamming the thread.", "annoyance"),
    ("I'm really scared about the surgery tomorrow.", "fear"),
    ("I'm terrified of what might happen.", "fear"),
    ("I'm so nervous about my exam tomorrow.", "nervousness"),
    ("My grandmother passed away last night.", "sadness"),
    ("I feel so sad and lonely today.", "sadness"),
    ("I'm so sorry, that was my fault and I regret it.", "remorse"),
    ("I apologize for what I said.", "remorse"),
    ("That's disgusting, I can't believe people eat that.", "disgust"),
    ("I'm so embarrassed, everyone saw me trip.", "embarrassment"),
    ("Wow, I did not expect that at all!", "surprise"),
    ("Oh my god, really? I'm shocked.", "surprise"),
    ("I'm so happy for you!", "joy"),
    ("I'm so excited for the concert this weekend!", "excitement"),
    ("I hope things get better for you soon.", "optimism"),
    pytest.param(
        "Everything will work out, I'm sure of it.",
        "optimism",
        marks=pytest.mark.xfail(strict=True, reason="v1 and v2 read approval"),
    ),
    ("I'm so proud of my daughter for graduating.", "pride"),
    pytest.param(
        "Phew, what a relief that the tests came back clear.",
        "relief",
        marks=pytest.mark.xfail(strict=True, reason="v1, v2 read neutral; rare label"),
    ),
    ("What do you mean by that? I don't understand.", "confusion"),
    ("I'm confused, how does this work?", "confusion"),
    ("I wonder what happens in the next episode.", "curiosity"),
    ("I wish I could have a dog like that.", "desire"),
    pytest.param(
        "I was really hoping for more, what a letdown.",
        "disappointment",
        marks=pytest.mark.xfail(strict=True, reason="v1 and v2 read optimism from 'hoping'"),
    ),
    ("I disagree, that's not a good idea at all.", "disapproval"),
    ("Yes, I agree, that's a great point.", "approval"),
    ("You look amazing, what a beautiful photo.", "admiration"),
    ("Take care of yourself and rest, I'm here if you need anything.", "caring"),
    ("I just realized I left the oven on.", "realization"),
    ("The meeting is at 3pm in room 204.", "neutral"),
    ("I went to the store and bought some milk.", "neutral"),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_golden_sentence_gets_its_emotion(model: EmotionModel, text: str, expected: str) -> None:
    (r,) = model.predict([text])
    assert expected in r.labels or expected == r.top_label, (r.labels, r.top_label)
