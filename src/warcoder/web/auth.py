"""The bearer token that guards the app's writes (``POST /api/documents`` and corrections)."""

from __future__ import annotations

import hmac

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
