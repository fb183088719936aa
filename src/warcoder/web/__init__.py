"""The web app: an HTTP API over the event store and a map page, served by one process.

``warcoder serve`` runs it; :func:`create_app` builds the ASGI app for tests and embedding.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
