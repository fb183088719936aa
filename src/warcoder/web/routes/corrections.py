"""``POST /api/events/{event_id}/corrections`` (an analyst corrects an event; the ingest token) and
``GET /api/corrections`` (every correction, newest last).  Corrections never overwrite the coded row
(warcoder.corrections)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ... import corrections
from ..auth import authorize, read_json_body
from ..db import DBDep
from ..errors import error, invalid, validation_message
from ..settings import SettingsDep

router = APIRouter()
MAX_BODY = 20_000


class CorrectionRequest(BaseModel):
    """The fields to correct (at least one), who corrects them, and an optional note."""

    model_config = ConfigDict(extra="forbid")

    who: str = Field(..., min_length=1, max_length=100, description="The analyst's name.")
    note: str = Field("", max_length=2000)
    sub_event_type: str | None = Field(None, max_length=100, description="One of ACLED's 25 sub-types.")
    actor1: str | None = Field(None, max_length=300)
    actor2: str | None = Field(None, max_length=300)
    location: str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    event_date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    fatalities: int | None = Field(None, ge=0, le=100_000)
    no_event: bool | None = Field(None, description="True: what was coded is not an event.")

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if k not in ("who", "note") and v is not None}


@router.post(
    "/api/events/{event_id}/corrections",
    status_code=201,
    summary="Correct an event (stored beside it, with who and when)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CorrectionRequest.model_json_schema()}},
        },
        "security": [{"bearer": []}],
    },
    responses={401: {"description": "No bearer token"}, 403: {"description": "Writes disabled, or wrong token"}},
)
async def post_correction(
    request: Request,
    edb: DBDep,
    settings: SettingsDep,
    event_id: Annotated[str, PathParam(min_length=1, max_length=200)],
) -> JSONResponse:
    refused = authorize(request, settings, "correcting")
    if refused is not None:
        return refused
    payload, refused = await read_json_body(request, MAX_BODY)
    if refused is not None:
        return refused
    try:
        req = CorrectionRequest.model_validate(payload)
    except ValidationError as exc:
        return invalid([validation_message(dict(e)) for e in exc.errors()])
    try:
        with edb.write_lock, edb.cursor() as cur:
            c = corrections.add(cur, event_id, req.changes(), req.who, req.note)
    except corrections.CorrectionError as exc:
        return error(404 if str(exc).startswith("no event") else 422, str(exc))
    return JSONResponse(c.to_dict(), status_code=201)


@router.get("/api/corrections", summary="Every stored correction, oldest first")
def list_corrections(edb: DBDep) -> dict[str, Any]:
    with edb.cursor() as cur:
        rows = [c.to_dict() for c in corrections.for_events(cur)]
    return {"total": len(rows), "corrections": rows}
