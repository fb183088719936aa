"""Full-length articles through `warcoder code` with the store (issue 20): documents/s per core, words/s,
start-up and peak memory per process, for --workers 1 and 2.

    python bench/articles.py [--docs 5000] [--workers 1 2] [--profile FILE]

The corpus is the GeoWebNews and LGL texts (250-500 words each; ``../shared/eval/geoparsing``, when
present) plus the sample reports and our article fixtures, replicated with new ids until it holds
``--docs`` documents.  Each run is ``warcoder code CORPUS --db STORE --out events.jsonl`` in a fresh
process, sampled for its processes' peak resident memory (``VmHWM``) and CPU time (bench/throughput.py's
sampler).  ``--profile FILE`` also writes a cProfile of one process coding 300 of the documents in the
same way (``python -m pstats FILE`` reads it).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import CPU_SECONDS, _mem, run_cli  # noqa: E402

GEO = ROOT.parent / "shared" / "eval" / "geoparsing"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def base_texts() -> list[dict[str, str]]:
    """GeoWebNews and LGL as documents (via the referee's converter), the samples and the article fixtures."""
    import subprocess

    docs: list[dict[str, str]] = []
    for name in ("GWN.xml", "lgl.xml"):
        if (GEO / name).exists():
            out = subprocess.run([sys.executable, str(SCORE), "docs", "xml", str(GEO / name)], capture_output=True,
                                 text=True, check=True).stdout  # fmt: skip
            docs += [json.loads(line) for line in out.splitlines() if line.strip()]
    for p in sorted((ROOT / "samples" / "reports").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" /
                                                                             "articles").rglob("*.txt")):  # fmt: skip
        docs.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    return docs


def write_corpus(path: Path, docs: list[dict[str, str]], n: int) -> int:
    """``n`` documents (the base texts over and over, each copy with a new id); their word count."""
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            d = dict(docs[i % len(docs)])
            d["id"] = f"{d['id']}#{i}"
            words += len(d["text"].split())
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return words


def profile(corpus: Path, out: Path, n: int = 300) -> None:
    from warcoder.engine import shared_coder
    from warcoder.ingest import iter_documents

    coder = shared_coder()
    docs = [d for _, d in zip(range(n), iter_documents([str(corpus)]), strict=False)]
    pr = cProfile.Profile()
    pr.enable()
    for _ in coder.code_many(docs):
        pass
    pr.disable()
    pr.dump_stats(str(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--profile", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        docs = base_texts()
        corpus = tmp / "articles.jsonl"
        words = write_corpus(corpus, docs, args.docs)
        print(f"corpus: {args.docs} documents ({len(docs)} distinct), {words / args.docs:.0f} words on average")
        one = tmp / "one.txt"
        one.write_text(docs[0]["text"], encoding="utf-8")
        dt, roles, res = run_cli(["code", str(one), "--no-store", "--out", str(tmp / "one.jsonl"), "-q"], tmp)
        assert res.returncode == 0, res.stderr
        print(f"one document, fresh process: {dt:.2f} s ({_mem(roles)})")
        dt0, _, res = run_cli(["--help"], tmp)
        print(f"start-up (warcoder --help): {dt0:.2f} s")
        for w in args.workers:
            db = tmp / f"w{w}.duckdb"
            dt, roles, res = run_cli(
                ["code", str(corpus), "--db", str(db), "--out", str(tmp / f"w{w}.jsonl"), "--workers", str(w), "-q"],
                tmp,
            )
            assert res.returncode in (0, 1), res.stderr[-2000:]
            cpu = CPU_SECONDS[-1]
            print(
                f"--workers {w}: {dt:.1f} s wall, {args.docs / dt:.0f} documents/s, {args.docs / cpu:.0f} documents/s "
                f"per CPU-second, {words / dt:.0f} words/s; peak RSS {_mem(roles)}"
            )
        if args.profile:
            profile(corpus, args.profile)
            print(f"profile of 300 documents written to {args.profile}")


if __name__ == "__main__":
    main()
