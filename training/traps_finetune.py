"""Fine-tune all-MiniLM-L6-v2 as the thinking-trap detector and export it as one int8 ONNX graph.

Run from the repository root in the training environment (``pip install -e '.[train]'``):

    python -m training.traps_finetune        # build/models/traps/, then: make promote MODEL=traps

The second version of the detector (docs/models/traps.md says why): the first read a frozen
sentence embedding with logistic heads, and its trap types did not carry over to questions people
wrote to therapists. Here the encoder itself learns, end to end, from the same data as
``training.traps``: the real Reddit passages labelled twice (``training/data/traps_labels.jsonl``)
and the examples written from the definitions (``training/data/traps_written.jsonl``).

Model: the transformer, mean pooling, L2 normalisation, and one linear layer (x10) with fourteen
logits: *distorted* and the thirteen traps. Loss: binary cross-entropy of each, positives
weighted by their rarity; AdamW (3e-5 encoder, 1e-3 head), batch 16, linear warm-up and decay,
seed fixed. Selection uses **real text only**: a fifth of the real passages (whole C-SSRS
writers, by a hash of their id) is held out; the epoch with the best held-out AUC of *distorted*
is kept, and the *distorted* threshold is Youden's J on the held-out passages. The evaluation
sets (the Therapist Q&A set, CounselChat) are never read here.

The graph's outputs are ``embedding``, ``distorted`` (a probability) and ``traps`` (thirteen
probabilities, in the order of ``steadymind.companion.traps.TRAPS``).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from steadymind.companion.traps import TRAPS
from steadymind.models.manifest import Manifest, hash_files, write_manifest
from training.minilm import (
    BASE_MODEL,
    MAX_TOKENS,
    TOKENIZER_FILE,
    checkpoint_dir,
    export_onnx,
    offline,
    quantize_int8,
    require_export,
    write_tokenizer,
)
from training.paths import build_dir
from training.traps_data import Example, auc, folds, real_examples, written_examples, youden

NAME = "traps"
MODEL_FILE = "minilm-l6-v2-traps-int8.onnx"
MODEL_ID = "minilm-l6-v2-traps-ft-int8-onnx@2"
EPOCHS = 4
BATCH = 16
SEED = 20261130
DEV_FOLD = 0
MIN_TRAP_THRESHOLD = 0.3


def build(torch: Any, transformers: Any, src: Path) -> tuple[Any, Any]:
    bert = transformers.AutoModel.from_pretrained(
        str(src), local_files_only=True, attn_implementation="eager"
    )

    class Traps(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.head = torch.nn.Linear(384, 1 + len(TRAPS))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            mean = (out * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            emb = torch.nn.functional.normalize(mean, p=2, dim=1)
            return emb, self.head(emb * 10.0)

    tok = transformers.AutoTokenizer.from_pretrained(str(src), local_files_only=True)
    return Traps(), tok


def targets(examples: list[Example]) -> np.ndarray[Any, Any]:
    y = np.zeros((len(examples), 1 + len(TRAPS)), dtype=np.float32)
    for i, e in enumerate(examples):
        y[i, 0] = float(e.distorted)
        for name in e.traps:
            y[i, 1 + TRAPS.index(name)] = 1.0
    return y


def predict(torch: Any, model: Any, tok: Any, texts: list[str]) -> np.ndarray[Any, Any]:
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            enc = tok(
                texts[i : i + 64], padding=True, truncation=True, max_length=MAX_TOKENS,
                return_tensors="pt",
            )  # fmt: skip
            _, logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            out.append(torch.sigmoid(logits).numpy())
    return np.concatenate(out)


def train(
    torch: Any, model: Any, tok: Any, train_set: list[Example], dev: list[Example]
) -> tuple[Any, dict[str, Any]]:
    texts = [e.text for e in train_set]
    y = torch.tensor(targets(train_set))
    positives = y.sum(0).clamp(min=1.0)
    pos_weight = ((len(y) - positives) / positives).clamp(max=50.0)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    opt = torch.optim.AdamW(
        [
            {"params": model.bert.parameters(), "lr": 3e-5},
            {"params": model.head.parameters(), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * ((len(texts) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    order = list(range(len(texts)))
    rng = random.Random(SEED)  # noqa: S311 - shuffling, not security
    dev_y = np.asarray([e.distorted for e in dev])
    best: tuple[float, Any, int] = (-1.0, None, 0)
    history = []
    for epoch in range(EPOCHS):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for i in range(0, len(order), BATCH):
            batch = order[i : i + BATCH]
            enc = tok(
                [texts[j] for j in batch], padding=True, truncation=True, max_length=MAX_TOKENS,
                return_tensors="pt",
            )  # fmt: skip
            _, logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            loss = loss_fn(logits, y[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(batch)
        p = predict(torch, model, tok, [e.text for e in dev])
        score = auc(p[:, 0].astype(np.float64), dev_y)
        history.append({"epoch": epoch + 1, "loss": total / len(order), "dev_auc": score})
        print(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(order):.4f}, "
              f"held-out real AUC {score:.4f}", flush=True)  # fmt: skip
        if score > best[0]:
            best = (score, copy.deepcopy(model.state_dict()), epoch + 1)
    model.load_state_dict(best[1])
    model.eval()
    return model, {"epochs": history, "chosen_epoch": best[2], "dev_auc": round(best[0], 4)}


def thresholds(p: np.ndarray[Any, Any], dev: list[Example]) -> tuple[float, list[float]]:
    """The *distorted* threshold (Youden's J) and each trap's listing threshold (best F1 among
    held-out distorted passages, at least 0.3; 0.5 where the held-out set has too few)."""
    y = np.asarray([e.distorted for e in dev])
    distorted = youden(p[:, 0].astype(np.float64), y)
    trap_t = []
    for k, name in enumerate(TRAPS):
        yt = np.asarray([name in e.traps for e in dev])[y]
        scores = p[y, 1 + k]
        if yt.sum() < 3:
            trap_t.append(0.5)
            continue
        best, chosen = -1.0, 0.5
        for t in np.unique(np.round(scores, 3)):
            tp = float(((scores >= t) & yt).sum())
            f1 = 2 * tp / max(float((scores >= t).sum() + yt.sum()), 1.0)
            if f1 > best:
                best, chosen = f1, float(t)
        trap_t.append(max(chosen, MIN_TRAP_THRESHOLD))
    return distorted, trap_t


class _Graph:
    @staticmethod
    def make(torch: Any, model: Any) -> Any:
        class Graph(torch.nn.Module):  # type: ignore[misc]
            def __init__(self) -> None:
                super().__init__()
                self.inner = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                emb, logits = self.inner(input_ids, attention_mask, token_type_ids)
                probs = torch.sigmoid(logits)
                return emb, probs[:, 0], probs[:, 1:]

        return Graph().eval()


def export(torch: Any, model: Any, path: Path) -> None:
    export_onnx(torch, _Graph.make(torch, model), path, ("embedding", "distorted", "traps"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=build_dir(NAME))
    args = parser.parse_args(argv)
    offline()
    torch, transformers = require_export()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    real = real_examples()
    fold = folds(real)
    dev = [e for e, k in zip(real, fold, strict=True) if k == DEV_FOLD]
    train_set = [e for e, k in zip(real, fold, strict=True) if k != DEV_FOLD] + written_examples()
    held = sum(e.distorted for e in dev)
    print(f"training on {len(train_set)} ({sum(e.real for e in train_set)} real); "
          f"held out {len(dev)} real ({held} distorted)", flush=True)  # fmt: skip
    model, tok = build(torch, transformers, checkpoint_dir())
    model, report = train(torch, model, tok, train_set, dev)
    p = predict(torch, model, tok, [e.text for e in dev])
    distorted_t, trap_t = thresholds(p, dev)
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        export(torch, model, float_path)
        quantize_int8(float_path, out / MODEL_FILE)
    write_tokenizer(checkpoint_dir(), out / TOKENIZER_FILE)
    heads = {
        "traps": list(TRAPS),
        "distorted": {"threshold": distorted_t},
        "trap_thresholds": trap_t,
    }
    (out / "heads.json").write_text(json.dumps(heads, indent=1), encoding="utf-8")
    files = hash_files(
        out, {"model": MODEL_FILE, "tokenizer": TOKENIZER_FILE, "heads": "heads.json"}
    )
    manifest = Manifest(
        model_id=f"{MODEL_ID}-{files['model'].sha256[:8]}",
        source=f"{BASE_MODEL}, fine-tuned end to end with a distorted head and thirteen trap "
        "heads by training.traps_finetune",
        licence="Apache-2.0 (encoder); fine-tuned on GoEmotions (Apache-2.0), Reddit C-SSRS "
        "(CC BY) passages labelled by the project, and the project's own written examples",
        card="docs/models/traps.md",
        files=files,
        config={
            "max_tokens": MAX_TOKENS,
            "dim": 384,
            "outputs": ["embedding", "distorted", "traps"],
        },
        training={
            **report,
            "train": len(train_set),
            "train_real": sum(e.real for e in train_set),
            "held_out_real": len(dev),
            "held_out_distorted": sum(e.distorted for e in dev),
            "distorted_threshold": round(distorted_t, 4),
            "seed": SEED,
            "batch": BATCH,
        },
    )
    write_manifest(out, manifest)
    print(json.dumps(manifest.to_json()["training"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
