"""Speed of toponym spotting and resolution alone.  Prints figures; asserts nothing.

    python bench/places_speed.py [--corpus FILE.jsonl] [--rounds N]

Corpus: FILE.jsonl (one {"id", "text"} per line) if given; else the GeoWebNews article texts when
../shared/eval is beside the project (measuring only), else the bundled sample reports. Figures:
- index load: seconds to load the compiled gazetteer index (compiled first if missing)
- places: documents/s per core (CPU time of this single-threaded process), best of N rounds over the same
  texts (the caches then hold every name), and the first, cold round
- one pass over the texts after warming the caches on other news (LGL beside GeoWebNews, or --warm FILE):
  the steady state of a stream of new documents (and the median of three such passes, each warmed afresh).
  These passes come after the rounds above, so the caches that all resolvers share (the gazetteer's key
  lookups, the normaliser's) already hold the texts' names. The "fresh stream" figure is the same pass in a new
  process, warmed on the other news only: the speed on documents the process has never seen
- peak memory: the process's maximum resident set size
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"


def xml_docs(xml: Path) -> list[tuple[str, str]]:
    """The article texts of a shared geoparsing gold file, as the referee extracts them (measuring only)."""
    cmd = [sys.executable, str(SHARED / "score.py"), "docs", "xml", str(xml)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [(str(r["id"]), r["text"]) for r in map(json.loads, filter(str.strip, out.splitlines()))]


def corpus(path: str | None) -> tuple[str, list[tuple[str, str]]]:
    if path:
        rows = [json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]
        return path, [(str(r.get("id")), r.get("text") or "") for r in rows]
    gwn = SHARED / "geoparsing" / "GWN.xml"
    if gwn.exists():
        return "GeoWebNews", xml_docs(gwn)
    docs = []
    for p in sorted((ROOT / "samples" / "reports").glob("*.txt")):
        docs.append((p.stem, p.read_text(encoding="utf-8")))
    return "samples", docs


def warm_docs(warm: str | None, name: str) -> tuple[str, list[tuple[str, str]]]:
    """Other texts to warm the caches on: ``--warm`` FILE, else LGL beside GeoWebNews (else none)."""
    lgl = SHARED / "geoparsing" / "lgl.xml"
    if warm:
        return corpus(warm)
    if name == "GeoWebNews" and lgl.exists():
        return "LGL", xml_docs(lgl)
    return "", []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warm", help="Other texts to warm the caches on first (default: LGL beside GeoWebNews).")
    ap.add_argument("--fresh-pass", action="store_true", help="Only time one pass after warming (run by the bench).")
    args = ap.parse_args()
    name, docs = corpus(args.corpus)
    from warcoder.gazetteer import Gazetteer
    from warcoder.places import PlaceResolver, places_records

    if args.fresh_pass:  # a new process: nothing has seen the texts; caches warmed on the other news only
        gaz = Gazetteer.load()
        r = PlaceResolver(gaz)
        for doc_id, text in warm_docs(args.warm, name)[1]:
            places_records(doc_id, text, r)
        c = time.process_time()
        for doc_id, text in docs:
            places_records(doc_id, text, r)
        print(f"{len(docs) / max(time.process_time() - c, 1e-9):.0f}")
        return

    Gazetteer.load()  # compile once if needed
    t = time.perf_counter()
    gaz = Gazetteer.load()
    print(f"index load: {time.perf_counter() - t:.2f} s ({len(gaz):,} places)")
    r = PlaceResolver(gaz)
    for doc_id, text in docs[:10]:  # warm the caches
        places_records(doc_id, text, r)
    best = first = 0.0
    n_rec = 0
    for k in range(max(1, args.rounds)):
        c = time.process_time()
        n_rec = sum(len(places_records(doc_id, text, r)) for doc_id, text in docs)
        speed = len(docs) / max(time.process_time() - c, 1e-9)
        best = max(best, speed)
        first = speed if k == 0 else first
    chars = sum(len(t) for _, t in docs) / max(len(docs), 1)
    print(
        f"places ({name}, {len(docs)} docs, {chars:,.0f} chars/doc, {n_rec} records): {best:.0f} docs/s per core "
        f"(first round, cold caches: {first:.0f})"
    )
    # steady state on a stream: caches warmed on *other* news, then one pass over texts they have not seen
    warm_name, warm = warm_docs(args.warm, name)
    if warm:
        # a single pass lasts well under a second: on a shared machine also the median of three such passes,
        # each with a new resolver warmed afresh
        passes = []
        for _ in range(3):
            r = PlaceResolver(gaz)
            for doc_id, text in warm:
                places_records(doc_id, text, r)
            c = time.process_time()
            for doc_id, text in docs:
                places_records(doc_id, text, r)
            passes.append(len(docs) / max(time.process_time() - c, 1e-9))
        cmd = [sys.executable, __file__, "--fresh-pass", *(["--corpus", args.corpus] if args.corpus else [])]
        cmd += ["--warm", args.warm] if args.warm else []
        fresh = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        print(
            f"one pass over {name} after warming on {warm_name} ({len(warm)} other docs): {passes[0]:.0f} docs/s/core"
            f" (median of 3 such passes: {sorted(passes)[1]:.0f}; fresh stream, in a new process: {fresh})"
        )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
