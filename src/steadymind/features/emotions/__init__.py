"""Emotions in a text, read by the local model, for anyone who wants to see what it reads; every
text passes the text seam first, so a crisis text gets the crisis response, not a reading."""

from __future__ import annotations

from steadymind.runtime import Feature, Runtime
from steadymind.screen import Surface

TEXT = Surface("affect-text", context="none", stored=False, max_chars=100_000)


def setup(runtime: Runtime) -> None:
    runtime.seam.register_surface(TEXT)


FEATURE = Feature(name="emotions", setup=setup, requires=("accounts",))
