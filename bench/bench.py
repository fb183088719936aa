"""Speed and memory of the coder.  Prints figures; asserts nothing.

    python bench/bench.py [--docs N] [--corpus FILE.jsonl]

Corpus: FILE.jsonl if given; else the ACLED dev notes turned into documents when ../shared/eval is
beside the project (measuring only), topped up with the bundled sample reports; at least --docs
documents (default 2,000), repeated with fresh ids if needed.  Figures:
- start-up: seconds for a fresh process to import warcoder and build a Coder (compiled index warm)
- throughput: documents/s of one process on one core (the pipeline is single-threaded), with and
  without the DuckDB store write
- peak memory: the process's maximum resident set size
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"


def corpus(n: int, path: str | None) -> list[dict[str, str]]:
    docs: list[dict[str, str]] = []
    if path:
        docs = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        if (SHARED / "acled_2020_dev.csv").exists():
            out = subprocess.run(
                [sys.executable, str(SHARED / "score.py"), "docs", "acled", str(SHARED / "acled_2020_dev.csv")],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            docs = [json.loads(line) for line in out.splitlines() if line.strip()]
        for p in sorted((ROOT / "samples" / "reports").iterdir()):
            if p.suffix == ".jsonl":
                docs += [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            elif p.suffix in (".txt", ".html"):
                key = "html" if p.suffix == ".html" else "text"
                docs.append({"id": p.stem, key: p.read_text(encoding="utf-8")})
    base = list(docs)
    i = 0
    while len(docs) < n:
        d = dict(base[i % len(base)])
        d["id"] = f"{d.get('id', 'doc')}~{i}"
        docs.append(d)
        i += 1
    return docs


def startup() -> float:
    code = "import time; t=time.perf_counter(); from warcoder import Coder; Coder(); print(time.perf_counter()-t)"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # warm the index cache
    best = min(
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(3)
    )
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--corpus")
    a = ap.parse_args()
    docs = corpus(a.docs, a.corpus)
    print(f"corpus: {len(docs)} documents, {sum(len(d.get('text') or d.get('html') or '') for d in docs) / 1e6:.1f} MB")
    print(f"start-up (import + Coder(), warm index): {startup():.2f} s")

    from warcoder import Coder
    from warcoder.store import Store

    t0 = time.perf_counter()
    coder = Coder()
    load = time.perf_counter() - t0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    n_events = failed = 0
    results = []
    for res in coder.code_many(docs):
        if res.error:
            failed += 1
            continue
        n_events += len(res.events)
        results.append((res.document, res.events))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(f"in-process load: {load:.2f} s")
    print(f"coding: {len(docs)} docs, {n_events} events, {failed} failed in {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"throughput: {len(docs) / wall:.0f} docs/s wall, {len(docs) / cpu:.0f} docs/s per core (CPU time)")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Store(os.path.join(tmp, "b.duckdb")) as store:
            for i in range(0, len(results), 200):
                store.write_coded(results[i : i + 200], merge=False)
        st = time.perf_counter() - t0
    print(f"store write: {st:.1f} s ({len(results) / st:.0f} docs/s); end to end {len(docs) / (wall + st):.0f} docs/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
