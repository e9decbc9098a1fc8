"""The safety-check surface: a text (and the messages before it) read by the gate; nothing is
stored. The API and the CLI use it to show a person what the gate reads, evidence included."""

from __future__ import annotations

from steadymind.screen import Surface

# The API and the CLI take up to 100,000 characters here (the gate itself reads more).
CHECK = Surface("safety-check", context="given", stored=False, max_chars=100_000)
