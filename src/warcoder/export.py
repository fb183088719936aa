"""Export events: JSONL, CSV (ACLED columns first, in ACLED's order), GeoJSON and Parquet.

The format follows the output file's extension.  JSONL and CSV stream; GeoJSON and Parquet are
written when the run ends (to a temporary file that is renamed into place, so a failed run never
leaves half a file behind).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from .model import ACLED_COLUMNS, EXTRA_COLUMNS, Event

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".geojson": "geojson", ".parquet": "parquet"}


def format_for(path: str | Path) -> str:
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ValueError(
            f"unknown output format {ext or '(none)'!r} for {path}: use .jsonl, .csv, .geojson or .parquet"
        )
    return FORMATS[ext]


def csv_row(ev: Event) -> dict[str, Any]:
    row = ev.to_acled_row()
    for k, v in row.items():  # list columns (evidence; a canonical event's outlets, alt_dates...) as JSON
        if isinstance(v, list | dict):
            row[k] = json.dumps(v, ensure_ascii=False)
    for k in ("hedged", "partisan_only"):
        if k in row:
            row[k] = str(bool(row[k])).lower()
    return row


def feature(ev: Event) -> dict[str, Any]:
    props = ev.to_dict()
    geom = None
    if ev.latitude is not None and ev.longitude is not None:
        geom = {"type": "Point", "coordinates": [ev.longitude, ev.latitude]}
    return {"type": "Feature", "id": ev.event_id, "geometry": geom, "properties": props}


class Writer:
    """Writes events to a file in the format its extension names."""

    def __init__(self, path: str | Path, extra_columns: list[str] | None = None) -> None:
        """``extra_columns``: columns written after the standard ones (a canonical export's corroboration)."""
        self.path = Path(path)
        self.columns = ACLED_COLUMNS + EXTRA_COLUMNS + list(extra_columns or [])
        self.fmt = format_for(self.path)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.count = 0
        self._buffer: list[Event] = []
        self._fh: TextIO | None = None
        self._csv: csv.DictWriter[str] | None = None
        if self.fmt in ("jsonl", "csv"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115 - kept open while streaming
            if self.fmt == "csv":
                self._csv = csv.DictWriter(self._fh, fieldnames=self.columns)
                self._csv.writeheader()

    def write(self, events: Iterable[Event]) -> None:
        for ev in events:
            self.count += 1
            if self.fmt == "jsonl":
                assert self._fh is not None
                self._fh.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
            elif self.fmt == "csv":
                assert self._csv is not None
                self._csv.writerow(csv_row(ev))
            else:
                self._buffer.append(ev)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        elif self.fmt == "geojson":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.tmp, "w", encoding="utf-8") as fh:
                json.dump(
                    {"type": "FeatureCollection", "features": [feature(e) for e in self._buffer]},
                    fh,
                    ensure_ascii=False,
                )
        elif self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            rows = [e.to_acled_row() for e in self._buffer]
            cols = self.columns
            data = {c: [r[c] for r in rows] for c in cols}
            for c in ("region", "admin3", "source_scale"):
                data[c] = [str(v) for v in data[c]]
            for c in cols[len(ACLED_COLUMNS) + len(EXTRA_COLUMNS) :]:
                if any(isinstance(v, list | dict) for v in data[c]):
                    data[c] = [json.dumps(v, ensure_ascii=False) for v in data[c]]
            fields = [("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]
            if len(cols) > len(ACLED_COLUMNS) + len(EXTRA_COLUMNS):  # a canonical event's spans name their report
                fields += [("doc_id", pa.string()), ("event_id", pa.string()), ("source", pa.string())]
            evidence_type = pa.list_(pa.struct(fields))
            arrays = {c: (pa.array(v, evidence_type) if c == "evidence" else pa.array(v)) for c, v in data.items()}
            if not rows:
                arrays = {c: pa.array([], evidence_type if c == "evidence" else pa.string()) for c in cols}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table(arrays), self.tmp)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self.tmp.exists():
            self.tmp.unlink()


def print_table(events: Iterable[Event], out: TextIO | None = None) -> int:
    """A readable fixed-width table of events."""
    out = out or sys.stdout
    cols = [
        ("event_date", 10),
        ("sub_event_type", 34),
        ("actor1", 32),
        ("actor2", 28),
        ("location", 26),
        ("fatalities", 4),
    ]
    buf = io.StringIO()
    n = 0
    header = "  ".join(name[:w].ljust(w) for name, w in cols)
    buf.write(header + "\n" + "-" * len(header) + "\n")
    for ev in events:
        d = ev.to_dict()
        buf.write("  ".join(_cut(str(d[name] if d[name] is not None else ""), w) for name, w in cols) + "\n")
        n += 1
    out.write(buf.getvalue())
    out.write(f"{n} event{'s' if n != 1 else ''}\n")
    return n


def _cut(s: str, w: int) -> str:
    return (s[: w - 1] + "…") if len(s) > w else s.ljust(w)
