"""The map page in a real browser: `warcoder serve` as a subprocess on the sample store, driven
headless through Playwright with Debian's Chromium (/usr/bin/chromium; no browser is downloaded).

Skipped when /usr/bin/chromium or the playwright package is missing.  Set
WARCODER_UPDATE_SCREENSHOT=1 to also refresh docs/screenshot.png (the README's screenshot)."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from warcoder.model import ACLED_COLUMNS

from .test_web import XSS_DOC, web_db  # noqa: F401  (web_db: the shared sample store fixture)

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DAY = "2017-10-19"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(db: Path, *extra: str) -> Iterator[str]:
    """`warcoder serve` on ``db`` in a subprocess, until the block ends; its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "warcoder.cli", "serve", "--db", str(db), "--port", str(port), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"warcoder serve exited: {proc.stdout.read() if proc.stdout else ''}")
            try:
                if httpx.get(base + "/api/config", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("warcoder serve did not come up in 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:  # noqa: F811
    with serving(web_db) as base:
        yield base


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        # bypass_csp: the test's own wait_for_function() needs eval, which the page's CSP forbids; it
        # also means the payload test checks that the page never parses data as HTML, CSP or not
        context = browser.new_context(viewport={"width": 1440, "height": 860}, accept_downloads=True, bypass_csp=True)
        pg = context.new_page()
        errors: list[str] = []
        outside: list[str] = []
        pg.on("pageerror", lambda e: errors.append(f"{e} {e.stack}"))
        pg.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
        pg.errors = errors  # type: ignore[attr-defined]
        pg.outside = outside  # type: ignore[attr-defined]
        pg.goto(server + "/")
        pg.wait_for_selector("body[data-ready=true]", timeout=30_000)
        yield pg
        context.close()
        browser.close()


def api(server: str, path: str, **params: Any) -> Any:
    r = httpx.get(server + path, params=params, timeout=30)
    r.raise_for_status()
    return r.json()


def settle(pg: Any) -> None:
    """Wait until the page has no request in flight."""
    pg.wait_for_function("document.body.dataset.busy === 'false'", timeout=20_000)


def drag_across(pg: Any, selector: str) -> None:
    """Brush the timeline with the mouse from the left to the right edge of an element."""
    box = pg.locator(selector).bounding_box()
    assert box, selector
    y = box["y"] + box["height"] - 2
    pg.mouse.move(box["x"] + 0.5, y)
    pg.mouse.down()
    pg.mouse.move(box["x"] + box["width"] / 2, y, steps=3)
    pg.mouse.move(box["x"] + box["width"] - 0.5, y, steps=3)
    pg.mouse.up()


def test_map_brush_detail_export(page: Any, server: str, tmp_path: Path) -> None:
    pg = page
    settle(pg)
    # 1. every event is on the map, clustered or not
    total = api(server, "/api/events", limit=1)["total"]
    assert total > 10
    assert pg.evaluate("window.warcoder.markerCount()") == total
    assert pg.locator("#map .wc-marker").count() > 0  # markers or clusters drawn in the map pane
    assert f"{total} events on the map" in pg.inner_text("#status")

    # 2. brush the timeline: the samples span years, so bins are weeks; brush the week holding
    #    DAY, zoom the timeline to it (bins become days), then brush DAY alone
    assert pg.text_content("#timeline-svg text.axis >> nth=-1") == "events per week"
    bars = pg.locator("#timeline-svg rect.bar").evaluate_all("rs => rs.map(r => [r.dataset.start, r.dataset.end])")
    week_start = next(start for start, end in bars if start <= DAY <= end)
    drag_across(pg, f"#timeline-svg rect.bar[data-start='{week_start}']")
    settle(pg)
    pg.click("#tl-zoom")
    assert pg.text_content("#timeline-svg text.axis >> nth=-1") == "events per day"
    drag_across(pg, f"#timeline-svg rect.bar[data-start='{DAY}']")
    settle(pg)
    assert pg.inner_text("#brush-label") == f"Selected: {DAY}"
    want = api(server, "/api/events", start=DAY, end=DAY, limit=1000)
    assert want["total"] == 2
    assert pg.evaluate("window.warcoder.markerCount()") == want["total"]
    assert pg.get_attribute("body", "data-markers") == str(want["total"])
    listed = pg.locator("#event-list button").evaluate_all("bs => bs.map(b => b.dataset.eventId)")
    assert listed == [e["event_id"] for e in want["events"]]

    # 3. open an event: its fields, and its evidence sentence highlighted inside its paragraph
    target = next(e for e in want["events"] if e["location"] == "Al Mayadin")
    pg.click(f"#event-list button[data-event-id='{target['event_id']}']")
    pg.wait_for_selector(f"#detail[data-event-id='{target['event_id']}'] mark.evidence")
    marks = pg.locator("#detail p.context mark.evidence").all_inner_texts()
    assert marks == [s["text"] for s in target["evidence"]]
    paragraph = pg.inner_text("#detail p.context")
    assert len(paragraph) >= sum(len(m) for m in marks) and marks[0] in paragraph
    assert pg.inner_text("#detail h2") == target["sub_event_type"]
    assert pg.locator("#detail .badge.hedged").count() == (1 if target["hedged"] else 0)
    assert target["actor1"] in pg.inner_text("#detail table.fields")

    pg.click("#fit")
    pg.wait_for_timeout(700)  # let the cluster animation finish
    shot = tmp_path / "screenshot.png"
    pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("WARCODER_UPDATE_SCREENSHOT"):
        (ROOT / "docs").mkdir(exist_ok=True)
        pg.screenshot(path=str(ROOT / "docs" / "screenshot.png"))

    # 4. export CSV of the current filter (the brushed day) and parse it
    with pg.expect_download() as dl:
        pg.click("#export-csv")
    path = dl.value.path()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert [r["event_id_cnty"] for r in rows] == [e["event_id"] for e in want["events"]]
    assert {r["event_date"] for r in rows} == {DAY}

    # 5. clearing the brush brings every event back
    pg.click("#tl-clear")
    settle(pg)
    assert pg.evaluate("window.warcoder.markerCount()") == total

    # 6. filters: event type and text search narrow the map like the API does
    pg.uncheck("#type-list input[value='Battles']")
    settle(pg)
    no_battles = api(server, "/api/events", limit=1, event_type=[t for t in TYPES if t != "Battles"])["total"]
    assert pg.evaluate("window.warcoder.markerCount()") == no_battles < total
    pg.check("#type-list input[value='Battles']")
    settle(pg)
    assert pg.evaluate("window.warcoder.markerCount()") == total

    assert not pg.errors, pg.errors  # type: ignore[attr-defined]
    assert not pg.outside, f"the page fetched from elsewhere: {pg.outside}"  # type: ignore[attr-defined]


TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]


def test_payloads_in_documents_never_run(page: Any, server: str) -> None:
    pg = page
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready=true]", timeout=30_000)
    hits = api(server, "/api/events", q="onerror")
    assert hits["total"] >= 1 and all(e["doc_id"] == XSS_DOC for e in hits["events"])
    pg.fill("#f-q", "onerror")
    # the search is debounced, then fetched: wait for the map to hold exactly the API's hits
    pg.wait_for_function(
        f"window.warcoder.state.q === 'onerror' && window.warcoder.markerCount() === {hits['total']}", timeout=20_000
    )
    settle(pg)
    ev = next(e for e in hits["events"] if any("<script>" in s["text"] for s in e["evidence"]))
    pg.click(f"#event-list button[data-event-id='{ev['event_id']}']")
    pg.wait_for_selector(f"#detail[data-event-id='{ev['event_id']}'] mark.evidence")
    shown = pg.inner_text("#detail")
    assert "<script>window.__xss=2</script>" in shown  # shown as text
    assert 'onerror="window.__xss=1"' in shown
    assert pg.locator("#detail script, #detail img, #detail [onerror]").count() == 0
    assert pg.locator("#event-list img, #event-list script").count() == 0
    pg.wait_for_timeout(300)
    assert pg.evaluate("window.__xss") is None
    assert not pg.errors, pg.errors  # type: ignore[attr-defined]


def _held(server: str, day: str) -> dict[str, str]:
    """The places the control layer should draw as of ``day``: location -> holder."""
    fc = api(server, "/api/control", date=day)
    return {
        f["properties"]["location"]: f["properties"]["holder"]
        for f in fc["features"]
        if f["geometry"] and f["properties"]["status"] != "unknown"
    }


def test_control_layer_follows_the_brush(page: Any, server: str) -> None:
    pg = page
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready=true]", timeout=30_000)
    settle(pg)
    assert pg.locator("path.wc-control").count() == 0  # off until switched on
    toggle = pg.locator(".leaflet-control-layers-overlays label", has_text="Control").locator("input")
    toggle.check()
    today = pg.evaluate("new Date().toISOString().slice(0, 10)")
    now = _held(server, today)
    assert now, "the sample store holds territory events"
    pg.wait_for_function(f"document.body.dataset.controlDate === '{today}'", timeout=20_000)
    settle(pg)
    assert pg.get_attribute("body", "data-control") == str(len(now))
    drawn = pg.locator("path.wc-control").evaluate_all("ps => ps.map(p => [p.dataset.location, p.dataset.holder])")
    assert dict(drawn) == now
    assert "Control as of" in pg.inner_text("#control-legend")

    # brush a range ending on DAY: the layer shows control as of DAY
    pg.evaluate(f"window.warcoder.setBrush(['2017-01-01', '{DAY}'])")
    pg.wait_for_function(f"document.body.dataset.controlDate === '{DAY}'", timeout=20_000)
    settle(pg)
    then = _held(server, DAY)
    drawn = pg.locator("path.wc-control").evaluate_all("ps => ps.map(p => [p.dataset.location, p.dataset.holder])")
    assert dict(drawn) == then
    # before any territory event nothing is drawn
    pg.evaluate("window.warcoder.setBrush(['2000-01-01', '2000-01-02'])")
    pg.wait_for_function("document.body.dataset.controlDate === '2000-01-02'", timeout=20_000)
    settle(pg)
    assert _held(server, "2000-01-02") == {}
    assert pg.locator("path.wc-control").count() == 0

    # switching the layer off removes it
    pg.evaluate("window.warcoder.setBrush(null)")
    settle(pg)
    toggle.uncheck()
    settle(pg)
    assert pg.locator("path.wc-control").count() == 0
    assert pg.get_attribute("body", "data-control") == "0"
    assert not pg.errors, pg.errors  # type: ignore[attr-defined]
    assert not pg.outside, f"the page fetched from elsewhere: {pg.outside}"  # type: ignore[attr-defined]


# Every ring of the drawn country outlines whose points jump across the map (|d lng| > 180) an even number
# of times: such a ring runs the wrong way round the world and is drawn as a band across the map.
BANDS = """() => {
  const out = [];
  function walk(x, name) {
    if (x.length && x[0].lat === undefined) { x.forEach(y => walk(y, name)); return; }
    let jumps = 0;
    for (let k = 1; k < x.length; k++) if (Math.abs(x[k].lng - x[k - 1].lng) > 180) jumps++;
    if (jumps > 0 && jumps % 2 === 0) out.push(name);
  }
  window.warcoder.baseLayer().eachLayer(l => walk(l.getLatLngs(), l.feature.properties.name));
  return out;
}"""


def test_outlines_that_cross_the_180th_meridian_are_drawn_whole(page: Any) -> None:
    pg = page
    pg.wait_for_function("window.warcoder.baseLayer() !== null", timeout=20_000)
    assert pg.evaluate(BANDS) == []
    # eastern Russia, Wrangel Island and Fiji's eastern islands were unwrapped; Antarctica's rings go round the pole
    assert int(pg.evaluate("document.body.dataset.unwrappedRings")) >= 3
    russia = pg.evaluate(
        "() => { let b = null; window.warcoder.baseLayer().eachLayer(l => {"
        " if (l.feature.properties.name === 'Russia') b = l.getBounds(); }); return [b.getWest(), b.getEast()]; }"
    )
    assert 19 < russia[0] < 21 and 185 < russia[1] < 195  # Kaliningrad to Chukotka, drawn east of 180


def test_a_correction_made_in_the_browser_comes_out_of_export_corrections(
    page: Any,
    web_db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = tmp_path / "rw.duckdb"
    shutil.copy(web_db, db)
    token = "browser-test-token"
    with serving(db, "--allow-ingest", "--token", token) as base:
        eid = api(base, "/api/events", limit=1)["events"][0]["event_id"]
        context = page.context.browser.new_context(viewport={"width": 1440, "height": 860})  # the running browser
        pg = context.new_page()
        pg.goto(base + "/")
        pg.wait_for_selector("body[data-ready=true]", timeout=30_000)
        pg.evaluate(f"window.warcoder.openEvent({json.dumps(eid)}, false)")
        pg.wait_for_selector(f'#detail[data-event-id="{eid}"] details.fix', timeout=20_000)
        pg.click("#detail details.fix summary")
        pg.select_option("#detail select[name=sub_event_type]", "Mob violence")
        pg.fill("#detail input[name=fatalities]", "2")
        pg.fill("#detail input[name=who]", "amira")
        pg.fill("#detail input[name=token]", token)
        pg.click("#detail .fix-form button[type=submit]")
        pg.wait_for_selector(".fix-status[data-saved]", timeout=20_000)
        assert "Saved: correction 1 by amira" in pg.inner_text(".fix-status")
        assert "sub_event_type → Mob violence" in pg.inner_text("#detail .corrections")
        context.close()
    out = tmp_path / "fixes.jsonl"  # the server has stopped: the store is free
    res = subprocess.run(
        [sys.executable, "-m", "warcoder.cli", "export", "--db", str(db), "--corrections", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert (row["event_id"], row["sub_event_type"], row["fatalities"], row["corrected_by"]) == (
        eid,
        "Mob violence",
        2,
        "amira",
    )
