"""The companion's language model rewording other features' reviewed lines
(``runtime.Rephraser``): a practice's spoken steps, for a person who chose generated words.

Only the line is sent (the project's own words), with the reviewed rewording prompt
(``companion/copy/rephrase_prompt.md``). The reply goes through the same generator as free talk:
every sentence passes the output filter and the text seam's check of generated words, and a
blocked sentence, an error or a timeout gives ``Reworded(None, reason)``. The caller keeps its own
words then, and checks a reworded line against its own rules too.
"""

from __future__ import annotations

from steadymind.companion.llm import FallBack, Generator, rephrase_messages, rephrase_prompt
from steadymind.crypto.principal import Principal
from steadymind.features.companion.service import CompanionService
from steadymind.runtime import Reworded
from steadymind.screen import TextSeam

# A line is one or two sentences; a longer answer is not a rewording.
MAX_SENTENCES = 3
MAX_CHARS = 400


class LineRephraser:
    def __init__(self, service: CompanionService, llm: Generator, seam: TextSeam) -> None:
        self.service = service
        self.llm = llm
        self.seam = seam

    def chose(self, owner: Principal) -> bool:
        """Generated words only for someone whose AI setting is "companion", who accepted its
        consent and who chose the model's replies (the companion's own rule)."""
        if owner.ai_level != "companion" or self.service.consent(owner).needed:
            return False
        return self.service.prefs(owner).llm_replies

    def rewording(self, owner: Principal) -> str | None:
        if not self.chose(owner):
            return None
        backend = self.llm.backend
        model = getattr(backend, "model", None) or type(backend).__name__
        path = getattr(backend, "path", None)
        name = path.name if path is not None else model
        return f"llm:{name}:{rephrase_prompt().version}"

    def rephrase(self, owner: Principal, text: str, *, timeout: float) -> Reworded:
        if not self.chose(owner):
            return Reworded(None, "not-chosen")
        if timeout <= 0:
            return Reworded(None, "timeout-total")
        # The caller's time, never more than the server's own limits.
        generator = Generator(
            self.llm.backend,
            first_token_timeout=min(self.llm.first_token_timeout, timeout),
            total_timeout=min(self.llm.total_timeout, timeout),
            max_sentences=MAX_SENTENCES,
            max_chars=MAX_CHARS,
        )
        sentences: list[str] = []
        try:
            for sentence in generator.stream_reply(
                rephrase_messages(text), self.seam.passes_generated
            ):
                sentences.append(sentence)
        except FallBack as fell:
            return Reworded(None, fell.reason)
        return Reworded(" ".join(sentences))
