"""Corrections as data (issue 22): an analyst's correction is stored beside the coded event with who and
when, never over it; the API takes it with the ingest token; `export --corrections` writes training data."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from warcoder import corrections
from warcoder.corrections import CorrectionError
from warcoder.learn.data import read_training_data
from warcoder.store import Store

from .test_cli import run
from .test_web import AUTH, TOKEN, web_db  # noqa: F401  (web_db: the shared sample store fixture)


@pytest.fixture()
def store_copy(web_db: Path, tmp_path: Path) -> Path:  # noqa: F811
    db = tmp_path / "rw.duckdb"
    shutil.copy(web_db, db)
    return db


def _some_events(db: Path, n: int = 2) -> list[tuple[str, str]]:
    with Store(db, read_only=True) as s:
        return [(e.event_id, e.sub_event_type) for e in list(s.events())[:n]]


def test_a_correction_is_kept_beside_the_event_and_applied_on_export(store_copy: Path, tmp_path: Path) -> None:
    (eid, sub), (eid2, _), (eid3, _) = _some_events(store_copy, 3)
    new_sub = "Arrests" if sub != "Arrests" else "Attack"
    with Store(store_copy) as s:
        c1 = corrections.add(s.con, eid, {"sub_event_type": new_sub, "fatalities": 3}, "amira", "read the source")
        corrections.add(s.con, eid, {"fatalities": 4}, "ben")  # a later correction of the same field wins
        corrections.add(s.con, eid2, {"no_event": True}, "amira")
        corrections.add(s.con, eid3, {"sub_event_type": "Peaceful protest", "actor1": "Protesters (Syria)"}, "amira")
        coded = s.con.execute("SELECT sub_event_type FROM events WHERE event_id = ?", [eid]).fetchone()
    assert coded == (sub,)  # the coded row is untouched
    assert c1.changes["event_type"] and c1.who == "amira" and c1.made_at.endswith("Z")
    out = tmp_path / "fixes.jsonl"
    res = run("export", "--db", str(store_copy), "--corrections", "--out", str(out))
    assert res.returncode == 0, res.stderr
    rows = {r["event_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {eid, eid2, eid3}
    fixed = rows[eid]
    assert (fixed["sub_event_type"], fixed["fatalities"], fixed["corrected_by"]) == (new_sub, 4, "ben")
    assert fixed["coded"]["sub_event_type"] == sub and fixed["text"] and not fixed["no_event"]
    assert rows[eid2]["no_event"] is True
    # the export is training data: warcoder train reads it (the no-event row is left out, and counted)
    td = read_training_data(out)
    assert sorted(e.sub_event_type for e in td.examples) == sorted([new_sub, "Peaceful protest"])
    assert td.skipped == {"marked as no event": 1}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "at least one field"),
        ({"colour": "red"}, "unknown field"),
        ({"sub_event_type": "Skirmish"}, "not one of ACLED's 25"),
        ({"event_date": "2020-02-30"}, "not a valid date"),
        ({"fatalities": -1}, "whole number"),
        ({"latitude": 33.5}, "together"),
        ({"latitude": 95, "longitude": 10}, "from -90 to 90"),
        ({"no_event": "yes"}, "true or false"),
    ],
)
def test_bad_corrections_are_refused_in_one_line(store_copy: Path, changes: dict, message: str) -> None:
    ((eid, _),) = _some_events(store_copy, 1)
    with Store(store_copy) as s, pytest.raises(CorrectionError, match=message):
        corrections.add(s.con, eid, changes, "amira")
    with Store(store_copy) as s:
        assert list(corrections.for_events(s.con)) == []
        with pytest.raises(CorrectionError, match="no event"):
            corrections.add(s.con, "wc-nope", {"fatalities": 1}, "amira")


# --------------------------------------------------------------------------- the API


@pytest.fixture()
def rw_client(store_copy: Path) -> Iterator:  # type: ignore[type-arg]
    from fastapi.testclient import TestClient

    from warcoder.web import create_app

    app = create_app(store_copy, allow_ingest=True, token=TOKEN)
    with TestClient(app) as c:
        yield c
    app.state.db.close()


def test_the_api_takes_a_correction_with_the_token_and_shows_it(rw_client) -> None:  # type: ignore[no-untyped-def]
    eid = rw_client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]
    url = f"/api/events/{eid}/corrections"
    body = {"who": "amira", "sub_event_type": "Armed clash", "note": "two sides fought"}
    assert rw_client.post(url, json=body).status_code == 401
    assert rw_client.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = rw_client.post(url, json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["changes"] == {"sub_event_type": "Armed clash", "event_type": "Battles"}
    detail = rw_client.get(f"/api/events/{eid}").json()
    assert [c["who"] for c in detail["corrections"]] == ["amira"]
    assert rw_client.get("/api/corrections").json()["total"] == 1
    bad = rw_client.post(url, json={"who": "amira", "sub_event_type": "Skirmish"}, headers=AUTH)
    assert bad.status_code == 422 and "25 sub-types" in bad.json()["detail"]
    missing = rw_client.post("/api/events/wc-nope/corrections", json=body, headers=AUTH)
    assert missing.status_code == 404
    assert rw_client.post(url, json={"who": "amira", "colour": "red"}, headers=AUTH).status_code == 422


def test_corrections_are_off_without_ingest(store_copy: Path) -> None:
    from fastapi.testclient import TestClient

    from warcoder.web import create_app

    ((eid, _),) = _some_events(store_copy, 1)
    app = create_app(store_copy)
    with TestClient(app) as c:
        r = c.post(f"/api/events/{eid}/corrections", json={"who": "a", "fatalities": 1}, headers=AUTH)
        assert r.status_code == 403 and "disabled" in r.json()["detail"]
        assert c.get(f"/api/events/{eid}").json()["corrections"] == []
    app.state.db.close()
