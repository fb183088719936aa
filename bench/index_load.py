"""How long loading the gazetteer index takes with a warm cache, and what it costs in memory.

    python bench/index_load.py [--runs 5] [--index FILE]

Each run is a fresh process that imports warcoder, times ``Gazetteer.load()`` (the index already compiled
and in the page cache: the first run warms it), then reads every array once (as a long run of lookups
would). It prints the load time and, after loading and after reading, the peak RSS, the RSS, and from
/proc/self/smaps_rollup the proportional (PSS) and private memory: pages of a mapped index count in RSS
but are shared through the page cache, so two processes mapping it show each about half of it as PSS.
A last line runs two processes at once and prints each one's PSS and private memory.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from warcoder.gazetteer import Gazetteer
t1 = time.perf_counter()
g = Gazetteer.load(path=Path(sys.argv[1]) if sys.argv[1] else None)
t2 = time.perf_counter()

def mem():
    out = {"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    try:
        for line in open("/proc/self/smaps_rollup"):
            k, _, v = line.partition(":")
            if k in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                out[k.lower()] = int(v.split()[0]) / 1024
        out["private"] = out.pop("private_clean") + out.pop("private_dirty")
    except OSError:
        pass
    return out

after_load = mem()
touched = 0
for arr in [g.lat, g.lon, g.pop, g.gid, *g.cols.values()]:
    touched += int(arr.view("u1")[::4096].sum())
for i in range(0, len(g), 97):
    touched += len(g.names[i]) + len(g.cc_list[i])
g.lookup("Aleppo"), g.lookup("Mosul", weak=True)
after_read = mem()
if len(sys.argv) > 2:
    time.sleep(float(sys.argv[2]))  # stay alive while the other process maps the index too
    after_read = mem()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "after_load": after_load, "after_read": after_read}))
"""


def _child(index: str, hold: float | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", CHILD, index] + ([str(hold)] if hold is not None else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True)


def _result(p: subprocess.Popen[str]) -> dict:  # type: ignore[type-arg]
    out, _ = p.communicate()
    if p.returncode:
        raise SystemExit(f"child failed ({p.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def _fmt(m: dict) -> str:  # type: ignore[type-arg]
    return " ".join(f"{k} {v:.0f} MB" for k, v in m.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--index", default="", help="an explicit index file (default: the cache's)")
    a = ap.parse_args()
    _result(_child(a.index))  # warm: compiles a missing index, fills the page cache
    runs = [_result(_child(a.index)) for _ in range(a.runs)]
    loads = [r["load_s"] for r in runs]
    print(
        f"load: median {statistics.median(loads):.3f} s, min {min(loads):.3f} s, max {max(loads):.3f} s "
        f"({a.runs} fresh processes, warm cache); import warcoder.gazetteer "
        f"{statistics.median(r['import_s'] for r in runs):.3f} s"
    )
    print("after load:", _fmt(runs[-1]["after_load"]))
    print("after reading every array:", _fmt(runs[-1]["after_read"]))
    pair = [_child(a.index, hold=2.0) for _ in range(2)]
    for n, r in enumerate(_result(p) for p in pair):
        print(f"two processes at once, #{n + 1}:", _fmt(r["after_read"]))


if __name__ == "__main__":
    main()
