"""``POST /api/documents``: code a submitted document and store its events (off unless ``allow_ingest``)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from ...model import DocumentError
from ..auth import authorize, read_json_body
from ..db import DBDep, EventDB
from ..errors import error, invalid, validation_message
from ..params import DATE_RE
from ..settings import SettingsDep

router = APIRouter()


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


@router.post(
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
async def post_document(request: Request, edb: DBDep, settings: SettingsDep) -> JSONResponse:
    refused = authorize(request, settings)
    if refused is not None:
        return refused
    payload, refused = await read_json_body(request, settings.max_body, json_type="the document")
    if refused is not None:
        return refused
    try:
        req = IngestRequest.model_validate(payload)
    except ValidationError as exc:
        return invalid([validation_message(dict(e)) for e in exc.errors()])
    try:
        result = await run_in_threadpool(_ingest, edb, request.app.state.coder_lock, req, settings.allow_url_fetch)
    except DocumentError as exc:
        return error(422, f"cannot code the document: {exc.reason}")
    return JSONResponse(result, status_code=201)


def _ingest(edb: EventDB, lock: threading.Lock, req: IngestRequest, allow_urls: bool = True) -> dict[str, Any]:
    """Code one document (loading the coder on first use) and store it; runs in a worker thread."""
    import hashlib

    from ...coder import Coder
    from ...engine import shared_coder
    from ...ingest import iter_documents

    with lock:  # the first POST builds the process's coder; the others wait for it, then reuse it
        coder: Coder = shared_coder(None)  # the index of the shared cache
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
