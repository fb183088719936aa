"""`warcoder watch`: feeds and pages from a local HTTP server on 127.0.0.1 only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from warcoder.watch import Fetched, FetchError, Robots, Watcher, fetch, make_client, parse_interval, watch_doc_id

ARTICLES = {
    "/a/mosul.txt": (
        "text/plain; charset=utf-8",
        "Mosul, March 5, 2017. Iraqi security forces clashed with Islamic State fighters in western Mosul on "
        "Saturday. Five soldiers were killed in the fighting near the Mosul airport, the army said.",
    ),
    "/a/marib.html": (
        "text/html; charset=utf-8",
        "<html><head><title>Missile strike on Marib</title></head><body><article>"
        "<h1>Missile strike on Marib</h1>"
        "<p>On 6 May 2020, Houthi forces fired a ballistic missile at Marib city, damaging a residential "
        "building. Two civilians were killed and four others were injured, local officials said.</p>"
        "<p>The Saudi-led coalition said it intercepted a second missile over the city later that day.</p>"
        "</article></body></html>",
    ),
    "/a/slow.txt": (
        "text/plain; charset=utf-8",
        "Kismayo, May 4, 2020. Al Shabaab militants attacked Jubaland security forces near Kismayo on Sunday. "
        "Two soldiers were killed in the clash, a local official said.",
    ),
    "/a/donbas.txt": (
        "text/plain; charset=utf-8",
        "Donetsk, May 3, 2020. Russian-backed separatists shelled Ukrainian army positions near Avdiivka on "
        "Saturday. One Ukrainian soldier was killed, the military said.",
    ),
    "/private/secret.txt": ("text/plain", "On 1 May 2020 gunmen killed two people in Kano."),
}


ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\nDisallow: /*/comments\nDisallow: /*.pdf$\n"


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>Wed, 06 May 2020 10:00:00 GMT</pubDate></item>"
        for link, t in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local wire</title>'
        f"<link>http://127.0.0.1/</link><description>test</description>{body}</channel></rss>"
    ).encode()


class State:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.slow_started = threading.Event()
        self.release = threading.Event()
        self.huge_sent = 0
        self.huge_done = threading.Event()
        self.base = ""


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            state.hits[path] += 1
            b = state.base
            if path == "/robots.txt":
                self.send(200, "text/plain", ROBOTS_TXT)
            elif path == "/feed.xml":
                items = [
                    (f"{b}/a/mosul.txt", "Mosul"),
                    ("/a/marib.html", "Marib (relative link)"),
                    (f"{b}/a/mosul.txt#comments", "Mosul again"),
                    (f"{b}/private/secret.txt", "Disallowed"),
                    (f"{b}/a/huge.txt", "Endless"),
                    (f"{b}/a/missing.txt", "Gone"),
                    ("ftp://127.0.0.1/a/file.txt", "Not http"),
                ]
                self.send(200, "application/rss+xml", rss(items))
            elif path == "/kill.xml":
                items = [(f"{b}/a/donbas.txt", "Donbas"), (f"{b}/a/slow.txt", "Slow"), (f"{b}/a/mosul.txt", "Mosul")]
                self.send(200, "application/rss+xml", rss(items))
            elif path == "/garbage.xml":
                self.send(200, "application/rss+xml", b"\x89PNG this is not <a feed at all \x00\x01")
            elif path == "/error.xml":
                self.send(500, "text/plain", b"internal error")
            elif path == "/a/huge.txt":
                self.huge()
            elif path == "/a/claims-huge.txt":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(6 * 1024**3))
                self.end_headers()
                self.wfile.write(b"x" * 1024)
            elif path.startswith("/redirect/"):
                n = int(path.rsplit("/", 1)[1])
                loc = f"{b}/redirect/{n - 1}" if n > 0 else f"{b}/a/mosul.txt"
                self.send(302, "text/plain", b"", {"Location": loc})
            elif path == "/to-ftp":
                self.send(302, "text/plain", b"", {"Location": "ftp://127.0.0.1/x"})
            elif path == "/a/drip.txt":  # a byte every 0.2 s, forever: each read is quick, the whole is not
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for _ in range(3000):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass
                self.close_connection = True
            elif path == "/a/slow.txt":
                state.slow_started.set()
                state.release.wait(60)
                ctype, text = ARTICLES[path]
                self.send(200, ctype, text.encode())
            elif path in ARTICLES:
                ctype, text = ARTICLES[path]
                self.send(200, ctype, text.encode())
            else:
                self.send(404, "text/plain", b"not found")

        def huge(self) -> None:
            """An endless body with no length: only the client can stop it."""
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"war " * 16384  # 64 KiB
            try:
                while state.huge_sent < 64 * 1024**3:  # a safety stop far beyond what a client should take
                    self.wfile.write(chunk)
                    state.huge_sent += len(chunk)
            except OSError:
                pass
            finally:
                state.huge_done.set()
                self.close_connection = True

    return Handler


@pytest.fixture()
def server() -> Iterator[tuple[str, State]]:
    state = State()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield state.base, state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()


def test_parse_interval() -> None:
    assert parse_interval("10m") == 600 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    assert parse_interval("45") == 45
    for bad in ("", "ten minutes", "0s", "-5m"):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_doc_ids_differ_per_url() -> None:
    a, b = watch_doc_id("http://x.org/news/index.html"), watch_doc_id("http://y.org/news/index.html")
    assert a != b and a.startswith("index-") and watch_doc_id("http://x.org/news/index.html") == a


def test_fetch_cuts_off_an_endless_body(server: tuple[str, State]) -> None:
    base, state = server
    cap = 1024 * 1024
    with make_client() as client:
        t0 = time.monotonic()
        with pytest.raises(FetchError, match="too large"):
            fetch(f"{base}/a/huge.txt", client, max_bytes=cap)
        assert time.monotonic() - t0 < 10
    assert state.huge_done.wait(15), "the server was still sending after the client gave up"
    # the client stopped reading at the cap; what is left is socket buffering, not gigabytes
    assert state.huge_sent < cap + 32 * 1024 * 1024
    with make_client() as client, pytest.raises(FetchError, match="too large"):
        fetch(f"{base}/a/claims-huge.txt", client, max_bytes=cap)


def test_fetch_redirects_and_schemes(server: tuple[str, State]) -> None:
    base, _ = server
    with make_client() as client:
        res = fetch(f"{base}/redirect/4", client)  # five redirects (4, 3, 2, 1, 0): allowed
        assert res.status == 200 and res.url.endswith("/a/mosul.txt") and b"Mosul" in res.body
        with pytest.raises(FetchError, match="too many redirects"):
            fetch(f"{base}/redirect/5", client)
        with pytest.raises(FetchError, match="scheme 'ftp'"):
            fetch(f"{base}/to-ftp", client)
        with pytest.raises(FetchError, match="scheme 'file'"):
            fetch("file:///etc/passwd", client)


def test_fetch_total_deadline(server: tuple[str, State]) -> None:
    base, state = server
    with make_client() as client:
        client.timeout = httpx.Timeout(1.0)
        t0 = time.monotonic()
        with pytest.raises(FetchError, match="timed out") as err:
            fetch(f"{base}/a/slow.txt", client)
        assert err.value.transient and time.monotonic() - t0 < 5
    state.release.set()
    with make_client() as client:
        t0 = time.monotonic()
        with pytest.raises(FetchError, match="timed out after 1.5 s"):
            fetch(f"{base}/a/drip.txt", client, deadline=1.5)
        assert time.monotonic() - t0 < 4


def test_robots_wildcards(server: tuple[str, State]) -> None:
    """``*`` and ``$`` in robots.txt rules are honoured (urllib.robotparser took them literally)."""
    base, state = server
    with make_client() as client:
        robots = Robots(client, fetch)
        assert not robots.allowed(f"{base}/private/secret.txt")
        assert not robots.allowed(f"{base}/news/comments")
        assert not robots.allowed(f"{base}/news/comments/12")
        assert robots.allowed(f"{base}/news/story")
        assert not robots.allowed(f"{base}/a/b.pdf")
        assert robots.allowed(f"{base}/a/b.pdf?x=1")  # '$' ends the whole path and query
        assert robots.allowed(f"{base}/a/b.pdfs")
    assert state.hits["/robots.txt"] == 1  # fetched once for the site


def test_robots_status_semantics() -> None:
    """401/403: nothing allowed; other 4xx or a permanent fetch failure: everything; 5xx/429/unreachable: retry."""

    def answering(status: int | FetchError) -> Robots:
        def fetcher(url: str, client: Any, **kw: Any) -> Fetched:
            assert url == "http://site.test/robots.txt" and kw["max_bytes"] == 512 * 1024
            if isinstance(status, FetchError):
                raise status
            return Fetched(url, status, "text/plain", b"User-agent: *\nDisallow: /\n")

        return Robots(None, fetcher)

    url = "http://site.test/a/page.html"
    assert not answering(200).allowed(url)
    assert not answering(401).allowed(url) and not answering(403).allowed(url)
    assert answering(404).allowed(url) and answering(410).allowed(url)
    assert answering(FetchError("too large")).allowed(url)
    for failure in (500, 503, 429, FetchError("unreachable", transient=True)):
        with pytest.raises(FetchError, match="robots.txt unavailable") as err:
            answering(failure).allowed(url)
        assert err.value.transient


def _seen(db: Path) -> dict[str, tuple[str, str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0]: (r[1], r[2]) for r in con.execute("SELECT url, status, reason FROM watch_seen").fetchall()}
    finally:
        con.close()


def test_one_cycle_codes_each_new_article_once(server: tuple[str, State], tmp_path: Path) -> None:
    base, state = server
    db = tmp_path / "watch.duckdb"
    logs: list[str] = []
    feeds = [f"{base}/garbage.xml", f"{base}/feed.xml", f"{base}/error.xml", "http://127.0.0.1:9/feed.xml"]
    w = Watcher(feeds, db, log=logs.append, max_bytes=1024 * 1024)
    failed = w.cycle()
    text = "\n".join(logs)
    # the bad feeds: one line each, and the cycle went on
    assert sum(1 for ln in logs if "garbage.xml" in ln) == 1 and "not a feed" in text
    assert sum(1 for ln in logs if "error.xml" in ln) == 1 and "error.xml: HTTP 500" in text
    assert sum(1 for ln in logs if "127.0.0.1:9/" in ln) == 1 and "unreachable" in text
    seen = _seen(db)
    assert seen[f"{base}/a/mosul.txt"][0] == "coded" and seen[f"{base}/a/marib.html"][0] == "coded"
    assert seen[f"{base}/private/secret.txt"] == ("failed", "disallowed by robots.txt")
    assert seen[f"{base}/a/huge.txt"][0] == "failed" and "too large" in (seen[f"{base}/a/huge.txt"][1] or "")
    assert seen[f"{base}/a/missing.txt"] == ("failed", "HTTP 404")
    assert seen["ftp://127.0.0.1/a/file.txt"][0] == "failed"
    assert state.hits["/private/secret.txt"] == 0  # robots.txt honoured: never fetched
    assert state.hits["/a/mosul.txt"] == 1  # the '#comments' duplicate is the same article
    assert failed == 3 + 4
    con = duckdb.connect(str(db), read_only=True)
    docs = dict(con.execute("SELECT url, n_events FROM documents").fetchall())
    assert set(docs) == {f"{base}/a/mosul.txt", f"{base}/a/marib.html"}
    assert all(n >= 1 for n in docs.values())
    marib = con.execute(
        "SELECT e.location, e.event_date FROM events e JOIN documents d USING (doc_id) WHERE d.url LIKE '%marib%'"
    ).fetchall()
    assert ("Marib", "2020-05-06") in [(loc, str(d)) for loc, d in marib]
    con.close()

    # the next cycle codes nothing again and fetches no article twice
    hits = Counter(state.hits)
    logs.clear()
    w.cycle()
    assert "0 new article(s) coded" in logs[-1]
    for path in ("/a/mosul.txt", "/a/marib.html", "/a/missing.txt", "/a/huge.txt"):
        assert state.hits[path] == hits[path], path


def test_committed_but_unrecorded_article_is_not_coded_again(server: tuple[str, State], tmp_path: Path) -> None:
    """A crash between the document's commit and its watch_seen row must not re-code it."""
    base, state = server
    db = tmp_path / "watch.duckdb"
    w = Watcher([f"{base}/feed.xml"], db, log=lambda _m: None, max_bytes=1024 * 1024)
    w.cycle()
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM watch_seen WHERE url LIKE '%mosul%'")
    before = con.execute("SELECT coded_at FROM documents WHERE url LIKE '%mosul%'").fetchall()
    con.close()
    w.cycle()
    assert state.hits["/a/mosul.txt"] == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT coded_at FROM documents WHERE url LIKE '%mosul%'").fetchall() == before
    assert con.execute("SELECT status FROM watch_seen WHERE url LIKE '%mosul%'").fetchall() == [("coded",)]
    con.close()


def _watch(db: Path, feed: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "warcoder.cli", "watch", feed, "--once", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_mid_cycle_then_restarted(server: tuple[str, State], tmp_path: Path) -> None:
    base, state = server
    db = tmp_path / "watch.duckdb"
    feed = f"{base}/kill.xml"
    proc = _watch(db, feed, tmp_path)
    try:
        assert state.slow_started.wait(180), "the watcher never reached the slow page"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT doc_id, url, coded_at FROM documents").fetchall()
    con.close()
    assert [r[1] for r in before] == [f"{base}/a/donbas.txt"]  # committed before the kill

    state.release.set()
    proc = _watch(db, feed, tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "2 new article(s) coded" in err

    con = duckdb.connect(str(db), read_only=True)
    docs = con.execute("SELECT doc_id, url, coded_at FROM documents ORDER BY url").fetchall()
    assert sorted(r[1] for r in docs) == sorted(f"{base}{p}" for p in ("/a/donbas.txt", "/a/slow.txt", "/a/mosul.txt"))
    assert [r for r in docs if r[1].endswith("donbas.txt")] == before  # not coded a second time
    seen = con.execute("SELECT url, status FROM watch_seen ORDER BY url").fetchall()
    assert len(seen) == 3 and all(s == "coded" for _, s in seen)
    dup = con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone()
    assert dup == (0,)
    assert con.execute("SELECT count(DISTINCT doc_id) FROM events").fetchone() == (3,)
    con.close()
    assert state.hits["/a/donbas.txt"] == 1 and state.hits["/a/slow.txt"] == 2

    proc = _watch(db, feed, tmp_path)  # a third run: nothing new
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "0 new article(s) coded" in err
    assert state.hits["/a/donbas.txt"] == 1 and state.hits["/a/mosul.txt"] == 1
