"""Throughput of the engines: documents/s, peak memory per process, start-up time.

    python bench/throughput.py [--docs 20000] [--repeat 2] [--skip-spark] [--keep DIR]

The corpus (at least ``--docs`` documents) is the ACLED dev notes (``score.py docs acled`` over
``../shared/eval/acled_2020_dev.csv``, when present) plus the sample reports, replicated with new
ids until it is large enough.  Each engine runs as the command line does (``warcoder code``, a
fresh process), and a sampler reads ``VmHWM`` (peak resident memory) from ``/proc/<pid>/status``
of every process in the run's tree (the CLI, its pool workers, Spark's JVM and Python workers).

Measured:

* start-up: a fresh process that imports warcoder and builds a Coder (warm index cache), and
  ``warcoder code`` on one short document with 1 and 2 workers and with Spark ``local[2]``;
* the local engine at 1 and 2 workers over the corpus (store writes and a JSONL export included;
  the runs alternate, ``--repeat`` times, and the best wall time of each counts),
  checking that both outputs are byte-identical;
* Spark ``local[2]`` over the same corpus (JSONL in, Parquet out).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "reports"
SHARED = ROOT.parent / "shared" / "eval"


def build_corpus(path: Path, min_docs: int) -> int:
    """Write the corpus as JSONL; returns the number of documents."""
    base: list[dict[str, object]] = []
    dev = SHARED / "acled_2020_dev.csv"
    if dev.exists():
        out = subprocess.run(
            [sys.executable, str(SHARED / "score.py"), "docs", "acled", str(dev)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        base.extend(json.loads(line) for line in out.splitlines() if line.strip())
    for f in sorted(SAMPLES.iterdir()):
        if f.suffix == ".jsonl":
            base.extend(json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
        elif f.suffix == ".txt":
            base.append({"id": f.stem, "text": f.read_text(encoding="utf-8")})
        elif f.suffix in (".html", ".htm"):
            base.append({"id": f.stem, "html": f.read_text(encoding="utf-8")})
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        copy = 0
        while n < min_docs:
            for rec in base:
                r = dict(rec)
                r["id"] = f"{rec.get('id')}-r{copy}" if copy else rec.get("id")
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
            copy += 1
    return n


class PeakSampler:
    """Samples VmHWM of a process and all its descendants until stopped."""

    def __init__(self, root_pid: int, interval: float = 0.2) -> None:
        self.root = root_pid
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}  # pid -> (name, peak kB)
        self.ticks: dict[int, int] = {}  # pid -> CPU time (user + system) last seen, in clock ticks
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        out, todo = [], [self.root]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(children.get(p, []))
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self._tree():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self.ticks[pid] = max(self.ticks.get(pid, 0), int(fields[11]) + int(fields[12]))
                    status = Path(f"/proc/{pid}/status").read_text()
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                hwm = next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmHWM:")), 0)
                name = _role(cmd, pid == self.root)
                if hwm > self.peaks.get(pid, ("", 0))[1]:
                    self.peaks[pid] = (name, hwm)
            self._stop.wait(self.interval)

    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")

    def by_role(self) -> dict[str, list[int]]:
        roles: dict[str, list[int]] = {}
        for name, kb in self.peaks.values():
            roles.setdefault(name, []).append(kb // 1024)
        return roles


def _role(cmd: str, root: bool) -> str:
    if "java" in cmd.split(" ", 1)[0] or "org.apache.spark" in cmd:
        return "spark-jvm"
    if "pyspark.daemon" in cmd or "pyspark/daemon" in cmd or "pyspark.worker" in cmd:
        return "spark-python-worker"
    return "cli" if root else "worker"


CPU_SECONDS: list[float] = []  # CPU time (user + system) of the process tree of each run_cli call


def run_cli(args: list[str], cwd: Path) -> tuple[float, dict[str, list[int]], subprocess.CompletedProcess[str]]:
    cmd = [sys.executable, "-m", "warcoder.cli", *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    dt = time.perf_counter() - t0
    CPU_SECONDS.append(sampler.cpu_seconds())  # sampled every 0.2 s: the last 0.2 s of each process is missed
    return dt, sampler.by_role(), subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _mem(roles: dict[str, list[int]]) -> str:
    """The largest peak per role, and how many processes of that role (launcher shells under 20 MB left out)."""
    parts = []
    for k, v in sorted(roles.items()):
        big = [x for x in v if x >= 20]
        if big:
            parts.append(f"{k} {max(big)} MB" + (f" (x{len(big)})" if len(big) > 1 else ""))
    return ", ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000, help="minimum corpus size")
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="local runs per worker count (the best counts)")
    ap.add_argument("--keep", help="work in this directory and keep it")
    a = ap.parse_args()

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="warcoder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    n = build_corpus(corpus, a.docs)
    tiny = work / "tiny.jsonl"
    tiny.write_text(corpus.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    print(f"corpus: {n} documents ({corpus.stat().st_size / 1e6:.1f} MB), {os.cpu_count()} CPUs")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows: list[tuple[str, str, str, str, str]] = []

    # start-up
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from warcoder import Coder; Coder()"], check=True)
    print(f"start-up, import + Coder() in a fresh process: {time.perf_counter() - t0:.2f} s")
    for w in (1, 2):
        dt, _, res = run_cli(["code", str(tiny), "--workers", str(w), "--db", str(work / "t.duckdb"), "-q"], work)
        assert res.returncode == 0, res.stderr
        print(f"start-up, `warcoder code` on 1 document, --workers {w}: {dt:.2f} s")

    # local engine: 1 and 2 workers interleaved, --repeat times; the best wall time of each counts
    digests: dict[int, str] = {}
    times: dict[int, float] = {}
    cpus: dict[int, float] = {}
    mems: dict[int, dict[str, list[int]]] = {}
    for rep in range(a.repeat):
        for w in (1, 2):
            db, out = work / f"w{w}.duckdb", work / f"w{w}.jsonl"
            for f in (db, out):
                f.unlink(missing_ok=True)
            dt, mem, res = run_cli(
                ["code", str(corpus), "--workers", str(w), "--db", str(db), "--out", str(out), "-q"], work
            )
            assert res.returncode in (0, 1), res.stderr
            digests[w] = hashlib.sha256(out.read_bytes()).hexdigest()
            print(
                f"[run {rep + 1}] local --workers {w}: {dt:.1f} s, {n / dt:.0f} docs/s, {CPU_SECONDS[-1]:.0f} CPU-s; "
                f"peak memory: {_mem(mem)}; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            if w not in times or dt < times[w]:
                times[w], cpus[w], mems[w] = dt, CPU_SECONDS[-1], mem
    for w in (1, 2):
        rows.append(
            (f"local --workers {w}", f"{times[w]:.1f} s", f"{n / times[w]:.0f}", f"{cpus[w]:.0f} s", _mem(mems[w]))
        )
    print(
        f"speed-up 1 -> 2 workers (best of {a.repeat}): {times[1] / times[2]:.2f}x wall clock; CPU time 2 workers / "
        f"1 worker: {cpus[2] / cpus[1]:.2f}; outputs identical: {digests[1] == digests[2]}"
    )

    if not a.skip_spark and shutil.which("java"):
        dt0, _, res = run_cli(
            ["code", "--engine", "spark", "--master", "local[2]", str(tiny), "--out", str(work / "sp-tiny"), "-q"],
            work,
        )
        assert res.returncode == 0, res.stderr
        print(f"start-up, Spark local[2] on 1 document (JVM, session, Python workers, jobs): {dt0:.1f} s")
        dt, mem, res = run_cli(
            ["code", "--engine", "spark", "--master", "local[2]", str(corpus), "--out", str(work / "sp"), "-q"], work
        )
        assert res.returncode in (0, 1), res.stderr
        steady = n / max(dt - dt0, 1e-9)
        cpu = CPU_SECONDS[-1]
        rows.append(
            ("spark local[2]", f"{dt:.1f} s", f"{n / dt:.0f} ({steady:.0f} after start-up)", f"{cpu:.0f} s", _mem(mem))
        )
        print(
            f"spark local[2]: {dt:.1f} s, {n / dt:.0f} docs/s ({steady:.0f} docs/s without the fixed start-up); "
            f"peak memory: {_mem(mem)}",
            flush=True,
        )

    print()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| engine | wall time | documents/s | CPU time | peak memory per process |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
