"""HTTP API and map page over a warcoder DuckDB store (FastAPI).

Endpoints (OpenAPI at ``/openapi.json``):

- ``GET /api/events``: filtered events as JSON, GeoJSON or CSV (ACLED column order).
- ``GET /api/events/{event_id}``: one event, its evidence spans and the paragraphs around them.
- ``GET /api/stats``: counts by day, week, event type, actor, country and admin1 for a filter.
- ``POST /api/documents``: code a submitted document (off unless ``allow_ingest``; bearer token).
- ``POST /api/events/{id}/corrections``: an analyst's correction of an event, stored beside it (the same
  token); ``GET /api/corrections`` lists them.
- ``GET /api/control``: who controls each place as of a date (GeoJSON), from the territory events.
- ``GET /api/config``: what the page needs to know (optional tile URL, whether ingest is on).
- ``GET /``: the map page; ``/static/...`` its assets (all vendored, nothing from a CDN).

DuckDB allows one writer per database file, and one process cannot hold the same file open both
read-only and read-write.  So without ingest the store is opened READ-ONLY (other processes may
read it too, but ``warcoder code`` cannot write to it while the server runs).  With ingest the
server opens the file read-write once and is its single writer: each request reads through its own
cursor (a snapshot), and POSTs are serialised by a lock, each written in one transaction.

The routes live in :mod:`warcoder.web.routes`, one ``APIRouter`` per resource (events, stats, control,
ingest, pages); they reach the store and the settings through FastAPI dependencies
(``request.app.state.db`` and ``request.app.state.settings``, see :mod:`.db` and :mod:`.settings`).

All SQL is parameterised; the only text spliced into SQL is column names from fixed lists.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .db import EventDB
from .errors import ParamError, error, invalid, validation_message
from .routes import control, corrections, events, ingest, pages, stats
from .routes.pages import STATIC_DIR
from .settings import MAX_BODY, Settings

log = logging.getLogger("warcoder.web")


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


# --------------------------------------------------------------------------- error handlers


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    return invalid([validation_message(e) for e in exc.errors()])


async def _on_param(request: Request, exc: ParamError) -> JSONResponse:
    return error(422, f"invalid parameter: {exc}", [{"param": exc.param, "message": exc.message}])


async def _on_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
    return error(500, "internal error")


# --------------------------------------------------------------------------- the app


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
        allow_url_fetch=allow_url_fetch,
    )
    edb = EventDB(settings.db, writable=allow_ingest)

    app = FastAPI(
        title="warcoder",
        version="0.1.0",
        description="ACLED-style conflict events coded offline from war reports.",
        docs_url=None,  # the Swagger/Redoc pages load scripts from a CDN: not served
        redoc_url=None,
    )
    app.state.db = edb
    app.state.settings = settings
    app.state.coder_lock = threading.Lock()  # POST /api/documents loads the coder once, on first use

    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(ParamError, _on_param)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_error)

    # the resources, in the order their paths appear in the OpenAPI schema
    for resource in (events, corrections, stats, control, pages, ingest):
        app.include_router(resource.router)
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
