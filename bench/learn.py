"""The sub-type model trained on the shared ACLED dev notes, measured with regions held out (issue 22).

    python bench/learn.py [--csv ../shared/eval/acled_2020_dev.csv] [--folds 5] [--epochs 4] [--max-minutes 15]

The notes' regions are dealt into ``--folds`` groups of about equal size (largest region first, each to the
smallest group).  For each group: train ``warcoder train``'s model on the other groups' notes (with its own
validation split, which also chooses the mixing with the rules), then code the held-out notes three ways:

- rules: ``Coder()`` alone;
- model alone: the model's sub-type for each note's whole text (no rules at all);
- combined: ``Coder(model=...)``, the rules finding the event and the model weighing in as it was trained to.

Sub-type weighted F1 is computed the referee's way: the event with the gold sub-type if there is one, else
the note's first event; a note with no event is a miss.  The rules were tuned on these notes, so their figure
here is optimistic; the model's is not (it never saw the held-out regions).  Also printed: training time per
fold, and coding throughput with and without the model.  Needs the learn extra; reads ../shared only here.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warcoder.coder import Coder  # noqa: E402
from warcoder.learn.combine import weighted_f1  # noqa: E402
from warcoder.learn.data import Example, TrainingData, read_training_data  # noqa: E402
from warcoder.learn.train import TrainSettings, train  # noqa: E402
from warcoder.model import DocumentError  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "acled_2020_dev.csv"


def folds_by_region(examples: list[Example], k: int) -> list[list[str]]:
    sizes: dict[str, int] = {}
    for e in examples:
        sizes[e.region] = sizes.get(e.region, 0) + 1
    groups: list[list[str]] = [[] for _ in range(k)]
    totals = [0] * k
    for region in sorted(sizes, key=lambda r: -sizes[r]):
        i = totals.index(min(totals))
        groups[i].append(region)
        totals[i] += sizes[region]
    return groups


def code_notes(coder: Coder, rows: list[Example], dates: dict[int, str]) -> tuple[list[str | None], float]:
    """The referee's pick per note (gold sub-type if any event has it, else the first event), and notes/s."""
    picks: list[str | None] = []
    t0 = time.perf_counter()
    for e in rows:
        try:
            evs = coder.code(e.text, report_date=dates.get(e.row), doc_id=f"n{e.row}")
        except DocumentError:
            evs = []
        subs = [ev.sub_event_type for ev in evs]
        picks.append(e.sub_event_type if e.sub_event_type in subs else (subs[0] if subs else None))
    return picks, len(rows) / (time.perf_counter() - t0)


def report_dates(path: Path) -> dict[int, str]:
    """Each CSV record's event date as ISO (the notes' own dates are in their text; this is the fallback)."""
    from datetime import datetime

    out = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for i, r in enumerate(csv.DictReader(fh), 1):
            with contextlib.suppress(KeyError, ValueError):
                out[i] = datetime.strptime(r["event_date"], "%d-%b-%y").date().isoformat()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEV)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", type=int, help="run this fold only (1-based)")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--max-minutes", type=float, default=15.0)
    args = ap.parse_args()
    if not args.csv.exists():
        sys.exit(f"{args.csv}: not found (the shared dev notes)")
    data = read_training_data(args.csv)
    dates = report_dates(args.csv)
    groups = folds_by_region(data.examples, args.folds)
    rules_coder = Coder()
    print("fold | held-out regions | notes | rules | model alone | combined | mixing | train s | notes/s rules | model")
    totals: dict[str, list[tuple[int, float]]] = {"rules": [], "model": [], "combined": []}
    for i, regions in enumerate(groups, 1):
        if args.only and i != args.only:
            continue
        held = [e for e in data.examples if e.region in regions]
        rest = TrainingData([e for e in data.examples if e.region not in regions], data.sha256)
        with tempfile.TemporaryDirectory() as tmp:
            settings = TrainSettings(epochs=args.epochs, max_minutes=args.max_minutes)
            rep = train(rest, Path(tmp) / "m", settings, progress=False)
            model_coder = Coder(gazetteer=rules_coder.gazetteer, model=Path(tmp) / "m")
            gold = [e.sub_event_type for e in held]
            alone = [b for b, _ in model_coder.model.predict([e.text for e in held])]
            rules, rules_rate = code_notes(rules_coder, held, dates)
            combined, model_rate = code_notes(model_coder, held, dates)
        f = {"rules": weighted_f1(gold, rules), "model": weighted_f1(gold, alone)}
        f["combined"] = weighted_f1(gold, combined)
        for k, v in f.items():
            totals[k].append((len(held), v))
        print(
            f"{i} | {', '.join(regions)} | {len(held)} | {f['rules']:.3f} | {f['model']:.3f} | {f['combined']:.3f} | "
            f"{rep.mixing} | {rep.seconds:.0f} | {rules_rate:.0f} | {model_rate:.0f}",
            flush=True,
        )
    n = sum(w for w, _ in totals["rules"]) or 1
    print("notes-weighted mean: " + ", ".join(f"{k} {sum(w * v for w, v in vs) / n:.3f}" for k, vs in totals.items()))


if __name__ == "__main__":
    main()
