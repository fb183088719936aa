"""Benchmark the web API and page on a large synthetic store.  Prints figures; asserts nothing.

    python bench/serve.py [--events 100000] [--requests 200] [--markers 50000] [--no-browser]

1. Builds a store with N synthetic events (generated in DuckDB with SQL: a few seconds).
2. Measures GET /api/events latency (p50/p95/max) for filtered pages of 500 events, in-process
   through the ASGI app (httpx transport, no network), for a mix of filters.
3. Starts `warcoder serve` and, when /usr/bin/chromium and playwright are present, loads the page
   filtered to about --markers events and times: first load to markers-ready, a zoom, a pan and a
   brush of the timeline.  All markers go into a cluster layer (Leaflet.markercluster, chunked
   loading), so the DOM holds only the clusters and markers in view.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warcoder.store import SCHEMA  # noqa: E402

TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Arrests", "Looting/property destruction", "Other"],
}
COUNTRIES = [  # name, admin1 names, centre lat, lon, spread
    ("Syria", ["Aleppo", "Idlib", "Deir ez-Zor", "Homs", "Damascus"], 35.0, 38.5, 2.0),
    ("Iraq", ["Ninawa", "Anbar", "Baghdad", "Salah ad Din"], 33.5, 43.5, 2.0),
    ("Ukraine", ["Donetsk", "Luhansk", "Kharkiv", "Kherson"], 48.3, 37.0, 1.5),
    ("Yemen", ["Marib", "Taizz", "Al Hudaydah", "Sanaa"], 15.3, 44.5, 1.5),
    ("Nigeria", ["Borno", "Kaduna", "Zamfara"], 11.0, 9.0, 2.5),
    ("Mexico", ["Guerrero", "Michoacan", "Sinaloa"], 20.5, -101.0, 3.0),
]
ACTORS = [
    "Military Forces of Syria (2000-)",
    "Islamic State (Syria)",
    "Military Forces of Iraq (2018-)",
    "Military Forces of Russia (2000-)",
    "Military Forces of Ukraine (2019-)",
    "Houthi Movement",
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    "Unidentified Armed Group",
    "Civilians",
    "Protesters",
]


def build_store(path: Path, n: int) -> float:
    """N events (and one evidence span each, over 1 document per 20 events) generated in SQL."""
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    con.execute(
        "CREATE TEMP TABLE ty AS SELECT * FROM (VALUES "
        + ", ".join(
            f"({i}, '{t}', '{s}')" for i, (t, s) in enumerate((t, s) for t, subs in TYPES.items() for s in subs)
        )
        + ") AS v(i, t, s)"
    )
    con.execute(
        "CREATE TEMP TABLE co AS SELECT * FROM (VALUES "
        + ", ".join(
            f"({i}, '{c}', {admins!r}, {lat}, {lon}, {sp})" for i, (c, admins, lat, lon, sp) in enumerate(COUNTRIES)
        )
        + ") AS v(i, c, admins, lat, lon, sp)"
    )
    con.execute(
        "CREATE TEMP TABLE ac AS SELECT * FROM (VALUES "
        + ", ".join(f"({i}, '{a}')" for i, a in enumerate(ACTORS))
        + ") AS v(i, a)"
    )
    nt = sum(len(s) for s in TYPES.values())
    con.execute(
        f"""
        INSERT INTO events
        SELECT 'bench-' || lpad(g::VARCHAR, 7, '0') AS event_id,
               'doc-' || (g // 20) AS doc_id,
               DATE '2017-01-01' + CAST(hash(g, 1) % 1460 AS INTEGER) AS event_date,
               1, ty.t, ty.s, a1.a, '', 1, a2.a, '', 2, co.c,
               co.admins[1 + CAST(hash(g, 4) % len(co.admins) AS INTEGER)],
               'District ' || (hash(g, 5) % 40), 'Place ' || (hash(g, 6) % 5000),
               co.lat + co.sp * ((hash(g, 7) % 10000) / 5000.0 - 1),
               co.lon + co.sp * ((hash(g, 8) % 10000) / 5000.0 - 1),
               1, CAST(hash(g, 9) % 12 AS INTEGER) * CAST(hash(g, 10) % 2 AS INTEGER),
               'On that day, ' || a1.a || ' clashed with ' || a2.a || ' near Place ' || (hash(g, 6) % 5000) || '.',
               'Bench wire', '', hash(g, 11) % 5 = 0, 0.7
        FROM range({n}) r(g)
        JOIN ty ON ty.i = hash(g, 2) % {nt}
        JOIN co ON co.i = hash(g, 3) % {len(COUNTRIES)}
        JOIN ac a1 ON a1.i = hash(g, 12) % {len(ACTORS)}
        JOIN ac a2 ON a2.i = hash(g, 13) % {len(ACTORS)}
        """
    )
    con.execute(
        "INSERT INTO evidence SELECT event_id, doc_id, 0, 0, 80, "
        "'Reportedly, fighting was heard near ' || location || ' as ' || actor1 || ' advanced.' FROM events"
    )
    con.execute(
        "INSERT INTO documents (doc_id, source, title, report_date, text, body_start, body_end, n_events) "
        "SELECT doc_id, 'Bench wire', 'Synthetic report ' || doc_id, max(event_date), "
        "string_agg(notes, '\n\n'), 0, 0, count(*) FROM events GROUP BY doc_id"
    )
    con.close()
    return time.perf_counter() - t0


async def latency(db: Path, requests: int) -> None:
    from warcoder.web import create_app

    app = create_app(db)
    rnd = random.Random(7)
    countries = [c[0] for c in COUNTRIES]
    types = list(TYPES)

    def params() -> tuple[str, dict[str, object]]:
        kind = rnd.choice(["page", "date", "country+type", "bbox", "actor", "q", "geojson"])
        p: dict[str, object] = {"limit": 500, "offset": rnd.randrange(0, 5000, 500)}
        if kind == "date":
            m = rnd.randrange(1, 13)
            p.update(start=f"2018-{m:02d}-01", end=f"2018-{m:02d}-28", offset=0)
        elif kind == "country+type":
            p.update(country=rnd.choice(countries), event_type=rnd.choice(types), offset=0)
        elif kind == "bbox":
            p.update(bbox="36,33,40,37", offset=0)
        elif kind == "actor":
            p.update(actor="islamic", offset=0)
        elif kind == "q":
            p.update(q="place 12", offset=0)
        elif kind == "geojson":
            p.update(format="geojson", country=rnd.choice(countries), offset=0)
        return kind, p

    times: dict[str, list[float]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.get("/api/events", params={"limit": 500})  # warm up
        for _ in range(requests):
            kind, p = params()
            t0 = time.perf_counter()
            r = await client.get("/api/events", params=p)
            dt = (time.perf_counter() - t0) * 1000
            assert r.status_code == 200, r.text
            times.setdefault(kind, []).append(dt)
            times.setdefault("ALL", []).append(dt)
        t0 = time.perf_counter()
        r = await client.get("/api/stats")
        stats_ms = (time.perf_counter() - t0) * 1000
    app.state.db.close()
    print(f"\nGET /api/events, pages of 500, {requests} requests (in-process ASGI, ms):")
    print(f"  {'filter':<14}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}")
    for kind in sorted(times, key=lambda k: (k == "ALL", k)):
        xs = sorted(times[kind])
        p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
        print(f"  {kind:<14}{len(xs):>5}{statistics.median(xs):>9.1f}{p95:>9.1f}{xs[-1]:>9.1f}")
    print(f"GET /api/stats over every event: {stats_ms:.0f} ms")


def page_timing(db: Path, markers: int) -> None:
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("\npage: playwright is not installed; skipped")
        return
    if not chromium.exists():
        print("\npage: /usr/bin/chromium is not installed; skipped")
        return
    con = duckdb.connect(str(db), read_only=True)
    days = con.execute("SELECT count(DISTINCT event_date), count(*) FROM events").fetchone()
    con.close()
    assert days
    # a date range holding about `markers` events
    span = max(1, int(days[0] * markers / days[1]))
    start, end = (
        "2017-01-01",
        (__import__("datetime").date(2017, 1, 1) + __import__("datetime").timedelta(days=span - 1)).isoformat(),
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "warcoder.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/config", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(chromium),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            ctx = browser.new_context(viewport={"width": 1440, "height": 860}, bypass_csp=True)
            pg = ctx.new_page()
            t0 = time.perf_counter()
            pg.goto(base + "/")
            pg.wait_for_selector("body[data-ready=true]", timeout=120_000)
            t_all = time.perf_counter() - t0
            n_all = pg.evaluate("window.warcoder.markerCount()")
            t0 = time.perf_counter()
            pg.evaluate(f"window.warcoder.setBrush(['{start}', '{end}'])")
            pg.wait_for_function("document.body.dataset.busy === 'false'", timeout=120_000)
            t_brush = time.perf_counter() - t0
            n_brush = pg.evaluate("window.warcoder.markerCount()")
            dom = pg.locator("#map .wc-marker").count()

            def timed(js: str) -> float:
                t = time.perf_counter()
                pg.evaluate(f"() => {{ {js}; }}")  # return nothing: a Leaflet map is slow to serialise
                pg.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                return (time.perf_counter() - t) * 1000

            zoom = timed("window.warcoder.map.setZoom(window.warcoder.map.getZoom() + 1, {animate: false})")
            pan = timed("window.warcoder.map.panBy([200, 120], {animate: false})")
            lag = pg.evaluate(
                """() => new Promise(res => { const t = performance.now();
                   setTimeout(() => res(performance.now() - t), 0); })"""
            )
            browser.close()
        print("\npage (headless Chromium, 2 cores), markers clustered with Leaflet.markercluster:")
        print(f"  first load, all {n_all} events on the map: {t_all:.1f} s")
        print(f"  brush {start}..{end} -> {n_brush} markers: {t_brush:.1f} s (fetch + cluster)")
        print(f"  DOM elements for markers/clusters in view: {dom}")
        print(f"  zoom in one level: {zoom:.0f} ms; pan: {pan:.0f} ms; event-loop lag after: {lag:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--markers", type=int, default=50_000)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        dt = build_store(db, args.events)
        print(f"store: {args.events} synthetic events built in {dt:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")
        asyncio.run(latency(db, args.requests))
        if not args.no_browser:
            page_timing(db, args.markers)


if __name__ == "__main__":
    main()
