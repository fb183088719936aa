"""Training data for ``warcoder train``: labelled texts read from the user's own files.

Three shapes are read, each by its columns, not its name:

- an ACLED-format CSV (``notes`` and ``sub_event_type``; ``region`` and ``country`` kept when present);
- JSONL of ``{"text", "sub_event_type"}`` (``notes`` is taken for ``text`` when ``text`` is missing);
- ``warcoder export --reports`` output (JSONL events), where the text is the event's evidence sentences,
  or its ``notes`` when it has none; a row marked ``"no_event": true`` is left out.

A sub-type is matched to ACLED's 25 (``data/taxonomy.yaml``) ignoring case and spacing.  A row without
text, without a sub-type or with one outside the 25 is skipped and counted, never guessed.  This module
needs no extra: the torch side is in ``warcoder.learn.encoder`` and ``warcoder.learn.train``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import knowledge


class TrainingDataError(ValueError):
    """The training data cannot be used at all (unreadable, no usable rows, one sub-type only)."""


@dataclass(frozen=True)
class Example:
    text: str
    sub_event_type: str
    region: str = ""
    country: str = ""
    row: int = 0  # line (JSONL) or record (CSV) number in the file, from 1


@dataclass
class TrainingData:
    examples: list[Example]
    sha256: str  # of the file's bytes: what the model was trained on
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows


@lru_cache(maxsize=1)
def sub_types() -> dict[str, str]:
    """ACLED's 25 sub-types by a folded key (lower case, single spaces) -> the codebook's spelling."""
    tax = knowledge.load_yaml("taxonomy.yaml")
    return {_fold(sub): sub for subs in tax.values() for sub in subs}


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def read_training_data(path: str | Path, min_labels: int = 2) -> TrainingData:
    """The labelled examples in ``path`` (CSV or JSONL, see the module docstring); a TrainingDataError when
    they hold fewer than ``min_labels`` sub-types."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise TrainingDataError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TrainingDataError(f"{p}: not UTF-8 text") from None
    skipped: Counter[str] = Counter()
    if p.suffix.lower() == ".csv":
        examples = _from_csv(p, text, skipped)
    elif p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        examples = _from_jsonl(text, skipped)
    else:
        raise TrainingDataError(f"{p}: training data is a .csv (ACLED columns) or .jsonl file")
    if not examples:
        raise TrainingDataError(f"{p}: no labelled rows (each needs a text and one of ACLED's 25 sub-types)")
    if len({e.sub_event_type for e in examples}) < min_labels:
        raise TrainingDataError(f"{p}: all rows have one sub-type; a classifier needs at least two")
    return TrainingData(examples, hashlib.sha256(raw).hexdigest(), skipped)


def read_training_files(paths: list[str | Path]) -> TrainingData:
    """The examples of several files (notes and corrections exported from the web app, say), as one set;
    its sha256 is of the files' hashes in the order given."""
    if len(paths) == 1:
        return read_training_data(paths[0])
    parts = [read_training_data(p, min_labels=1) for p in paths]
    skipped: Counter[str] = Counter()
    for part in parts:
        skipped.update(part.skipped)
    digest = hashlib.sha256("".join(part.sha256 for part in parts).encode()).hexdigest()
    examples = [e for part in parts for e in part.examples]
    if len({e.sub_event_type for e in examples}) < 2:
        raise TrainingDataError(f"{paths[0]}: all rows have one sub-type; a classifier needs at least two")
    return TrainingData(examples, digest, skipped)


def _example(text: object, label: object, skipped: Counter[str], row: int, **meta: str) -> Example | None:
    t = " ".join(str(text or "").split())
    if not t:
        skipped["no text"] += 1
        return None
    sub = sub_types().get(_fold(str(label or "")))
    if sub is None:
        skipped["no sub-type" if not label else "not one of ACLED's 25 sub-types"] += 1
        return None
    return Example(t, sub, row=row, **meta)


def _from_csv(p: Path, text: str, skipped: Counter[str]) -> list[Example]:
    reader = csv.DictReader(text.splitlines())
    cols = set(reader.fieldnames or [])
    if not {"notes", "sub_event_type"} <= cols:
        raise TrainingDataError(f"{p}: a training CSV needs the columns notes and sub_event_type (ACLED's names)")
    out = []
    for i, r in enumerate(reader, 1):
        ex = _example(r.get("notes"), r.get("sub_event_type"), skipped, i, region=r.get("region") or "",
                      country=r.get("country") or "")  # fmt: skip
        if ex:
            out.append(ex)
    return out


def _from_jsonl(text: str, skipped: Counter[str]) -> list[Example]:
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            skipped["malformed JSON"] += 1
            continue
        if not isinstance(r, dict):
            skipped["malformed JSON"] += 1
            continue
        if r.get("no_event"):
            skipped["marked as no event"] += 1
            continue
        body = r.get("text") or " ".join(str(s.get("text", "")) for s in r.get("evidence") or [] if isinstance(s, dict))
        ex = _example(body or r.get("notes"), r.get("sub_event_type"), skipped, i, region=str(r.get("region") or ""),
                      country=str(r.get("country") or ""))  # fmt: skip
        if ex:
            out.append(ex)
    return out


def split(examples: list[Example], val_share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """A train/validation split.  When the rows name at least three regions (or else countries), whole
    regions are held out for validation, drawn at random until they hold ``val_share`` of the rows: the
    model is then judged, and its mixing with the rules chosen, on places it did not learn from, as it will
    be used.  Otherwise the split is stratified by sub-type: each sub-type with 2 rows or more gives
    ``val_share`` of its rows (at least one) to validation.  The draw is fixed by ``seed``."""
    for key in ("region", "country"):
        groups = sorted({getattr(e, key) for e in examples if getattr(e, key)})
        if len(groups) >= 3 and all(getattr(e, key) for e in examples):
            return _group_split(examples, key, groups, val_share, seed)
    return _stratified(examples, val_share, seed)


def _group_split(
    examples: list[Example], key: str, groups: list[str], val_share: float, seed: int
) -> tuple[list[Example], list[Example]]:
    rng = random.Random(seed)
    order = groups[:]
    rng.shuffle(order)
    held: set[str] = set()
    n = 0
    for g in order[:-1]:  # at least one group stays for training
        if n >= val_share * len(examples):
            break
        held.add(g)
        n += sum(1 for e in examples if getattr(e, key) == g)
    train = [e for e in examples if getattr(e, key) not in held]
    val = [e for e in examples if getattr(e, key) in held]
    rng.shuffle(train)
    return train, val


def _stratified(examples: list[Example], val_share: float, seed: int) -> tuple[list[Example], list[Example]]:
    rng = random.Random(seed)
    by_label: dict[str, list[Example]] = {}
    for e in examples:
        by_label.setdefault(e.sub_event_type, []).append(e)
    train, val = [], []
    for label in sorted(by_label):
        rows = by_label[label][:]
        rng.shuffle(rows)
        k = max(1, round(len(rows) * val_share)) if len(rows) >= 2 else 0
        val += rows[:k]
        train += rows[k:]
    rng.shuffle(train)
    return train, val
