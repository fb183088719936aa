"""Merging in time linear in the copies of one story (issue 19): copies of one report are compared
once, as a group, and the results are those of comparing every pair."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from pathlib import Path

import pytest

from warcoder.merge import Report, cluster, compare, load_rules, merge_all, merge_documents
from warcoder.merge import match as match_mod
from warcoder.merge.canonical import DocInfo, shingles, similarity, source_groups
from warcoder.merge.rules import Outlet, norm
from warcoder.model import Document, Event, Span
from warcoder.store import Store

UA, NAF = "Military Forces of Ukraine (2019-)", "NAF: United Armed Forces of Novorossiya"


def _r(eid: str, doc: str, day: int = 0, a1: str = NAF, a2: str = "", lat: float = 48.14, prec: int = 1) -> Report:
    return Report(
        eid,
        doc,
        date(2020, 5, 3).toordinal() + day,
        prec,
        "",
        "Shelling/artillery/missile attack",
        a1,
        a2,
        "Ukraine",
        "Donetsk",
        "X",
        lat,
        37.75,
        1,
        0,
        False,
        0.5,
    )


def _pairwise_cluster(reports: list[Report]) -> list[list[str]]:
    """The reference: compare every pair, then complete linkage, best pair first (the rule before copies)."""
    rules = load_rules()
    order = sorted(reports, key=lambda r: r.event_id)
    pairs = []
    for i, a in enumerate(order):
        for j in range(i + 1, len(order)):
            m = compare(a, order[j], rules)
            if m.ok:
                pairs.append((m.key(), a.event_id, order[j].event_id, i, j))
    ok = {(p[3], p[4]) for p in pairs} | {(p[4], p[3]) for p in pairs}
    pairs.sort()
    of = {i: i for i in range(len(order))}
    members = {i: [i] for i in range(len(order))}
    for *_, i, j in pairs:
        ci, cj = of[i], of[j]
        if ci != cj and all((x, y) in ok for x in members[ci] for y in members[cj]):
            for x in members[cj]:
                of[x] = ci
            members[ci].extend(members.pop(cj))
    return sorted(sorted(order[i].event_id for i in m) for m in members.values())


def test_copies_are_compared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = match_mod.compare
    monkeypatch.setattr(match_mod, "compare", lambda a, b, rules=None: calls.append(1) or real(a, b, rules))
    copies = [_r(f"c{i:04d}", f"d{i:04d}") for i in range(400)]
    other = _r("x", "dx", a1=UA)  # another happening at the same place and day: a different actor
    twin = _r("c9999", "d0000")  # a second identical event of one document: a distinct happening
    reps = copies + [other, twin]
    clusters = sorted(sorted(reps[i].event_id for i in c) for c in cluster(reps))
    assert sorted(len(c) for c in clusters) == [1, 1, 400]
    assert ["x"] in clusters and ["c9999"] not in [c for c in clusters if len(c) == 400]
    assert len(calls) < 20  # not the 80,000 pairs of 400 copies


@pytest.mark.parametrize("seed", range(6))
def test_grouped_clustering_equals_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    reports = []
    for k in range(120):  # many copies of a few shapes, one event per document
        shape = rng.randrange(12)
        r = random.Random(shape)
        reports.append(
            _r(
                f"e{k:03d}",
                f"d{k:03d}",
                day=r.randint(0, 2),
                a1=r.choice([UA, NAF, "", "Unidentified Armed Group (Ukraine)"]),
                a2=r.choice([UA, NAF, ""]),
                lat=48.1 + r.random() * 0.15,
                prec=r.choice([1, 1, 2]),
            )
        )
    rng.shuffle(reports)
    got = sorted(sorted(reports[i].event_id for i in c) for c in cluster(reports))
    assert got == _pairwise_cluster(reports)
    assert max(len(c) for c in got) > 5  # copies really were grouped


def _pairwise_sources(docs: list[DocInfo]) -> tuple[dict[str, str], dict[str, str]]:
    """The reference: every pair of documents compared (the rule before copies)."""
    rules = load_rules()
    order = sorted(docs, key=lambda d: d.doc_id)
    parent = {d.doc_id: d.doc_id for d in order}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    why: dict[str, str] = {}
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            reason = ""
            if a.outlet.outlet != "unknown" and norm(a.outlet.outlet) == norm(b.outlet.outlet):
                reason = f"same outlet as {a.doc_id} ({a.outlet.outlet})"
            else:
                sa, sb = shingles(a.text, 5), shingles(b.text, 5)
                if min(len(sa), len(sb)) >= rules.min_shingles:
                    jac, cont = similarity(sa, sb)
                    if jac >= rules.jaccard or cont >= rules.containment:
                        reason = f"syndicated copy of {a.doc_id} (text Jaccard {jac:.2f}, containment {cont:.2f})"
            if reason:
                ra, rb = find(a.doc_id), find(b.doc_id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
                why.setdefault(b.doc_id, reason)
    return {d.doc_id: find(d.doc_id) for d in order}, why


@pytest.mark.parametrize("seed", range(8))
def test_source_groups_equal_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    words = [
        "the",
        "army",
        "said",
        "rebels",
        "shelled",
        "the",
        "town",
        "on",
        "friday",
        "killing",
        "two",
        "people",
        "and",
        "wounding",
        "five",
        "more",
    ]
    stories = [" ".join(rng.choices(words, k=rng.choice([6, 30, 40]))) for _ in range(5)]
    stories.append(stories[0] + " " + " ".join(rng.choices(words, k=8)))  # a longer copy of story 0
    docs = [
        DocInfo(
            f"d{k:02d}",
            "",
            "",
            rng.choice(stories),
            Outlet(rng.choice(["unknown", "unknown", "Reuters", "AFP", "Local Radio"])),
        )
        for k in range(40)
    ]
    rng.shuffle(docs)
    assert source_groups(docs, load_rules()) == _pairwise_sources(docs)


def test_work_per_report_is_capped() -> None:
    rules = dataclasses.replace(load_rules(), max_compares=5)
    # 20 reports of one block, each a distinct actor pair: each meets at most 5 others
    reports = [_r(f"e{k:02d}", f"d{k:02d}", a1=f"Group {k}") for k in range(20)]
    capped: list[int] = []
    pairs = match_mod.candidate_pairs(reports, rules, capped)
    assert capped and not pairs
    same = [_r(f"s{k:02d}", f"t{k:02d}", lat=48.14 + k * 0.001, a1=NAF if k % 2 else UA) for k in range(20)]
    capped = []
    pairs = match_mod.candidate_pairs(same, rules, capped)
    per: dict[int, int] = {}
    for _, i, _j, _m in pairs:
        per[i] = per.get(i, 0) + 1
    assert capped and max(per.values()) <= 5
    assert len(cluster(same)) < len(same)  # under the default cap, the same reports merge


def _copy(i: int, batch: str) -> tuple[Document, list[Event]]:
    text = "On 6 May 2020, Houthi forces fired a ballistic missile at Marib city (Marib), damaging a house."
    doc = Document(doc_id=f"{batch}{i:03d}", text=text, source=["Reuters", "AFP", "Local Radio"][i % 3])
    ev = Event(
        event_id=f"wc-{batch}{i:03d}",
        doc_id=doc.doc_id,
        event_date="2020-05-06",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Houthi Movement",
        country="Yemen",
        admin1="Marib",
        location="Marib",
        latitude=15.46,
        longitude=45.33,
        geo_precision=1,
        source=doc.source,
        evidence=[Span(3, 13, text[3:13])],
    )
    return doc, [ev]


def test_incremental_copies_equal_full_merge(tmp_path: Path) -> None:
    batches = [[_copy(i, b) for i in range(30)] for b in "abcd"]
    with Store(tmp_path / "inc.duckdb") as inc, Store(tmp_path / "full.duckdb") as full:
        for b in batches:
            inc.write_coded(b, merge=False)
            merge_documents(inc, [d.doc_id for d, _ in b])
            full.write_coded(b, merge=False)
        merge_all(full)
        cols = "canonical_id, reports, sources, outlets, fatalities"
        q = f"SELECT {cols} FROM canonical_events ORDER BY canonical_id"
        got = inc.con.execute(q).fetchall()
        assert got == full.con.execute(q).fetchall()
        assert len(got) == 1 and got[0][1] == 120
        assert got[0][2] == 1  # three outlets carrying one wire text are one source
