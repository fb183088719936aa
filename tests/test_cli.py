"""End to end through the command line: samples in, store and exports out, bad input handled."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from warcoder.model import ACLED_COLUMNS

from .conftest import SAMPLES


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warcoder.cli", *args], capture_output=True, text=True, input=stdin, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    tmp = tmp_path_factory.mktemp("e2e")
    db, out = tmp / "w.duckdb", tmp / "events.jsonl"
    res = run("code", str(SAMPLES), "--db", str(db), "--out", str(out))
    return db, out, res


def test_samples_end_to_end(coded: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    db, out, res = coded
    assert res.returncode == 0, res.stderr
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(events) >= 10
    docs = {e["doc_id"] for e in events}
    assert {"syria_front_2017-10-20", "iraq_mosul_2017-03-05", "note-ye-1", "ukraine_donbas_2020-05-03"} <= docs
    for e in events:
        assert e["event_id"] and e["evidence"] and e["notes"].startswith("On ")
        assert 1 <= e["time_precision"] <= 3 and 1 <= e["geo_precision"] <= 3
    # the Syrian report: comments stored, no event sourced from them
    syr = [e for e in events if e["doc_id"] == "syria_front_2017-10-20"]
    text = (SAMPLES / "syria_front_2017-10-20.txt").read_text(encoding="utf-8")
    body_end = text.index("Omar K.")
    assert syr and all(
        s["end"] <= body_end and text[s["start"] : s["end"]] == s["text"] for e in syr for s in e["evidence"]
    )
    assert not any("continue its advance" in s["text"] for e in syr for s in e["evidence"])  # a plan, not an event
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(events)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 8
    authors = {
        r[0] for r in con.execute("SELECT author FROM comments WHERE doc_id = 'syria_front_2017-10-20'").fetchall()
    }
    assert authors == {"Omar K.", "Mike from Ohio"}
    html_authors = {
        r[0] for r in con.execute("SELECT author FROM comments WHERE doc_id = 'iraq_mosul_2017-03-05'").fetchall()
    }
    assert html_authors == {"Sarah J.", "Abu Ali", "watcher99"}
    assert con.execute("SELECT count(*) FROM evidence").fetchone()[0] >= len(events)
    con.close()


def test_recoding_replaces_and_never_duplicates(
    coded: tuple[Path, Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    db, out, _ = coded
    before = json.loads(out.read_text().splitlines()[0])
    res = run(
        "code", str(SAMPLES / "syria_front_2017-10-20.txt"), "--db", str(db), "--out", str(tmp_path / "again.jsonl")
    )
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    n_docs, n_events = con.execute("SELECT count(*), (SELECT count(*) FROM events) FROM documents").fetchone()
    ids = con.execute("SELECT count(DISTINCT event_id), count(*) FROM events").fetchone()
    con.close()
    assert n_docs == 8 and ids[0] == ids[1] == n_events == len(out.read_text().splitlines())
    assert before["event_id"]


@pytest.mark.parametrize("ext", ["jsonl", "csv", "geojson", "parquet"])
def test_export_formats(coded: tuple[Path, Path, subprocess.CompletedProcess[str]], tmp_path: Path, ext: str) -> None:
    db, out, _ = coded
    n = len(out.read_text().splitlines())
    target = tmp_path / f"x.{ext}"
    res = run("export", "--db", str(db), "--out", str(target))
    assert res.returncode == 0, res.stderr
    if ext == "jsonl":
        rows = [json.loads(line) for line in target.read_text().splitlines()]
        assert len(rows) == n and all(r["evidence"] for r in rows)
    elif ext == "csv":
        with open(target, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames is not None and reader.fieldnames[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
            rows = list(reader)
        assert len(rows) == n and all(json.loads(r["evidence"]) for r in rows)
    elif ext == "geojson":
        fc = json.loads(target.read_text())
        assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n
        pts = [f for f in fc["features"] if f["geometry"]]
        assert pts and all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in pts)
    else:
        t = pq.read_table(target)
        assert t.num_rows == n and t.column_names[: len(ACLED_COLUMNS)] == ACLED_COLUMNS


def test_table_without_out_and_stdin(tmp_path: Path) -> None:
    res = run(
        "code",
        "-",
        "--db",
        str(tmp_path / "s.duckdb"),
        "--report-date",
        "2020-05-04",
        stdin="On 3 May 2020, gunmen shot dead two farmers in Kaduna.\n",
    )
    assert res.returncode == 0, res.stderr
    assert "Attack" in res.stdout and "1 event" in res.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("code").returncode == 2
    assert (
        run("code", str(SAMPLES), "--out", str(tmp_path / "x.xlsx"), "--db", str(tmp_path / "u.duckdb")).returncode == 2
    )
    assert run("frobnicate").returncode == 2


def test_bad_input_is_named_and_the_batch_goes_on(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(
        "On 3 May 2020, rebels shelled the town of Idlib, killing two civilians.\n", encoding="utf-8"
    )
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (d / "latin1.txt").write_bytes("Les rebelles ont bombardé la ville.".encode("latin-1"))
    (d / "french.txt").write_text(
        "Le 3 mai 2020, les rebelles ont bombardé la ville et les habitants ont fui vers le nord.", encoding="utf-8"
    )
    (d / "huge.txt").write_text("On 3 May 2020 rebels shelled Idlib. " * 160_000, encoding="utf-8")
    (d / "docs.jsonl").write_text(
        '{"id": "j1", "text": "On 2 May 2020, police arrested 40 protesters in Nairobi.", "published": "2020-05-03"}\n'
        '{"id": "j2", "text": "broken json\n'
        '{"id": "j3", "text": "On 2 May 2020, gunmen killed a man in Kaduna.", "published": "2020-13-45"}\n'
        '{"id": "j4", "text": "On 2 May 2020, workers protested in Lagos.", "published": "2020-05-03"}\n',
        encoding="utf-8",
    )
    db = tmp_path / "b.duckdb"
    res = run("code", str(d), "http://127.0.0.1:9/unreachable", "--db", str(db), "--out", str(tmp_path / "o.jsonl"))
    assert res.returncode == 1
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    for name in (
        "empty.txt",
        "binary.txt",
        "latin1.txt",
        "french.txt",
        "huge.txt",
        "docs.jsonl:2",
        "docs.jsonl:3",
        "127.0.0.1:9",
    ):
        assert any(name in ln for ln in errors), (name, res.stderr)
    assert len(errors) == 8
    con = duckdb.connect(str(db), read_only=True)
    docs = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    con.close()
    assert docs == {"good", "j1", "j4"}  # the rest of the batch was coded, nothing partial stored


def test_invalid_report_date_fails_only_documents_that_need_it(tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text(
        "Rebels shelled the town of Idlib, killing two civilians.\n", encoding="utf-8"
    )
    (tmp_path / "dated.jsonl").write_text(
        '{"id": "d1", "text": "On 2 May 2020, workers protested in Lagos.", "published": "2020-05-03"}\n',
        encoding="utf-8",
    )
    db = tmp_path / "r.duckdb"
    res = run(
        "code",
        str(tmp_path / "undated.txt"),
        str(tmp_path / "dated.jsonl"),
        "--report-date",
        "2020-02-30",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "o.jsonl"),
    )
    assert res.returncode == 1
    assert any("undated" in ln and "2020-02-30" in ln for ln in res.stderr.splitlines() if ln.startswith("error:"))
    assert json.loads((tmp_path / "o.jsonl").read_text().splitlines()[0])["doc_id"] == "d1"


def test_places_command(tmp_path: Path) -> None:
    src = tmp_path / "p.txt"
    src.write_text("Rebels shelled Aleppo and the nearby town of Azaz on Monday.", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    res = run("places", str(src), "--out", str(out))
    assert res.returncode == 0, res.stderr
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    names = {r["text"] for r in recs}
    assert {"Aleppo", "Azaz"} <= names
    for r in recs:
        assert r["doc_id"] == "p" and src.read_text()[r["start"] : r["end"]] == r["text"]
    # "--out -" is standard output, not a file named "-"
    res = run("places", str(src), "--out", "-", cwd=tmp_path)
    assert res.returncode == 0 and not (tmp_path / "-").exists()
    assert [json.loads(line) for line in res.stdout.splitlines()] == recs


def test_a_store_locked_by_another_process_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for args in (["export", "--db", str(db), "--out", str(tmp_path / "x.jsonl")], ["merge", "--db", str(db)]):
            r = run(*args)
            assert r.returncode == 1, r.stderr
            lines = r.stderr.strip().splitlines()
            assert lines == [f"error: store {db} is in use by another process (serve/watch?); try again or use --db"]
            assert "Traceback" not in r.stderr
        assert not (tmp_path / "x.jsonl").exists()
    finally:
        holder.kill()
        holder.wait()


def test_stdin_jsonl_and_two_files_of_one_name(tmp_path: Path) -> None:
    note = "On 3 May 2020, gunmen shot dead two farmers in Kaduna."
    jsonl = json.dumps({"id": "j1", "text": note, "published": "2020-05-04"}) + "\nnot json\n"
    out = tmp_path / "s.jsonl"
    r = run("code", "-", "--db", str(tmp_path / "s.duckdb"), "--out", str(out), "-q", stdin=jsonl)
    assert r.returncode == 1  # the bad line
    assert "<stdin>:2" in r.stderr and "Traceback" not in r.stderr
    assert {json.loads(line)["doc_id"] for line in out.read_text().splitlines()} == {"j1"}
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(note.replace("Kaduna", "Zaria" if sub == "b" else "Kaduna"))
    db = tmp_path / "two.duckdb"
    r = run("code", str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(db), "--report-date", "2020-05-04", "-q")
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(x[0] for x in con.execute("SELECT doc_id FROM documents").fetchall()) == ["a/report", "b/report"]
    con.close()


def test_replaced_documents_are_reported_and_skip_existing_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, town in (("one", "Kaduna"), ("two", "Zaria")):
        (src / f"{name}.txt").write_text(f"On 3 May 2020, gunmen shot dead two farmers in {town}.")
    db = tmp_path / "r.duckdb"
    args = ("code", str(src), "--db", str(db), "--report-date", "2020-05-04")
    first = run(*args)
    assert first.returncode == 0 and "warning: replaced" not in first.stderr
    again = run(*args, "--skip-existing")
    assert again.returncode == 0 and "skipped 2 document(s) already stored" in again.stderr
    (src / "two.txt").write_text("On 4 May 2020, gunmen shot dead three farmers in Zaria.")
    changed = run(*args, "--skip-existing")
    assert "skipped 1 document(s)" in changed.stderr
    assert "warning: replaced 1 document(s): their ids were stored with other content" in changed.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    con.close()
