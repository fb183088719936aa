"""Sub-type accuracy on an independent, news-style fixture (tests/fixtures/news_style.tsv).

    python bench/news_style.py [--errors] [--tsv FILE] [--only SUBTYPE]

The fixture holds short wire-service / local-news sentences (>= 8 per ACLED sub-type, all 25),
written independently of any ACLED evaluation data.  Each row is coded on its own; the predicted
sub-type is that of the event with the expected sub-type if the coder produced one, else that of
the first event, else "NONE".  Prints accuracy, weighted F1 over sub-types, event_type accuracy,
per-sub-type precision/recall/F1, the most frequent confusion pairs and (with --errors) every
misclassified row.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "news_style.tsv"
REPORT_DATE = "2024-03-15"

# ACLED's 25 sub-types under their 6 event types.
TYPE_OF: dict[str, str] = {
    **dict.fromkeys(["Armed clash", "Government regains territory", "Non-state actor overtakes territory"], "Battles"),
    **dict.fromkeys(
        [
            "Air/drone strike",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Suicide bomb",
            "Grenade",
            "Chemical weapon",
        ],
        "Explosions/Remote violence",
    ),
    **dict.fromkeys(["Attack", "Abduction/forced disappearance", "Sexual violence"], "Violence against civilians"),
    **dict.fromkeys(
        ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"], "Protests"
    ),
    **dict.fromkeys(["Violent demonstration", "Mob violence"], "Riots"),
    **dict.fromkeys(
        [
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
        "Strategic developments",
    ),
}


@dataclass
class Row:
    i: int
    gold: str
    text: str
    note: str
    pred: str = "NONE"
    pred_type: str = "NONE"
    n_events: int = 0


@dataclass
class Scores:
    n: int
    accuracy: float
    weighted_f1: float
    macro_f1: float
    type_accuracy: float
    per_sub: dict[str, tuple[float, float, float, int]]  # sub -> (precision, recall, f1, support)
    confusions: list[tuple[tuple[str, str], int]]


def load(path: Path = FIXTURE) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter="\t")):
            gold = r["sub_event_type"].strip()
            if gold not in TYPE_OF:
                raise ValueError(f"row {i}: unknown sub-type {gold!r}")
            rows.append(Row(i, gold, r["text"].strip(), (r.get("note") or "").strip()))
    return rows


def predict(rows: list[Row], coder=None) -> list[Row]:
    if coder is None:
        from warcoder import Coder

        coder = Coder()
    for row in rows:
        events = coder.code(row.text, report_date=REPORT_DATE, doc_id=f"n{row.i}")
        row.n_events = len(events)
        if not events:
            row.pred, row.pred_type = "NONE", "NONE"
            continue
        ev = next((e for e in events if e.sub_event_type == row.gold), events[0])
        row.pred, row.pred_type = ev.sub_event_type, ev.event_type
    return rows


def score(rows: list[Row]) -> Scores:
    n = len(rows)
    gold = Counter(r.gold for r in rows)
    pred = Counter(r.pred for r in rows)
    tp = Counter(r.gold for r in rows if r.gold == r.pred)
    per: dict[str, tuple[float, float, float, int]] = {}
    for sub in TYPE_OF:
        p = tp[sub] / pred[sub] if pred[sub] else 0.0
        rc = tp[sub] / gold[sub] if gold[sub] else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        per[sub] = (p, rc, f, gold[sub])
    support = sum(gold.values())
    wf1 = sum(f * s for (_, _, f, s) in per.values()) / support if support else 0.0
    present = [v for v in per.values() if v[3]]
    mf1 = sum(v[2] for v in present) / len(present) if present else 0.0
    acc = sum(tp.values()) / n if n else 0.0
    tacc = sum(TYPE_OF[r.gold] == r.pred_type for r in rows) / n if n else 0.0
    conf = Counter((r.gold, r.pred) for r in rows if r.gold != r.pred).most_common()
    return Scores(n, acc, wf1, mf1, tacc, per, conf)


def report(s: Scores, rows: list[Row], errors: bool = False, top: int = 25) -> None:
    print(f"rows: {s.n}   sub-types: {sum(1 for v in s.per_sub.values() if v[3])}")
    print(f"sub_event_type accuracy: {s.accuracy:.3f}")
    print(f"sub_event_type weighted F1: {s.weighted_f1:.3f}   (macro F1 {s.macro_f1:.3f})")
    print(f"event_type accuracy: {s.type_accuracy:.3f}")
    print(f"no event at all: {sum(r.pred == 'NONE' for r in rows)}")
    print()
    print(f"{'sub_event_type':<38} {'P':>5} {'R':>5} {'F1':>5} {'n':>3}")
    for sub, (p, r, f, n) in sorted(s.per_sub.items(), key=lambda kv: (kv[1][2], kv[0])):
        print(f"{sub:<38} {p:5.2f} {r:5.2f} {f:5.2f} {n:3d}")
    print()
    print("confusions (gold -> predicted):")
    for (g, p), c in s.confusions[:top]:
        print(f"  {c:3d}  {g}  ->  {p}")
    if errors:
        print()
        print("misclassified rows:")
        for r in rows:
            if r.gold != r.pred:
                note = f"   [{r.note}]" if r.note else ""
                print(f"  #{r.i:<3} {r.gold} -> {r.pred} ({r.n_events} ev): {r.text}{note}")


def run(path: Path = FIXTURE, coder=None) -> tuple[Scores, list[Row]]:
    rows = predict(load(path), coder)
    return score(rows), rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", default=str(FIXTURE))
    ap.add_argument("--errors", action="store_true", help="list every misclassified row")
    ap.add_argument("--only", help="restrict to one gold sub-type")
    a = ap.parse_args()
    rows = load(Path(a.tsv))
    if a.only:
        rows = [r for r in rows if r.gold == a.only]
    rows = predict(rows)
    report(score(rows), rows, errors=a.errors)


if __name__ == "__main__":
    main()
