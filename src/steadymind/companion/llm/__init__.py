"""The optional language model: never required, off unless a person configures one.

The default companion is deterministic (``companion.engine``). When a person points steadymind
at an OpenAI-compatible endpoint (Ollama, the llama.cpp server, vLLM, LM Studio) or a local GGUF
file (the ``llm`` extra), free talk may use generated words instead, under these rules:

- :mod:`.prompt`: one reviewed, versioned system prompt (``copy/system_prompt.md``) and the last
  turns of the conversation, with what the person asked to be remembered and the feelings read;
- :mod:`.filter`: every generated sentence passes an output filter (no means information, no
  diagnosis, no medication advice, no claims to be human) *and* the caller's check (the text
  seam);
- :mod:`.generate`: replies stream a sentence at a time; a blocked sentence, a timeout or a
  failure raises :class:`FallBack`, and the caller shows the deterministic reply instead;
- :mod:`.backend`: where the words come from; nothing is sent anywhere but the configured URL.

Like the rest of the companion, nothing here logs, stores or sends the person's words beyond the
configured model; reasons for a fallback are names from a fixed list.
"""

from steadymind.companion.llm.backend import (
    ChatBackend,
    LlamaCppGGUF,
    LLMUnavailable,
    OpenAICompatible,
)
from steadymind.companion.llm.config import LLMConfig
from steadymind.companion.llm.filter import FilterResult, check_reply
from steadymind.companion.llm.generate import FallBack, Generator, Outcome
from steadymind.companion.llm.prompt import (
    Turn,
    build_messages,
    rephrase_messages,
    rephrase_prompt,
    system_prompt,
)

__all__ = [
    "ChatBackend",
    "FallBack",
    "FilterResult",
    "Generator",
    "LLMConfig",
    "LLMUnavailable",
    "LlamaCppGGUF",
    "OpenAICompatible",
    "Outcome",
    "Turn",
    "build_messages",
    "check_reply",
    "rephrase_messages",
    "rephrase_prompt",
    "system_prompt",
]
