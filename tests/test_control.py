"""Territorial control (warcoder.control, `warcoder control`): fixture reports of towns changing
hands, coded through the real Coder, then the holder on each side of each change."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warcoder.cli import main
from warcoder.control import UNKNOWN, control_at, listed_places, place_key, timelines
from warcoder.model import Event, Span
from warcoder.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "control"
SAA = "Military Forces of Syria (2000-)"
HTS = "HTS: Hayat Tahrir al Sham"
SDF = "QSD: Syrian Democratic Forces"
IS = "Islamic State (Syria)"


def _docs(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def coded(coder: Any) -> list[tuple[Any, list[Event]]]:
    out = []
    for res in coder.code_many(_docs("reports.jsonl")):
        assert res.ok, res.error
        out.append((res.document, res.events))
    return out


@pytest.fixture(scope="module")
def events(coded: list[tuple[Any, list[Event]]]) -> list[Event]:
    return [e for _, evs in coded for e in evs]


def row(events: list[Event], location: str, day: str) -> Any:
    rows = [r for r in control_at(events, day) if r.location == location]
    assert len(rows) == 1, [r.location for r in control_at(events, day)]
    return rows[0]


def holder(events: list[Event], location: str, day: str) -> str:
    return str(row(events, location, day).holder)


def test_fixture_reports_are_coded_as_territory_events(events: list[Event]) -> None:
    subs = {(e.doc_id, e.sub_event_type) for e in events}
    assert ("nsm-2019-05-28-kafr-nabudah", "Non-state actor overtakes territory") in subs
    assert ("lw-2019-06-24-kafr-nabudah", "Government regains territory") in subs
    assert ("ec-2019-10-16-manbij", "Non-violent transfer of territory") in subs
    assert ("ec-2018-03-03-arima", "Non-violent transfer of territory") in subs


def test_taken_by_rebels_then_retaken_by_the_government(events: list[Event]) -> None:
    assert holder(events, "Kafr Nabudah", "2019-05-26") == UNKNOWN  # before any change
    assert holder(events, "Kafr Nabudah", "2019-05-27") == HTS
    assert holder(events, "Kafr Nabudah", "2019-06-22") == HTS
    r = row(events, "Kafr Nabudah", "2019-06-23")
    assert r.holder == SAA and r.previous == HTS and r.since == "2019-06-23"
    assert r.holder_family == "State forces"
    assert holder(events, "Kafr Nabudah", "2020-01-01") == SAA


def test_agreeing_reports_raise_confidence(events: list[Event]) -> None:
    both = row(events, "Kafr Nabudah", "2019-06-23")
    assert both.sources == 2 and len(both.event_ids) == 2
    one = [e for e in events if e.doc_id != "lw-2019-06-24-kafr-nabudah-b"]
    single = row(one, "Kafr Nabudah", "2019-06-23")
    assert single.sources == 1
    assert both.confidence > single.confidence


def test_non_violent_transfer_receiver_is_actor1_when_it_takes_control(events: list[Event]) -> None:
    assert holder(events, "Manbij", "2016-08-11") == UNKNOWN
    assert holder(events, "Manbij", "2016-08-12") == SDF
    assert holder(events, "Manbij", "2019-10-14") == SDF
    r = row(events, "Manbij", "2019-10-15")
    assert r.holder == SAA and r.previous == SDF


def test_non_violent_transfer_handed_over_to_actor2(events: list[Event]) -> None:
    ev = next(e for e in events if e.doc_id == "ec-2018-03-03-arima")
    assert ev.actor1 == SDF and ev.actor2 == SAA  # the coder's agent is the side that hands over
    loc = ev.location
    assert holder(events, loc, "2018-03-01") == UNKNOWN
    r = row(events, loc, "2018-03-02")
    assert r.holder == SAA and r.previous == SDF
    # a year later the government withdraws and the SDF enters: control flips back
    assert holder(events, loc, "2019-04-01") == SAA
    assert holder(events, loc, "2019-04-02") == SDF


def test_conflicting_claims_on_the_same_day_are_contested(events: list[Event]) -> None:
    tell = [e for e in events if e.doc_id.endswith("tell-malah")]
    loc = tell[0].location
    r = row(events, loc, "2019-07-01")
    assert r.status == "contested" and r.holder == "contested"
    assert {c["holder"] for c in r.claims} == {SAA, HTS}
    # each claim alone would be held with more confidence than the contested day
    for e in tell:
        alone = row([e], loc, "2019-07-01")
        assert alone.status == "held" and alone.holder == e.actor1
        assert r.confidence < alone.confidence
    # a second report backing the army wins the day, still contested and less sure than unopposed
    gov = next(e for e in tell if e.actor1 == SAA)
    backing = Event.from_dict({**gov.to_dict(), "event_id": "wc-extra", "doc_id": "another-outlet"})
    r2 = row([*events, backing], loc, "2019-07-01")
    assert r2.holder == SAA and r2.status == "contested"
    unopposed = row([gov, backing], loc, "2019-07-01")
    assert r2.confidence < unopposed.confidence


def test_country_filter(events: list[Event]) -> None:
    assert control_at(events, "2020-01-01", country="syria")
    assert control_at(events, "2020-01-01", country="Iraq") == []


def _ev(**kw: Any) -> Event:
    base: dict[str, Any] = {
        "event_id": "wc-a",
        "doc_id": "d1",
        "event_date": "2017-11-01",
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": SDF,
        "actor2": IS,
        "inter1": 2,
        "inter2": 2,
        "country": "Syria",
        "admin1": "Deir ez-Zor",
        "location": "Jadid Baggara",
        "latitude": 35.28,
        "longitude": 40.3,
        "geo_precision": 1,
        "confidence": 0.8,
    }
    base.update(kw)
    return Event(**base)


SEIZED = "The SDF seized the villages of al-Akidat and al-Bakaara east of the city."


def test_listed_places_kept_by_name_when_not_coded() -> None:
    assert listed_places(SEIZED) == ["al-Akidat", "al-Bakaara"]
    assert listed_places("the towns of Kafr Nabudah, Tell Malah and al-Habit fell") == [
        "Kafr Nabudah",
        "Tell Malah",
        "al-Habit",
    ]
    ev = _ev(evidence=[Span(0, len(SEIZED), SEIZED)])
    rows = control_at([ev], "2017-11-02")
    names = sorted(r.location for r in rows)
    # al-Bakaara is the coded Jadid Baggara (a spelling of it): not added twice; al-Akidat is kept by name
    assert names == ["Jadid Baggara", "al-Akidat"]
    akidat = next(r for r in rows if r.location == "al-Akidat")
    assert akidat.by_name and akidat.latitude is None and akidat.holder == SDF and akidat.previous == IS
    assert akidat.confidence < next(r for r in rows if r.location == "Jadid Baggara").confidence
    # a later report with another spelling of the coded place still keys to the same place
    assert place_key("Syria", "al-Akidat", None, None) == place_key("Syria", "Akidat", None, None)


def test_hedged_and_imprecise_reports_count_for_less() -> None:
    plain = control_at([_ev()], "2017-11-02")[0].confidence
    hedged = control_at([_ev(hedged=True)], "2017-11-02")[0].confidence
    monthly = control_at([_ev(time_precision=3)], "2017-11-02")[0].confidence
    assert hedged < plain and monthly < plain


def test_previous_holder_falls_back_to_the_timeline() -> None:
    first = _ev()
    second = _ev(
        event_id="wc-b",
        doc_id="d2",
        event_date="2019-10-19",
        sub_event_type="Government regains territory",
        actor1=SAA,
        inter1=1,
        actor2="",
        inter2=0,
    )
    (place, changes) = next(iter(timelines([second, first]).values()))
    assert [c.holder for c in changes] == [SDF, SAA]
    assert changes[1].previous == SDF
    # the same holder reported again later confirms, it is no new change
    again = _ev(event_id="wc-c", doc_id="d3", event_date="2017-11-03")
    (_, changes2) = next(iter(timelines([first, again]).values()))
    assert len(changes2) == 1 and changes2[0].sources == 2 and changes2[0].day.isoformat() == "2017-11-01"


def test_other_sub_types_and_province_level_events_do_not_move_control() -> None:
    clash = _ev(sub_event_type="Armed clash")
    province = _ev(geo_precision=3)
    assert control_at([clash, province], "2018-01-01") == []


# --------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def db(coded: list[tuple[Any, list[Event]]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("control") / "c.duckdb"
    with Store(path) as s:
        s.write_coded(coded, merge=False)
    return path


def test_cli_table(db: Path) -> None:
    res = CliRunner().invoke(main, ["control", "--date", "2019-06-23", "--db", str(db)])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if ln.startswith("Kafr Nabudah"))
    assert SAA in line and "2019-06-23" in line and HTS in line
    res = CliRunner().invoke(main, ["control", "--date", "2019-05-01", "--db", str(db), "--country", "Syria"])
    line = next(ln for ln in res.output.splitlines() if ln.startswith("Kafr Nabudah"))
    assert UNKNOWN in line


def test_cli_files(db: Path, tmp_path: Path) -> None:
    gj = tmp_path / "c.geojson"
    res = CliRunner().invoke(main, ["control", "--date", "2019-10-15", "--db", str(db), "--out", str(gj)])
    assert res.exit_code == 0, res.output
    fc = json.loads(gj.read_text())
    assert fc["type"] == "FeatureCollection" and fc["date"] == "2019-10-15"
    manbij = next(f for f in fc["features"] if f["properties"]["location"] == "Manbij")
    assert manbij["properties"]["holder"] == SAA and manbij["geometry"]["type"] == "Point"
    out = tmp_path / "c.csv"
    assert (
        CliRunner().invoke(main, ["control", "--date", "2019-10-15", "--db", str(db), "--out", str(out)]).exit_code == 0
    )
    rows = list(csv.DictReader(out.open()))
    assert {r["location"]: r["holder"] for r in rows}["Manbij"] == SAA
    jl = tmp_path / "c.jsonl"
    assert (
        CliRunner()
        .invoke(main, ["control", "--date", "2016-01-01", "--db", str(db), "--out", str(jl), "--no-front-lines"])
        .exit_code
        == 0
    )
    assert all(json.loads(x)["holder"] == UNKNOWN for x in jl.read_text().splitlines())


@pytest.mark.parametrize("bad", ["2019-02-30", "yesterday", "2019-13-01"])
def test_cli_bad_date(db: Path, bad: str) -> None:
    res = CliRunner().invoke(main, ["control", "--date", bad, "--db", str(db)])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "--date" in res.output and bad in res.output


def test_cli_bad_format_and_missing_store(db: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["control", "--date", "2019-01-01", "--db", str(db), "--out", str(tmp_path / "x.xlsx")]
    )
    assert res.exit_code == 2 and ".xlsx" in res.output
    res = CliRunner().invoke(main, ["control", "--date", "2019-01-01", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "no such store" in res.output


def test_front_lines_are_a_baseline_that_reports_override(coder: Any, tmp_path: Path) -> None:
    from warcoder.control import with_front_lines

    report = "Separatist forces took control of Avdiivka on 1 March 2020, the town's mayor said."
    evs = coder.code(report, report_date="2020-03-02", doc_id="avd")
    assert [e.sub_event_type for e in evs] == ["Non-state actor overtakes territory"]

    def at(day: str, events: list[Event]) -> dict[str, Any]:
        rows = with_front_lines(control_at(events, day, "Ukraine"), coder.frontlines, day, "Ukraine")
        assert len({r.location_key for r in rows}) == len(rows)
        return {r.location: r for r in rows}

    before = at("2020-02-01", evs)
    avdiivka = [r for loc, r in before.items() if loc.startswith("Avdiy") or loc == "Avdiivka"]
    assert len(avdiivka) == 1 and avdiivka[0].holder == "Military Forces of Ukraine (2019-)"
    assert avdiivka[0].status == "front line" and before["Horlivka"].holder.startswith("NAF")
    after = at("2020-03-05", evs)
    avdiivka = [r for loc, r in after.items() if loc.startswith("Avdiy") or loc == "Avdiivka"]
    assert len(avdiivka) == 1 and avdiivka[0].holder.startswith("NAF") and avdiivka[0].since == "2020-03-01"
    assert at("2013-01-01", []) == {}  # before the line existed


def test_cli_lists_front_lines_unless_asked_not_to(db: Path) -> None:
    res = CliRunner().invoke(main, ["control", "--date", "2020-05-01", "--db", str(db), "--country", "Ukraine"])
    assert res.exit_code == 0 and "Horlivka" in res.output and "front li" in res.output
    res = CliRunner().invoke(
        main, ["control", "--date", "2020-05-01", "--db", str(db), "--country", "Ukraine", "--no-front-lines"]
    )
    assert res.exit_code == 0 and "Horlivka" not in res.output
