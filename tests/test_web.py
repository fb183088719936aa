"""The HTTP API (warcoder.web) over a store coded from samples/reports plus a report carrying
HTML/script payloads: every parameter, the 422s, GeoJSON/CSV, auth and limits on POST."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warcoder.model import ACLED_COLUMNS, EXTRA_COLUMNS

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from warcoder.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "reports"

XSS_TEXT = """Mosul update <img src=x onerror="window.__xss=1">
January 15, 2019

On January 14, Iraqi forces clashed with Islamic State fighters in Mosul <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script> killing 3 militants.
"""
XSS_DOC = "xss_report_2019-01-15"
TOKEN = "s3cret-token"


def build_store(dest: Path) -> Path:
    """Code samples/reports plus the payload report into a fresh store with the CLI; returns the db path."""
    extra = dest / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    (extra / f"{XSS_DOC}.txt").write_text(XSS_TEXT, encoding="utf-8")
    db = dest / "web.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "warcoder.cli", "code", str(SAMPLES), str(extra), "--db", str(db)]
        + ["--out", str(dest / "events.jsonl"), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("webstore"))


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    app = create_app(web_db)
    with TestClient(app) as c:
        yield c
    app.state.db.close()


@pytest.fixture(scope="module")
def all_events(web_db: Path) -> list[dict[str, Any]]:
    """Every event straight from DuckDB, with its evidence texts: the oracle for the filters."""
    con = duckdb.connect(str(web_db), read_only=True)
    cur = con.execute("SELECT * FROM events ORDER BY event_date, event_id")
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        r["event_date"] = r["event_date"].isoformat()
        r["evidence_text"] = [
            t
            for (t,) in con.execute(
                "SELECT text FROM evidence WHERE event_id = ? ORDER BY seq", [r["event_id"]]
            ).fetchall()
        ]
    con.close()
    assert len(rows) >= 10
    return rows


def ids(resp_json: dict[str, Any]) -> list[str]:
    return [e["event_id"] for e in resp_json["events"]]


def get(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# --------------------------------------------------------------------------- GET /api/events


def test_events_default_page(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    body = get(client, "/api/events")
    assert body["total"] == len(all_events)
    assert body["limit"] == 500 and body["offset"] == 0
    assert ids(body) == [e["event_id"] for e in all_events]  # ordered by date, then id
    first = body["events"][0]
    assert set(first) >= {"event_id", "event_date", "event_type", "actor1", "latitude", "evidence", "hedged"}
    by_id = {e["event_id"]: e for e in all_events}
    for ev in body["events"]:
        assert [s["text"] for s in ev["evidence"]] == by_id[ev["event_id"]]["evidence_text"]


def test_date_range(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    body = get(client, "/api/events", start="2017-10-19", end="2017-10-20")
    want = [e["event_id"] for e in all_events if "2017-10-19" <= e["event_date"] <= "2017-10-20"]
    assert want and ids(body) == want and body["total"] == len(want)
    one_day = get(client, "/api/events", start="2017-10-19", end="2017-10-19")
    assert one_day["total"] == sum(e["event_date"] == "2017-10-19" for e in all_events) == 2
    assert get(client, "/api/events", start="2020-05-05")["total"] == sum(
        e["event_date"] >= "2020-05-05" for e in all_events
    )
    assert get(client, "/api/events", end="2017-03-04")["total"] == 3


def test_bbox(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    body = get(client, "/api/events", bbox="35.5,32,42.5,37.5")  # Syria
    want = [e["event_id"] for e in all_events if 32 <= e["latitude"] <= 37.5 and 35.5 <= e["longitude"] <= 42.5]
    assert want and ids(body) == want
    # west > east crosses the antimeridian: from 170 E eastwards to 90 W takes in Mexico only
    across = get(client, "/api/events", bbox="170,-90,-90,90")
    assert across["total"] >= 1
    assert all(e["country"] == "Mexico" for e in across["events"])


def test_country_admin1(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    syria = [e["event_id"] for e in all_events if e["country"] == "Syria"]
    assert ids(get(client, "/api/events", country="syria")) == syria  # case-insensitive
    r = client.get("/api/events", params=[("country", "Syria"), ("country", "Iraq")])
    assert ids(r.json()) == [e["event_id"] for e in all_events if e["country"] in ("Syria", "Iraq")]
    admin1 = next(e["admin1"] for e in all_events if e["country"] == "Ukraine")
    assert ids(get(client, "/api/events", admin1=admin1)) == [
        e["event_id"] for e in all_events if e["admin1"] == admin1
    ]


def test_actor_substring(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    def has(e: dict[str, Any], s: str) -> bool:
        return any(s in (e[k] or "").lower() for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))

    body = get(client, "/api/events", actor="islamic STATE")
    want = [e["event_id"] for e in all_events if has(e, "islamic state")]
    assert want and ids(body) == want
    # an associated actor only
    nd = get(client, "/api/events", actor="national defense")
    assert nd["total"] >= 1 and all("National Defense" in e["assoc_actor_1"] for e in nd["events"])


def test_event_types(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    body = get(client, "/api/events", event_type="Battles")
    assert ids(body) == [e["event_id"] for e in all_events if e["event_type"] == "Battles"]
    r = client.get("/api/events", params=[("event_type", "Battles"), ("event_type", "Protests")])
    assert ids(r.json()) == [e["event_id"] for e in all_events if e["event_type"] in ("Battles", "Protests")]
    sub = get(client, "/api/events", sub_event_type="Air/drone strike")
    assert sub["total"] >= 1 and ids(sub) == [
        e["event_id"] for e in all_events if e["sub_event_type"] == "Air/drone strike"
    ]


def test_full_text(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    # "car bomb" is only in the evidence sentence; the note says "explosive device"
    body = get(client, "/api/events", q="Car Bomb")
    assert [e["location"] for e in body["events"]] == ["Tikrit"]
    assert "car bomb" not in body["events"][0]["notes"].lower()
    assert get(client, "/api/events", q="car zzznotthere")["total"] == 0  # every word must match
    assert get(client, "/api/events", q="Mayadin")["total"] >= 1  # location
    assert get(client, "/api/events", q="houthi")["total"] == 1  # actor/notes
    assert get(client, "/api/events", q="100%")["total"] == 0  # no LIKE wildcards


def test_filters_combine(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    body = get(client, "/api/events", country="Syria", event_type="Battles", start="2017-10-19", end="2017-10-19")
    want = [
        e["event_id"]
        for e in all_events
        if e["country"] == "Syria" and e["event_type"] == "Battles" and e["event_date"] == "2017-10-19"
    ]
    assert want and ids(body) == want


def test_limit_offset(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    pages = [get(client, "/api/events", limit=4, offset=o) for o in range(0, len(all_events) + 4, 4)]
    assert all(len(p["events"]) <= 4 for p in pages)
    assert [i for p in pages for i in ids(p)] == [e["event_id"] for e in all_events]
    assert get(client, "/api/events", offset=10_000)["events"] == []


def test_fields(client: TestClient) -> None:
    body = get(client, "/api/events", fields="event_date,latitude", limit=3)
    assert all(set(e) == {"event_id", "event_date", "latitude"} for e in body["events"])
    body = get(client, "/api/events", fields="event_id,evidence", limit=3)
    assert all(set(e) == {"event_id", "evidence"} and e["evidence"] for e in body["events"])


def test_geojson(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    for r in (
        client.get("/api/events", params={"format": "geojson", "country": "Syria"}),
        client.get("/api/events", params={"country": "Syria"}, headers={"Accept": "application/geo+json"}),
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/geo+json")
        fc = r.json()
        assert fc["type"] == "FeatureCollection"
        syria = [e for e in all_events if e["country"] == "Syria"]
        assert [f["id"] for f in fc["features"]] == [e["event_id"] for e in syria]
        f = fc["features"][0]
        assert f["geometry"] == {"type": "Point", "coordinates": [syria[0]["longitude"], syria[0]["latitude"]]}
        assert f["properties"]["evidence"][0]["text"] == syria[0]["evidence_text"][0]
    assert len(get(client, "/api/events", format="geojson", limit=2)["features"]) == 2


def test_parquet_and_geopackage_downloads(client: TestClient, all_events: list[dict[str, Any]], tmp_path: Path) -> None:
    """The whole-file formats of the one registry, filtered like the others and typed like ``export``'s."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    r = client.get("/api/events", params={"format": "parquet", "country": "Syria"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.parquet"
    assert 'filename="warcoder-events.parquet"' in r.headers["content-disposition"]
    t = pq.read_table(pa.BufferReader(r.content))
    syria = [e for e in all_events if e["country"] == "Syria"]
    assert t.column("event_id").to_pylist() == [e["event_id"] for e in syria]
    assert t.schema.field("event_date").type == pa.date32() and b"geo" in t.schema.metadata
    pyogrio = pytest.importorskip("pyogrio")
    r = client.get("/api/events", params={"format": "gpkg", "limit": 2})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geopackage+sqlite3"
    (tmp_path / "e.gpkg").write_bytes(r.content)
    info = pyogrio.read_info(tmp_path / "e.gpkg", layer="events")
    assert info["features"] == 2 and info["crs"] == "EPSG:4326"


def test_csv(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    for r in (
        client.get("/api/events", params={"format": "csv"}),
        client.get("/api/events", headers={"Accept": "text/csv"}),
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ACLED_COLUMNS + EXTRA_COLUMNS  # ACLED's columns first, in ACLED's order
        recs = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        assert [x["event_id_cnty"] for x in recs] == [e["event_id"] for e in all_events]
        assert recs[0]["year"] == all_events[0]["event_date"][:4]
        assert json.loads(recs[0]["evidence"])[0]["text"] == all_events[0]["evidence_text"][0]
    day = client.get("/api/events", params={"format": "csv", "start": "2017-10-19", "end": "2017-10-19"})
    assert len(list(csv.DictReader(io.StringIO(day.text)))) == 2


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("start=2017-13-01", "start"),
        ("start=2017-02-30", "start"),
        ("start=yesterday", "start"),
        ("end=2017-1-1", "end"),
        ("start=2017-10-20&end=2017-10-19", "start"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=0,50,10,40", "bbox"),
        ("bbox=0,0,200,10", "bbox"),
        ("bbox=0,-91,10,10", "bbox"),
        ("bbox=nan,0,10,10", "bbox"),
        ("limit=0", "limit"),
        ("limit=100001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("event_type=Skirmish", "event_type"),
        ("sub_event_type=Battles", "sub_event_type"),
        ("format=xml", "format"),
        ("fields=event_id,password", "fields"),
        ("fields=event_id&format=csv", "fields"),
        ("q=" + "x" * 201, "q"),
        ("actor=" + "y" * 201, "actor"),
        ("country=%00", "country"),
        ("admin1=a%0Ab", "admin1"),
    ],
)
def test_invalid_parameters_are_422(client: TestClient, query: str, param: str) -> None:
    for path in ("/api/events", "/api/stats"):
        if path == "/api/stats" and param in ("limit", "offset", "format", "fields"):
            continue
        r = client.get(f"{path}?{query}")
        assert r.status_code == 422, (path, query, r.text)
        body = r.json()
        assert param in body["detail"]
        assert any(e["param"].split(".")[0] == param for e in body["errors"])
        assert "Traceback" not in r.text


def test_stats_bad_top(client: TestClient) -> None:
    assert client.get("/api/stats?top=0").status_code == 422
    assert client.get("/api/stats?top=501").status_code == 422


# --------------------------------------------------------------------------- GET /api/events/{id}


def test_event_detail(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    ev = next(e for e in all_events if e["location"] == "Al Mayadin")
    d = get(client, f"/api/events/{ev['event_id']}")
    assert d["event"]["event_id"] == ev["event_id"]
    assert [s["text"] for s in d["event"]["evidence"]] == ev["evidence_text"]
    assert d["document"]["doc_id"] == ev["doc_id"] and d["document"]["title"].startswith("Syria Front Report")
    marked = [c["text"][h["start"] : h["end"]] for c in d["context"] for h in c["highlights"]]
    assert marked == ev["evidence_text"]
    ctx = d["context"][0]["text"]
    assert ev["evidence_text"][0] in ctx and "\n\n" not in ctx  # the paragraph, not the whole document
    assert client.get("/api/events/wc-doesnotexist").status_code == 404


def test_event_detail_shows_corroboration(tmp_path: Path) -> None:
    """Two outlets' reports of one happening: each report's detail names the other and counts 2 sources."""
    docs = tmp_path / "two.jsonl"
    reports = [
        ("r1", "Reuters", "On 4 May 2020, gunmen killed five villagers in Kadisau, Zamfara state, police said."),
        ("r2", "Premium Times", "Five villagers were shot dead by gunmen in Kadisau in Zamfara on 4 May 2020."),
    ]
    docs.write_text(
        "".join(
            json.dumps({"id": i, "source": src, "text": t, "published": "2020-05-05"}) + "\n" for i, src, t in reports
        )
    )
    db = tmp_path / "two.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "warcoder.cli", "code", str(docs), "--db", str(db), "-q"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    app = create_app(db)
    with TestClient(app) as c:
        evs = get(c, "/api/events")["events"]
        assert len(evs) == 2
        d = get(c, f"/api/events/{evs[0]['event_id']}")
        co = d["corroboration"]
        assert co["sources"] == 2 and co["corroboration"].startswith("multiple")
        assert [r["event_id"] for r in co["other_reports"]] == [evs[1]["event_id"]]
    app.state.db.close()


def test_event_detail_html_document(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    """Extracted HTML is one block of lines: the context is the line(s) holding the evidence."""
    ev = next(e for e in all_events if e["doc_id"] == "iraq_mosul_2017-03-05")
    d = get(client, f"/api/events/{ev['event_id']}")
    for c in d["context"]:
        for h in c["highlights"]:
            assert c["text"][h["start"] : h["end"]] in ev["evidence_text"]


# --------------------------------------------------------------------------- GET /api/stats


def test_stats(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    s = get(client, "/api/stats")
    assert s["total"] == len(all_events)
    assert s["fatalities"] == sum(e["fatalities"] for e in all_events)
    assert sum(d["count"] for d in s["by_day"]) == len(all_events)
    assert sum(w["count"] for w in s["by_week"]) == len(all_events)
    assert {w["week"] for w in s["by_week"]} >= {"2017-10-16", "2017-02-27"}  # ISO weeks start on Monday
    assert {d["date"]: d["count"] for d in s["by_day"]}["2017-10-19"] == 2
    types = {t["event_type"]: t["count"] for t in s["by_event_type"]}
    assert types["Battles"] == sum(e["event_type"] == "Battles" for e in all_events)
    actors = {a["actor"]: a["count"] for a in s["by_actor"]}
    assert actors["Islamic State (Syria)"] == sum(
        "Islamic State (Syria)" in (e["actor1"], e["actor2"]) for e in all_events
    )
    assert sum(c["count"] for c in s["by_country"]) == len(all_events)
    assert any(a["admin1"] == "Deir ez-Zor" for a in s["by_admin1"])
    syr = get(client, "/api/stats", country="Syria", start="2017-10-19", end="2017-10-19")
    assert syr["total"] == 2 and [d["date"] for d in syr["by_day"]] == ["2017-10-19"]
    assert [c["country"] for c in syr["by_country"]] == ["Syria"]
    assert len(get(client, "/api/stats", top=1)["by_actor"]) == 1


# --------------------------------------------------------------------------- page, schema, headers


def test_page_and_assets(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "http" not in csp  # no CDN, no tiles by default
    assert "//" not in r.text.replace("http://www.w3.org", "")  # no absolute URL in the page
    for asset in (
        "/static/app.js",
        "/static/app.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/markercluster/leaflet.markercluster.js",
        "/static/vendor/topojson/topojson-client.min.js",
        "/static/vendor/world-atlas/countries-50m.json",
    ):
        assert client.get(asset).status_code == 200, asset
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js.replace("innerHTML; // escaped text", "")
    assert client.get("/static/../app.py").status_code == 404


def test_openapi(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/stats", "/api/documents"} <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params >= {"start", "end", "bbox", "country", "admin1", "actor", "event_type", "sub_event_type", "q"}
    assert params >= {"limit", "offset", "format"}
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_no_cors_unless_configured(client: TestClient, web_db: Path) -> None:
    r = client.get("/api/stats", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in r.headers
    app = create_app(web_db, cors_origins=["https://ok.example"])
    with TestClient(app) as c:
        ok = c.get("/api/stats", headers={"Origin": "https://ok.example"})
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        other = c.get("/api/stats", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    app.state.db.close()


def test_trusted_hosts(web_db: Path) -> None:
    app = create_app(web_db, trusted_hosts=["localhost", "127.0.0.1"])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "rebind.evil.example"}).status_code == 400
    app.state.db.close()


def test_store_is_read_only(client: TestClient) -> None:
    con = client.app.state.db.con  # type: ignore[attr-defined]
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM events")


def test_internal_errors_hide_details(web_db: Path) -> None:
    app = create_app(web_db)

    def boom() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.state.db.cursor = boom
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/stats")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error"}
    assert "secret" not in r.text and "Traceback" not in r.text


# --------------------------------------------------------------------------- POST /api/documents


@pytest.fixture()
def ingest_client(web_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "rw.duckdb"
    shutil.copy(web_db, db)
    app = create_app(db, allow_ingest=True, token=TOKEN, max_body=20_000)
    with TestClient(app) as c:
        yield c
    app.state.db.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_ingest_off_by_default(client: TestClient) -> None:
    r = client.post("/api/documents", json={"text": "On May 2, 2020, protesters marched in Kyiv."}, headers=AUTH)
    assert r.status_code == 403 and "disabled" in r.json()["detail"]


def test_ingest_needs_token(ingest_client: TestClient, web_db: Path) -> None:
    body = {"text": "On May 2, 2020, protesters marched in Kyiv."}
    r = ingest_client.post("/api/documents", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = ingest_client.post("/api/documents", json=body, headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert r.status_code == 401
    r = ingest_client.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    with pytest.raises(ValueError):
        create_app(web_db, allow_ingest=True, token=None)


def test_ingest_size_limit(ingest_client: TestClient) -> None:
    big = {"text": "On May 2, 2020, shelling hit Donetsk. " * 1000}
    r = ingest_client.post("/api/documents", json=big, headers=AUTH)
    assert r.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    r = ingest_client.post("/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"{}",
        b'{"text": "a", "html": "<p>b</p>"}',
        b'{"text": "On May 2, 2020, clashes in Donetsk.", "published": "2020-02-31"}',
        b'{"text": "On May 2, 2020, clashes in Donetsk.", "unknown": 1}',
        b'{"url": "file:///etc/passwd"}',
        b'{"url": "http://exa\\u001fmple.org/"}',
        b'{"text": "   "}',
    ],
)
def test_ingest_invalid_bodies(ingest_client: TestClient, body: bytes) -> None:
    r = ingest_client.post("/api/documents", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"] and "Traceback" not in r.text


def test_ingest_wrong_content_type(ingest_client: TestClient) -> None:
    r = ingest_client.post("/api/documents", content=b"text=hi", headers={**AUTH, "Content-Type": "text/plain"})
    assert r.status_code == 415


def test_ingest_codes_and_stores_xss_as_plain_text(ingest_client: TestClient) -> None:
    text = XSS_TEXT.replace("January 14", "January 13")
    r = ingest_client.post(
        "/api/documents", json={"text": text, "id": "posted-xss", "source_url": "javascript:alert(1)"}, headers=AUTH
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["doc_id"] == "posted-xss" and out["report_date"] == "2019-01-15"
    ev = next(e for e in out["events"] if e["event_date"] == "2019-01-13")
    assert ev["event_type"] == "Battles" and ev["country"] == "Iraq"
    assert "<script>window.__xss=2</script>" in ev["evidence"][0]["text"]
    # stored, then served back as JSON strings (never as HTML)
    found = ingest_client.get("/api/events", params={"q": "onerror", "start": "2019-01-13", "end": "2019-01-13"})
    assert found.headers["content-type"] == "application/json"
    assert found.json()["total"] == 1
    d = ingest_client.get(f"/api/events/{ev['event_id']}")
    assert d.headers["content-type"] == "application/json"
    ctx = d.json()["context"][0]
    assert '<img src=x onerror="window.__xss=1">' in ctx["text"]
    assert d.json()["event"]["evidence"][0]["text"] == ev["evidence"][0]["text"]  # byte for byte, unescaped
    assert json.loads(d.text)["document"]["doc_id"] == "posted-xss"
    # re-posting the same id replaces the rows instead of duplicating them
    again = ingest_client.post("/api/documents", json={"text": text, "id": "posted-xss"}, headers=AUTH)
    assert again.status_code == 201
    day = {"q": "onerror", "start": "2019-01-13", "end": "2019-01-13"}
    assert ingest_client.get("/api/events", params=day).json()["total"] == 1


def test_ingest_html(ingest_client: TestClient) -> None:
    html = (
        "<html><head><title>Report</title></head><body><article><h1>Donetsk report</h1>"
        "<p>On May 2, 2020, Ukrainian forces shelled separatist positions near Horlivka, Donetsk. "
        "Two fighters were killed.</p></article></body></html>"
    )
    r = ingest_client.post("/api/documents", json={"html": html, "report_date": "2020-05-03"}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["doc_id"].startswith("api-")


def test_a_posted_document_is_merged_into_the_canonical_events(ingest_client: TestClient, tmp_path: Path) -> None:
    text = "On May 2, 2020, Ukrainian forces shelled separatist positions near Horlivka, Donetsk. Two fighters were killed."
    r = ingest_client.post("/api/documents", json={"text": text, "id": "posted-merge"}, headers=AUTH)
    assert r.status_code == 201, r.text
    event_ids = {e["event_id"] for e in r.json()["events"]}
    assert event_ids
    con = ingest_client.app.state.db.con  # type: ignore[attr-defined]
    linked = {
        row[0] for row in con.execute("SELECT event_id FROM event_links WHERE doc_id = 'posted-merge'").fetchall()
    }
    assert linked == event_ids
    assert (
        con.execute(
            "SELECT count(*) FROM canonical_events WHERE canonical_id IN "
            "(SELECT canonical_id FROM event_links WHERE doc_id = 'posted-merge')"
        ).fetchone()[0]
        >= 1
    )


def test_a_text_the_cli_rejects_is_refused_by_the_post(ingest_client: TestClient) -> None:
    arabic = "قصفت المدفعية الإسرائيلية حي تل الهوى في مدينة غزة مما أدى إلى سقوط ضحايا"
    r = ingest_client.post("/api/documents", json={"text": arabic, "id": "posted-ar"}, headers=AUTH)
    assert r.status_code == 422, r.text
    assert "not English" in r.text
    assert ingest_client.get("/api/events", params={"q": "غزة"}).json()["total"] == 0


def test_xss_sample_in_read_only_store(client: TestClient) -> None:
    body = get(client, "/api/events", q="onerror")
    assert body["total"] >= 1
    assert any("<script>" in s["text"] for e in body["events"] for s in e["evidence"])


# --------------------------------------------------------------------------- the serve command


def test_serve_command_usage_errors(web_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from warcoder.cli import main

    monkeypatch.delenv("WARCODER_TOKEN", raising=False)
    runner = CliRunner()
    r = runner.invoke(main, ["serve", "--db", str(web_db), "--allow-ingest"])
    assert r.exit_code == 2 and "token" in r.output
    r = runner.invoke(main, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert r.exit_code == 2 and "no such store" in r.output
    assert "--allow-ingest" in runner.invoke(main, ["serve", "--help"]).output


# --------------------------------------------------------------------------- GET /api/control


def test_control(client: TestClient, all_events: list[dict[str, Any]]) -> None:
    territory = [e for e in all_events if "territory" in e["sub_event_type"]]
    assert territory, "the sample store should hold territory events"
    last = max(e["event_date"] for e in territory)
    fc = get(client, "/api/control", date=last)
    assert fc["type"] == "FeatureCollection" and fc["date"] == last
    by_place = {f["properties"]["location"]: f for f in fc["features"]}
    for e in territory:
        f = by_place[e["location"]]
        assert f["properties"]["holder"] == e["actor1"]  # regains/overtakes: actor1 holds the place
        assert f["properties"]["status"] == "held" and f["properties"]["since"] == e["event_date"]
        assert f["geometry"] == {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]}
    # the day before a place's first change nobody is known to hold it
    first = min(territory, key=lambda e: e["event_date"])
    day_before = (date.fromisoformat(first["event_date"]) - timedelta(days=1)).isoformat()
    props = {
        f["properties"]["location"]: f["properties"] for f in get(client, "/api/control", date=day_before)["features"]
    }
    assert props[first["location"]]["holder"] == "unknown" and props[first["location"]]["status"] == "unknown"
    # country filter (case-insensitive)
    country = first["country"]
    fc = get(client, "/api/control", date=last, country=country.upper())
    assert fc["features"] and all(f["properties"]["country"] == country for f in fc["features"])
    assert get(client, "/api/control", date=last, country="Atlantis")["features"] == []


@pytest.mark.parametrize("query", ["", "date=", "date=2017-02-30", "date=17-10-19", "date=2017-10-19&country=%00"])
def test_control_invalid_is_422(client: TestClient, query: str) -> None:
    r = client.get(f"/api/control?{query}")
    assert r.status_code == 422, r.text
    body = r.json()
    param = "country" if "country" in query else "date"
    assert any(e["param"] == param for e in body["errors"]), body
    assert "Traceback" not in r.text


def test_control_in_openapi(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    params = {p["name"]: p for p in spec["paths"]["/api/control"]["get"]["parameters"]}
    assert params["date"]["required"] is True and "country" in params
