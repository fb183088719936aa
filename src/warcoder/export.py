"""Export events: JSONL, CSV (ACLED columns first, in ACLED's order), GeoJSON, Parquet (GeoParquet) and GeoPackage.

The format follows the output file's extension.  JSONL, CSV and GeoJSON stream; Parquet and GeoPackage
are written when the run ends (to a temporary file that is renamed into place, so a failed run never
leaves half a file behind).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .model import ACLED_COLUMNS, EXTRA_COLUMNS, Event


@dataclass(frozen=True)
class OutputFormat:
    """One output format: how it is named, which file extensions select it, and how events are encoded.

    ``encoder`` is a class with ``header()``, ``item(ev)`` and ``footer()``, each giving text, so the
    same encoding streams to a file (``code --out``, ``export``) and to an HTTP response (the web API).
    A format without an encoder (Parquet) gives ``whole``, a function that writes the buffered
    events, the columns and a path as one file.
    """

    name: str
    extensions: tuple[str, ...]
    media_type: str
    encoder: type[Encoder] | None = None
    whole: Callable[[list[Event], list[str], Path], None] | None = None
    requires: tuple[str, str] | None = None  # (module, extra): a format that needs an optional package

    def missing(self) -> str | None:
        """Why this format cannot be written here (its package is not installed), or None."""
        if self.requires is None:
            return None
        import importlib.util

        module, extra = self.requires
        if importlib.util.find_spec(module) is None:
            return f"{self.name} output needs the {extra} extra: pip install 'warcoder[{extra}]'"
        return None


class Encoder:
    """Text pieces of one output: a header, one piece per event, a footer."""

    def __init__(self, columns: list[str], acled_dates: bool = False) -> None:
        self.columns = columns
        self.acled_dates = acled_dates  # CSV: event_date as ACLED's older files wrote it ("9-May-20")
        self.count = 0

    def header(self) -> str:
        return ""

    def item(self, ev: Event) -> str:
        raise NotImplementedError

    def footer(self) -> str:
        return ""

    def encode(self, ev: Event) -> str:
        piece = self.item(ev)
        self.count += 1
        return piece


class JsonlEncoder(Encoder):
    def item(self, ev: Event) -> str:
        return json.dumps(ev.to_dict(), ensure_ascii=False) + "\n"


class CsvEncoder(Encoder):
    """ACLED's columns first, in ACLED's order; list columns as JSON text."""

    def __init__(self, columns: list[str], acled_dates: bool = False) -> None:
        super().__init__(columns, acled_dates)
        self._buf = io.StringIO()
        self._csv = csv.DictWriter(self._buf, fieldnames=columns)

    def _take(self) -> str:
        out = self._buf.getvalue()
        self._buf.seek(0)
        self._buf.truncate()
        return out

    def header(self) -> str:
        self._csv.writeheader()
        return self._take()

    def item(self, ev: Event) -> str:
        row = csv_row(ev)
        if self.acled_dates and ev.event_date:
            row["event_date"] = acled_date(ev.event_date)
        self._csv.writerow(row)
        return self._take()


def acled_date(iso: str) -> str:
    """An ISO date the way ACLED's older CSV files wrote it: 2020-05-09 -> 9-May-20."""
    from datetime import date

    d = date.fromisoformat(iso)
    return f"{d.day}-{d:%b}-{d:%y}"


class GeoJsonEncoder(Encoder):
    """A FeatureCollection, one Point feature per event (null geometry when it has no coordinates)."""

    def header(self) -> str:
        return '{"type": "FeatureCollection", "features": ['

    def item(self, ev: Event) -> str:
        return ("" if self.count == 0 else ", ") + json.dumps(feature(ev), ensure_ascii=False)

    def footer(self) -> str:
        return "]}"


# The one registry of output formats: ``code --out``, ``export``, ``control --out`` and the web API read it.
FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("jsonl", (".jsonl", ".ndjson"), "application/x-ndjson", JsonlEncoder),
        OutputFormat("csv", (".csv",), "text/csv; charset=utf-8", CsvEncoder),
        OutputFormat("geojson", (".geojson",), "application/geo+json", GeoJsonEncoder),
    )
}


def register(fmt: OutputFormat) -> None:
    """Add (or replace) an output format; its extensions then select it everywhere."""
    FORMATS[fmt.name] = fmt


STDOUT = "-"  # the output path that means standard output


def format_for(path: str | Path, allowed: Iterable[str] | None = None, fmt: str | None = None) -> str:
    """The name of the format that ``fmt`` names or else ``path``'s extension selects (among ``allowed``).

    ``-`` is standard output: JSONL unless ``fmt`` says otherwise, and only a format that streams.
    A format whose optional package is missing is a ValueError that says what to install.
    """
    name = _format_name(path, allowed, fmt)
    why = FORMATS[name].missing()
    if why:
        raise ValueError(why)
    return name


def _format_name(path: str | Path, allowed: Iterable[str] | None, fmt: str | None) -> str:
    names = list(allowed) if allowed is not None else list(FORMATS)
    if fmt is not None or str(path) == STDOUT:
        name = fmt or "jsonl"
        if name not in names:
            raise ValueError(f"unknown output format {name!r}: use one of {', '.join(names)}")
        if str(path) == STDOUT and FORMATS[name].encoder is None:
            streams = [n for n in names if FORMATS[n].encoder is not None]
            raise ValueError(f"{name} cannot be written to standard output: use {', '.join(streams)}, or a file")
        return name
    ext = Path(path).suffix.lower()
    for name in names:
        if ext in FORMATS[name].extensions:
            return name
    exts = [FORMATS[n].extensions[0] for n in names]
    choices = ", ".join(exts[:-1]) + " or " + exts[-1] if len(exts) > 1 else exts[0]
    raise ValueError(f"unknown output format {ext or '(none)'!r} for {path}: use {choices}")


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v: Any) -> Any:
    """A value as a CSV cell: text that a spreadsheet would run as a formula gets a leading quote.

    Numbers are left alone (a longitude of -3.7 stays a number); only text is escaped, as OWASP's
    CSV-injection guidance advises.  Every CSV writer (code --out, export, control, the web API)
    passes its cells through here.
    """
    if isinstance(v, str) and v.startswith(FORMULA_STARTS):
        return "'" + v
    return v


def csv_row(ev: Event) -> dict[str, Any]:
    row = ev.to_acled_row()
    for k, v in row.items():  # list columns (evidence; a canonical event's outlets, alt_dates...) as JSON
        if isinstance(v, list | dict):
            row[k] = json.dumps(v, ensure_ascii=False)
    for k in ("hedged", "partisan_only"):
        if k in row:
            row[k] = str(bool(row[k])).lower()
    return {k: csv_cell(v) for k, v in row.items()}


def feature(ev: Event) -> dict[str, Any]:
    props = ev.to_dict()
    geom = None
    if ev.latitude is not None and ev.longitude is not None:
        geom = {"type": "Point", "coordinates": [ev.longitude, ev.latitude]}
    return {"type": "Feature", "id": ev.event_id, "geometry": geom, "properties": props}


def encode_stream(fmt: str, events: Iterable[Event], columns: list[str] | None = None) -> Iterator[str]:
    """The text of ``events`` in a streaming format, piece by piece (for HTTP responses)."""
    encoder_cls = FORMATS[fmt].encoder
    if encoder_cls is None:
        raise ValueError(f"{fmt} cannot be streamed")
    enc = encoder_cls(columns or ACLED_COLUMNS + EXTRA_COLUMNS)
    yield enc.header()
    for ev in events:
        yield enc.encode(ev)
    yield enc.footer()


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files that killed runs left for ``path`` (``.NAME.PID.tmp`` of a dead PID)."""
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp") if path.parent.is_dir() else []:
        pid = tmp.name[len(path.name) + 2 : -len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)  # alive: another run is writing it
            continue
        except ProcessLookupError:
            pass
        except PermissionError:  # alive, another user's
            continue
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


class Writer:
    """Writes events to a file in the format its extension names, under a temporary name renamed at the end.

    The path ``-`` streams to standard output instead (JSONL, or the ``fmt`` given).
    """

    def __init__(
        self,
        path: str | Path,
        extra_columns: list[str] | None = None,
        fmt: str | None = None,
        acled_dates: bool = False,
    ) -> None:
        """``extra_columns``: columns written after the standard ones (a canonical export's corroboration);
        ``acled_dates``: CSV dates as ``9-May-20``, for scripts written against ACLED's older files."""
        self.stdout = str(path) == STDOUT
        self.path = Path(path)
        self.columns = ACLED_COLUMNS + EXTRA_COLUMNS + list(extra_columns or [])
        self.fmt = format_for(self.path, fmt=fmt)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._buffer: list[Event] = []
        self._fh: TextIO | None = None
        encoder_cls = FORMATS[self.fmt].encoder
        self._enc = encoder_cls(self.columns, acled_dates) if encoder_cls else None
        if self.stdout:
            self._fh = sys.stdout
        else:
            remove_stale_temps(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._enc is not None:
                self._fh = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115 - kept open while streaming
        if self._fh is not None and self._enc is not None:
            self._fh.write(self._enc.header())

    @property
    def count(self) -> int:
        """Events written so far."""
        return self._enc.count if self._enc is not None else len(self._buffer)

    def write(self, events: Iterable[Event]) -> None:
        for ev in events:
            if self._enc is not None:
                assert self._fh is not None
                self._fh.write(self._enc.encode(ev))
            else:
                self._buffer.append(ev)

    def close(self) -> None:
        if self.stdout:
            assert self._fh is not None and self._enc is not None
            self._fh.write(self._enc.footer())
            self._fh.flush()
            return
        if self._fh is not None and self._enc is not None:
            self._fh.write(self._enc.footer())
            self._fh.close()
        else:
            whole = FORMATS[self.fmt].whole
            assert whole is not None, f"format {self.fmt} has neither an encoder nor a whole-file writer"
            whole(self._buffer, self.columns, self.tmp)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self.stdout:
            return
        if self._fh is not None:
            self._fh.close()
        if self.tmp.exists():
            self.tmp.unlink()


def write_parquet(events: list[Event], cols: list[str], path: Path) -> None:
    """Events as a typed Parquet table with GeoParquet metadata (see warcoder.tables): DATE dates,
    integer codes, real lists, NULL for missing values, and a WKB ``geometry`` column in EPSG:4326."""
    import pyarrow.parquet as pq

    from .tables import events_table

    pq.write_table(events_table(events, cols), path)


def write_geopackage(events: list[Event], cols: list[str], path: Path) -> None:
    """Events as a GeoPackage layer ``events`` (points, EPSG:4326) through pyogrio, GDAL's GPKG driver, as
    QGIS reads it; list columns are JSON text, since a GeoPackage column holds no lists."""
    import warnings

    import pyogrio

    from .tables import GEOMETRY, events_table, flat_table

    table = flat_table(events_table(events, cols)).replace_schema_metadata(None)
    with warnings.catch_warnings():  # written under a temporary name, renamed to .gpkg when complete
        warnings.filterwarnings("ignore", message="The filename extension should be")
        pyogrio.write_arrow(
            table,
            str(path),
            layer="events",
            driver="GPKG",
            geometry_name=GEOMETRY,
            geometry_type="Point",
            crs="EPSG:4326",
        )


register(OutputFormat("parquet", (".parquet",), "application/vnd.apache.parquet", whole=write_parquet))
register(
    OutputFormat(
        "gpkg", (".gpkg",), "application/geopackage+sqlite3", whole=write_geopackage, requires=("pyogrio", "geo")
    )
)


def print_table(events: Iterable[Event], out: TextIO | None = None, terminal: bool | None = None) -> int:
    """A readable fixed-width table of events; values are cut to their column only on a terminal
    (``terminal``: whether ``out`` is one, by default asked of it), else written whole, tab-separated."""
    out = out or sys.stdout
    if terminal is None:
        terminal = bool(getattr(out, "isatty", lambda: False)())
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
    if terminal:
        header = "  ".join(name[:w].ljust(w) for name, w in cols)
        buf.write(header + "\n" + "-" * len(header) + "\n")
    else:
        buf.write("\t".join(name for name, _ in cols) + "\n")
    for ev in events:
        d = ev.to_dict()
        cells = [str(d[name] if d[name] is not None else "") for name, _ in cols]
        if terminal:
            buf.write("  ".join(cut(c, w) for c, (_, w) in zip(cells, cols, strict=True)) + "\n")
        else:
            buf.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")
        n += 1
    out.write(buf.getvalue())
    out.write(f"{n} event{'s' if n != 1 else ''}\n")
    return n


def cut(s: str, w: int) -> str:
    """``s`` padded or cut to ``w`` characters (an ellipsis marks a cut)."""
    return (s[: w - 1] + "…") if len(s) > w else s.ljust(w)
