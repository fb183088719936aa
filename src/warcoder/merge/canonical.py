"""Canonical events: one per cluster of reports, with its links, its sources and its export form."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from ..model import AcledIds, Event, Span
from ..sqltypes import fetch_rows, sql_type
from .match import REPORT_COLS, Report, compare, family
from .rules import MergeRules, Outlet, norm


# ----------------------------------------------------------------------------------- syndication
def shingles(text: str, k: int) -> set[int]:
    """Hashes of the text's word k-grams (lower-cased)."""
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        return {hash(tuple(words))} if words else set()
    return {hash(g) for g in zip(*(words[i:] for i in range(k)), strict=False)}


_WORD = re.compile(r"\w+")


def similarity(a: set[int], b: set[int]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


@dataclass
class DocInfo:
    doc_id: str
    source: str
    url: str
    text: str
    outlet: Outlet


def source_groups(docs: Sequence[DocInfo], rules: MergeRules) -> tuple[dict[str, str], dict[str, str]]:
    """Group documents into independent sources: doc_id -> group id (its smallest doc_id), plus why.

    Two documents are one source when they come from one rated outlet or their texts are copies
    (shingle Jaccard or containment); a document's reason names the first document (by doc_id)
    it is one source with.  The documents of one text are compared through the first of them, so a
    wire story that a thousand documents carry costs one comparison per distinct text.
    """
    order = sorted(docs, key=lambda d: d.doc_id)
    parent = list(range(len(order)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    outlet = [norm(d.outlet.outlet) for d in order]
    outlet_first: dict[str, int] = {}  # the first document of each rated outlet
    text_first: dict[str, int] = {}  # the first document of each distinct text
    for i, d in enumerate(order):
        if d.outlet.outlet != "unknown":
            outlet_first.setdefault(outlet[i], i)
        text_first.setdefault(d.text, i)
    firsts = sorted(set(text_first.values()))
    sh = {i: shingles(order[i].text, rules.shingle_words) for i in firsts}
    similar: dict[int, list[tuple[int, float, float]]] = defaultdict(list)  # a text -> its copies (itself too)
    for x, a in enumerate(firsts):
        for b in firsts[x:]:
            if min(len(sh[a]), len(sh[b])) >= rules.min_shingles:
                jac, cont = similarity(sh[a], sh[b])
                if jac >= rules.jaccard or cont >= rules.containment:
                    similar[a].append((b, jac, cont))
                    if a != b:
                        similar[b].append((a, jac, cont))
    why: dict[str, str] = {}
    for i, d in enumerate(order):
        copies = {a: (jac, cont) for a, jac, cont in similar[text_first[d.text]] if a < i}
        same = min(outlet_first.get(outlet[i], i), i)
        for a in [*copies, same]:
            union(a, i)
        if not copies and same == i:
            continue
        j = min([*copies, same])
        if j == same:
            why[d.doc_id] = f"same outlet as {order[j].doc_id} ({order[j].outlet.outlet})"
        else:
            jac, cont = copies[j]
            why[d.doc_id] = f"syndicated copy of {order[j].doc_id} (text Jaccard {jac:.2f}, containment {cont:.2f})"
    return {d.doc_id: order[find(i)].doc_id for i, d in enumerate(order)}, why


# ------------------------------------------------------------------------------------ canonical
@dataclass
class Canonical:
    """One happening, merged from its reports; ``links`` are (event_id, doc_id, group, reason)."""

    row: dict[str, Any]
    links: list[tuple[str, str, str, str]]


def canonical_id(event_ids: Iterable[str]) -> str:
    return "wcc-" + hashlib.sha1(min(event_ids).encode("utf-8")).hexdigest()[:16]


def build(
    members: list[Report],
    full: dict[str, dict[str, Any]],
    docs: dict[str, DocInfo],
    rules: MergeRules,
    now: datetime,
) -> Canonical:
    """The canonical event of a cluster: the most precise report speaks, every disagreement is kept."""
    if len(members) == 1:
        return _build_single(members[0], full, docs, rules, now)
    # the primary report: the most precise date and place; among equals a non-partisan outlet, then confidence
    ranked = sorted(
        members,
        key=lambda r: (
            r.time_precision,
            r.geo_precision,
            docs[r.doc_id].outlet.affiliation in rules.partisan,
            -r.confidence,
            r.event_id,
        ),
    )
    primary = ranked[0]
    row = {k: full[primary.event_id][k] for k in REPORT_COLS if k not in ("event_id", "doc_id")}
    cid = canonical_id(r.event_id for r in members)
    # the sub-type most reports give (ties: the primary's); unknown actors filled from other reports
    votes: dict[str, int] = defaultdict(int)
    for r in members:
        votes[r.sub_event_type] += 1
    best = max(votes.values())
    if votes[primary.sub_event_type] < best:
        donor = next(r for r in ranked if votes[r.sub_event_type] == best)
        sub = donor.sub_event_type
        row["sub_event_type"], row["event_type"] = sub, donor.event_type
    if len(members) > 1:
        _vote_actors(row, ranked, full, rules)
    # fatalities: ACLED's most conservative credible figure; reports that give none are not a "0"
    figures = sorted(f for r in members for f in (r.fatalities, full[r.event_id].get("fatalities_high") or 0) if f > 0)
    row["fatalities"] = figures[0] if figures else 0
    row["fatalities_low"] = figures[0] if figures else 0
    row["fatalities_high"] = figures[-1] if figures else 0
    doc_ids = sorted({r.doc_id for r in members})
    groups, why = (
        source_groups([docs[d] for d in doc_ids], rules) if len(doc_ids) > 1 else ({doc_ids[0]: doc_ids[0]}, {})
    )
    outlets = sorted({docs[d].outlet.outlet for d in groups})
    n_sources = len(set(groups.values()))
    affs = [docs[d].outlet.affiliation for d in groups]
    row.update(
        canonical_id=cid,
        sources=n_sources,
        reports=len({r.doc_id for r in members}),
        corroboration="multiple sources" if n_sources >= 2 else "single source",
        partisan_only=bool(affs) and all(a in rules.partisan for a in affs),
        outlets=json.dumps(outlets, ensure_ascii=False),
        source="; ".join(outlets),
        hedged=all(r.hedged for r in members),
        confidence=max(r.confidence for r in members),
        primary_event_id=primary.event_id,
        merged_at=now,
    )
    when = row["event_date"].isoformat() if isinstance(row["event_date"], date) else row["event_date"]
    row["alt_dates"] = json.dumps(sorted({r.date for r in members if r.date and r.date != when}))
    seen = {(row["location"], row["latitude"], row["longitude"])}
    alts = []
    for r in ranked:
        k = (r.location, r.latitude, r.longitude)
        if k not in seen:
            seen.add(k)
            alts.append(
                {
                    "location": r.location,
                    "admin1": r.admin1,
                    "latitude": r.latitude,
                    "longitude": r.longitude,
                    "geo_precision": r.geo_precision,
                    "event_id": r.event_id,
                }
            )
    row["alt_locations"] = json.dumps(alts, ensure_ascii=False)
    links = []
    for r in members:
        if r is primary:
            reason = "primary report (ranked first by date precision, place precision, non-partisan outlet, confidence)"
        else:
            m = compare(primary, r, rules)
            reason = (
                f"matched {primary.event_id}: {m.detail}"
                if m.ok
                else (f"matched the other reports of the cluster (vs primary: {m.rule}: {m.detail})")
            )
        if r.doc_id in why:
            reason += f"; counted once: {why[r.doc_id]}"
        links.append((r.event_id, r.doc_id, groups[r.doc_id], reason))
    return Canonical(row, links)


def _build_single(
    r: Report, full: dict[str, dict[str, Any]], docs: dict[str, DocInfo], rules: MergeRules, now: datetime
) -> Canonical:
    """The canonical event of a report that no other report matches (most of them): a fast path."""
    row = {k: v for k, v in full[r.event_id].items() if k not in ("event_id", "doc_id")}
    outlet = docs[r.doc_id].outlet
    row.update(
        canonical_id=canonical_id((r.event_id,)),
        fatalities_low=r.fatalities,
        fatalities_high=max(r.fatalities, row.get("fatalities_high") or 0),
        sources=1,
        reports=1,
        corroboration="single source",
        partisan_only=outlet.affiliation in rules.partisan,
        outlets=json.dumps([outlet.outlet], ensure_ascii=False),
        source=outlet.outlet,
        alt_dates="[]",
        alt_locations="[]",
        primary_event_id=r.event_id,
        merged_at=now,
    )
    return Canonical(row, [(r.event_id, r.doc_id, r.doc_id, "single report: no other report matches it")])


def _vote_actors(row: dict[str, Any], ranked: list[Report], full: dict[str, dict[str, Any]], rules: MergeRules) -> None:
    """Each actor slot takes the name most reports give (ties: the best-ranked report's); unknown
    names only when no report names the actor.  In a symmetric sub-type a report that names the pair
    the other way round votes with its roles swapped."""
    roles = (("actor1", "assoc_actor_1", "inter1"), ("actor2", "assoc_actor_2", "inter2"))
    symmetric = row["sub_event_type"] in rules.symmetric
    p1, p2 = family(row["actor1"], rules), family(row["actor2"], rules)
    for slot in (0, 1):
        votes: dict[str, list[Any]] = {}
        for rank, r in enumerate(ranked):
            d = full[r.event_id]
            f1, f2 = family(d["actor1"], rules), family(d["actor2"], rules)
            swap = symmetric and (
                (f1 is not None and f1 in (p2,) and f1 != p1) or (f2 is not None and f2 == p1 and f2 != p2)
            )
            src = roles[1 - slot] if swap else roles[slot]
            name = d[src[0]] or ""
            if family(name, rules) is None:
                continue
            v = votes.setdefault(name, [0, rank, d, src])
            v[0] += 1
        if votes:
            _n, _rank, d, src = min(votes.values(), key=lambda v: (-v[0], v[1]))
            for dst, k in zip(roles[slot], src, strict=True):
                row[dst] = d[k]


# --------------------------------------------------------------------------------------- export
@dataclass
class CanonicalEvent(Event):
    """A canonical event for export: the per-report fields plus corroboration and disagreements."""

    canonical_id: str = ""
    sources: int = 1
    corroboration: str = "single source"
    partisan_only: bool = False
    reports: int = 1
    outlets: list[str] = field(default_factory=list)
    fatalities_low: int = 0
    fatalities_high: int = 0
    alt_dates: list[str] = field(default_factory=list)
    alt_locations: list[dict[str, Any]] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [s.to_dict() for s in self.evidence]
        return d

    def to_acled_row(self) -> dict[str, Any]:
        ev = self.evidence
        self.evidence = []
        try:
            row = super().to_acled_row()
        finally:
            self.evidence = ev
        row["evidence"] = [s.to_dict() for s in ev]
        for k in CANONICAL_EXTRA_COLUMNS:
            row[k] = getattr(self, k)
        return row


@dataclass(frozen=True)
class ReportSpan(Span):
    """An evidence span of one report of a canonical event."""

    doc_id: str = ""
    event_id: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "source": self.source,
        }


# -------------------------------------------------------------------------------------- columns
_AFTER = {"fatalities": ["fatalities_low", "fatalities_high"]}  # canonical columns stored after a report column
# report columns a canonical event does not have as such: its ids, its fatality range (placed by _AFTER) and a
# report's rank in its own article
_NOT_CANONICAL = {"event_id", "doc_id", "fatalities_low", "fatalities_high", "article_rank", "typed_by", "model_prob"}

CANONICAL_COLS = [
    "canonical_id",
    *(k for c in REPORT_COLS if c not in _NOT_CANONICAL for k in (c, *_AFTER.get(c, []))),
    "sources",
    "reports",
    "corroboration",
    "partisan_only",
    "outlets",
    "alt_dates",
    "alt_locations",
    "primary_event_id",
    "merged_at",
]
"""The columns of canonical_events: a report's columns (model.EVENT_COLS without event_id and doc_id, the
fatality range after fatalities), then what merging adds."""

LINK_COLS = ["event_id", "canonical_id", "doc_id", "source_group", "reason"]

CANONICAL_EXTRA_COLUMNS = [f.name for f in fields(CanonicalEvent) if f.name not in Event.__dataclass_fields__]
"""Columns a canonical export adds after the per-report columns."""

COLUMN_TYPES: dict[str, str] = {
    **{
        c: sql_type(CanonicalEvent, c) if c in CanonicalEvent.__dataclass_fields__ else "VARCHAR"
        for c in CANONICAL_COLS
    },
    "event_date": "DATE",
    "merged_at": "TIMESTAMP",
}
"""The SQL type of each canonical column, from its field in CanonicalEvent (model.Event's fields plus the
canonical ones): int, float and bool fields as such, the date as DATE, everything else (lists as JSON) as text."""

SCHEMA = (
    "\nCREATE TABLE IF NOT EXISTS canonical_events (\n    "
    + ", ".join(f"{c} {COLUMN_TYPES[c]}" for c in CANONICAL_COLS)
    + "\n);\nCREATE TABLE IF NOT EXISTS event_links (\n    "
    + ", ".join(f"{c} VARCHAR" for c in LINK_COLS)
    + "\n);\n"
)


def canonical_events(con: Any) -> Iterable[CanonicalEvent]:
    """The store's canonical events with every report's evidence, ordered by date and id."""
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ev, cid, doc in con.execute(
        "SELECT l.event_id, l.canonical_id, l.doc_id FROM event_links l ORDER BY l.canonical_id, l.event_id"
    ).fetchall():
        members[cid].append((ev, doc))
    spans: dict[str, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for ev, doc, s, e, text, src in con.execute(
        "SELECT v.event_id, v.doc_id, v.start_offset, v.end_offset, v.text, e.source FROM evidence v "
        "JOIN events e USING (event_id) ORDER BY v.event_id, v.seq"
    ).fetchall():
        spans[ev].append((s, e, text, doc, src or ""))
    # ACLED numbers: a canonical event takes its first report's (the report its id derives from)
    numbers = {r[0]: (r[1], r[2]) for r in con.execute("SELECT event_id, n, data_id FROM event_numbers").fetchall()}
    cols = [c for c in CANONICAL_COLS if c not in ("merged_at",)]
    cur = con.execute(
        f"SELECT {', '.join(cols)}, epoch(merged_at)::BIGINT FROM canonical_events ORDER BY event_date, canonical_id"
    )
    for row in fetch_rows(cur, 1000):
        d = dict(zip(cols, row[:-1], strict=True))
        cid = d["canonical_id"]
        mem = members.get(cid, [])
        number, data_id = numbers.get(mem[0][0], (None, None)) if mem else (None, None)
        evidence = [ReportSpan(s, e, t, doc, ev, src) for ev, _doc in mem for (s, e, t, doc, src) in spans.get(ev, [])]
        yield CanonicalEvent(
            event_id=cid,
            doc_id=mem[0][1] if mem else "",
            event_date=d["event_date"].isoformat() if d["event_date"] else None,
            time_precision=d["time_precision"],
            event_type=d["event_type"] or "",
            sub_event_type=d["sub_event_type"] or "",
            actor1=d["actor1"] or "",
            assoc_actor_1=d["assoc_actor_1"] or "",
            actor2=d["actor2"] or "",
            assoc_actor_2=d["assoc_actor_2"] or "",
            inter1=d["inter1"] or 0,
            inter2=d["inter2"] or 0,
            country=d["country"] or "",
            admin1=d["admin1"] or "",
            admin2=d["admin2"] or "",
            location=d["location"] or "",
            latitude=d["latitude"],
            longitude=d["longitude"],
            geo_precision=d["geo_precision"] or 3,
            fatalities=d["fatalities"] or 0,
            notes=d["notes"] or "",
            source=d["source"] or "",
            source_url=d["source_url"] or "",
            evidence=list(evidence),
            hedged=bool(d["hedged"]),
            confidence=float(d["confidence"] or 0.0),
            canonical_id=cid,
            sources=d["sources"],
            corroboration=d["corroboration"],
            partisan_only=bool(d["partisan_only"]),
            reports=d["reports"],
            outlets=json.loads(d["outlets"] or "[]"),
            fatalities_low=d["fatalities_low"] or 0,
            fatalities_high=d["fatalities_high"] or 0,
            alt_dates=json.loads(d["alt_dates"] or "[]"),
            alt_locations=json.loads(d["alt_locations"] or "[]"),
            event_ids=[ev for ev, _ in mem],
            doc_ids=sorted({doc for _, doc in mem}),
            ids=AcledIds(number, data_id, row[-1]),
        )
