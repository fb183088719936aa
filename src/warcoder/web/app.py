"""HTTP API and map page over a warcoder DuckDB store (FastAPI).

Endpoints (OpenAPI at ``/openapi.json``):

- ``GET /api/events``: filtered events as JSON, GeoJSON or CSV (ACLED column order).
- ``GET /api/events/{event_id}``: one event, its evidence spans and the paragraphs around them.
- ``GET /api/stats``: counts by day, week, event type, actor, country and admin1 for a filter.
- ``POST /api/documents``: code a submitted document (off unless ``allow_ingest``; bearer token).
- ``GET /api/control``: who controls each place as of a date (GeoJSON), from the territory events.
- ``GET /api/config``: what the page needs to know (optional tile URL, whether ingest is on).
- ``GET /``: the map page; ``/static/...`` its assets (all vendored, nothing from a CDN).

DuckDB allows one writer per database file, and one process cannot hold the same file open both
read-only and read-write.  So without ingest the store is opened READ-ONLY (other processes may
read it too, but ``warcoder code`` cannot write to it while the server runs).  With ingest the
server opens the file read-write once and is its single writer: each request reads through its own
cursor (a snapshot), and POSTs are serialised by a lock, each written in one transaction.

All SQL is parameterised; the only text spliced into SQL is column names from fixed lists.
"""

from __future__ import annotations

import enum
import hmac
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import knowledge
from ..export import FORMATS, encode_stream
from ..model import Document, DocumentError, Event, Span
from ..sentences import paragraphs
from ..store import EVENT_COLS, Store

log = logging.getLogger("warcoder.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_LIMIT = 100_000
DEFAULT_LIMIT = 500
MAX_BODY = 2_000_000  # bytes accepted by POST /api/documents
MAX_TEXT = 200  # longest free-text filter value
MAX_VALUES = 50  # most values of a repeatable filter
CONTEXT_CHARS = 1500  # longest context shown either side of an evidence span
LONG_PARAGRAPH = 600  # a longer block of several lines is narrowed to the lines holding the evidence
FIELD_NAMES = [*EVENT_COLS, "evidence"]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, list[str]]:
    """ACLED event types -> sub-types, as in warcoder's taxonomy data file."""
    data = knowledge.load_yaml("taxonomy.yaml")
    return {str(t): [str(s) for s in subs] for t, subs in data.items()}


def _enum(name: str, values: list[str]) -> type[enum.StrEnum]:
    return enum.StrEnum(name, [(f"V{i}", v) for i, v in enumerate(values)])  # type: ignore[return-value]


EventType = _enum("EventType", list(taxonomy()))
SubEventType = _enum("SubEventType", [s for subs in taxonomy().values() for s in subs])


# The API's own paged JSON, plus the streaming formats of the one registry (export.FORMATS).
STREAM_FORMATS = ("geojson", "csv")
Format = enum.StrEnum("Format", [("json", "json"), *((n, n) for n in STREAM_FORMATS)])  # type: ignore[misc]


# --------------------------------------------------------------------------- errors


class ParamError(Exception):
    """An invalid request parameter: answered with 422 and a message saying what is wrong."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None, **headers: str) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers or None)


def _invalid(errors: list[dict[str, str]]) -> JSONResponse:
    return _error(422, "invalid parameter: " + "; ".join(f"{e['param']}: {e['message']}" for e in errors), errors)


def _validation_message(err: dict[str, Any]) -> dict[str, str]:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
    param = ".".join(loc) or "request"
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "string_pattern_mismatch" and param in ("start", "end", "published", "report_date", "date"):
        msg = "expected a date as YYYY-MM-DD"
    return {"param": param, "message": msg}


# --------------------------------------------------------------------------- filters


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    actor: str | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    q: list[str] = field(default_factory=list)

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause over ``events e`` and its parameters."""
        sql: list[str] = []
        params: list[Any] = []
        if self.start:
            sql.append("e.event_date >= ?")
            params.append(self.start)
        if self.end:
            sql.append("e.event_date <= ?")
            params.append(self.end)
        if self.bbox:
            west, south, east, north = self.bbox
            sql.append("e.latitude BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                sql.append("e.longitude BETWEEN ? AND ?")
                params += [west, east]
            else:  # the box crosses the antimeridian
                sql.append("(e.longitude >= ? OR e.longitude <= ?)")
                params += [west, east]
        for col, values in (("country", self.country), ("admin1", self.admin1)):
            if values:
                sql.append(f"lower(e.{col}) IN ({', '.join('?' * len(values))})")
                params += [v.lower() for v in values]
        for col, values in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type)):
            if values:
                sql.append(f"e.{col} IN ({', '.join('?' * len(values))})")
                params += values
        if self.actor:
            cols = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
            sql.append("(" + " OR ".join(f"contains(lower(e.{c}), ?)" for c in cols) + ")")
            params += [self.actor.lower()] * len(cols)
        for term in self.q:
            cols = ("notes", "location", "admin1", "admin2", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
            sql.append(
                "("
                + " OR ".join(f"contains(lower(e.{c}), ?)" for c in cols)
                + " OR EXISTS (SELECT 1 FROM evidence v WHERE v.event_id = e.event_id AND contains(lower(v.text), ?)))"
            )
            params += [term] * (len(cols) + 1)
        return ("WHERE " + " AND ".join(sql)) if sql else "", params


def _clean_text(param: str, value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise ParamError(param, f"longer than {MAX_TEXT} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ParamError(param, "contains control characters")
    value = value.strip()
    return value or None


def _clean_list(param: str, values: list[str] | None) -> list[str]:
    if not values:
        return []
    if len(values) > MAX_VALUES:
        raise ParamError(param, f"more than {MAX_VALUES} values")
    out = []
    for v in values:
        c = _clean_text(param, v)
        if c:
            out.append(c)
    return out


def _parse_date(param: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParamError(param, f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def _parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise ParamError("bbox", "expected four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ParamError("bbox", "expected four numbers: west,south,east,north") from None
    if not all(-180 <= x <= 180 for x in (west, east)):
        raise ParamError("bbox", "west and east must lie in [-180, 180]")
    if not all(-90 <= y <= 90 for y in (south, north)):
        raise ParamError("bbox", "south and north must lie in [-90, 90]")
    if south > north:
        raise ParamError("bbox", "south is greater than north")
    return west, south, east, north


def event_filters(
    start: Annotated[
        str | None, Query(description="Earliest event date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)
    ] = None,
    end: Annotated[str | None, Query(description="Latest event date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="Bounding box `west,south,east,north` in degrees (WGS84); "
            "west > east crosses the antimeridian.",
            max_length=200,
        ),
    ] = None,
    country: Annotated[list[str] | None, Query(description="Country name (case-insensitive); repeatable.")] = None,
    admin1: Annotated[list[str] | None, Query(description="Admin1 name (case-insensitive); repeatable.")] = None,
    actor: Annotated[
        str | None,
        Query(description="Substring of actor1, actor2 or an assoc actor (case-insensitive).", max_length=MAX_TEXT),
    ] = None,
    event_type: Annotated[list[EventType] | None, Query(description="ACLED event type; repeatable.")] = None,
    sub_event_type: Annotated[list[SubEventType] | None, Query(description="ACLED sub-event type; repeatable.")] = None,
    q: Annotated[
        str | None,
        Query(
            description="Full-text search over notes, evidence, location and actors: every word must occur "
            "(case-insensitive substring).",
            max_length=MAX_TEXT,
        ),
    ] = None,
) -> Filters:
    f = Filters(
        start=_parse_date("start", start),
        end=_parse_date("end", end),
        bbox=_parse_bbox(bbox),
        country=_clean_list("country", country),
        admin1=_clean_list("admin1", admin1),
        actor=_clean_text("actor", actor),
        event_type=[str(t.value) for t in event_type or []],
        sub_event_type=[str(t.value) for t in sub_event_type or []],
        q=[w.lower() for w in (_clean_text("q", q) or "").split()][:20],
    )
    if f.start and f.end and f.start > f.end:
        raise ParamError("start", "start is after end")
    return f


FiltersDep = Annotated[Filters, Depends(event_filters)]


# --------------------------------------------------------------------------- database


class EventDB:
    """The store, opened once; every request reads through its own cursor."""

    def __init__(self, path: str | Path, writable: bool = False) -> None:
        self.path = Path(path)
        self.writable = writable
        if writable:
            self.store = Store(self.path)  # creates the schema when the file is new
            self.con = self.store.con
        else:
            if not self.path.exists():
                raise FileNotFoundError(f"{self.path}: no such store")
            self.con = duckdb.connect(str(self.path), read_only=True)
            self.store = None
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        missing = {"documents", "events", "evidence"} - tables
        if missing:
            self.con.close()
            raise ValueError(f"{self.path}: not a warcoder store (no {', '.join(sorted(missing))} table)")
        self.write_lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def write(self, doc: Document, events: list[Event]) -> None:
        assert self.writable, "the store is open read-only"
        with self.write_lock, self.cursor() as cur:
            Store.over(cur, self.path).write_coded([(doc, events)])  # written, then merged

    def close(self) -> None:
        self.con.close()


def _row_dict(cols: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    d = dict(zip(cols, row, strict=True))
    if isinstance(d.get("event_date"), date):
        d["event_date"] = d["event_date"].isoformat()
    return d


def _evidence_for(cur: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = cur.execute(
        "SELECT event_id, start_offset, end_offset, text FROM evidence "
        "WHERE list_contains(?, event_id) ORDER BY event_id, seq",
        [ids],
    ).fetchall()
    for eid, s, e, t in rows:
        out[eid].append({"start": s, "end": e, "text": t})
    return out


def _corroboration(cur: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """The canonical event this report was merged into, with the other reports of it (None before any merge)."""
    try:
        row = cur.execute(
            "SELECT c.canonical_id, c.sources, c.reports, c.corroboration, c.partisan_only, c.outlets, "
            "c.fatalities, c.fatalities_low, c.fatalities_high FROM event_links l "
            "JOIN canonical_events c USING (canonical_id) WHERE l.event_id = ?",
            [event_id],
        ).fetchone()
        if row is None:
            return None
        out = _row_dict(
            [
                "canonical_id",
                "sources",
                "reports",
                "corroboration",
                "partisan_only",
                "outlets",
                "fatalities",
                "fatalities_low",
                "fatalities_high",
            ],
            row,
        )
        others = cur.execute(
            "SELECT l.event_id, l.doc_id, e.source, e.event_date FROM event_links l JOIN events e USING (event_id) "
            "WHERE l.canonical_id = ? AND l.event_id <> ? ORDER BY l.event_id",
            [out["canonical_id"], event_id],
        ).fetchall()
    except duckdb.CatalogException:  # a store that was never merged
        return None
    out["other_reports"] = [_row_dict(["event_id", "doc_id", "source", "event_date"], r) for r in others]
    return out


def _select(cols: list[str]) -> str:
    return ", ".join(f"e.{c}" for c in cols)


def _page_sql(where: str, cols: list[str], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    sql = f"SELECT {_select(cols)} FROM events e {where} ORDER BY e.event_date, e.event_id"
    extra: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        extra.append(limit)
    if offset:
        sql += " OFFSET ?"
        extra.append(offset)
    return sql, extra


def _to_event(d: dict[str, Any]) -> Event:
    return Event.from_dict(d)


# --------------------------------------------------------------------------- ingest


class IngestRequest(BaseModel):
    """A document to code: exactly one of ``text``, ``html`` or ``url`` (fetched by the server)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain text of the report.")
    html: str | None = Field(None, description="HTML of the report page.")
    url: str | None = Field(
        None,
        description="http(s) URL the server fetches (10 s timeout, 5 MB cap).",
        pattern=r"^https?://[^\s\x00-\x1f\x7f]+$",
        max_length=2000,
    )
    id: str | None = Field(
        None, description="Document id (default: derived from the content).", max_length=200, pattern=r"^[\w.:\-]+$"
    )
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200)
    source_url: str | None = Field(None, description="Where the text came from.", max_length=2000)
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.", pattern=DATE_RE)
    report_date: str | None = Field(
        None, description="Report date when the document states none, YYYY-MM-DD.", pattern=DATE_RE
    )

    @model_validator(mode="after")
    def _one_input(self) -> IngestRequest:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        for k in ("published", "report_date"):
            v = getattr(self, k)
            if v is not None:
                try:
                    date.fromisoformat(v)
                except ValueError:
                    raise ValueError(f"{k}: {v!r} is not a valid date") from None
        return self


# --------------------------------------------------------------------------- middleware


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
            await send(message)

        await self.app(scope, receive, wrapped)


def _tile_origin(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    return f" {parts.scheme}://{host}" if parts.scheme in ("http", "https") and host else ""


# --------------------------------------------------------------------------- the app


@dataclass
class Settings:
    db: Path
    allow_ingest: bool = False
    token: str | None = None
    cors_origins: list[str] = field(default_factory=list)
    max_body: int = MAX_BODY
    tile_url: str | None = None
    tile_attribution: str = ""
    trusted_hosts: list[str] | None = None


def create_app(
    db: str | Path,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    cors_origins: list[str] | tuple[str, ...] = (),
    max_body: int = MAX_BODY,
    tile_url: str | None = None,
    tile_attribution: str = "",
    trusted_hosts: list[str] | None = None,
    allow_url_fetch: bool = True,
) -> FastAPI:
    """The ASGI app over the store at ``db``.

    ``allow_ingest`` turns on ``POST /api/documents``, which then needs ``Authorization: Bearer
    <token>``; ingest without a token is refused.  ``cors_origins`` adds CORS headers for those
    origins only.  ``tile_url`` (e.g. an OSM tile template) is an optional online base layer; the
    default base map is the bundled Natural Earth country outlines.  ``trusted_hosts`` restricts
    the Host header (the CLI sets it to the loopback names when bound to localhost).
    ``allow_url_fetch=False`` refuses ``{"url": ...}`` bodies (422) instead of fetching them.
    """
    if allow_ingest and not token:
        raise ValueError("ingest needs a token (--token or WARCODER_TOKEN)")
    settings = Settings(
        db=Path(db),
        allow_ingest=allow_ingest,
        token=token,
        cors_origins=list(cors_origins),
        max_body=max_body,
        tile_url=tile_url,
        tile_attribution=tile_attribution,
        trusted_hosts=trusted_hosts,
    )
    edb = EventDB(settings.db, writable=allow_ingest)
    coder_lock = threading.Lock()
    coder_box: dict[str, Any] = {}

    app = FastAPI(
        title="warcoder",
        version="0.1.0",
        description="ACLED-style conflict events coded offline from war reports.",
        docs_url=None,  # the Swagger/Redoc pages load scripts from a CDN: not served
        redoc_url=None,
    )
    app.state.db = edb
    app.state.settings = settings

    # ---------------------------------------------------------------- error handlers
    @app.exception_handler(RequestValidationError)
    async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid([_validation_message(e) for e in exc.errors()])

    @app.exception_handler(ParamError)
    async def _on_param(request: Request, exc: ParamError) -> JSONResponse:
        return _error(422, f"invalid parameter: {exc}", [{"param": exc.param, "message": exc.message}])

    @app.exception_handler(Exception)
    async def _on_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error")

    # ---------------------------------------------------------------- events
    @app.get(
        "/api/events",
        summary="Events matching a filter",
        responses={
            200: {
                "description": "JSON `{total, limit, offset, events}`, a GeoJSON FeatureCollection, "
                "or CSV with ACLED's columns first in ACLED's order.",
                "content": {"application/geo+json": {}, "text/csv": {}},
            }
        },
    )
    def list_events(
        request: Request,
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
            Query(description="json, geojson or csv; without it `Accept: application/geo+json` or `text/csv` decide."),
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
                sql, extra = _page_sql(where, cols, lim, offset)
                rows = [_row_dict(cols, r) for r in cur.execute(sql, params + extra).fetchall()]
                if want_evidence:
                    ev = _evidence_for(cur, [r["event_id"] for r in rows])
                    for r in rows:
                        r["evidence"] = ev[r["event_id"]]
            return JSONResponse({"total": total, "limit": lim, "offset": offset, "events": rows})
        if fields:
            raise ParamError("fields", "only applies to format=json")
        return StreamingResponse(
            _stream(edb, fmt, where, params, limit, offset),
            media_type=FORMATS[fmt.value].media_type,
            headers={
                "Content-Disposition": f'attachment; filename="warcoder-events.{fmt.value}"',
            },
        )

    @app.get("/api/events/{event_id}", summary="One event with its evidence and source paragraphs")
    def get_event(
        event_id: Annotated[str, PathParam(min_length=1, max_length=200, description="The event's id.")],
    ) -> dict[str, Any]:
        with edb.cursor() as cur:
            row = cur.execute(f"SELECT {_select(EVENT_COLS)} FROM events e WHERE e.event_id = ?", [event_id]).fetchone()
            if row is None:
                raise HTTPException(404, "no such event")
            ev = _row_dict(EVENT_COLS, row)
            ev["evidence"] = _evidence_for(cur, [event_id])[event_id]
            corroboration = _corroboration(cur, event_id)
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
        }

    # ---------------------------------------------------------------- stats
    @app.get("/api/stats", summary="Counts by day, week, event type, actor, country and admin1 for a filter")
    def stats(
        filters: FiltersDep,
        top: Annotated[int, Query(ge=1, le=500, description="How many actors and admin1 units to list.")] = 20,
    ) -> dict[str, Any]:
        where, params = filters.where()
        with edb.cursor() as cur:
            row = cur.execute(
                f"SELECT count(*), coalesce(sum(e.fatalities), 0), min(e.event_date), max(e.event_date) "
                f"FROM events e {where}",
                params,
            ).fetchone()
            assert row is not None
            total, fatalities, first, last = row

            def q(sql: str, extra: list[Any] | None = None) -> list[tuple[Any, ...]]:
                return cur.execute(sql, params + (extra or [])).fetchall()

            by_day = q(f"SELECT e.event_date, count(*) FROM events e {where} GROUP BY 1 ORDER BY 1")
            by_week = q(
                f"SELECT CAST(date_trunc('week', e.event_date) AS DATE), count(*) FROM events e {where} "
                "GROUP BY 1 ORDER BY 1"
            )
            by_type = q(
                f"SELECT e.event_type, count(*), sum(e.fatalities) FROM events e {where} GROUP BY 1 ORDER BY 2 DESC, 1"
            )
            by_actor = q(
                "SELECT a, count(*) FROM (SELECT unnest(list_distinct(list_filter([e.actor1, e.actor2], "
                f"lambda x: x IS NOT NULL AND x <> ''))) AS a FROM events e {where}) "
                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                [top],
            )
            by_country = q(f"SELECT e.country, count(*) FROM events e {where} GROUP BY 1 ORDER BY 2 DESC, 1")
            by_admin1 = q(
                f"SELECT e.country, e.admin1, count(*) FROM events e {where} "
                "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
                [top],
            )
        return {
            "total": int(total),
            "fatalities": int(fatalities),
            "first_date": first.isoformat() if first else None,
            "last_date": last.isoformat() if last else None,
            "by_day": [{"date": d.isoformat(), "count": n} for d, n in by_day],
            "by_week": [{"week": d.isoformat(), "count": n} for d, n in by_week],
            "by_event_type": [{"event_type": t, "count": n, "fatalities": int(f or 0)} for t, n, f in by_type],
            "by_actor": [{"actor": a, "count": n} for a, n in by_actor],
            "by_country": [{"country": c, "count": n} for c, n in by_country],
            "by_admin1": [{"country": c, "admin1": a, "count": n} for c, a, n in by_admin1],
        }

    # ---------------------------------------------------------------- territorial control
    @app.get(
        "/api/control",
        summary="Who controls each place as of a date, from the territory events",
        responses={
            200: {
                "description": "A GeoJSON FeatureCollection, one feature per place: holder, since, the event that "
                "changed it, previous holder, confidence and status (held, contested or unknown). Places kept by "
                "name only (not in the gazetteer) have a null geometry."
            }
        },
    )
    def control(
        as_of: Annotated[
            str, Query(alias="date", description="Control as of this date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)
        ],
        country: Annotated[
            str | None, Query(description="Only this country's places (case-insensitive).", max_length=MAX_TEXT)
        ] = None,
    ) -> dict[str, Any]:
        from ..control import control_at, control_feature, territory_events

        day = _parse_date("date", as_of)
        assert day is not None
        where = _clean_text("country", country)
        with edb.cursor() as cur:
            rows = control_at(territory_events(cur, where), day, where)
        return {
            "type": "FeatureCollection",
            "date": day.isoformat(),
            "country": where,
            "features": [control_feature(r) for r in rows],
        }

    @app.get("/api/config", summary="Settings the map page needs")
    def config() -> dict[str, Any]:
        return {
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
            "ingest": settings.allow_ingest,
            "event_types": list(taxonomy()),
        }

    # ---------------------------------------------------------------- ingest
    @app.post(
        "/api/documents",
        status_code=201,
        summary="Code a submitted document and store its events",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": IngestRequest.model_json_schema()}},
            },
            "security": [{"bearer": []}],
        },
        responses={
            401: {"description": "No bearer token"},
            403: {"description": "Ingest disabled, or wrong token"},
            413: {"description": "Request body too large"},
            415: {"description": "Body is not JSON"},
        },
    )
    async def post_document(request: Request) -> JSONResponse:
        if not settings.allow_ingest:
            return _error(403, "ingest is disabled; start the server with --allow-ingest")
        scheme, _, cred = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not cred.strip():
            return _error(401, "missing bearer token", **{"WWW-Authenticate": "Bearer"})
        assert settings.token is not None
        if not hmac.compare_digest(cred.strip().encode(), settings.token.encode()):
            return _error(403, "invalid token")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > settings.max_body):
            return _error(413, f"request body larger than {settings.max_body} bytes")
        ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype != "application/json":
            return _error(415, "send the document as application/json")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.max_body:
                return _error(413, f"request body larger than {settings.max_body} bytes")
            chunks.append(chunk)
        try:
            payload = json.loads(b"".join(chunks).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(422, "invalid parameter: body is not valid JSON")
        try:
            req = IngestRequest.model_validate(payload)
        except ValidationError as exc:
            return _invalid([_validation_message(dict(e)) for e in exc.errors()])
        try:
            result = await run_in_threadpool(_ingest, edb, coder_box, coder_lock, req, allow_url_fetch)
        except DocumentError as exc:
            return _error(422, f"cannot code the document: {exc.reason}")
        return JSONResponse(result, status_code=201)

    # ---------------------------------------------------------------- page
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # ---------------------------------------------------------------- middleware (last added runs first)
    tile = _tile_origin(tile_url)
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:{tile}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    app.add_middleware(SecurityHeaders, csp=csp)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"] if allow_ingest else ["GET"],
            allow_headers=["Authorization", "Content-Type"],
        )
    if trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts)
    return app


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


def _stream(edb: EventDB, fmt: Format, where: str, params: list[Any], limit: int | None, offset: int) -> Iterator[str]:
    """CSV or GeoJSON of every matching event, read and written in batches."""
    sql, extra = _page_sql(where, list(EVENT_COLS), limit, offset)
    with edb.cursor() as cur:
        res = cur.execute(sql, params + extra)
        ev_cur = edb.con.cursor()

        def batches() -> Iterator[list[Event]]:
            while rows := res.fetchmany(2000):
                dicts = [_row_dict(list(EVENT_COLS), r) for r in rows]
                evidence = _evidence_for(ev_cur, [d["event_id"] for d in dicts])
                for d in dicts:
                    d["evidence"] = evidence[d["event_id"]]
                yield [_to_event(d) for d in dicts]

        try:
            pieces = encode_stream(fmt.value, (ev for batch in batches() for ev in batch))
            buf: list[str] = []
            for piece in pieces:
                buf.append(piece)
                if len(buf) >= 2000:
                    yield "".join(buf)
                    buf = []
            yield "".join(buf)
        finally:
            ev_cur.close()


def _ingest(
    edb: EventDB, box: dict[str, Any], lock: threading.Lock, req: IngestRequest, allow_urls: bool = True
) -> dict[str, Any]:
    """Code one document (loading the coder on first use) and store it; runs in a worker thread."""
    import hashlib

    from ..coder import Coder
    from ..ingest import iter_documents

    with lock:
        if "coder" not in box:
            from ..gazetteer import index_beside

            box["coder"] = Coder(index_path=index_beside(edb.path))  # the index lives beside the store
        coder: Coder = box["coder"]
    if req.url is not None:
        if not allow_urls:
            raise DocumentError(req.url, "fetching URLs is disabled on this server")
        try:
            got = next(iter(iter_documents([req.url], source=req.source)))
        except Exception as exc:  # an unusable URL that slipped past validation: the client's fault
            raise DocumentError(req.url, "cannot fetch the URL") from exc
        if isinstance(got, DocumentError):
            raise got
        doc = got
        if req.id:
            doc.doc_id = req.id
        doc.title = doc.title or req.title
        if req.published and doc.published is None:
            doc.published = date.fromisoformat(req.published)
    else:
        content = req.text if req.text is not None else req.html
        assert content is not None
        doc_id = req.id or "api-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]
        doc = coder.make_document(
            content,
            doc_id=doc_id,
            source=req.source,
            url=req.source_url,
            title=req.title,
            published=req.published,
        )
        doc.origin = "POST /api/documents"
    events = coder.code_document(doc, report_date=req.report_date)
    edb.write(doc, events)
    return {
        "doc_id": doc.doc_id,
        "report_date": doc.report_date.isoformat() if doc.report_date else None,
        "warnings": doc.warnings,
        "events": [e.to_dict() for e in events],
    }
