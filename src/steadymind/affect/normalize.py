"""Text clean-up before the model sees it, and a cheap check that the text is English.

The encoder's uncased English vocabulary has no entries for most emoji (they become ``[UNK]``),
so the common ones are spelled out as the words a Reddit commenter would use. The English check is
a heuristic, not a language identifier: a text of six or more words none of which is a common
English function word is very unlikely to be English, and the model's reading of it would be
noise. Short texts pass, because they often carry no function words ("awesome game!!").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

EMOJI_WORDS: Final[dict[str, str]] = {
    "😀": "happy", "😃": "happy", "😄": "happy", "😁": "happy", "😊": "happy", "🙂": "happy",
    "😂": "laughing", "🤣": "laughing", "😆": "laughing", "😅": "nervous laugh",
    "😍": "love", "🥰": "love", "😘": "love", "❤": "love", "💕": "love", "💖": "love",
    "😢": "sad", "😭": "crying", "😞": "disappointed", "😔": "sad", "🙁": "sad",
    "☹": "sad", "💔": "heartbroken", "😡": "angry", "😠": "angry", "🤬": "furious",
    "😤": "annoyed", "😒": "annoyed", "🙄": "annoyed", "😱": "scared", "😨": "scared",
    "😰": "anxious", "😟": "worried", "😬": "nervous", "😮": "surprised", "😲": "surprised",
    "🤯": "shocked", "🤢": "disgusted", "🤮": "disgusting", "😳": "embarrassed",
    "🙏": "thank you", "👍": "good", "🎉": "excited", "🥳": "excited", "😌": "relieved",
    "🤔": "wondering", "😕": "confused", "😐": "meh",
}  # fmt: skip

_FUNCTION_WORDS_TEXT = (
    "i me my you your he she it we they them a an the and or but if of to in on at for with "
    "is am are was were be been not no so this that there what when how do does did have has "
    "had can could would should will just like im i'm it's dont don't"
)
FUNCTION_WORDS: Final[frozenset[str]] = frozenset(_FUNCTION_WORDS_TEXT.split())

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_EMOJI = re.compile("|".join(re.escape(e) for e in sorted(EMOJI_WORDS, key=len, reverse=True)))


def normalize(text: str) -> str:
    """NFC, emoji spelled out as words (with spaces so they tokenise as words)."""
    text = unicodedata.normalize("NFC", text)
    return _EMOJI.sub(lambda m: f" {EMOJI_WORDS[m.group(0)]} ", text)


def has_words(text: str) -> bool:
    return _WORD.search(text) is not None


def looks_english(text: str) -> bool:
    """False for texts that are clearly not English (see module docstring); True otherwise."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    latin = sum(w.isascii() for w in words)
    if latin / len(words) < 0.5:
        return False
    return len(words) < 6 or any(w in FUNCTION_WORDS for w in words)
