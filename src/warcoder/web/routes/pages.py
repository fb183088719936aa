"""The map page's own routes: ``GET /api/config`` (what the page needs to know) and ``GET /`` (the page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..params import taxonomy
from ..settings import SettingsDep

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter()


@router.get("/api/config", summary="Settings the map page needs")
def config(settings: SettingsDep) -> dict[str, Any]:
    return {
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "ingest": settings.allow_ingest,
        "event_types": list(taxonomy()),
        "sub_event_types": taxonomy(),
    }


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")
