"""Per-document time bound (issue 19): coding cost should stay linear in a document's length.

    python bench/long_document.py [--sizes 0.25,0.5,1,2,4.9]   (MB of text)

Each document is made of short dated paragraphs (a shelling, an attack, an air strike, a protest
in one of a dozen towns, with a line of filler), built from a fixed seed, and coded in one call.
Prints seconds, seconds per MB and events per size; the seconds per MB should stay flat.  The
ingest cap is 5 MB (fetch.MAX_BYTES), so 4.9 MB is the longest document a user can give.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from warcoder.coding.coder import Coder  # noqa: E402

TOWNS = ["Marib", "Taiz", "Hodeidah", "Saada", "Aden", "Idlib", "Aleppo", "Raqqa", "Mosul", "Kirkuk", "Donetsk"]
ACTS = [
    "Houthi forces shelled",
    "government troops attacked",
    "unidentified gunmen killed three civilians in",
    "an air strike hit",
    "protesters gathered in",
]
FILLER = "Officials said the situation remained tense and that talks would continue next week, according to residents."


def document(n_chars: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n_chars:
        p = (
            f"On {1 + len(parts) % 28} May 2020, {rng.choice(ACTS)} {rng.choice(TOWNS)}, "
            f"killing {rng.randint(1, 9)} people. {FILLER}"
        )
        parts.append(p)
        size += len(p) + 2
    return "\n\n".join(parts)[:n_chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2,4.9", help="document sizes in MB, comma-separated")
    args = ap.parse_args()
    coder = Coder()
    coder.code(document(2000))
    for mb in (float(x) for x in args.sizes.split(",")):
        text = document(int(mb * 1_000_000))
        t0 = time.perf_counter()
        events = coder.code(text)
        dt = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = f"{mb:5.2f} MB: {dt:6.1f}s, {dt / mb:5.1f} s/MB, {len(events)} events (peak RSS {rss:.0f} MB)"
        print(line, flush=True)


if __name__ == "__main__":
    main()
