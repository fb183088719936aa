"""Sub-type, actor1 and country on news-style sentences about the Middle East, written by us.

    python bench/middle_east.py [--errors]

Fixtures in tests/fixtures/middle_east/ about Syria, Iraq, Yemen, Lebanon, Israel/Palestine, Turkey,
Libya and their neighbours (the region the dev notes lack), each row with the expected sub-type,
actor1 family (the name before the parenthesis; blank when ACLED's choice is unclear) and country:

- news.tsv: the working set.  New rules get their test sentences here, written before the rule.
- heldout.tsv: written at the same time, never tuned on.  The bench prints its aggregate figures
  only, and --errors never lists its rows.
- notes.tsv: 31 notes in ACLED's own style ("On 3 March 2020, Houthi forces ..."), 2020, labelled from
  the codebook; written on 2026-12-08 before that day's rules for reinforcements and assassinations.
  A working set: --errors lists its misses.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "middle_east"
sys.path.insert(0, str(ROOT / "bench"))
import news_style  # noqa: E402  # type: ignore[import-not-found]


@dataclass
class Coded:
    row: news_style.Row
    actor1_family: str
    country: str
    got_actor1: str = ""
    got_country: str = ""


def family(actor: str | None) -> str:
    return (actor or "").split("(")[0].strip().lower()


def code(path: Path, coder) -> list[Coded]:
    out: list[Coded] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh, delimiter="\t")):
            row = news_style.Row(i, r["sub_event_type"].strip(), r["text"].strip(), "")
            c = Coded(row, r["actor1_family"].strip(), r["country"].strip())
            events = coder.code(row.text, report_date=news_style.REPORT_DATE, doc_id=f"m{i}")
            row.n_events = len(events)
            if events:
                ev = next((e for e in events if e.sub_event_type == row.gold), events[0])
                row.pred, row.pred_type = ev.sub_event_type, ev.event_type
                c.got_actor1, c.got_country = ev.actor1 or "", ev.country or ""
            out.append(c)
    return out


def figures(coded: list[Coded]) -> dict[str, float]:
    s = news_style.score([c.row for c in coded])
    with_actor = [c for c in coded if c.actor1_family]
    return {
        "rows": len(coded),
        "wF1": s.weighted_f1,
        "sub-type": s.accuracy,
        "event type": s.type_accuracy,
        "actor1 family": sum(family(c.got_actor1) == family(c.actor1_family) for c in with_actor)
        / max(len(with_actor), 1),
        "country": sum(c.got_country == c.country for c in coded) / max(len(coded), 1),
        "no event": sum(c.row.pred == "NONE" for c in coded) / max(len(coded), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list the working set's misses (never the held-out's)")
    a = ap.parse_args()
    from warcoder import Coder

    coder = Coder()
    results = {name: code(FIXTURES / f"{name}.tsv", coder) for name in ("news", "heldout", "notes")}
    keys = list(figures(results["news"]))
    print("| set | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for name, coded in results.items():
        f = figures(coded)
        print(f"| {name} | " + " | ".join(f"{f[k]:.3f}" if k != "rows" else str(f[k]) for k in keys) + " |")
    if a.errors:
        for c in results["news"] + results["notes"]:
            bad = []
            if c.row.pred != c.row.gold:
                bad.append(f"{c.row.gold} -> {c.row.pred}")
            if c.actor1_family and family(c.got_actor1) != family(c.actor1_family):
                bad.append(f"actor1 {c.actor1_family!r} -> {c.got_actor1!r}")
            if c.got_country != c.country:
                bad.append(f"country {c.country} -> {c.got_country or '-'}")
            if bad:
                print(f"#{c.row.i} " + "; ".join(bad) + f"\n    {c.row.text}")


if __name__ == "__main__":
    main()
