"""Events as one typed Arrow table, from which Parquet (with GeoParquet metadata) and GeoPackage are written.

- Every column has a type: ``event_date`` and a canonical event's ``alt_dates`` are DATEs; counts,
  codes and ACLED's numbers are integers; coordinates and confidence are doubles; ``hedged`` and
  ``partisan_only`` are booleans.  A column that is a field of ``Event`` (or ``CanonicalEvent``)
  takes its type from the field's annotation, so a field's type is written once, in ``model.py``;
  ``DERIVED`` types the columns that ``Event.to_acled_row`` derives (ACLED's codes and numbers).
- List fields are real lists: ``evidence`` (a list of spans), and a canonical event's ``outlets``,
  ``alt_dates``, ``alt_locations``, ``event_ids`` and ``doc_ids``.
- A missing value is NULL: empty text, an event without a date or coordinates, ACLED numbers that
  no store has given.
- ``geometry`` is the event's point as WKB (NULL without coordinates), described by GeoParquet 1.1
  metadata with the CRS EPSG:4326 (lon/lat, as GeoParquet stores geographic coordinates).

The CRS is the PROJJSON that pyproj 3.7 gives for ``CRS("EPSG:4326").to_json_dict()``, kept in
``data/epsg4326.projjson.json`` (EPSG dataset, free to use and redistribute under the EPSG terms of use).
"""

from __future__ import annotations

import json
import struct
from datetime import date
from functools import lru_cache
from typing import Any

from . import knowledge
from .model import Event

GEOMETRY = "geometry"
GEOPARQUET_VERSION = "1.1.0"

_SPAN = [("start", "int64"), ("end", "int64"), ("text", "string")]
_REPORT_SPAN = [*_SPAN, ("doc_id", "string"), ("event_id", "string"), ("source", "string")]
_ALT_LOCATION = [
    ("location", "string"),
    ("admin1", "string"),
    ("latitude", "float64"),
    ("longitude", "float64"),
    ("geo_precision", "int32"),
    ("event_id", "string"),
]

# Columns that are not fields of an event dataclass, or whose field type does not say enough.
DERIVED: dict[str, str] = {
    "event_id_cnty": "string",
    "event_date": "date",
    "year": "int32",
    "disorder_type": "string",
    "interaction": "int32",
    "civilian_targeting": "string",
    "iso": "int32",
    "region": "string",
    "admin3": "string",
    "source_scale": "string",
    "tags": "string",
    "timestamp": "int64",  # Unix seconds, as in ACLED's files
    "data_id": "int64",
    "event_id_no_cnty": "int64",
    "iso3": "string",
    "alt_dates": "list<date>",
    "alt_locations": "list<alt_location>",
    "outlets": "list<string>",
    "event_ids": "list<string>",
    "doc_ids": "list<string>",
}

# A dataclass annotation (as text, model.py uses postponed annotations) -> our type name.
_BY_ANNOTATION = {
    "str": "string",
    "str | None": "string",
    "int": "int32",
    "int | None": "int32",
    "float": "float64",
    "float | None": "float64",
    "bool": "bool",
}


def column_type(name: str, cls: type = Event) -> str:
    """Our type name of column ``name`` (``string``, ``int32``, ``date``, ``list<string>``, ``evidence``...)."""
    if name == "evidence":
        return "evidence"
    if name in DERIVED:
        return DERIVED[name]
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    if name in fields:
        return _BY_ANNOTATION.get(str(fields[name].type), "string")
    return "string"


def arrow_type(kind: str, report_spans: bool = False) -> Any:
    """The Arrow type of one of our type names (``report_spans``: evidence spans that name their report)."""
    import pyarrow as pa

    def struct(fields: list[tuple[str, str]]) -> Any:
        return pa.struct([(n, arrow_type(t)) for n, t in fields])

    simple = {
        "string": pa.string(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }
    if kind in simple:
        return simple[kind]
    if kind == "evidence":
        return pa.list_(struct(_REPORT_SPAN if report_spans else _SPAN))
    if kind == "list<alt_location>":
        return pa.list_(struct(_ALT_LOCATION))
    if kind.startswith("list<"):
        return pa.list_(arrow_type(kind[5:-1]))
    raise ValueError(f"no Arrow type for column type {kind!r}")


def _value(kind: str, v: Any) -> Any:
    """A row value as its column holds it: '' -> NULL for text, ISO text -> date, JSON text -> list."""
    if kind.startswith("list<") and isinstance(v, str):
        v = json.loads(v) if v else []
    if kind == "string":
        return None if v is None or v == "" else str(v)
    if kind == "date":
        return v if v is None or isinstance(v, date) else (date.fromisoformat(v) if v else None)
    if kind == "list<date>":
        return [_value("date", d) for d in v or []]
    if kind in ("int32", "int64"):
        return None if v is None or v == "" else int(v)
    if kind == "float64":
        return None if v is None or v == "" else float(v)
    return v


def point_wkb(lon: float | None, lat: float | None) -> bytes | None:
    """A point as ISO WKB (little-endian, type 1), or None without both coordinates."""
    if lon is None or lat is None:
        return None
    return struct.pack("<BIdd", 1, 1, float(lon), float(lat))


@lru_cache(maxsize=1)
def epsg4326() -> dict[str, Any]:
    """EPSG:4326 as PROJJSON (see the module docstring for its source)."""
    return json.loads(knowledge.read_text("epsg4326.projjson.json"))


def geo_metadata(lons: list[float | None], lats: list[float | None]) -> dict[str, Any]:
    """GeoParquet 1.1 file metadata for a WKB point column ``geometry`` holding these coordinates."""
    pts = [(x, y) for x, y in zip(lons, lats, strict=True) if x is not None and y is not None]
    col: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"] if pts else [], "crs": epsg4326()}
    if pts:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        col["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
    return {"version": GEOPARQUET_VERSION, "primary_column": GEOMETRY, "columns": {GEOMETRY: col}}


def events_table(events: list[Event], cols: list[str]) -> Any:
    """``events`` as a typed Arrow table with columns ``cols`` (ACLED's names, in that order), then
    ``geometry`` with its GeoParquet metadata."""
    import pyarrow as pa

    cls = type(events[0]) if events else Event
    report_spans = "canonical_id" in cols  # a canonical event's spans name the report they come from
    rows = [e.to_acled_row() for e in events]
    arrays, names = [], []
    for c in cols:
        kind = column_type(c, cls)
        arrays.append(pa.array([_value(kind, r.get(c)) for r in rows], arrow_type(kind, report_spans)))
        names.append(c)
    lons, lats = [r["longitude"] for r in rows], [r["latitude"] for r in rows]
    arrays.append(pa.array([point_wkb(x, y) for x, y in zip(lons, lats, strict=True)], pa.binary()))
    names.append(GEOMETRY)
    meta = {b"geo": json.dumps(geo_metadata(lons, lats)).encode()}
    return pa.table(arrays, names=names).replace_schema_metadata(meta)


def flat_table(table: Any) -> Any:
    """``table`` with its list and struct columns as JSON text, for formats without lists (GeoPackage)."""
    import pyarrow as pa

    out = table
    for i, f in enumerate(table.schema):
        if pa.types.is_list(f.type) or pa.types.is_struct(f.type):
            texts = [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in table.column(i).to_pylist()
            ]
            out = out.set_column(i, f.name, pa.array(texts, pa.string()))
    return out
