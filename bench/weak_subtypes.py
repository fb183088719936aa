"""News-style sentences of our own for the sub-types weakest on held-out snippets (issue 17), scored per sub-type.

    python bench/weak_subtypes.py

tests/fixtures/weak_subtypes/news.tsv holds 30 sentences (excessive force, protest with intervention,
disrupted weapons use, change to group/activity, non-violent transfer, other) about the Middle East and North
Africa, written from the codebook's definitions before any rule for them.  Prints each miss and the
figures per sub-type.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.test_weak_subtypes import rows  # noqa: E402
from warcoder.engine import shared_coder  # noqa: E402


def main() -> None:
    coder = shared_coder()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for sub, country, text in rows():
        evs = coder.code(text, report_date="2024-05-10")
        got = evs[0].sub_event_type if evs else None
        total[sub] += 1
        if got == sub:
            right[sub] += 1
        else:
            print(f"  MISS {sub} -> {got} ({country}): {text}")
    for sub in total:
        print(f"{sub:36s} {right[sub]}/{total[sub]}")
    print(f"all: {sum(right.values())}/{sum(total.values())}")


if __name__ == "__main__":
    main()
