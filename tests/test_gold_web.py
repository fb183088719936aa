"""Gold-data browser test: the seed report's events on the map.

Codes the seed report from ../shared/eval into a store, serves it, and drives the page in Debian's
Chromium: every event on the map, the timeline brushed to 2017-11-01, an event's evidence highlighted.
Skips cleanly when ../shared/eval, /usr/bin/chromium or playwright is absent.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import SHARED_EVAL

SEED = SHARED_EVAL / "syria_war_report_2017-11-02.txt"
if not SEED.exists():
    pytest.skip("../shared/eval is not present", allow_module_level=True)

from . import test_web_browser as tb  # noqa: E402  (skips the module when Chromium or playwright is missing)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("seedstore")
    db = tmp / "seed.duckdb"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "warcoder.cli",
            "code",
            str(SEED),
            "--report-date",
            "2017-11-02",
            "--db",
            str(db),
            "--out",
            str(tmp / "seed.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return db


@pytest.fixture(scope="module")
def seed_server(seed_db: Path) -> Iterator[str]:
    yield from tb.server.__wrapped__(seed_db)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def seed_page(seed_server: str) -> Iterator[Any]:
    yield from tb.page.__wrapped__(seed_server)  # type: ignore[attr-defined]


def test_seed_events_on_the_map_and_the_first_of_november(seed_page: Any, seed_server: str) -> None:
    pg, day = seed_page, "2017-11-01"
    tb.settle(pg)
    total = tb.api(seed_server, "/api/events", limit=1)["total"]
    assert total >= 5 and pg.evaluate("window.warcoder.markerCount()") == total
    assert pg.text_content("#timeline-svg text.axis >> nth=-1") == "events per day"
    tb.drag_across(pg, f"#timeline-svg rect.bar[data-start='{day}']")
    tb.settle(pg)
    want = tb.api(seed_server, "/api/events", start=day, end=day, limit=1000)
    assert want["total"] >= 4 and pg.evaluate("window.warcoder.markerCount()") == want["total"]
    ev = next(e for e in want["events"] if e["sub_event_type"] == "Air/drone strike")
    pg.click(f"#event-list button[data-event-id='{ev['event_id']}']")
    pg.wait_for_selector(f"#detail[data-event-id='{ev['event_id']}'] mark.evidence")
    assert pg.locator("#detail p.context mark.evidence").all_inner_texts() == [s["text"] for s in ev["evidence"]]
    assert not pg.errors, pg.errors  # type: ignore[attr-defined]
