"""Precompute the semantic layer's prototype embeddings with the encoder being built.

    python -m training.safety_prototypes

Run after editing ``safety/data/prototypes.jsonl`` or fine-tuning the encoder. Needs only the
runtime dependencies. Writes ``prototypes.npz`` into ``build/models/safety/`` (a working copy of
the shipped artefact until ``make promote MODEL=safety``).
"""

from __future__ import annotations

import numpy as np

from steadymind.safety.encoder import Encoder
from steadymind.safety.semantic import EMBEDDINGS, EMBEDDINGS_ROLE, load_prototypes, prototypes_sha
from training.artefacts import record, working_copy


def main() -> int:
    out = working_copy("safety")
    encoder = Encoder(out)
    protos = load_prototypes()
    matrix = np.stack([encoder.encode(p.text) for p in protos]).astype(np.float32)
    np.savez(
        out / EMBEDDINGS,
        embeddings=matrix,
        prototypes_sha256=np.array(prototypes_sha()),
        encoder_model_id=np.array(encoder.model_id),
    )
    record(out, {EMBEDDINGS_ROLE: EMBEDDINGS})
    print(f"wrote {out / EMBEDDINGS}: {matrix.shape[0]} prototypes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
