"""docs/interop.md's examples run on files coded from the samples: the Python block as written, the SQL
in DuckDB, and every column the R block names is a column of our CSV and of ACLED's header."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from .conftest import SAMPLES
from .test_acled_schema import ACLED_API_HEADER, ACLED_CURRENT_EXTRA
from .test_cli import run

DOC = Path(__file__).resolve().parents[1] / "docs" / "interop.md"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("interop")
    db = tmp / "warcoder.duckdb"
    assert run("code", str(SAMPLES), "--db", str(db), "--out", str(tmp / "events.csv"), "-q").returncode == 0
    for name in ("events.parquet", "events.gpkg"):
        res = run("export", "--db", str(db), "--out", str(tmp / name))
        assert res.returncode == 0, res.stderr
    return tmp


def test_the_python_example_runs(coded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("geopandas")
    [code] = blocks("python")
    monkeypatch.chdir(coded)
    scope: dict[str, object] = {}
    exec(compile(code, str(DOC), "exec"), scope)  # noqa: S102 - our own documentation's example
    assert len(scope["ev"]) > 0 and len(scope["by_type"]) > 0  # type: ignore[arg-type]


def test_the_sql_example_runs(coded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [sql] = blocks("sql")
    monkeypatch.chdir(coded)
    rows = duckdb.sql(sql).fetchall()
    assert rows and all(isinstance(r[2], int) and r[2] > 0 for r in rows)


def test_the_r_example_names_only_columns_we_write(coded: Path) -> None:
    [r_code] = blocks("r")
    with open(coded / "events.csv", newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    named: set[str] = set()
    for call in re.findall(r"\b(?:filter|group_by|select|sum)\(([^()]*(?:\([^()]*\)[^()]*)*)\)", r_code):
        named |= {w for w in re.findall(r"\b[a-z][a-z0-9_]*\b", call) if w not in {"n", "sum"}}
    assert {"inter1", "iso3", "event_type", "admin1", "fatalities", "assoc_actor_2"} <= named
    assert named <= set(header), named - set(header)
    assert named <= set(ACLED_API_HEADER + ACLED_CURRENT_EXTRA), named - set(ACLED_API_HEADER)
