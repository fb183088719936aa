"""ACLED's full column set (issue 21): the columns of a real ACLED export, their codes by ACLED's
definitions, event_id_cnty as ISO3 plus a number stable per store, and the pandas steps an
analyst runs on ACLED's files working unchanged on ours."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from warcoder.acled import civilian_targeting, country_codes, disorder_type
from warcoder.export import acled_date
from warcoder.model import ACLED_COLUMNS
from warcoder.store import Store

from .conftest import SAMPLES
from .test_cli import run

# The header of an ACLED export from its API (the columns every ACLED script reads), then the
# columns of ACLED's current export files that the API header lacks.
ACLED_API_HEADER = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]
ACLED_CURRENT_EXTRA = ["disorder_type", "civilian_targeting", "tags"]


def workflow(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """A typical analyst's ACLED code: dates, counts by country and type, state forces' events, deaths by province."""
    df = df.copy()
    df["event_date"] = pd.to_datetime(df["event_date"], format="mixed")
    df["month"] = df["event_date"].dt.to_period("M")
    counts = df.groupby(["iso3", "event_type"]).size().reset_index(name="events")
    state = df[df["inter1"] == 1]
    deaths = df.groupby("admin1")["fatalities"].sum()
    assert df["event_id_cnty"].is_unique and (df["iso"] > 0).all() and df["timestamp"].notna().all()
    return counts, state["fatalities"], deaths


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("acled")
    db, out = tmp / "w.duckdb", tmp / "events.csv"
    res = run("code", str(SAMPLES), "--db", str(db), "--out", str(out), "-q")
    assert res.returncode == 0, res.stderr
    return db, out


def test_every_acled_column_in_acleds_order(ours: tuple[Path, Path]) -> None:
    header = next(csv.reader(io.StringIO(ours[1].read_text("utf-8"))))
    assert set(ACLED_API_HEADER + ACLED_CURRENT_EXTRA) <= set(header)
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS  # ours come after ACLED's
    order = [c for c in header if c in ACLED_API_HEADER and c not in ("data_id", "iso", "event_id_no_cnty", "iso3")]
    assert order == [c for c in ACLED_API_HEADER if c in order]  # ACLED's relative order kept


def test_the_same_pandas_workflow_runs_on_ours_and_on_acled_shaped_data(ours: tuple[Path, Path]) -> None:
    mine = pd.read_csv(ours[1])
    counts, state, deaths = workflow(mine)
    assert set(counts["iso3"]) >= {"SYR", "IRQ", "UKR"} and len(state) > 0 and deaths.sum() > 0
    row = {c: "" for c in ACLED_API_HEADER + ACLED_CURRENT_EXTRA}
    row.update(
        data_id="9001",
        iso="760",
        event_id_cnty="SYR101",
        event_id_no_cnty="101",
        event_date="2020-05-09",
        year="2020",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of Syria (2000-)",
        inter1="1",
        inter2="2",
        interaction="12",
        region="Middle East",
        country="Syria",
        admin1="Idlib",
        location="Saraqab",
        latitude="35.86",
        longitude="36.80",
        geo_precision="1",
        fatalities="3",
        timestamp="1589155200",
        iso3="SYR",
    )
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(row))
    w.writeheader()
    w.writerow(row)
    counts2, _, deaths2 = workflow(pd.read_csv(io.StringIO(buf.getvalue())))
    assert counts2["events"].sum() == 1 and deaths2["Idlib"] == 3


def test_event_ids_are_iso3_plus_a_number_stable_per_store(ours: tuple[Path, Path], tmp_path: Path) -> None:
    db, out = ours
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    for r in rows:
        assert r["event_id_cnty"] == r["iso3"] + r["event_id_no_cnty"], r["event_id_cnty"]
    assert len({r["event_id_cnty"] for r in rows}) == len(rows)
    assert len({r["data_id"] for r in rows}) == len(rows)
    syr = sorted(int(r["event_id_no_cnty"]) for r in rows if r["iso3"] == "SYR")
    assert syr == list(range(1, len(syr) + 1))  # counted per country from 1
    # coding the same documents again keeps every number; the store's export gives the same ids
    again = tmp_path / "again.csv"
    assert run("code", str(SAMPLES), "--db", str(db), "--out", str(again), "-q").returncode == 0
    ids = {r["event_id"]: r["event_id_cnty"] for r in rows}
    assert {r["event_id"]: r["event_id_cnty"] for r in csv.DictReader(again.open(encoding="utf-8"))} == ids
    with Store(db, read_only=True) as store:
        assert {e.event_id: e.to_acled_row()["event_id_cnty"] for e in store.events()} == ids


def test_codes_follow_acleds_definitions() -> None:
    assert country_codes("Syria") == (760, "SYR", "Middle East")
    assert country_codes("Democratic Republic of Congo")[1:] == ("COD", "Middle Africa")
    assert country_codes("Ukraine")[1:] == ("UKR", "Europe")
    assert country_codes("Atlantis") == (None, "", "")
    assert disorder_type("Battles", "Armed clash") == "Political violence"
    assert disorder_type("Protests", "Peaceful protest") == "Demonstrations"
    assert disorder_type("Riots", "Violent demonstration") == "Demonstrations"
    assert disorder_type("Riots", "Mob violence") == "Political violence"
    assert disorder_type("Violence against civilians", "Excessive force against protesters") == (
        "Political violence; Demonstrations"
    )
    assert disorder_type("Strategic developments", "Arrests") == "Strategic developments"
    assert civilian_targeting("Violence against civilians", "Attack", 3, 7) == "Civilian targeting"
    assert civilian_targeting("Explosions/Remote violence", "Air/drone strike", 8, 7) == "Civilian targeting"
    assert civilian_targeting("Battles", "Armed clash", 1, 2) == ""
    assert civilian_targeting("Protests", "Peaceful protest", 6, 0) == ""


def test_acled_dates(ours: tuple[Path, Path], tmp_path: Path) -> None:
    assert acled_date("2020-05-09") == "9-May-20" and acled_date("2017-11-02") == "2-Nov-17"
    res = run("export", "--db", str(ours[0]), "--out", "-", "--format", "csv", "--acled-dates")
    assert res.returncode == 0, res.stderr
    dates = [r["event_date"] for r in csv.DictReader(io.StringIO(res.stdout))]
    assert dates and all(d.count("-") == 2 and d.split("-")[1].isalpha() for d in dates)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        # sentences written for this test
        ("Hundreds of protesters marched in Basra.", "hundreds"),
        ("About 200 people gathered outside the court.", "about 200"),
        ("On 3 May 2020, around 1,500 workers rallied in Dhaka.", "around 1500"),
        ("Tens of thousands of demonstrators filled the square.", "tens of thousands"),
        ("Students protested in Kisumu.", "no report"),
        ("Police arrested 12 protesters after about 300 people marched.", "about 300"),
        ("3 protesters were arrested in Minsk.", "no report"),
        ("On 30 April 2020, residents held a vigil in Sofia. [size=tens]", "tens"),  # an ACLED note's own tag
    ],
)
def test_crowd_size_tags(text: str, size: str) -> None:
    from warcoder.acled import crowd_size, tags

    assert crowd_size(text) == size
    assert tags("Protests", [text]) == f"crowd size={size}"
    assert tags("Battles", [text]) == ""
