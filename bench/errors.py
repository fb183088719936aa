"""Error analysis on the ACLED dev notes (measuring only: reads ../shared/eval, ships nothing).

python bench/errors.py GOLD.csv EVENTS.jsonl [--show SUBTYPE] [--field type|date|geo|none]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import Counter, defaultdict
from pathlib import Path


def km(a: float, b: float, c: float, d: float) -> float:
    p1, p2 = math.radians(a), math.radians(c)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(min(1, x)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("events")
    ap.add_argument("--show", default=None, help="print notes whose gold sub-type is this")
    ap.add_argument("--pred", default=None, help="... and whose predicted sub-type is this")
    ap.add_argument("--field", default="type")
    ap.add_argument("-n", type=int, default=15)
    a = ap.parse_args()
    by = defaultdict(list)
    for line in Path(a.events).read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        by[e["doc_id"]].append(e)
    with open(a.gold, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["notes"].strip()]
    conf: Counter[tuple[str, str]] = Counter()
    shown = 0
    for r in rows:
        evs = by.get(r["event_id_cnty"], [])
        e = next((x for x in evs if x["sub_event_type"] == r["sub_event_type"]), evs[0] if evs else None)
        p = e["sub_event_type"] if e else "NONE"
        conf[(r["sub_event_type"], p)] += 1
        bad = False
        if a.field == "type":
            bad = (
                (a.show is None or r["sub_event_type"] == a.show)
                and (a.pred is None or p == a.pred)
                and p != r["sub_event_type"]
            )
        elif a.field == "none":
            bad = e is None
        elif a.field == "date" and e:
            bad = (
                e["event_date"]
                != __import__("datetime").datetime.strptime(r["event_date"], "%d-%b-%y").date().isoformat()
            )
        elif a.field == "geo" and e:
            bad = (
                e.get("latitude") is None
                or km(float(r["latitude"]), float(r["longitude"]), e["latitude"], e["longitude"]) > 161
            )
        elif a.field == "actor1" and e:
            bad = e["actor1"] != r["actor1"]
        elif a.field == "fatal" and e:
            bad = int(e["fatalities"] or 0) != int(r["fatalities"])
        if bad and shown < a.n:
            shown += 1
            gold = f"{r['event_date']} | {r['actor1']} / {r['actor2']} | {r['location']}, {r['country']}"
            print(f"--- gold={r['sub_event_type']} | pred={p} | {gold} | fat={r['fatalities']}")
            print("   ", r["notes"][:400])
            if e:
                where = f"{e['location']} ({e['country']}) {e['latitude']},{e['longitude']}"
                print(f"    -> {e['event_date']} {e['actor1']} / {e['actor2']} @ {where} fat={e['fatalities']}")
    if a.field == "type" and a.show is None:
        print("top confusions (gold -> pred):")
        for (g, p), n in conf.most_common(40):
            if g != p:
                print(f"{n:5d}  {g} -> {p}")


if __name__ == "__main__":
    main()
