"""Merge benchmark: 100,000 synthetic stored report events (with known duplicates) merged into
canonical events; prints time, memory and the duplicate rate before and after.  Then the same
figures for the fixture corpus tests/fixtures/corroboration, coded through the real Coder.

    python bench/merge.py [--events 100000] [--seed 1] [--no-fixtures]
    python bench/merge.py --copies [--events 20000] [--copies-of-one 2000] [--feed 2000]

``--copies`` measures what syndication costs instead (issue 19): a store of ``--events`` reports
of which ``--copies-of-one`` are copies of one wire story, written and merged in batches of 200 as
``warcoder code`` does; then a feed of ``--feed`` articles that repeat one story, written and
merged one article at a time as ``warcoder watch`` does (the time per article, first and last).

Synthetic data: 24 countries, three years of dates, sub-types drawn with an ACLED-like mix, each
happening reported by 1-6 documents (most by one), reports that disagree the way outlets do:
the place a few km off or at a coarser precision, the victims described differently, an unknown
perpetrator, the figure of dead, a "last week" date, syndicated copies of one wire text.  Distinct
happenings that land on the same town, day and sub-type with compatible actors are
indistinguishable by design; the "false merges" figure counts them.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warcoder.merge import merge_all, merge_documents  # noqa: E402
from warcoder.model import Document, Event, Span  # noqa: E402
from warcoder.store import Store  # noqa: E402

COUNTRIES = [  # name, lat, lon (a rough centre), spread in degrees
    ("Syria", 35.0, 38.5, 1.5),
    ("Iraq", 33.3, 43.7, 2.0),
    ("Yemen", 15.5, 46.0, 2.0),
    ("Afghanistan", 34.0, 66.0, 3.0),
    ("Somalia", 5.0, 46.0, 3.0),
    ("Nigeria", 10.0, 8.0, 3.0),
    ("Mali", 15.0, -2.0, 3.0),
    ("Ukraine", 48.3, 37.8, 0.8),
    ("Democratic Republic of Congo", -1.0, 29.0, 2.0),
    ("Sudan", 13.0, 30.0, 3.0),
    ("Libya", 31.0, 16.0, 3.0),
    ("Myanmar", 21.0, 96.0, 3.0),
    ("Burkina Faso", 12.5, -1.5, 2.0),
    ("Cameroon", 6.0, 12.0, 2.0),
    ("Ethiopia", 9.0, 39.0, 3.0),
    ("Mozambique", -13.0, 39.0, 2.0),
    ("Pakistan", 33.0, 71.0, 2.0),
    ("India", 23.0, 80.0, 5.0),
    ("Mexico", 22.0, -101.0, 5.0),
    ("Colombia", 5.0, -74.0, 3.0),
    ("Philippines", 8.0, 124.0, 2.0),
    ("Niger", 14.0, 6.0, 3.0),
    ("Lebanon", 33.8, 35.8, 0.4),
    ("Palestine", 31.5, 34.5, 0.3),
]
SUB_TYPES = [  # sub-type, event type, weight
    ("Armed clash", "Battles", 30),
    ("Shelling/artillery/missile attack", "Explosions/Remote violence", 14),
    ("Air/drone strike", "Explosions/Remote violence", 10),
    ("Attack", "Violence against civilians", 14),
    ("Peaceful protest", "Protests", 14),
    ("Remote explosive/landmine/IED", "Explosions/Remote violence", 5),
    ("Abduction/forced disappearance", "Violence against civilians", 3),
    ("Arrests", "Strategic developments", 3),
    ("Government regains territory", "Battles", 2),
    ("Non-state actor overtakes territory", "Battles", 2),
    ("Suicide bomb", "Explosions/Remote violence", 1),
    ("Mob violence", "Riots", 2),
]
GROUPS = [
    "Islamic State",
    "Al Shabaab",
    "Taliban",
    "JNIM: Jamaat Nusrat al Islam wal Muslimin",
    "Houthi Movement",
    "ADF: Allied Democratic Forces",
    "NAF: United Armed Forces of Novorossiya",
    "Arakan Army",
    "M23: March 23 Movement",
    "RSF: Rapid Support Forces",
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
]
WIRE = ["Reuters", "Associated Press", "AFP"]
OUTLETS = WIRE + [
    "Al Jazeera",
    "SANA",
    "SouthFront",
    "Premium Times",
    "TOLOnews",
    "Kyiv Post",
    "Garowe Online",
    "Local Radio",
    "Xinhua",
    "RFI",
    "Radio Okapi",
    "Daily Trust",
    "Rudaw",
]
WORDS = [
    "forces",
    "fighters",
    "village",
    "town",
    "district",
    "market",
    "checkpoint",
    "residents",
    "officials",
    "said",
    "killed",
    "wounded",
    "attack",
    "clashes",
    "army",
    "police",
    "militants",
    "local",
    "sources",
    "reported",
    "morning",
    "night",
    "road",
    "convoy",
    "army",
    "base",
]


def synth(n_events: int, seed: int, prefix: str = "syn") -> tuple[list[tuple[Document, list[Event]]], dict[str, int]]:
    """Documents with one report event each; truth maps event_id -> happening number."""
    rng = random.Random(seed)
    towns = {
        c: [(lat + rng.uniform(-s, s), lon + rng.uniform(-s, s)) for _ in range(150)] for c, lat, lon, s in COUNTRIES
    }
    subs, weights = [(s, t) for s, t, _ in SUB_TYPES], [w for *_, w in SUB_TYPES]
    start = date(2019, 1, 1)
    out: list[tuple[Document, list[Event]]] = []
    truth: dict[str, int] = {}
    h = 0
    while len(out) < n_events:
        h += 1
        country, *_ = rng.choice(COUNTRIES)
        lat, lon = rng.choice(towns[country])
        sub, etype = rng.choices(subs, weights)[0]
        day = start + timedelta(days=rng.randrange(3 * 365))
        state = f"Military Forces of {country} (2000-)"
        group = f"{rng.choice(GROUPS)}"
        if sub == "Peaceful protest":
            a1, a2 = f"Protesters ({country})", ""
        elif sub in ("Attack", "Abduction/forced disappearance", "Mob violence"):
            a1, a2 = group, f"Civilians ({country})"
        elif sub in ("Arrests", "Government regains territory"):
            a1, a2 = state, group
        else:
            a1, a2 = (group, state) if rng.random() < 0.5 else (state, group)
        dead = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 20])
        n_reports = min(6, 1 + int(rng.expovariate(1.0)))  # ~63% one report, long tail
        wire_text = " ".join(rng.choices(WORDS, k=60))
        for k in range(n_reports):
            if len(out) >= n_events:
                break
            r = rng.random
            geo = 1 if r() < 0.85 else 2
            jitter = 0.02 if geo == 1 else 0.1
            prec = 1 if r() < 0.95 else 2
            rep_day = day if prec == 1 else day + timedelta(days=rng.randint(-2, 2))
            ra1, ra2 = a1, a2
            if r() < 0.15 and sub != "Peaceful protest":
                ra1 = f"Unidentified Armed Group ({country})"
            if ra2.startswith("Civilians") and r() < 0.1:
                ra2 = f"Protesters ({country})"
            if sub == "Armed clash" and r() < 0.3:
                ra1, ra2 = ra2, ra1  # the other side named first
            rsub = sub
            if sub == "Armed clash" and r() < 0.05:
                rsub, etype2 = "Attack", "Violence against civilians"
            else:
                etype2 = etype
            syndicated = k > 0 and r() < 0.2
            outlet = rng.choice(OUTLETS)
            text = wire_text if syndicated else " ".join(rng.choices(WORDS, k=60))
            doc_id = f"{prefix}-{len(out):06d}"
            doc = Document(
                doc_id=doc_id,
                text=text,
                source=outlet,
                url=f"https://example.org/{doc_id}",
                published=rep_day,
                report_date=rep_day,
            )
            ev = Event(
                event_id=f"wc-{len(out):06d}-{seed}",
                doc_id=doc_id,
                event_date=rep_day.isoformat(),
                time_precision=prec,
                event_type=etype2,
                sub_event_type=rsub,
                actor1=ra1,
                actor2=ra2,
                country=country,
                admin1=f"{country} admin {int(lat)}",
                location=f"Town {lat:.2f} {lon:.2f}",
                latitude=round(lat + rng.uniform(-jitter, jitter), 5),
                longitude=round(lon + rng.uniform(-jitter, jitter), 5),
                geo_precision=geo,
                fatalities=max(0, dead + rng.choice([0, 0, -1, 1, 2])) if dead else 0,
                source=outlet,
                evidence=[Span(0, 20, text[:20])],
                confidence=round(rng.uniform(0.4, 0.95), 2),
            )
            truth[ev.event_id] = h
            out.append((doc, [ev]))
    rng.shuffle(out)
    return out, truth


def rates(store: Store, truth: dict[str, int]) -> tuple[float, float, int, int, int]:
    """(duplicate rate before, after, canonical events, false merges, missed merges)."""
    links = store.con.execute("SELECT event_id, canonical_id FROM event_links").fetchall()
    canon_of = dict(links)
    happenings = set(truth.values())
    n_reports = len(truth)
    before = (n_reports - len(happenings)) / n_reports
    per_canon: dict[str, set[int]] = defaultdict(set)
    for ev, cid in links:
        per_canon[cid].add(truth[ev])
    per_h: dict[int, set[str]] = defaultdict(set)
    for ev, h in truth.items():
        per_h[h].add(canon_of[ev])
    n_canon = len(per_canon)
    # a canonical row is a duplicate when its happening already has another canonical row
    dup_rows = sum(len(c) - 1 for c in per_h.values())
    false = sum(1 for hs in per_canon.values() if len(hs) > 1)
    return before, dup_rows / n_canon, n_canon, false, sum(1 for c in per_h.values() if len(c) > 1)


def copy_docs(n: int, prefix: str) -> list[tuple[Document, list[Event]]]:
    """``n`` copies of one wire story about one happening, from rotating outlets."""
    text = (
        "On 6 May 2020, Houthi forces fired a ballistic missile at Marib city (Marib), causing damage to a "
        "residential building, local sources and officials said on Friday."
    )
    out = []
    for i in range(n):
        doc_id = f"{prefix}-{i:06d}"
        doc = Document(doc_id=doc_id, text=text, source=OUTLETS[i % len(OUTLETS)], url=f"https://example.org/{doc_id}")
        ev = Event(
            event_id=f"wc-{prefix}-{i:06d}",
            doc_id=doc_id,
            event_date="2020-05-06",
            time_precision=1,
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            actor1="Houthi Movement",
            country="Yemen",
            admin1="Marib",
            location="Marib",
            latitude=15.4629,
            longitude=45.3253,
            geo_precision=1,
            source=doc.source,
            evidence=[Span(3, 14, text[3:14])],
            confidence=0.8,
        )
        out.append((doc, [ev]))
    return out


def copies(n_events: int, n_copies: int, n_feed: int, seed: int) -> None:
    """Syndication: batches with many copies of one story, then a feed that repeats one story."""
    docs, _ = synth(n_events - n_copies, seed)
    docs += copy_docs(n_copies, "copy")
    random.Random(seed).shuffle(docs)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "copies.duckdb") as store:
        rss0, t0 = rss_mb(), time.perf_counter()
        for i in range(0, len(docs), 200):
            store.write_coded(docs[i : i + 200])
        n = store.con.execute("SELECT count(*), max(reports) FROM canonical_events").fetchone()
        print(
            f"copies: {len(docs)} reports ({n_copies} copies of one story) written and merged in batches of 200 "
            f"in {time.perf_counter() - t0:.1f}s (peak RSS {rss_mb():.0f} MB, {rss_mb() - rss0:+.0f} MB); "
            f"{n[0]} canonical events, the largest of {n[1]} reports"
        )
    feed = copy_docs(n_feed, "feed")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "feed.duckdb") as store:
        rss0, t0, per = rss_mb(), time.perf_counter(), []
        for item in feed:
            t1 = time.perf_counter()
            store.write_coded([item])
            per.append(time.perf_counter() - t1)
        k = max(1, len(per) // 20)
        print(
            f"feed: {len(feed)} articles of one story, each written and merged alone, in "
            f"{time.perf_counter() - t0:.1f}s; per article {sum(per[:k]) / k * 1000:.0f} ms for the first "
            f"{k}, {sum(per[-k:]) / k * 1000:.0f} ms for the last {k} (peak RSS {rss_mb():.0f} MB)"
        )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-fixtures", action="store_true", help="skip the fixture corpus (needs the gazetteer)")
    ap.add_argument("--copies", action="store_true", help="measure syndicated copies instead (issue 19)")
    ap.add_argument("--copies-of-one", type=int, default=2000, help="with --copies: copies of one story")
    ap.add_argument("--feed", type=int, default=2000, help="with --copies: articles of the repeated feed")
    args = ap.parse_args()
    if args.copies:
        copies(args.events if args.events != 100_000 else 20_000, args.copies_of_one, args.feed, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        docs, truth = synth(args.events, args.seed)
        db = Path(tmp) / "bench.duckdb"
        with Store(db) as store:
            for i in range(0, len(docs), 5000):
                store.write_coded(docs[i : i + 5000], merge=False)
        print(
            f"synthetic store: {len(docs)} report events of {len(set(truth.values()))} happenings, "
            f"built in {time.perf_counter() - t0:.1f}s"
        )
        rss0 = rss_mb()
        with Store(db) as store:
            s = merge_all(store)
            print(
                f"merge_all: {s.reports} report events -> {s.canonical} canonical events in {s.seconds:.1f}s "
                f"(peak RSS {rss_mb():.0f} MB, {rss_mb() - rss0:+.0f} MB during the merge)"
            )
            before, after, n, false, missed = rates(store, truth)
            print(
                f"duplicate rate before {before:.1%}, after {after:.1%}; canonical events {n}; "
                f"false merges {false} (distinct happenings indistinguishable by design), missed merges {missed}"
            )
            multi = store.con.execute("SELECT count(*) FROM canonical_events WHERE sources > 1").fetchone()[0]
            print(f"canonical events with multiple independent sources: {multi}")
            # incremental: one more batch of 200 documents merged into the 100k store
            extra, _ = synth(200, args.seed + 1000, prefix="new")
            store.write_coded(extra, merge=False)
            t1 = time.perf_counter()
            si = merge_documents(store, [d.doc_id for d, _ in extra])
            print(
                f"incremental: 200 new documents merged into the store in {time.perf_counter() - t1:.2f}s "
                f"({si.reports} report events re-clustered)"
            )
    if not args.no_fixtures:
        fixtures(rss0)


def fixtures(_rss: float) -> None:
    from warcoder import Coder
    from warcoder.ingest import iter_documents

    fix = ROOT / "tests" / "fixtures" / "corroboration"
    expected = json.loads((fix / "expected_merges.json").read_text(encoding="utf-8"))
    group_of = {d: n for n, g in expected["groups"].items() for d in g["docs"]} | {d: d for d in expected["distinct"]}
    coder = Coder()
    coded = [(r.document, r.events) for r in coder.code_many(iter_documents([str(fix / "reports.jsonl")])) if r.ok]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "fix.duckdb") as store:
        store.write_coded(coded, merge=False)
        s = merge_all(store)
        names = list(dict.fromkeys(group_of.values()))
        truth = {ev.event_id: names.index(group_of[doc.doc_id]) for doc, evs in coded for ev in evs}
        before, after, n, false, missed = rates(store, truth)
        srcs = Counter(r[0] for r in store.con.execute("SELECT corroboration FROM canonical_events").fetchall())
        print(
            f"fixture corpus: {len(coded)} reports, {s.reports} report events of {len(set(truth.values()))} happenings "
            f"-> {n} canonical events; duplicate rate before {before:.1%}, after {after:.1%}; "
            f"false merges {false}, missed merges {missed}; {dict(srcs)}"
        )


if __name__ == "__main__":
    main()
