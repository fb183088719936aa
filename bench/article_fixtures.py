"""Full-length articles written by us, scored against their hand coding (issue 18).

    python bench/article_fixtures.py [--details] [--set work|heldout|all]

tests/fixtures/articles/ holds wire-style articles (300-900 words) about Syria, Iraq, Yemen, Ukraine,
Sudan and Myanmar, with background paragraphs, tolls, related links, quotes and sources that disagree,
each hand-coded in the seed report's gold format (NAME.gold.json: the events, the main event, and the
statements that must NOT become events).  They were written before the rules they test.

- work/: the working set.  --details lists its misses and spurious events.
- heldout/: written at the same time by another hand, never tuned on: only its figures are printed.

Per set: recall (required events matched), precision, events from not-event sentences (background, tolls,
furniture, reactions as an event's first sentence), events with 1,000 or more fatalities, the main event
found / its fatalities exact / ranked first, and fatalities exact over matched events.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
sys.path.insert(0, str(ROOT / "src"))

from warcoder.engine import shared_coder  # noqa: E402
from warcoder.evaluate import ArticleScore, score_folder, summarise  # noqa: E402


def score_set(which: str) -> list[ArticleScore]:
    return score_folder(shared_coder(), FIXTURES / which)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="all", choices=["work", "heldout", "all"])
    ap.add_argument("--details", action="store_true", help="misses and spurious events (working set only)")
    args = ap.parse_args()
    for which in ("work", "heldout") if args.set == "all" else (args.set,):
        t = time.perf_counter()
        scores = score_set(which)
        if not scores:
            print(f"{which}: no articles")
            continue
        secs = time.perf_counter() - t
        print(f"{which}: {summarise(scores).line()} ({secs:.1f} s)")
        if args.details and which == "work":
            for s in scores:
                print(f"  {s.name}: {s.matched_required}/{s.required} matched, {s.produced} coded")
                for m in s.missed:
                    print(f"    MISSED  {m}")
                for x in s.spurious:
                    print(f"    EXTRA   {x}")
                for x in s.from_not_events:
                    print(f"    NOT-EV  {x}")


if __name__ == "__main__":
    main()
