"""The inference engine: tokenizers + onnxruntime, no torch.

Texts are tokenised once, sorted by length and run in batches padded only to the longest text of
the batch (dynamic padding). Results come back in the caller's order.

The default batch size is 1, on purpose: the int8 model quantizes activations dynamically, with
one scale per input tensor, so in a padded batch a text's scores shift (by up to ~0.1 measured)
with its batch-mates. Run alone, a text always gets the same reading, the one the thresholds were
tuned on. Padded batches ran about a quarter faster on one thread, which is not worth readings
that depend on the neighbours (docs/models/emotions.md, Batching). ``batch_size`` stays
configurable for offline bulk scoring.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from steadymind.core.errors import ModelError
from steadymind.models import onnx

# Characters kept before tokenising. 128 word pieces rarely need more than ~1,000 characters;
# the cap bounds the tokeniser's work on a 100 KB paste (the rest would be truncated anyway).
MAX_CHARS = 4_000
WHAT = "The emotion model"


class OnnxEmotionEngine:
    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        max_tokens: int = 128,
        threads: int = 1,
        batch_size: int = 1,
    ) -> None:
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        # Session and tokenizer come from the one runtime (threads, logging, no telemetry).
        self.tokenizer = onnx.tokenizer(tokenizer_path, max_tokens=max_tokens, what=WHAT)
        self.session = onnx.session(model_path, threads=threads, what=WHAT)

    def encode(self, texts: list[str]) -> tuple[list[list[int]], list[bool]]:
        """Token ids per text and whether each text was cut to fit ``max_tokens``."""
        clipped = [t[:MAX_CHARS] for t in texts]
        encodings = self.tokenizer.encode_batch(clipped)
        ids = [e.ids for e in encodings]
        truncated = [
            len(t) > MAX_CHARS or bool(e.overflowing) for t, e in zip(texts, encodings, strict=True)
        ]
        return ids, truncated

    def probabilities(self, texts: list[str]) -> tuple[npt.NDArray[np.float32], list[bool]]:
        """Sigmoid probabilities, one row per text, plus the truncation flags."""
        ids, truncated = self.encode(texts)
        out = np.zeros((len(texts), self._n_outputs()), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = self._run([ids[i] for i in idx])
        return out, truncated

    def _run(self, batch: list[list[int]]) -> npt.NDArray[np.float32]:
        width = max(len(x) for x in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, x in enumerate(batch):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        try:
            (probs,) = self.session.run(["probs"], {"input_ids": input_ids, "attention_mask": mask})
        except Exception as exc:
            raise ModelError("the emotion model failed to run") from exc
        return np.asarray(probs, dtype=np.float32)

    def _n_outputs(self) -> int:
        shape = self.session.get_outputs()[0].shape
        return int(shape[-1])
