"""Precompute the semantic layer's prototype embeddings with the shipped encoder.

    .venv/bin/python -m steadymind.training.safety_prototypes

Run after editing ``safety/data/prototypes.jsonl`` or re-exporting the encoder. Needs only the
runtime dependencies.
"""

from __future__ import annotations

import numpy as np

from steadymind.safety.encoder import MODELS_DIR, Encoder
from steadymind.safety.semantic import EMBEDDINGS, load_prototypes, prototypes_sha


def main() -> int:
    encoder = Encoder()
    protos = load_prototypes()
    matrix = np.stack([encoder.encode(p.text) for p in protos]).astype(np.float32)
    path = MODELS_DIR / EMBEDDINGS
    np.savez(
        path,
        embeddings=matrix,
        prototypes_sha256=np.array(prototypes_sha()),
        encoder_model_id=np.array(encoder.model_id),
    )
    print(f"wrote {path.name}: {matrix.shape[0]} prototypes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
