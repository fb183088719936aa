"""What the app's writes (``POST /api/documents`` and corrections) share: the bearer token that guards them,
and reading their JSON body within a size cap."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from .errors import error
from .settings import Settings


def authorize(request: Request, settings: Settings, what: str = "ingest") -> JSONResponse | None:
    """None when the request may write, else the error to answer: 403 when writes are off, 401 without a
    bearer token, 403 for a wrong one (compared in constant time)."""
    if not settings.allow_ingest:
        return error(403, f"{what} is disabled; start the server with --allow-ingest")
    scheme, _, cred = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not cred.strip():
        return error(401, "missing bearer token", **{"WWW-Authenticate": "Bearer"})
    assert settings.token is not None
    if not hmac.compare_digest(cred.strip().encode(), settings.token.encode()):
        return error(403, "invalid token")
    return None


async def read_json_body(
    request: Request, max_body: int, json_type: str | None = None
) -> tuple[Any, JSONResponse | None]:
    """The request's JSON body, or the error to answer: 413 when its Content-Length or the bytes read pass
    ``max_body`` (read in chunks, so a large body is never held whole), 415 when ``json_type`` is given and the
    Content-Type is not JSON (``json_type`` names what to send), 422 when it is not valid UTF-8 JSON."""
    too_big = error(413, f"request body larger than {max_body} bytes")
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > max_body):
        return None, too_big
    if json_type is not None:
        ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype != "application/json":
            return None, error(415, f"send {json_type} as application/json")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            return None, too_big
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks).decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, error(422, "invalid parameter: body is not valid JSON")
