"""The Spark engine (local[2]): same events as the local engine, Parquet layout, errors, import."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warcoder.engine import code_stream
from warcoder.ingest import iter_documents

from .conftest import SAMPLES
from .test_engine import NOTES, make_corpus

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

from warcoder.spark import import_output, read_errors, read_events, run_spark, spark_session  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]", app_name="warcoder-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """JSONL (with an id-less line, a malformed one and a bad date) and Parquet; the same as JSONL."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = tmp_path_factory.mktemp("spark-in")
    gen = make_corpus(tmp / "gen.jsonl", n=40)
    with gen.open("a", encoding="utf-8") as fh:
        fh.write("\n" + json.dumps({"text": NOTES[3], "published": "2020-05-07"}) + "\n")  # id from stem:line
    recs = [
        {"id": f"pq-{i}", "text": NOTES[(i * 2) % len(NOTES)], "published": f"2020-05-{10 + i:02d}", "source": "PQ"}
        for i in range(12)
    ]
    pq.write_table(pa.Table.from_pylist(recs), tmp / "docs.parquet")
    same = tmp / "local" / "docs.jsonl"
    same.parent.mkdir()
    same.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return {
        "spark": [str(SAMPLES), str(gen), str(tmp / "docs.parquet")],
        "local": [str(SAMPLES / "notes_2020-05.jsonl"), str(gen), str(same)],
        "tmp": tmp,
    }


@pytest.fixture(scope="module")
def spark_out(spark: Any, inputs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("spark-out") / "out"
    summary = run_spark(inputs["spark"], str(out), spark=spark)
    return out, summary


def _local(inputs: list[str]) -> list[Any]:
    return list(code_stream(iter_documents(inputs), workers=1))


def test_spark_events_equal_local_events(spark_out: tuple[Path, Any], inputs: dict[str, Any]) -> None:
    out, summary = spark_out
    local = _local(inputs["local"])
    want = sorted((e.to_dict() for r in local if r.ok for e in r.events), key=lambda d: d["event_id"])
    got = sorted((e.to_dict() for _, e in read_events(out)), key=lambda d: d["event_id"])
    assert len(want) >= 40
    assert got == want
    assert summary.events == len(want)
    assert summary.coded == sum(1 for r in local if r.ok) and summary.failed == 2
    # the id-less line got the same <stem>:<line> id as the local engine gives it
    assert any(d["doc_id"] == "gen:45" for d in got)


def test_events_partitioned_by_country_and_month(spark_out: tuple[Path, Any]) -> None:
    out, _ = spark_out
    parts = {p.relative_to(out / "events").parts[:2] for p in (out / "events").rglob("*.parquet")}
    assert parts and all(c.startswith("country=") and m.startswith("month=") for c, m in parts)
    for f in (out / "events").rglob("*.parquet"):
        country = f.parent.parent.name.split("=", 1)[1]
        month = f.parent.name.split("=", 1)[1]
        rows = duckdb.sql(f"SELECT DISTINCT substr(event_date, 1, 7) FROM read_parquet('{f}')").fetchall()
        # an event with no date (no report date anywhere) goes to Spark's default partition
        assert rows == [(None if month == "__HIVE_DEFAULT_PARTITION__" else month,)]
        assert country in {e.country for _, e in read_events(out)} | {"__HIVE_DEFAULT_PARTITION__"}
    assert ("country=Yemen", "month=2020-05") in parts


def test_errors_table(spark_out: tuple[Path, Any]) -> None:
    out, _ = spark_out
    errors = sorted(read_errors(out), key=lambda r: r["document"])
    assert len(errors) == 2
    malformed, bad_date = errors
    assert malformed["document"].endswith("gen.jsonl:12") and "malformed JSON" in malformed["reason"]
    assert malformed["doc_id"] is None
    assert bad_date["doc_id"] == "bad-date" and "invalid published date" in bad_date["reason"]


def test_import_gives_the_local_store(spark_out: tuple[Path, Any], inputs: dict[str, Any], tmp_path: Path) -> None:
    out, _ = spark_out
    db_spark = tmp_path / "spark.duckdb"
    n_docs, n_events = import_output(out, db_spark)
    db_local = tmp_path / "local.duckdb"
    from warcoder.store import Store

    with Store(db_local) as store:
        store.write_coded((r.document, r.events) for r in _local(inputs["local"]) if r.ok)
    a, b = duckdb.connect(str(db_local), read_only=True), duckdb.connect(str(db_spark), read_only=True)
    for sql in (
        "SELECT doc_id, source, url, title, published, report_date, text, body_start, body_end, sha1, n_events,"
        " n_comments, warnings FROM documents ORDER BY doc_id",
        "SELECT * FROM events ORDER BY event_id",
        "SELECT * FROM evidence ORDER BY event_id, seq",
    ):
        assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), sql
    assert n_docs == a.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_events == a.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    # importing again replaces, never duplicates
    b.close()
    import_output(out, db_spark)
    b = duckdb.connect(str(db_spark), read_only=True)
    assert b.execute("SELECT count(*) FROM events").fetchone()[0] == n_events


def test_cli_engine_spark_and_import(inputs: dict[str, Any], tmp_path: Path) -> None:
    """The command line end to end: its own Spark (a second JVM), exit 1 for the failed lines."""
    out, db = tmp_path / "out", tmp_path / "w.duckdb"
    gen = str(inputs["tmp"] / "gen.jsonl")
    cmd = [sys.executable, "-m", "warcoder.cli"]
    res = subprocess.run(
        [*cmd, "code", "--engine", "spark", "--master", "local[2]", gen, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 1, res.stderr
    assert "42 document(s) coded, 2 failed" in res.stderr
    res = subprocess.run([*cmd, "import", str(out), "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (42,)
    res = subprocess.run(
        [*cmd, "code", "--engine", "spark", gen, "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 2 and "--out DIR" in res.stderr
