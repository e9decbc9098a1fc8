"""The optional language model's settings, and the backend they make (or none: the default).

    config = LLMConfig(base_url="http://127.0.0.1:11434/v1", model="llama3.2:3b")
    generator = config.generator()   # None when no model is configured

Off unless a person configures it: with neither a base URL nor a GGUF path there is no backend,
and the companion uses its own deterministic words. The values map one to one onto settings
(``STEADYMIND_LLM_BASE_URL``, ``..._LLM_MODEL``, ``..._LLM_API_KEY``, ``..._LLM_GGUF_PATH``,
``..._LLM_CONNECT_TIMEOUT``, ``..._LLM_FIRST_TOKEN_TIMEOUT``, ``..._LLM_TOTAL_TIMEOUT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from steadymind.companion.llm.backend import ChatBackend, LlamaCppGGUF, OpenAICompatible
from steadymind.companion.llm.generate import Generator


@dataclass(frozen=True)
class LLMConfig:
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    gguf_path: Path | None = None
    connect_timeout: float = 3.0
    first_token_timeout: float = 15.0
    total_timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.base_url and self.gguf_path:
            raise ValueError("configure either a language model URL or a GGUF file, not both")
        if self.base_url and not (self.model or "").strip():
            raise ValueError("a language model URL needs the model's name as well")
        for name in ("connect_timeout", "first_token_timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url or self.gguf_path)

    def backend(self) -> ChatBackend | None:
        if self.base_url:
            return OpenAICompatible(
                self.base_url,
                self.model or "",
                self.api_key,
                connect_timeout=self.connect_timeout,
            )
        if self.gguf_path is not None:
            return LlamaCppGGUF(self.gguf_path)
        return None

    def generator(self) -> Generator | None:
        backend = self.backend()
        if backend is None:
            return None
        return Generator(
            backend,
            first_token_timeout=self.first_token_timeout,
            total_timeout=self.total_timeout,
        )
