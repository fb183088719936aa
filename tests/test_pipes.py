"""Pipes (issue 21): `-` in and out, --format, --no-store, --db :memory:, the index in the cache
only, and a table that cuts values only on a terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from warcoder.export import print_table
from warcoder.model import Event

from .conftest import SAMPLES
from .test_cli import run

SYRIA = SAMPLES / "syria_front_2017-10-20.txt"


def _listing(p: Path) -> list[str]:
    return sorted(str(x.relative_to(p)) for x in p.rglob("*"))


def test_stdin_to_stdout_jsonl_without_a_store(tmp_path: Path) -> None:
    before = _listing(tmp_path)
    res = run("code", "-", "--out", "-", "--no-store", "-q", stdin=SYRIA.read_text("utf-8"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) >= 3 and all(r["event_type"] for r in rows)
    assert any(r["location"] == "Al Mayadin" for r in rows)
    assert _listing(tmp_path) == before  # no store, no index, no temp file left in the working directory


def test_memory_store_and_csv_to_stdout_leave_no_file(tmp_path: Path) -> None:
    res = run("code", str(SYRIA), "--db", ":memory:", "--out", "-", "--format", "csv", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and rows[0]["event_date"] and "actor1" in rows[0]
    assert _listing(tmp_path) == []  # no ':memory:' file and no ':memory:.gazetteer.index'


def test_a_store_run_leaves_only_the_store(tmp_path: Path) -> None:
    res = run("code", str(SYRIA), "--db", "w.duckdb", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert _listing(tmp_path) == ["w.duckdb"]  # the gazetteer index stays in the cache


def test_export_to_stdout_and_formats_that_cannot_stream(tmp_path: Path) -> None:
    assert run("code", str(SYRIA), "--db", str(tmp_path / "w.duckdb"), "-q").returncode == 0
    res = run("export", "--db", str(tmp_path / "w.duckdb"), "--out", "-", "--format", "geojson")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["type"] == "FeatureCollection"
    bad = run("code", str(SYRIA), "--no-store", "--out", "-", "--format", "parquet")
    assert bad.returncode == 2 and "standard output" in bad.stderr
    assert run("code", str(SYRIA), "--no-store", "--format", "csv").returncode == 2  # --format without --out
    assert run("code", str(SYRIA), "--no-store", "--skip-existing").returncode == 2


def _long() -> Event:
    return Event(
        event_id="e",
        doc_id="d",
        event_date="2020-05-06",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of the Democratic Republic of Congo (2019-) Republican Guard",
        location="Kisangani",
    )


def test_table_cuts_only_on_a_terminal() -> None:
    piped, term = io.StringIO(), io.StringIO()
    print_table([_long()], piped)
    print_table([_long()], term, terminal=True)
    assert "Military Forces of the Democratic Republic of Congo (2019-) Republican Guard" in piped.getvalue()
    assert "\t" in piped.getvalue() and "…" not in piped.getvalue()
    assert "…" in term.getvalue() and "Republican Guard" not in term.getvalue()
