"""The one registry of output formats, and the writers and streams built on it."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from warcoder import export
from warcoder.model import ACLED_COLUMNS, Event, Span


def _event(i: int, **kw: object) -> Event:
    base = dict(
        event_id=f"e{i}",
        doc_id="d",
        event_date="2020-05-06",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Houthi Movement",
        location="Marib",
        latitude=15.46,
        longitude=45.32,
        evidence=[Span(0, 5, "Marib")],
    )
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def test_extensions_select_formats_and_allowed_narrows_them() -> None:
    assert export.format_for("x/out.NDJSON") == "jsonl"
    assert export.format_for("out.geojson", ("geojson", "csv")) == "geojson"
    with pytest.raises(ValueError, match=r"use \.geojson or \.csv"):
        export.format_for("out.parquet", ("geojson", "csv"))
    with pytest.raises(ValueError, match="unknown output format '.txt'"):
        export.format_for("out.txt")


def test_a_registered_format_is_selected_by_its_extension(tmp_path: Path) -> None:
    class Tsv(export.Encoder):
        def item(self, ev: Event) -> str:
            return f"{ev.event_id}\t{ev.location}\n"

    export.register(export.OutputFormat("tsv", (".tsv",), "text/tab-separated-values", Tsv))
    try:
        w = export.Writer(tmp_path / "e.tsv")
        w.write([_event(1), _event(2)])
        w.close()
        assert (tmp_path / "e.tsv").read_text() == "e1\tMarib\ne2\tMarib\n"
    finally:
        del export.FORMATS["tsv"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson"])
def test_the_file_and_the_stream_are_the_same_text(tmp_path: Path, fmt: str) -> None:
    events = [_event(1), _event(2, latitude=None, longitude=None)]
    path = tmp_path / f"e{export.FORMATS[fmt].extensions[0]}"
    w = export.Writer(path)
    w.write(events)
    w.close()
    text = path.read_bytes().decode("utf-8")  # CSV rows end in \r\n
    assert text == "".join(export.encode_stream(fmt, events))
    assert not list(tmp_path.glob(".*.tmp"))
    if fmt == "geojson":
        doc = json.loads(text)
        assert [f["geometry"] for f in doc["features"]] == [{"type": "Point", "coordinates": [45.32, 15.46]}, None]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0])[: len(ACLED_COLUMNS)] == ACLED_COLUMNS and len(rows) == 2
    else:
        assert [json.loads(line)["event_id"] for line in text.splitlines()] == ["e1", "e2"]


def test_parquet_is_not_streamed() -> None:
    with pytest.raises(ValueError, match="cannot be streamed"):
        list(export.encode_stream("parquet", [_event(1)]))


def test_an_aborted_writer_leaves_nothing(tmp_path: Path) -> None:
    w = export.Writer(tmp_path / "e.csv")
    w.write([_event(1)])
    w.abort()
    assert list(tmp_path.iterdir()) == []


def test_no_csv_cell_starts_a_formula(tmp_path: Path) -> None:
    ev = _event(
        1,
        source='=HYPERLINK("http://evil.example","x")',
        actor1="+cmd|' /C calc'!A0",
        notes="-2+3",
        location="@SUM(A1)",
        longitude=-3.7,
    )
    text = "".join(export.encode_stream("csv", [ev]))
    (row,) = csv.DictReader(io.StringIO(text))
    for value in row.values():
        assert not value.startswith(("=", "+", "@", "\t", "\r")), value
        assert not value.startswith("-") or value == "-3.7", value
    assert row["source"] == "'" + ev.source and row["actor1"] == "'" + ev.actor1
    assert row["longitude"] == "-3.7"  # a number stays a number
    assert export.csv_cell("Marib") == "Marib" and export.csv_cell(-1) == -1


def test_a_killed_runs_temp_file_is_removed_by_the_next_run(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".e.jsonl.{dead.pid}.tmp"
    stale.write_text("half")
    live = tmp_path / f".e.jsonl.{os.getppid()}.tmp"  # a running process's file stays
    live.write_text("busy")
    w = export.Writer(tmp_path / "e.jsonl")
    w.write([_event(1)])
    w.close()
    assert not stale.exists() and live.exists()
    assert (tmp_path / "e.jsonl").read_text().count("\n") == 1
