"""The optional language model: never required, off unless a person configures one.

- :mod:`.prompt`: one reviewed, versioned system prompt (``copy/system_prompt.md``) and the last
  turns of the conversation, with what the person asked to be remembered and the feelings read;
- :mod:`.filter`: every generated sentence passes an output filter (no means information, no
  diagnosis, no medication advice, no claims to be human) before anyone sees it.
"""

from steadymind.companion.llm.filter import FilterResult, check_reply
from steadymind.companion.llm.prompt import Turn, build_messages, system_prompt

__all__ = ["FilterResult", "Turn", "build_messages", "check_reply", "system_prompt"]
