"""``warcoder watch FEED_URL... [--every 10m] [--db FILE] [--once]``: code new articles from feeds.

Each poll cycle, for every RSS/Atom feed:

1. The feed is fetched (see :func:`fetch`) and parsed with feedparser.  An unreachable feed, an
   HTTP error or a body that is not a feed logs one line and the cycle goes on with the next.
2. Every entry link (made absolute against the feed URL; http/https only) that was not seen
   before is checked against its site's robots.txt (parsed with protego, which honours the ``*``
   and ``$`` wildcards of RFC 9309; fetched with the same bounds, cached for the cycle), fetched,
   cleaned and coded (the entry's date is the report date when the article states none), and
   stored as one document in the DuckDB store.

Fetches are bounded: at most ``max_bytes`` (5 MB) of body, read in a stream and cut off there
(a ``Content-Length`` above the cap is refused before reading), at most 5 redirects, each hop
http or https only, 10 s per network operation and ``deadline`` (30 s) in total.

**Once only.**  The table ``watch_seen`` in the same DuckDB file records every article URL with
its outcome.  A URL's document id is derived from the URL (``<last path segment>-<sha1 prefix>``),
so the ``documents`` table itself also says whether the URL was coded: the document is committed
in one transaction by :meth:`Store.write`, and a URL counts as seen when either table has it.  A
process killed between the two writes therefore never codes the article twice, and one killed
before the commit codes it again on restart: no duplicates, no lost documents.

Transient failures (unreachable, time-outs, HTTP 5xx/429, robots.txt unavailable) are retried in
later cycles, up to ``MAX_TRIES`` in all; permanent ones (HTTP 4xx, too large, not English,
disallowed by robots.txt, ...) are recorded once and never fetched again.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from protego import Protego

from .fetch import DEADLINE, MAX_BYTES, Fetched, FetchError, fetch
from .fetch import make_client as _fetch_client
from .model import Document, DocumentError

__all__ = ["Watcher", "FetchError", "Fetched", "fetch", "make_client", "parse_interval", "watch_doc_id", "MAX_BYTES"]


def make_client() -> Any:
    """The HTTP client of a watch run (redirects are followed by :func:`fetch`, hop by hop)."""
    return _fetch_client(USER_AGENT)


MAX_TRIES = 3
USER_AGENT = "warcoder-watch/0.1 (+offline conflict-event coder)"

SEEN_SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_seen (
    url VARCHAR PRIMARY KEY, doc_id VARCHAR, feed VARCHAR, status VARCHAR, reason VARCHAR,
    tries INTEGER, n_events INTEGER, seen_at TIMESTAMP
)
"""


def parse_interval(text: str) -> float:
    """ "90", "30s", "10m", "1h", "1d" as seconds (> 0)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        raise ValueError(f"--every: {text!r} is not an interval (e.g. 30s, 10m, 1h)")
    value = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if value <= 0:
        raise ValueError(f"--every: {text!r} must be more than zero")
    return value


def watch_doc_id(url: str) -> str:
    """A document id unique to ``url``: its last path segment (no extension) and a hash."""
    parts = urlsplit(url)
    segs = [s for s in parts.path.split("/") if s]
    stem = segs[-1].rsplit(".", 1)[0] if segs else (parts.hostname or "page")
    stem = re.sub(r"[^A-Za-z0-9_.\-]+", "-", stem).strip("-")[:60] or "page"
    return f"{stem}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


class Robots:
    """robots.txt rules per site, fetched with the same bounds as everything else, once a cycle."""

    ALLOW_ALL = ""
    DISALLOW_ALL = "User-agent: *\nDisallow: /\n"

    def __init__(self, client: Any, fetcher: Callable[..., Fetched]) -> None:
        self.client = client
        self.fetcher = fetcher
        self.cache: dict[str, Protego | FetchError] = {}

    def allowed(self, url: str) -> bool:
        """True / False; raises a transient FetchError when robots.txt cannot be read now."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.cache:
            self.cache[site] = self._load(site)
        rp = self.cache[site]
        if isinstance(rp, FetchError):
            raise rp
        return rp.can_fetch(url, USER_AGENT)

    def _load(self, site: str) -> Protego | FetchError:
        try:
            res = self.fetcher(site + "/robots.txt", self.client, max_bytes=512 * 1024)
        except FetchError as exc:
            if not exc.transient:  # too large, bad redirect...: as if there were none
                return Protego.parse(self.ALLOW_ALL)
            return FetchError(f"robots.txt unavailable ({exc.reason})", transient=True)
        if res.status in (401, 403):
            return Protego.parse(self.DISALLOW_ALL)
        if res.status >= 500 or res.status == 429:
            return FetchError(f"robots.txt unavailable (HTTP {res.status})", transient=True)
        if res.status >= 400:
            return Protego.parse(self.ALLOW_ALL)
        return Protego.parse(res.body.decode("utf-8", errors="replace"))


class Watcher:
    """Polls feeds and codes each new article into the store, once."""

    def __init__(
        self,
        feeds: list[str],
        db: str | Path,
        *,
        index_path: str | Path | None = None,
        report_date: str | None = None,
        log: Callable[[str], None] | None = None,
        deadline: float = DEADLINE,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.feeds = feeds
        self.db = str(db)
        self.index_path = index_path
        self.report_date = report_date
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.deadline = deadline
        self.max_bytes = max_bytes
        self._coder: Any = None

    # ------------------------------------------------------------------ loop
    def run(self, interval: float = 600.0, once: bool = False) -> int:
        """Poll until interrupted (or one cycle with ``once``); returns the last cycle's failures."""
        failed = 0
        try:
            while True:
                started = time.monotonic()
                failed = self.cycle()
                if once:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
        except KeyboardInterrupt:
            self.log("watch: interrupted")
        return failed

    def cycle(self) -> int:
        """One poll of every feed; returns how many feeds and articles failed."""
        from .store import Store

        failed = coded = 0
        client = make_client()
        try:
            with Store(self.db) as store:
                store.con.execute(SEEN_SCHEMA)
                robots = Robots(client, self._fetch)
                for feed_url in self.feeds:
                    entries = self._feed_entries(feed_url, client)
                    if entries is None:
                        failed += 1
                        continue
                    for link, published in entries:
                        outcome = self._article(store, robots, client, feed_url, link, published)
                        if outcome == "coded":
                            coded += 1
                        elif outcome == "failed":
                            failed += 1
        finally:
            client.close()
        self.log(f"watch: cycle done: {coded} new article(s) coded, {failed} failure(s)")
        return failed

    # ------------------------------------------------------------------ parts
    def _fetch(self, url: str, client: Any, **kw: Any) -> Fetched:
        kw.setdefault("max_bytes", self.max_bytes)
        kw.setdefault("deadline", self.deadline)
        return fetch(url, client, **kw)

    def _feed_entries(self, feed_url: str, client: Any) -> list[tuple[str, date | None]] | None:
        import feedparser

        try:
            res = self._fetch(feed_url, client)
        except FetchError as exc:
            self.log(f"watch: feed {feed_url}: {exc.reason}")
            return None
        if res.status >= 400:
            self.log(f"watch: feed {feed_url}: HTTP {res.status}")
            return None
        parsed = feedparser.parse(res.body, response_headers={"content-location": res.url})
        if not parsed.entries:
            if parsed.get("bozo") or not parsed.get("version"):
                why = parsed.get("bozo_exception")
                detail = " ".join(str(why).split())[:120] if why else "no RSS or Atom found"
                self.log(f"watch: feed {feed_url}: not a feed ({detail})")
                return None
            return []
        out: list[tuple[str, date | None]] = []
        seen: set[str] = set()
        for e in parsed.entries:
            link = e.get("link") or next(
                (lk.get("href") for lk in e.get("links", []) if lk.get("rel", "alternate") == "alternate"), None
            )
            if not link:
                continue
            link = urljoin(res.url, link.strip()).split("#", 1)[0]
            if link in seen:
                continue
            seen.add(link)
            when = e.get("published_parsed") or e.get("updated_parsed")
            out.append((link, date(when.tm_year, when.tm_mon, when.tm_mday) if when else None))
        return out

    def _seen(self, store: Any, url: str, doc_id: str) -> tuple[bool, int]:
        """(already dealt with, tries so far)."""
        row = store.con.execute("SELECT status, tries FROM watch_seen WHERE url = ?", [url]).fetchone()
        if row and row[0] != "retry":
            return True, int(row[1] or 0)
        if store.con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone():
            # committed by a run that stopped before recording it: record it now, never code it again
            n = store.con.execute("SELECT n_events FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
            self._record(store, url, doc_id, "", "coded", None, int(row[1]) if row else 1, n[0] if n else None)
            return True, 0
        return False, int(row[1]) if row else 0

    def _record(
        self,
        store: Any,
        url: str,
        doc_id: str,
        feed: str,
        status: str,
        reason: str | None,
        tries: int,
        n_events: int | None = None,
    ) -> None:
        store.con.execute(
            "INSERT OR REPLACE INTO watch_seen VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [url, doc_id, feed, status, reason, tries, n_events, datetime.now(UTC).replace(tzinfo=None)],
        )

    def _article(self, store: Any, robots: Robots, client: Any, feed_url: str, url: str, published: date | None) -> str:
        """Fetch, code and store one article: 'coded', 'seen', 'failed' or 'retry'."""
        doc_id = watch_doc_id(url)
        done, tries = self._seen(store, url, doc_id)
        if done:
            return "seen"
        tries += 1

        def fail(reason: str, transient: bool) -> str:
            if transient and tries < MAX_TRIES:
                self._record(store, url, doc_id, feed_url, "retry", reason, tries)
                self.log(f"watch: {url}: {reason} (will retry)")
                return "retry"
            self._record(store, url, doc_id, feed_url, "failed", reason, tries)
            self.log(f"error: {url}: {reason}")
            return "failed"

        if urlsplit(url).scheme.lower() not in ("http", "https"):
            return fail(f"unsupported URL scheme {urlsplit(url).scheme!r} (only http/https)", False)
        try:
            if not robots.allowed(url):
                return fail("disallowed by robots.txt", False)
            res = self._fetch(url, client)
        except FetchError as exc:
            return fail(exc.reason, exc.transient)
        if res.status >= 400:
            return fail(f"HTTP {res.status}", res.status >= 500 or res.status == 429)
        try:
            doc = self._document(res, url, doc_id)
            events = self._code(doc, published)
        except DocumentError as exc:
            return fail(exc.reason, False)
        store.write_coded([(doc, events)])  # written (one transaction), then merged (another)
        self._record(store, url, doc_id, feed_url, "coded", None, tries, len(events))
        self.log(f"watch: coded {url} as {doc_id}: {len(events)} event(s)")
        return "coded"

    def _document(self, res: Fetched, url: str, doc_id: str) -> Document:
        from .ingest import iter_documents

        mime = res.content_type.split(";")[0].strip().lower()
        if mime and not (mime.startswith("text/") or mime in ("application/xhtml+xml", "application/octet-stream")):
            raise DocumentError(url, f"unsupported content type {mime!r}")
        stream = io.TextIOWrapper(io.BytesIO(res.body), encoding="utf-8", errors="strict")
        got = next(iter(iter_documents(["-"], stdin=stream, stdin_format="page")))
        if isinstance(got, DocumentError):
            raise DocumentError(url, got.reason)
        got.doc_id = doc_id
        got.origin = url
        got.url = res.url
        if got.source is None:
            got.source = urlsplit(res.url).hostname
        return got

    def _code(self, doc: Document, published: date | None) -> list[Any]:
        if self._coder is None:
            from .engine import shared_coder

            self._coder = shared_coder(self.index_path)
        return list(self._coder.code_document(doc, report_date=published or self.report_date))
