"""Every shipped model answers the same on every CPU.

The models are int8-quantised. Signed int8 weights made onnxruntime use a saturating 16-bit
multiply-add on CPUs without VNNI (plain AVX2), so one model gave embeddings at cosine 0.97-0.99 to
its own outputs on an AVX-512 VNNI machine, and the gate's everyday tests passed on one machine and
failed on the other. The weights are now uint8 (``training.minilm.unsaturated_weights``), whose
kernel never saturates. The golden outputs below were computed once; a model that is re-quantised
the old way, or a runtime that changes the arithmetic, moves them by far more than the tolerance.

Regenerate after a deliberate model change: ``python -m tests.models.test_same_on_every_cpu``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from steadymind.models import ARTEFACTS
from steadymind.models import onnx as model_onnx
from steadymind.models.manifest import load_artefact

GOLDEN = Path(__file__).with_name("fixtures") / "golden_outputs.json"
SENTENCES = (
    "Took a melatonin to help me sleep",
    "Thanks so much for the advice! Will definitely keep that in mind",
    "I want to end my life tonight",
    "Argued with my partner about the dishes, then we laughed about it.",
    "I always ruin everything, nobody will ever want to be around me.",
)
# Float kernels (layer norm, softmax, erf) may round differently on another CPU, and a rounding
# can move an activation by one quantisation step: well under 1e-3. The saturating kernel moved
# single values by 0.025-0.05.
TOLERANCE = 2e-3
MODELS = ("emotions", "safety", "traps")


def outputs(name: str) -> dict[str, list[float]]:
    artefact = load_artefact(ARTEFACTS / name)
    session = model_onnx.session(artefact.path("model"))
    tokenizer = model_onnx.tokenizer(
        artefact.path("tokenizer"), max_tokens=int(artefact.setting("max_tokens"))
    )
    wanted = {i.name for i in session.get_inputs()}
    first = session.get_outputs()[0].name
    result = {}
    for text in SENTENCES:
        enc = tokenizer.encode(text)
        feeds = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        (out,) = session.run([first], {k: v for k, v in feeds.items() if k in wanted})
        result[text] = [round(float(x), 6) for x in np.asarray(out[0]).ravel()]
    return result


@pytest.mark.parametrize("name", MODELS)
def test_a_model_gives_its_golden_outputs_on_this_cpu(name: str) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["model_ids"][name] == load_artefact(ARTEFACTS / name).model_id, (
        "the model changed: regenerate the golden outputs (see the module's docstring)"
    )
    got = outputs(name)
    for text in SENTENCES:
        diff = np.abs(np.asarray(got[text]) - np.asarray(golden["outputs"][name][text])).max()
        assert diff <= TOLERANCE, (name, text, float(diff))


if __name__ == "__main__":
    GOLDEN.write_text(
        json.dumps(
            {
                "model_ids": {n: load_artefact(ARTEFACTS / n).model_id for n in MODELS},
                "outputs": {n: outputs(n) for n in MODELS},
            },
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {GOLDEN}")
