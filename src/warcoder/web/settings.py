"""The server's settings, fixed by :func:`warcoder.web.app.create_app` and read by the routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

MAX_BODY = 2_000_000  # bytes accepted by POST /api/documents


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
    allow_url_fetch: bool = True


async def get_settings(request: Request) -> Settings:
    """The app's settings (a dependency: ``request.app.state.settings``)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
