"""Bounded HTTP GETs for every door that fetches a page: ``warcoder code URL`` and ``watch``.

One fetch, one set of bounds:

- redirects are followed by hand, hop by hop (at most ``MAX_REDIRECTS``), and every target is
  checked before it is requested: http or https only, with a host.  A ``javascript:``, ``data:``
  or ``mailto:`` Location is that document's error, never a crash;
- each network operation has ``OP_TIMEOUT`` seconds, and the whole fetch ``DEADLINE`` seconds,
  so a body dripped one byte a second is cut off;
- at most ``MAX_BYTES`` of body are read (a larger ``Content-Length`` is refused before reading),
  and a compressed body may not inflate beyond that either.

HTTP error statuses are returned (``Fetched.status``), not raised; everything else that goes
wrong is a :class:`FetchError` with a one-line reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_BYTES = 5 * 1024 * 1024
"""Largest HTTP body fetched, and (ingest) the largest document accepted, in bytes of UTF-8 text."""
MAX_REDIRECTS = 5
OP_TIMEOUT = 10.0
DEADLINE = 30.0
SCHEMES = ("http", "https")


class FetchError(Exception):
    """A fetch that failed; ``transient`` when trying again later may help."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    body: bytes

    @property
    def reason(self) -> str:
        """The status line's phrase ("Not Found")."""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type names, if any."""
        msg = Message()
        msg["content-type"] = self.content_type
        cs = msg.get_param("charset")
        return cs if isinstance(cs, str) else None


def make_client(user_agent: str, op_timeout: float = OP_TIMEOUT) -> Any:
    """An httpx client for :func:`fetch`: no automatic redirects, no proxies from the environment."""
    import httpx

    return httpx.Client(
        follow_redirects=False,
        timeout=httpx.Timeout(op_timeout),
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,
        # httpx parses a redirect's Location even when it does not follow it, and a 'javascript:'
        # one raises InvalidURL there: check the target first, as a FetchError.
        event_hooks={"response": [_check_location]},
    )


def _check_location(response: Any) -> None:
    loc = response.headers.get("location") if response.is_redirect else None
    if loc:
        check_url(resolve(str(response.request.url), loc), redirected=True)


def resolve(base: str, location: str) -> str:
    """A Location made absolute against the URL that sent it; an unparsable one is a FetchError."""
    try:
        return urljoin(base, location.strip())
    except ValueError as exc:
        raise FetchError(f"redirected to an invalid URL ({exc})") from None


def check_url(url: str, redirected: bool = False) -> None:
    """Refuse a URL that is not http(s) or has no host, before anything is requested."""
    what = "redirected to" if redirected else "unsupported URL:"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError(f"{what} an invalid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        if redirected:
            raise FetchError(f"redirected to unsupported URL scheme {scheme or '(none)'!r} (only http/https)")
        raise FetchError(f"unsupported URL scheme {scheme or '(none)'!r} (only http/https)")
    if not host:
        raise FetchError(f"{what} a URL without a host")


def fetch(
    url: str,
    client: Any,
    *,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` within the bounds (see the module docstring); raises :class:`FetchError`.

    A body over ``max_bytes`` is cut off as soon as the cap is passed: never more than one
    network chunk beyond it is read.  HTTP error statuses are returned, not raised.
    """
    end = time.monotonic() + deadline
    current = url
    for hop in range(max_redirects + 1):
        check_url(current, redirected=hop > 0)
        got = _get(current, client, max_bytes, deadline, end)
        if isinstance(got, Fetched):
            return got
        current = resolve(current, got)
    raise FetchError(f"too many redirects (> {max_redirects})")


def _get(url: str, client: Any, max_bytes: int, deadline: float, end: float) -> Fetched | str:
    """One request: the response, or the Location it redirects to."""
    import httpx

    try:
        with client.stream("GET", url) as resp:
            if resp.is_redirect:
                loc = resp.headers.get("location")
                if not loc:
                    raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
                return str(loc)
            clen = resp.headers.get("content-length", "")
            if clen.isdigit() and int(clen) > max_bytes:
                raise FetchError(f"too large ({int(clen):,} bytes > {max_bytes:,})")
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_raw():
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"too large (over {max_bytes:,} bytes)")
                if time.monotonic() > end:
                    raise FetchError(f"timed out after {deadline:g} s", transient=True)
                chunks.append(chunk)
            body = b"".join(chunks)
            enc = resp.headers.get("content-encoding", "").lower()
            if enc in ("gzip", "deflate", "br", "zstd"):
                body = decompress(body, enc, max_bytes)
            return Fetched(str(resp.url), resp.status_code, resp.headers.get("content-type", ""), body)
    except httpx.TimeoutException:
        op = client.timeout.read if getattr(client, "timeout", None) is not None else OP_TIMEOUT
        raise FetchError(f"timed out after {op:g} s", transient=True) from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL ({' '.join(str(exc).split()) or 'no detail'})") from None
    except httpx.HTTPError as exc:
        detail = " ".join(str(exc).split()) or "no detail"
        raise FetchError(f"unreachable ({type(exc).__name__}: {detail})", transient=True) from None


def decompress(body: bytes, enc: str, max_bytes: int) -> bytes:
    """Decode a compressed body, refusing to inflate beyond ``max_bytes``."""
    import zlib

    if enc in ("gzip", "deflate"):
        d = zlib.decompressobj(zlib.MAX_WBITS | 32 if enc == "gzip" else zlib.MAX_WBITS)
        try:
            out = d.decompress(body, max_bytes + 1)
        except zlib.error as exc:
            raise FetchError(f"bad {enc} body ({exc})") from None
        if len(out) > max_bytes:
            raise FetchError(f"too large (over {max_bytes:,} bytes decompressed)")
        return out
    raise FetchError(f"unsupported content encoding {enc!r}")
