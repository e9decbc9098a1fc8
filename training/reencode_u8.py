"""Re-encode a shipped model's int8 weights as uint8, without retraining:
``python -m training.reencode_u8 safety emotions traps``, then ``make promote MODEL=<name>``.

The models shipped before this change were quantised to signed int8 weights, which onnxruntime
multiplies with a saturating instruction on CPUs without VNNI, so they answered differently on
different machines (see ``training.minilm.unsaturated_weights``). The rewrite keeps the integer
products exactly, so each model computes on every machine what it computed on the machine it was
measured on. Its ``model_id`` stays (the weights are the same numbers) unless the id names the
file's sha256 (the emotion model's); the manifest's ``training`` notes the re-encoding. Needs
the ``train`` extra (onnx).
"""

from __future__ import annotations

import argparse

from steadymind.models.manifest import load_artefact
from training.artefacts import record, working_copy
from training.minilm import unsaturated_weights

NOTE = "MatMulInteger weights re-encoded int8 -> uint8+128 by training.reencode_u8 (same products)"


def reencode(name: str) -> int:
    directory = working_copy(name)
    artefact = load_artefact(directory)
    model = artefact.manifest.files["model"].path
    rewritten = unsaturated_weights(directory / model)
    training = dict(artefact.manifest.training or {})
    if rewritten:
        training["reencoded"] = NOTE
    old_sha = artefact.manifest.files["model"].sha256
    updated = record(directory, {"model": model}, training=training)
    # An id that names its weights by their hash (the emotion model's, checked at load) follows
    # the new file; the others name the training run and stay.
    suffix = "+" + old_sha[:12]
    if artefact.model_id.endswith(suffix):
        new_id = artefact.model_id[: -len(suffix)] + "+" + updated.files["model"].sha256[:12]
        record(directory, {}, model_id=new_id)
    return rewritten


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="folders of src/steadymind/models/")
    for name in parser.parse_args(argv).names:
        print(f"{name}: {reencode(name)} weight tensors re-encoded into build/models/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
