"""The words of an entry as the search index sees them, and the terms that stand for them.

A term is what gets a blind token (``steadymind.crypto.blind``): ``w:`` and the first 3 to 12
letters of a word (a word shorter than 3 letters stands for itself), ``tag:`` and a tag, and one
marker that says the entry is indexed. A search word is matched against the start of words:
"anx" finds "anxious" and "anxiety"; "ind" does not find "wind" (no substring search); beyond
12 letters only the first 12 count.
"""

from __future__ import annotations

import re
import unicodedata

MIN_PREFIX = 3
MAX_PREFIX = 12
# Bump when the terms change: every entry is then indexed again, once, as the person searches.
INDEXED = "indexed:v1"
# Letters and digits; underscores split words, so Markdown's _calm_ and __calm__ are "calm".
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Case and accents folded (Élan, élan and ELAN are one word), compatibility forms joined."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", bare.casefold())


def words(text: str) -> set[str]:
    return set(_WORD.findall(normalise(text)))


def _prefixes(word: str) -> set[str]:
    if len(word) < MIN_PREFIX:
        return {f"w:{word}"}
    return {f"w:{word[:n]}" for n in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1)}


def tag_term(tag: str) -> str:
    """Tags are stored lower case with single spaces (``core.fields``); a filter is folded alike."""
    return f"tag:{' '.join(tag.split()).lower()}"


def entry_terms(title: str, body: str, tags: list[str]) -> set[str]:
    terms = {INDEXED, *(tag_term(t) for t in tags)}
    for word in words(f"{title}\n{body}"):
        terms |= _prefixes(word)
    return terms


def query_terms(query: str) -> set[str]:
    """Every word of the query must start a word of the entry (an empty set: nothing to find)."""
    return {f"w:{word[:MAX_PREFIX]}" for word in words(query)}
