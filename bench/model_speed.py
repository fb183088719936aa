"""Coding speed with a sub-type model (issue 22: >= 100 short notes/s per core).

    python bench/model_speed.py [--notes 1000] [--threads 1]

Trains a small model on the committed fixture (tests/fixtures/learn/notes.jsonl, seconds), makes it decide
every sub-type (mixing "model", so that it runs on every event), and codes short notes with the rules alone
and with the model, in CPU time per note.  The notes are the shared ACLED dev notes when ../shared is there
(read for speed only), else the fixture's texts repeated.  The model codes on one torch thread
(warcoder.learn.encoder.PREDICT_THREADS); ``--threads`` sets the threads the process starts with.

Batching the events of several notes through the model in one call was tried on 2026-12-08: no faster per
core on one thread, since the encoder's work grows with the tokens, so the coder calls it per event.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FIXTURE = ROOT / "tests" / "fixtures" / "learn" / "notes.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "acled_2020_dev.csv"


def notes(n: int) -> list[dict[str, str]]:
    texts: list[str] = []
    if DEV.is_file():
        import csv

        with DEV.open(newline="", encoding="utf-8-sig") as fh:
            texts = [r["notes"] for r in csv.DictReader(fh)][:n]
    if not texts:
        rows = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines() if line.strip().startswith("{")]
        texts = [r["text"] for r in rows if r.get("text")]
        texts = (texts * (n // max(len(texts), 1) + 1))[:n]
    return [{"id": f"n{i}", "text": t, "published": "2020-12-31"} for i, t in enumerate(texts)]


def rate(fn, docs: list[dict[str, str]]) -> float:  # type: ignore[no-untyped-def]
    t0 = time.process_time()
    fn(docs)
    return len(docs) / max(time.process_time() - t0, 1e-9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1, help="torch threads the process starts with (training uses them)")
    a = ap.parse_args()
    import torch

    from warcoder.coder import Coder
    from warcoder.learn.combine import Mixing
    from warcoder.learn.data import read_training_files
    from warcoder.learn.encoder import SubTypeModel
    from warcoder.learn.train import TrainSettings, train

    torch.set_num_threads(a.threads)
    docs = notes(a.notes)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        train(
            read_training_files([FIXTURE]), Path(tmp) / "m", TrainSettings(epochs=1, threads=a.threads), progress=False
        )
        print(f"trained the fixture model in {time.perf_counter() - t0:.0f} s")
        model = SubTypeModel.load(Path(tmp) / "m")
    model.info.mixing = Mixing("model")  # the model decides every event: it runs on each one
    rules, with_model = Coder(), Coder(model=model)
    print(f"{len(docs)} notes ({'ACLED dev' if DEV.is_file() else 'fixture'}), torch threads {a.threads}, CPU time")
    figures = {
        "rules alone": rate(lambda ds: list(rules.code_many(ds)), docs),
        "with the model (mixing model: it runs on every event)": rate(lambda ds: list(with_model.code_many(ds)), docs),
    }
    for name, r in figures.items():
        print(f"  {name}: {r:.0f} notes/s per core")


if __name__ == "__main__":
    main()
