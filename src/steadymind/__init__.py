"""steadymind: a self-hostable, privacy-first companion for mindfulness and emotion regulation."""

__version__ = "0.1.0"
