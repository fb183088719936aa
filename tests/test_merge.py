"""Merging reports into canonical events, and corroboration, on a multi-report fixture corpus
coded through the real Coder (tests/fixtures/corroboration)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from warcoder.ingest import iter_documents
from warcoder.merge import (
    Report,
    SourceTable,
    canonical_events,
    cluster,
    compare,
    explain,
    load_rules,
    merge_all,
    merge_documents,
    merge_state,
)
from warcoder.model import Document, Event
from warcoder.store import Store

FIX = Path(__file__).parent / "fixtures" / "corroboration"
REPORTS = FIX / "reports.jsonl"
EXPECTED = json.loads((FIX / "expected_merges.json").read_text(encoding="utf-8"))

Coded = list[tuple[Document, list[Event]]]


@pytest.fixture(scope="module")
def coded(coder: Any) -> Coded:
    out: Coded = []
    for res in coder.code_many(iter_documents([str(REPORTS)])):
        assert res.error is None, res.error
        assert res.document is not None
        out.append((res.document, res.events))
    return out


def _store(tmp: Path, batches: list[Coded], incremental: bool) -> Store:
    store = Store(tmp)
    for b in batches:
        store.write_coded(b, merge=False)
        if incremental:
            merge_documents(store, [d.doc_id for d, _ in b])
    if not incremental:
        merge_all(store)
    return store


def _snapshot(store: Store) -> tuple[dict[str, str], dict[str, tuple[Any, ...]]]:
    links = dict(store.con.execute("SELECT event_id, canonical_id FROM event_links").fetchall())
    cols = (
        "canonical_id, event_date, sub_event_type, actor1, actor2, location, fatalities, fatalities_low, "
        "fatalities_high, sources, reports, corroboration, partisan_only, outlets, alt_dates, alt_locations"
    )
    rows = {r[0]: r for r in store.con.execute(f"SELECT {cols} FROM canonical_events").fetchall()}
    return links, rows


def _doc_canonicals(store: Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for doc, cid in store.con.execute("SELECT doc_id, canonical_id FROM event_links").fetchall():
        out[doc].add(cid)
    return out


@pytest.fixture(scope="module")
def merged(coded: Coded, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _store(tmp_path_factory.mktemp("merge") / "m.duckdb", [coded], incremental=False)


def test_fixture_corpus_is_real_and_coded(coded: Coded) -> None:
    groups = EXPECTED["groups"]
    docs = {d.doc_id for d, _ in coded}
    listed = {doc for g in groups.values() for doc in g["docs"]} | set(EXPECTED["distinct"])
    assert len(coded) >= 30 and len(groups) >= 10 and docs == listed
    assert len({d.source for d, _ in coded}) >= 15  # many outlets
    for doc, events in coded:  # the coder really extracts an event from every report
        assert events, doc.doc_id


def test_all_expected_merges_made_and_no_false_merge(merged: Store, coded: Coded) -> None:
    by_doc = _doc_canonicals(merged)
    owner: dict[str, str] = {}
    for name, g in EXPECTED["groups"].items():
        cids = set().union(*(by_doc[d] for d in g["docs"]))
        assert len(cids) == 1, f"{name}: split over {len(cids)} canonical events"
        owner[cids.pop()] = name
    for doc in EXPECTED["distinct"]:
        assert not by_doc[doc] & owner.keys(), f"{doc} was merged into {[owner[c] for c in by_doc[doc] & owner.keys()]}"
    # no canonical event holds reports of two different happenings
    members: dict[str, set[str]] = defaultdict(set)
    for doc, cid in merged.con.execute("SELECT doc_id, canonical_id FROM event_links").fetchall():
        members[cid].add(doc)
    group_of = {d: n for n, g in EXPECTED["groups"].items() for d in g["docs"]} | {d: d for d in EXPECTED["distinct"]}
    for cid, docs in members.items():
        assert len({group_of[d] for d in docs}) == 1, f"false merge in {cid}: {sorted(docs)}"
    n_reports = sum(len(e) for _, e in coded)
    n_truth = len(EXPECTED["groups"]) + len(EXPECTED["distinct"])
    n_canon = merged.con.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
    print(
        f"\nfixture: {n_reports} report events of {n_truth} happenings; duplicate rate before "
        f"{(n_reports - n_truth) / n_reports:.1%}, after {(n_canon - n_truth) / n_canon:.1%}"
    )
    assert n_canon == n_truth


def test_sources_count_syndicated_copy_once_and_partisan_flag(merged: Store) -> None:
    by_doc = _doc_canonicals(merged)
    for name, g in EXPECTED["groups"].items():
        (cid,) = by_doc[g["docs"][0]]
        sources, reports, corr, partisan = merged.con.execute(
            "SELECT sources, reports, corroboration, partisan_only FROM canonical_events WHERE canonical_id = ?", [cid]
        ).fetchone()
        assert (sources, reports) == (g["sources"], len(g["docs"])), name
        assert corr == "multiple sources"
        assert partisan == g.get("partisan_only", False), name
    groups = dict(
        merged.con.execute(
            "SELECT doc_id, source_group FROM event_links WHERE doc_id IN ('e1-reuters', 'e1-alarabiya', 'e1-afp')"
        ).fetchall()
    )
    assert groups["e1-reuters"] == groups["e1-alarabiya"] != groups["e1-afp"]
    (cid,) = by_doc["x3-mogadishu-protest"]
    assert merged.con.execute(
        "SELECT sources, corroboration FROM canonical_events WHERE canonical_id = ?", [cid]
    ).fetchone() == (1, "single source")
    (cid,) = by_doc["x2-avdiivka-opposite"]  # only the DPR's news agency reports it
    assert merged.con.execute("SELECT partisan_only FROM canonical_events WHERE canonical_id = ?", [cid]).fetchone()[0]


def test_conservative_fatalities_and_disagreements_kept(merged: Store) -> None:
    (cid,) = _doc_canonicals(merged)["e1-afp"]  # Reuters 31 (and its copy), AFP 36, AP 39
    fat, lo, hi, alt_locations = merged.con.execute(
        "SELECT fatalities, fatalities_low, fatalities_high, alt_locations FROM canonical_events WHERE canonical_id = ?",
        [cid],
    ).fetchone()
    assert (fat, lo, hi) == (31, 31, 39)
    assert json.loads(alt_locations)  # the two spellings of Maarat al-Numan resolve to two gazetteer points
    (cid,) = _doc_canonicals(merged)["e3-defence"]  # "many terrorists" gives no figure: not a zero
    assert merged.con.execute(
        "SELECT fatalities, fatalities_low, fatalities_high FROM canonical_events WHERE canonical_id = ?", [cid]
    ).fetchone() == (15, 15, 20)


def test_canonical_export_keeps_every_reports_evidence(merged: Store) -> None:
    evs = {e.canonical_id: e for e in canonical_events(merged.con)}
    (cid,) = _doc_canonicals(merged)["e5-ap"]
    ev = evs[cid]
    assert ev.sources == 3 and ev.corroboration == "multiple sources"
    assert {s.doc_id for s in ev.evidence} == {"e5-reuters", "e5-ap", "e5-garowe"}
    assert ev.fatalities == 11 and (ev.fatalities_low, ev.fatalities_high) == (11, 15)
    assert ev.actor1 == "Al Shabaab" and ev.sub_event_type == "Suicide bomb"
    row = ev.to_acled_row()
    assert row["event_id"] == cid and row["event_id_cnty"].startswith("SOM") and row["iso3"] == "SOM"
    assert row["sources"] == 3 and len(row["evidence"]) == 3


def test_incremental_equals_full_remerge_in_any_order(coded: Coded, merged: Store, tmp_path: Path) -> None:
    full = _snapshot(merged)
    rng = random.Random(7)
    for k in range(3):
        docs = coded[:]
        rng.shuffle(docs)
        size = rng.randint(1, 7)
        batches = [docs[i : i + size] for i in range(0, len(docs), size)]
        with _store(tmp_path / f"inc{k}.duckdb", batches, incremental=True) as store:
            assert merge_state(store.con) is None
            assert _snapshot(store) == full


def test_recoding_a_document_re_merges_its_old_partners(coded: Coded, tmp_path: Path, coder: Any) -> None:
    store = _store(tmp_path / "re.duckdb", [coded], incremental=True)
    # e1-ap is re-coded as a report of something else: the air strike loses a source
    doc = coder.make_document(
        "Hundreds of people protested peacefully in Maarat al-Numan on Monday against the government.",
        doc_id="e1-ap",
        source="Associated Press",
        published="2019-07-22",
    )
    batch = [(doc, coder.code_document(doc))]
    assert batch[0][1] and batch[0][1][0].sub_event_type == "Peaceful protest"
    store.write_coded(batch)
    inc = _snapshot(store)
    (cid,) = _doc_canonicals(store)["e1-afp"]
    assert store.con.execute(
        "SELECT sources, reports FROM canonical_events WHERE canonical_id = ?", [cid]
    ).fetchone() == (2, 3)
    merge_all(store)
    assert _snapshot(store) == inc
    store.close()


def _r(
    eid: str,
    doc: str,
    day: int = 0,
    sub: str = "Shelling/artillery/missile attack",
    a1: str = "",
    a2: str = "",
    prec: int = 1,
    lat: float = 48.14,
    lon: float = 37.75,
    geo: int = 1,
) -> Report:
    return Report(
        eid,
        doc,
        date(2020, 5, 3).toordinal() + day,
        prec,
        "",
        sub,
        a1,
        a2,
        "Ukraine",
        "Donetsk",
        "X",
        lat,
        lon,
        geo,
        0,
        False,
        0.5,
    )


UA, NAF = "Military Forces of Ukraine (2019-)", "NAF: United Armed Forces of Novorossiya"


def test_opposite_roles_never_merge() -> None:
    m = compare(_r("a", "d1", a1=NAF, a2=UA), _r("b", "d2", a1=UA, a2=NAF))
    assert not m.ok and m.rule == "actors" and "opposite roles" in m.detail
    # one side unknown does not hide it: actor1 of one is actor2 of the other
    assert not compare(_r("a", "d1", a1=UA), _r("b", "d2", a1="Unidentified Armed Group (Ukraine)", a2=UA)).ok
    # in a clash both are fighting parties: the order the report chose does not matter
    assert compare(_r("a", "d1", sub="Armed clash", a1=NAF, a2=UA), _r("b", "d2", sub="Armed clash", a1=UA, a2=NAF)).ok
    # complete linkage: B matches A and C, but A and C are opposite roles, so no cluster holds both
    a = _r("a", "d1", a1=UA)
    b = _r("b", "d2", a1="Unidentified Armed Group (Ukraine)")
    c = _r("c", "d3", a2=UA)
    assert compare(a, b).ok and compare(b, c).ok and not compare(a, c).ok
    for order in ([a, b, c], [c, b, a], [b, c, a]):
        clusters = [{order[i].event_id for i in cl} for cl in cluster(order)]
        assert not any({"a", "c"} <= cl for cl in clusters)
        assert sorted(map(sorted, clusters)) == [["a", "b"], ["c"]]  # best pair first: a~b, ids break ties


def test_dates_places_and_sub_types() -> None:
    base = _r("a", "d1", a1=NAF)
    assert not compare(base, _r("b", "d2", day=1, a1=NAF)).ok  # precision 1: never across days
    assert compare(base, _r("b", "d2", day=2, a1=NAF, prec=2)).ok  # "last week" covers the day
    assert not compare(base, _r("b", "d2", day=9, a1=NAF, prec=2)).ok
    assert not compare(base, _r("b", "d1", a1=NAF)).ok  # one document's events stay apart
    assert compare(base, _r("b", "d2", a1=NAF, lat=48.20)).ok  # ~7 km
    far = compare(base, _r("b", "d2", a1=NAF, lat=48.30))  # ~18 km at precision 1
    assert not far.ok and far.rule == "place"
    assert compare(base, _r("b", "d2", a1=NAF, lat=48.30, geo=2)).ok  # within 25 km at precision 2
    assert compare(base, _r("b", "d2", sub="Air/drone strike", a1=NAF)).ok  # compatible sub-types
    assert not compare(base, _r("b", "d2", sub="Peaceful protest", a1=NAF)).ok
    assert not compare(base, _r("b", "d2", a1="Military Forces of Russia (2000-)")).ok


def test_cluster_is_order_independent() -> None:
    rng = random.Random(3)
    reps = [
        _r(
            f"e{i:03d}",
            f"d{i % 9}",
            day=rng.randint(0, 3),
            a1=rng.choice([UA, NAF, ""]),
            a2=rng.choice([UA, NAF, ""]),
            lat=48.1 + rng.random() * 0.2,
            prec=rng.choice([1, 1, 2]),
        )
        for i in range(60)
    ]
    want = sorted(sorted(reps[i].event_id for i in c) for c in cluster(reps))
    for _ in range(5):
        rng.shuffle(reps)
        assert sorted(sorted(reps[i].event_id for i in c) for c in cluster(reps)) == want
    rules = load_rules()
    for c in cluster(reps):  # every pair inside a cluster matches
        for i in c:
            for j in c:
                if i < j:
                    assert compare(reps[i], reps[j], rules).ok


def test_source_table_matches_and_analyst_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = SourceTable()
    assert t.rate("SouthFront").affiliation == "partisan"
    assert t.rate(None, "https://www.sana.sy/en/?p=1").outlet == "SANA"
    assert t.rate("someone", "https://uk.reuters.com/x").outlet == "Reuters"  # subdomain
    assert t.rate("The Associated Press").outlet == "Associated Press"
    assert t.rate("Unheard Of Gazette").affiliation == "unrated"
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "outlet\taliases\tdomains\tcountry\taffiliation\tnote\n"
        "Reuters\t\treuters.com\tUnited Kingdom\tpartisan\ttest override\n"
        "Local Herald\tHerald\therald.example\tSyria\tlocal\tadded\n",
        encoding="utf-8",
    )
    t2 = SourceTable(mine)
    assert t2.rate("Reuters").affiliation == "partisan" and t2.rate("Herald").outlet == "Local Herald"
    monkeypatch.setenv("WARCODER_SOURCES", str(mine))
    assert SourceTable().rate(None, "https://herald.example/a").affiliation == "local"
    with pytest.raises(FileNotFoundError):
        SourceTable(tmp_path / "missing.tsv")


def test_explain_names_the_rules(merged: Store) -> None:
    eid = merged.con.execute("SELECT event_id FROM event_links WHERE doc_id = 'e4-kyivpost'").fetchone()[0]
    text = explain(merged, eid)
    assert "3 independent source(s)" in text and "same day" in text and "km apart" in text
    assert "opposite roles" in text  # the DPR's report of the other side's shelling, kept apart
    syn = explain(
        merged, merged.con.execute("SELECT event_id FROM event_links WHERE doc_id = 'e1-alarabiya'").fetchone()[0]
    )
    assert "syndicated copy of e1-alarabiya" in syn or "syndicated copy of e1-reuters" in syn
    with pytest.raises(LookupError):
        explain(merged, "wc-nope")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warcoder.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_code_merges_export_and_explain(tmp_path: Path) -> None:
    db, per_doc = tmp_path / "c.duckdb", tmp_path / "reports.jsonl"
    res = _run("code", str(REPORTS), "--db", str(db), "--out", str(per_doc), "-q")
    assert res.returncode == 0, res.stderr
    reports = [json.loads(x) for x in per_doc.read_text().splitlines()]
    assert {r["doc_id"] for r in reports} >= set(EXPECTED["distinct"])  # --out stays per document
    con_snapshot = Store(db, read_only=True)
    before = _snapshot(con_snapshot)
    con_snapshot.close()
    res = _run("merge", "--db", str(db))  # full re-merge equals what `code` merged incrementally
    assert res.returncode == 0 and "canonical event(s)" in res.stderr, res.stderr
    with Store(db, read_only=True) as s:
        assert _snapshot(s) == before
    out = tmp_path / "canon.csv"
    res = _run("export", "--db", str(db), "--out", str(out))
    assert res.returncode == 0, res.stderr
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    n_truth = len(EXPECTED["groups"]) + len(EXPECTED["distinct"])
    assert len(rows) == n_truth and {"sources", "corroboration", "fatalities_low", "alt_dates"} <= rows[0].keys()
    assert all(json.loads(r["evidence"]) for r in rows)
    res = _run("export", "--db", str(db), "--out", str(tmp_path / "r.jsonl"), "--reports")
    assert res.returncode == 0 and len((tmp_path / "r.jsonl").read_text().splitlines()) == len(reports)
    res = _run("merge", "--db", str(db), "--explain", reports[0]["event_id"])
    assert res.returncode == 0 and "reports:" in res.stdout
    res = _run("merge", "--db", str(db), "--explain", "wc-missing")
    assert res.returncode == 1 and "wc-missing" in res.stderr


def test_rival_authorities_of_one_country_are_different_actors() -> None:
    from warcoder.merge.match import family
    from warcoder.merge.rules import load_rules

    rules = load_rules()
    houthi = family("Military Forces of Yemen (2017-) Houthi", rules)
    assert houthi != family("Military Forces of Yemen (2012-)", rules)
    assert houthi == family("Police Forces of Yemen (2017-) Houthi", rules)
    # a state's forces named without their authority may be either side's; two named authorities are two sides
    from warcoder.merge.match import actors_compatible

    assert actors_compatible(
        "Military Forces of Libya (2016-)", "Military Forces of Libya (2014-) Haftar Faction", rules, False
    )
    haftar, gna = (
        "Military Forces of Libya (2014-) Haftar Faction",
        "Military Forces of Libya (2016-) Government of National Accord",
    )
    assert not actors_compatible(haftar, gna, rules, False)
    # one state's forces under another regime year stay one family
    assert family("Military Forces of Syria (2000-)", rules) == family("Police Forces of Syria (2000-)", rules)
