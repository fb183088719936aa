"""Typed outputs: Parquet with DATE dates, real lists, NULLs and GeoParquet metadata; GeoPackage through pyogrio."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warcoder import export, tables
from warcoder.model import ACLED_COLUMNS, EXTRA_COLUMNS, Event, Span

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "reports"


def _events() -> list[Event]:
    placed = Event(
        event_id="e1",
        doc_id="d1",
        event_date="2020-05-09",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Syria (2000-2024)",
        inter1=1,
        country="Syria",
        admin1="Idlib",
        location="Maarat al-Numan",
        latitude=35.6478,
        longitude=36.6742,
        fatalities=4,
        evidence=[Span(0, 12, "Shells fell."), Span(13, 20, "4 dead.")],
    )
    bare = Event(
        event_id="e2",
        doc_id="d2",
        event_date=None,
        time_precision=3,
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (International)",
        inter1=6,
    )
    return [placed, bare]


def _write(tmp_path: Path, ext: str, events: list[Event]) -> Path:
    path = tmp_path / f"events.{ext}"
    w = export.Writer(path)
    w.write(events)
    w.close()
    return path


def test_parquet_columns_are_typed_lists_are_lists_and_missing_is_null(tmp_path: Path) -> None:
    t = pq.read_table(_write(tmp_path, "parquet", _events()))
    assert t.column_names == ACLED_COLUMNS + EXTRA_COLUMNS + ["geometry"]
    s = t.schema
    assert s.field("event_date").type == pa.date32()
    for c in ("year", "inter1", "inter2", "interaction", "fatalities", "geo_precision", "iso", "fatalities_low"):
        assert pa.types.is_integer(s.field(c).type), c
    assert pa.types.is_floating(s.field("latitude").type) and s.field("hedged").type == pa.bool_()
    assert s.field("evidence").type == pa.list_(
        pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    )
    rows = t.to_pylist()
    assert rows[0]["event_date"] == date(2020, 5, 9) and rows[0]["year"] == 2020 and rows[0]["iso"] == 760
    assert rows[0]["evidence"][1] == {"start": 13, "end": 20, "text": "4 dead."}
    # missing values are NULL, not '' or 0: no date, no place, no store numbers, empty text
    bare = rows[1]
    for c in (
        "event_date",
        "year",
        "latitude",
        "longitude",
        "location",
        "admin1",
        "actor2",
        "notes",
        "data_id",
        "geometry",
    ):
        assert bare[c] is None, c
    assert bare["fatalities"] == 0 and bare["inter2"] == 0  # a count of none is 0; ACLED codes no actor2 as inter2 0


def test_parquet_is_geoparquet_in_epsg4326(tmp_path: Path) -> None:
    path = _write(tmp_path, "parquet", _events())
    t = pq.read_table(path)
    geo = json.loads(t.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    col = geo["columns"]["geometry"]
    assert col["encoding"] == "WKB" and col["geometry_types"] == ["Point"]
    assert col["crs"]["id"] == {"authority": "EPSG", "code": 4326}
    assert col["bbox"] == [36.6742, 35.6478, 36.6742, 35.6478]
    wkb = t.column("geometry")[0].as_py()
    assert struct.unpack("<BIdd", wkb) == (1, 1, 36.6742, 35.6478)  # x = longitude, y = latitude
    gpd = pytest.importorskip("geopandas")
    g = gpd.read_parquet(path)
    assert g.crs.to_epsg() == 4326
    assert (g.geometry.iloc[0].x, g.geometry.iloc[0].y) == (36.6742, 35.6478)
    assert g.geometry.iloc[1] is None
    assert str(g["fatalities"].dtype) == "int32"


def test_empty_parquet_keeps_its_schema(tmp_path: Path) -> None:
    t = pq.read_table(_write(tmp_path, "parquet", []))
    assert t.num_rows == 0 and t.schema.field("event_date").type == pa.date32()
    assert json.loads(t.schema.metadata[b"geo"])["columns"]["geometry"]["geometry_types"] == []


def test_geopackage_reads_back_through_gdal_with_crs_and_types(tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    path = _write(tmp_path, "gpkg", _events())
    info = pyogrio.read_info(path, layer="events")
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point" and info["features"] == 2
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["event_date"] == "OFTDate" and types["fatalities"] == "OFTInteger"
    assert types["latitude"] == "OFTReal" and types["evidence"] == "OFTString"
    assert list(info["fields"][: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    _, table = pyogrio.read_arrow(path, layer="events")
    rows = table.to_pylist()
    assert json.loads(rows[0]["evidence"])[0]["text"] == "Shells fell."
    assert rows[1]["location"] is None and rows[1]["event_date"] is None
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_format_whose_extra_is_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    fmt = export.FORMATS["gpkg"]
    monkeypatch.setitem(
        export.FORMATS, "gpkg", export.OutputFormat(**{**fmt.__dict__, "requires": ("no_such_mod_x", "geo")})
    )
    with pytest.raises(ValueError, match=r"gpkg output needs the geo extra: pip install 'warcoder\[geo\]'"):
        export.format_for("out.gpkg")
    with pytest.raises(ValueError, match="cannot be written to standard output"):
        export.format_for("-", fmt="parquet")


def test_column_types_come_from_the_dataclass_fields() -> None:
    assert tables.column_type("fatalities") == "int32" and tables.column_type("confidence") == "float64"
    assert tables.column_type("hedged") == "bool" and tables.column_type("actor1") == "string"
    assert tables.column_type("event_date") == "date" and tables.column_type("alt_dates") == "list<date>"
    assert tables.point_wkb(None, 3.0) is None


def test_canonical_export_has_real_lists_and_dates(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run = [sys.executable, "-m", "warcoder.cli"]
    res = subprocess.run(
        [*run, "code", str(SAMPLES), "--db", str(db), "-q"], capture_output=True, text=True, timeout=300
    )
    assert res.returncode in (0, 1), res.stderr
    out = tmp_path / "canon.parquet"
    res = subprocess.run(
        [*run, "export", "--db", str(db), "--out", str(out)], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr
    t = pq.read_table(out)
    s = t.schema
    assert s.field("outlets").type == pa.list_(pa.string()) and s.field("alt_dates").type == pa.list_(pa.date32())
    assert s.field("event_ids").type == pa.list_(pa.string()) and pa.types.is_list(s.field("alt_locations").type)
    assert "doc_id" in s.field("evidence").type.value_type.names
    rows = t.to_pylist()
    assert rows and all(isinstance(r["event_ids"], list) and r["event_ids"] for r in rows)
    assert all(r["event_date"] is None or isinstance(r["event_date"], date) for r in rows)
