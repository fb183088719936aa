"""``GET /api/events`` (filtered events as JSON, GeoJSON or CSV) and ``GET /api/events/{event_id}``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ... import corrections
from ...export import FORMATS, encode_stream
from ...model import Event, Span
from ...sentences import paragraphs
from ...store import EVENT_COLS
from ..db import DBDep, EventDB, evidence_for, page_sql, row_dict, select_cols
from ..errors import ParamError
from ..params import FILE_FORMATS, STREAM_FORMATS, FiltersDep, Format

MAX_LIMIT = 100_000
DEFAULT_LIMIT = 500
CONTEXT_CHARS = 1500  # longest context shown either side of an evidence span
LONG_PARAGRAPH = 600  # a longer block of several lines is narrowed to the lines holding the evidence
FIELD_NAMES = [*EVENT_COLS, "evidence"]

router = APIRouter()


@router.get(
    "/api/events",
    summary="Events matching a filter",
    responses={
        200: {
            "description": "JSON `{total, limit, offset, events}`, a GeoJSON FeatureCollection, "
            "CSV with ACLED's columns first in ACLED's order, or a typed GeoParquet or GeoPackage file.",
            "content": {"application/geo+json": {}, "text/csv": {}, "application/vnd.apache.parquet": {}},
        }
    },
)
def list_events(
    request: Request,
    edb: DBDep,
    filters: FiltersDep,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_LIMIT,
            description=f"Page size (JSON default {DEFAULT_LIMIT}; GeoJSON and CSV default: every match).",
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    format: Annotated[
        Format | None,
        Query(
            description="json, geojson, csv, parquet or gpkg (GeoPackage, with the geo extra); without it "
            "`Accept: application/geo+json` or `text/csv` decide."
        ),
    ] = None,
    fields: Annotated[
        str | None,
        Query(
            description="JSON only: comma-separated event fields to return (default all, with evidence).",
            max_length=1000,
        ),
    ] = None,
) -> Response:
    fmt = format
    if fmt is None:
        accept = request.headers.get("accept", "")
        fmt = Format.json
        for name in STREAM_FORMATS:
            if FORMATS[name].media_type.split(";")[0] in accept:
                fmt = Format(name)
                break
    where, params = filters.where()
    if fmt is Format.json:
        cols = list(EVENT_COLS)
        want_evidence = True
        if fields:
            names = [f.strip() for f in fields.split(",") if f.strip()]
            bad = [n for n in names if n not in FIELD_NAMES]
            if bad or not names:
                unknown = ", ".join(bad) or "(none)"
                raise ParamError("fields", f"unknown field(s) {unknown}; use {', '.join(FIELD_NAMES)}")
            cols = [c for c in EVENT_COLS if c in names]
            want_evidence = "evidence" in names
            if "event_id" not in cols:
                cols.insert(0, "event_id")
        lim = limit or DEFAULT_LIMIT
        with edb.cursor() as cur:
            row = cur.execute(f"SELECT count(*) FROM events e {where}", params).fetchone()
            total = int(row[0]) if row else 0
            sql, extra = page_sql(where, cols, lim, offset)
            rows = [row_dict(cols, r) for r in cur.execute(sql, params + extra).fetchall()]
            if want_evidence:
                ev = evidence_for(cur, [r["event_id"] for r in rows])
                for r in rows:
                    r["evidence"] = ev[r["event_id"]]
        return JSONResponse({"total": total, "limit": lim, "offset": offset, "events": rows})
    if fields:
        raise ParamError("fields", "only applies to format=json")
    if fmt.value in FILE_FORMATS:
        return _file(edb, fmt, where, params, limit, offset)
    return StreamingResponse(
        _stream(edb, fmt, where, params, limit, offset),
        media_type=FORMATS[fmt.value].media_type,
        headers={
            "Content-Disposition": f'attachment; filename="warcoder-events.{fmt.value}"',
        },
    )


@router.get("/api/events/{event_id}", summary="One event with its evidence and source paragraphs")
def get_event(
    edb: DBDep,
    event_id: Annotated[str, PathParam(min_length=1, max_length=200, description="The event's id.")],
) -> dict[str, Any]:
    with edb.cursor() as cur:
        row = cur.execute(f"SELECT {select_cols(EVENT_COLS)} FROM events e WHERE e.event_id = ?", [event_id]).fetchone()
        if row is None:
            raise HTTPException(404, "no such event")
        ev = row_dict(EVENT_COLS, row)
        ev["evidence"] = evidence_for(cur, [event_id])[event_id]
        corroboration = _corroboration(cur, event_id)
        fixes = [c.to_dict() for c in corrections.for_events(cur, [event_id])]
        doc_row = cur.execute(
            "SELECT doc_id, title, source, url, report_date, published, text FROM documents WHERE doc_id = ?",
            [ev["doc_id"]],
        ).fetchone()
    document: dict[str, Any] | None = None
    context: list[dict[str, Any]] = []
    if doc_row is not None:
        doc_id, title, source, url, report_date, published, text = doc_row
        document = {
            "doc_id": doc_id,
            "title": title,
            "source": source,
            "url": url,
            "report_date": report_date.isoformat() if report_date else None,
            "published": published.isoformat() if published else None,
        }
        context = _context(text or "", [Span(s["start"], s["end"], s["text"]) for s in ev["evidence"]])
    source_url = ev.get("source_url") or (document or {}).get("url") or ""
    return {
        "event": ev,
        "document": document,
        "context": context,
        "source_url": source_url,
        "corroboration": corroboration,
        "corrections": fixes,
    }


# what an event's detail shows of the canonical event it was merged into
CORROBORATION_COLS = (
    "canonical_id",
    "sources",
    "reports",
    "corroboration",
    "partisan_only",
    "outlets",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)


def _corroboration(cur: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """The canonical event this report was merged into, with the other reports of it (None before any merge)."""
    try:
        row = cur.execute(
            f"SELECT {', '.join('c.' + c for c in CORROBORATION_COLS)} FROM event_links l "
            "JOIN canonical_events c USING (canonical_id) WHERE l.event_id = ?",
            [event_id],
        ).fetchone()
        if row is None:
            return None
        out = row_dict(list(CORROBORATION_COLS), row)
        others = cur.execute(
            "SELECT l.event_id, l.doc_id, e.source, e.event_date FROM event_links l JOIN events e USING (event_id) "
            "WHERE l.canonical_id = ? AND l.event_id <> ? ORDER BY l.event_id",
            [out["canonical_id"], event_id],
        ).fetchall()
    except duckdb.CatalogException:  # a store that was never merged
        return None
    out["other_reports"] = [row_dict(["event_id", "doc_id", "source", "event_date"], r) for r in others]
    return out


def _to_event(d: dict[str, Any]) -> Event:
    return Event.from_dict(d)


def _context(text: str, spans: list[Span]) -> list[dict[str, Any]]:
    """The paragraph(s) holding the evidence spans, with the spans' offsets inside each."""
    out: list[dict[str, Any]] = []
    for ps, pe in paragraphs(text):
        hits = [(max(s.start, ps), min(s.end, pe)) for s in spans if s.start < pe and s.end > ps]
        if not hits:
            continue
        first, last = min(h[0] for h in hits), max(h[1] for h in hits)
        if pe - ps > LONG_PARAGRAPH:  # e.g. extracted HTML, one line per paragraph: keep the lines hit
            ps = max(ps, text.rfind("\n", ps, first) + 1)
            nl = text.find("\n", last, pe)
            pe = pe if nl < 0 else nl
        lo = max(ps, first - CONTEXT_CHARS)
        hi = min(pe, last + CONTEXT_CHARS)
        out.append(
            {
                "start": lo,
                "end": hi,
                "text": text[lo:hi],
                "highlights": [{"start": s - lo, "end": e - lo} for s, e in sorted(hits)],
            }
        )
    return out


def _matching(edb: EventDB, where: str, params: list[Any], limit: int | None, offset: int) -> Iterator[Event]:
    """Every matching event with its evidence, read in batches."""
    sql, extra = page_sql(where, list(EVENT_COLS), limit, offset)
    with edb.cursor() as cur:
        res = cur.execute(sql, params + extra)
        ev_cur = edb.con.cursor()
        try:
            while rows := res.fetchmany(2000):
                dicts = [row_dict(list(EVENT_COLS), r) for r in rows]
                evidence = evidence_for(ev_cur, [d["event_id"] for d in dicts])
                for d in dicts:
                    d["evidence"] = evidence[d["event_id"]]
                    yield _to_event(d)
        finally:
            ev_cur.close()


def _file(edb: EventDB, fmt: Format, where: str, params: list[Any], limit: int | None, offset: int) -> Response:
    """The matching events as one Parquet or GeoPackage file, written by the same writer as ``export``."""
    import shutil
    import tempfile
    from pathlib import Path

    from ...export import Writer

    tmpdir = tempfile.mkdtemp(prefix="warcoder-dl-")
    path = Path(tmpdir) / f"warcoder-events.{fmt.value}"
    writer = Writer(path, fmt=fmt.value)
    try:
        writer.write(_matching(edb, where, params, limit, offset))
        writer.close()
        body = path.read_bytes()
    finally:
        writer.abort()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return Response(
        body,
        media_type=FORMATS[fmt.value].media_type,
        headers={"Content-Disposition": f'attachment; filename="warcoder-events.{fmt.value}"'},
    )


def _stream(edb: EventDB, fmt: Format, where: str, params: list[Any], limit: int | None, offset: int) -> Iterator[str]:
    """CSV or GeoJSON of every matching event, read and written in batches."""
    buf: list[str] = []
    for piece in encode_stream(fmt.value, _matching(edb, where, params, limit, offset)):
        buf.append(piece)
        if len(buf) >= 2000:
            yield "".join(buf)
            buf = []
    yield "".join(buf)
