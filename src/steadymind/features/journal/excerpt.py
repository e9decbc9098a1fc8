"""An entry as a line of plain text for the list: its Markdown read, not shown as source.

The text comes from Markdown's own parse (markdown-it, raw HTML off, as the entry page renders
it), so "**calm**" is "calm" and a link is its words; raw HTML a person typed stays the text they
typed. The result is plain text: the template escapes it like any other.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

LENGTH = 160
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough")
# Inline tokens that carry the words; breaks and block ends become spaces.
_WORDS = {"text", "code_inline", "html_inline"}
_ENDS = frozenset(".!?…:;,")


def plain_text(markdown: str) -> str:
    """The words of every block (heading, paragraph, list item, code), in order, on one line:
    a block that does not end a sentence is set apart from the next by " · "."""
    blocks: list[str] = []
    for block in _markdown.parse(markdown):
        if block.type in ("fence", "code_block", "html_block"):
            words = block.content
        elif block.children:
            words = "".join(_words(block.children))
        else:
            continue
        if text := " ".join(words.split()):
            blocks.append(text)
    joined = ""
    for text in blocks:
        gap = " " if not joined or joined[-1] in _ENDS else " · "
        joined = f"{joined}{gap}{text}" if joined else text
    return joined


def _words(tokens: list[Token]) -> list[str]:
    out = []
    for token in tokens:
        if token.type in _WORDS:
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            out.extend(_words(token.children or []))
    return out


def excerpt(markdown: str, length: int = LENGTH) -> str:
    """The first ``length`` characters of the plain text, cut at a word, with "…" if cut."""
    text = plain_text(markdown)
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.-") + "…"
