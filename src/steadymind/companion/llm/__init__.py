"""The optional language model: never required, off unless a person configures one.

- :mod:`.filter`: every generated sentence passes an output filter (no means information, no
  diagnosis, no medication advice, no claims to be human) before anyone sees it.
"""

from steadymind.companion.llm.filter import FilterResult, check_reply

__all__ = ["FilterResult", "check_reply"]
