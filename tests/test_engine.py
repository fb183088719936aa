"""The local multi-process engine: identical results for any number of workers, bounded read-ahead."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warcoder.engine import code_stream, count_documents
from warcoder.ingest import iter_documents
from warcoder.model import Document, DocumentError

from .conftest import SAMPLES

NOTES = [
    "On 3 May 2020, unidentified gunmen killed two civilians in Kismayo (Lower Juba).",
    "On 4 May 2020, Houthi forces shelled positions of the Yemeni army near Marib city. Three soldiers were killed.",
    "On 2 May 2020, protesters gathered in Baghdad to demand jobs. The protest was peaceful.",
    "On 5 May 2020, Boko Haram militants attacked a military base in Monguno (Borno), killing 7 soldiers.",
    "On 1 May 2020, Syrian government forces regained control of Kafr Nabudah (Hama) from rebels.",
]


def make_corpus(path: Path, n: int = 60) -> Path:
    """n JSONL records cycling through the notes, plus bad lines the coder must report."""
    lines = []
    for i in range(n):
        rec = {"id": f"gen-{i}", "text": NOTES[i % len(NOTES)], "published": "2020-05-06", "source": "Test wire"}
        if i % 7 == 3:
            del rec["published"]  # needs the dateline or --report-date
        lines.append(json.dumps(rec))
        if i == 10:
            lines.append("{not json")
        if i == 20:
            lines.append(json.dumps({"id": "bad-date", "text": NOTES[0], "published": "May 2020"}))
        if i == 30:
            lines.append(json.dumps({"id": "no-date", "text": "Gunmen killed two civilians in Kismayo yesterday."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warcoder.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def _snapshot(results: Iterator) -> list[tuple]:  # type: ignore[type-arg]
    out = []
    for r in results:
        if r.error is not None:
            out.append(("error", str(r.error)))
        else:
            d = r.document
            out.append((d.doc_id, d.report_date, tuple(d.warnings), [e.to_dict() for e in r.events]))
    return out


def test_two_workers_equal_one_worker(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "gen.jsonl")
    inputs = [str(SAMPLES), str(corpus)]
    one = _snapshot(code_stream(iter_documents(inputs), workers=1))
    two = _snapshot(code_stream(iter_documents(inputs), workers=2, chunksize=3, max_inflight=5))
    assert len(one) == 8 + 63
    assert one == two
    errors = [r for r in one if r[0] == "error"]
    assert len(errors) == 2 and "malformed JSON" in errors[0][1] and "published" in errors[1][1]
    assert sum(len(r[3]) for r in one if r[0] != "error") >= 50  # it coded events, not just nothing
    # documents without a date of their own got a warning, carried back from the worker
    assert any(r[2] for r in two if r[0] != "error")


def test_report_date_reaches_the_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "nodate.jsonl"
    corpus.write_text(json.dumps({"id": "nd", "text": "Gunmen killed two civilians in Kismayo yesterday."}) + "\n")
    for w in (1, 2):
        (res,) = list(code_stream(iter_documents([str(corpus)]), workers=w, report_date="2020-05-03"))
        assert res.ok and str(res.document.report_date) == "2020-05-03", w
        assert res.events and res.events[0].event_date == "2020-05-02", w
        (bad,) = list(code_stream(iter_documents([str(corpus)]), workers=w, report_date="2020-13-45"))
        assert not bad.ok and "report-date" in str(bad.error), w


def test_read_ahead_is_bounded() -> None:
    """The pool never reads more than max_inflight documents ahead of the results consumed."""
    pulled = 0
    lock = threading.Lock()

    def docs() -> Iterator[Document | DocumentError]:
        nonlocal pulled
        for i in range(200):
            with lock:
                pulled += 1
            if i % 50 == 0:
                yield DocumentError(f"bad-{i}", "broken on purpose")
            else:
                yield Document(doc_id=f"d{i}", text=NOTES[i % len(NOTES)])

    stream = code_stream(docs(), workers=2, chunksize=4, max_inflight=12)
    consumed = 0
    max_ahead = 0
    ids = []
    for res in stream:
        consumed += 1
        with lock:
            max_ahead = max(max_ahead, pulled - consumed)
        ids.append(res.document.doc_id if res.ok else res.error.doc)
    assert consumed == 200
    assert ids == [f"bad-{i}" if i % 50 == 0 else f"d{i}" for i in range(200)]  # input order
    assert max_ahead <= 12


def test_stream_closed_early_stops_the_workers() -> None:
    docs = (Document(doc_id=f"d{i}", text=NOTES[i % len(NOTES)]) for i in range(10_000))
    stream = code_stream(docs, workers=2, chunksize=2, max_inflight=8)
    first = next(stream)
    assert first.ok and first.document.doc_id == "d0"
    executor = stream._executor  # type: ignore[attr-defined]
    procs = list(executor._processes.values())
    assert len(procs) == 2 and all(p.is_alive() for p in procs)
    stream.close()  # type: ignore[attr-defined]
    assert all(not p.is_alive() for p in procs)


def test_a_dead_worker_fails_the_run_instead_of_hanging() -> None:
    from concurrent.futures.process import BrokenProcessPool

    docs = (Document(doc_id=f"d{i}", text=NOTES[i % len(NOTES)]) for i in range(2000))
    stream = code_stream(docs, workers=2, chunksize=2, max_inflight=8)
    next(stream)
    victim = next(iter(stream._executor._processes.values()))  # type: ignore[attr-defined]
    victim.kill()
    with pytest.raises(BrokenProcessPool):
        for _ in stream:
            pass


def test_count_documents(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "gen.jsonl", n=30)
    (tmp_path / ".hidden.txt").write_text("x")
    assert count_documents([str(corpus)]) == 32
    assert count_documents([str(tmp_path), "-", "https://example.invalid/a"]) == 34
    assert count_documents([str(SAMPLES)]) == 8


@pytest.fixture(scope="module")
def cli_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[int, tuple[Path, Path, subprocess.CompletedProcess[str]]]:
    tmp = tmp_path_factory.mktemp("workers")
    corpus = make_corpus(tmp / "gen.jsonl")
    out: dict[int, tuple[Path, Path, subprocess.CompletedProcess[str]]] = {}
    for w in (1, 2):
        db, ev = tmp / f"w{w}.duckdb", tmp / f"w{w}.jsonl"
        out[w] = (
            db,
            ev,
            run("code", str(SAMPLES), str(corpus), "--workers", str(w), "--db", str(db), "--out", str(ev)),
        )
    return out


def test_cli_workers_identical_output_and_store(cli_runs: dict) -> None:  # type: ignore[type-arg]
    (db1, ev1, r1), (db2, ev2, r2) = cli_runs[1], cli_runs[2]
    assert r1.returncode == r2.returncode == 1  # two bad lines in the corpus
    assert ev1.read_bytes() == ev2.read_bytes()  # same events, ids and order
    errs1 = [ln for ln in r1.stderr.splitlines() if ln.startswith("error:")]
    errs2 = [ln for ln in r2.stderr.splitlines() if ln.startswith("error:")]
    assert errs1 == errs2 and len(errs1) == 2
    assert "69 document(s) coded, 2 failed" in r2.stderr
    q = (
        "SELECT doc_id, origin, report_date, sha1, n_events, n_comments, warnings FROM documents ORDER BY doc_id",
        "SELECT * FROM events ORDER BY event_id",
        "SELECT * FROM evidence ORDER BY event_id, seq",
        "SELECT * FROM comments ORDER BY doc_id, seq",
    )
    c1, c2 = duckdb.connect(str(db1), read_only=True), duckdb.connect(str(db2), read_only=True)
    for sql in q:
        a, b = c1.execute(sql).fetchall(), c2.execute(sql).fetchall()
        assert a == b and a, sql


def test_cli_workers_usage(tmp_path: Path) -> None:
    res = run("code", str(SAMPLES), "--workers", "-1", "--db", str(tmp_path / "x.duckdb"))
    assert res.returncode == 2
    res = run("code", str(SAMPLES), "--master", "local[2]", "--db", str(tmp_path / "x.duckdb"))
    assert res.returncode == 2 and "--engine spark" in res.stderr


def test_one_coder_per_process_and_index() -> None:
    from warcoder.engine import shared_coder

    a = shared_coder()
    assert shared_coder(None) is a and shared_coder("") is a
    assert a.__class__.__name__ == "Coder"
