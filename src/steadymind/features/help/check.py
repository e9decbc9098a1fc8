"""The safety-check surface: a text (and the messages before it) read by the gate; nothing is
stored. The API and the CLI use it to show a person what the gate reads, evidence included."""

from __future__ import annotations

from steadymind.safety.text import MAX_CHARS
from steadymind.screen import Surface

CHECK = Surface("safety-check", context="given", stored=False, max_chars=MAX_CHARS)
