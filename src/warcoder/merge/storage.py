"""Merging a store: load its reports, cluster them, write canonical events and links (full or incremental)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..sqltypes import transaction
from .canonical import CANONICAL_COLS, COLUMN_TYPES, LINK_COLS, SCHEMA, Canonical, DocInfo, build
from .match import Report, cluster, copy_groups, group_pairs, load_reports, neighbours
from .rules import MergeRules, Outlet, SourceTable, load_rules


# ---------------------------------------------------------------------------------------- store
@dataclass
class MergeSummary:
    reports: int = 0  # report events considered
    canonical: int = 0  # canonical events written
    multi_source: int = 0
    partisan_only: int = 0
    seconds: float = 0.0
    capped: int = 0  # reports (or groups of copies) that reached the cap on the work per report

    @property
    def duplicate_rate(self) -> float:
        """The share of report rows that another report of the same happening duplicates."""
        return (self.reports - self.canonical) / self.reports if self.reports else 0.0


def ensure_schema(con: Any) -> None:
    con.execute(SCHEMA)
    con.execute("SET enable_progress_bar = false")


def has_tables(con: Any) -> bool:
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return {"canonical_events", "event_links"} <= names


def load_docs(con: Any, doc_ids: Iterable[str], table: SourceTable) -> dict[str, DocInfo]:
    import pyarrow as pa

    ids = sorted(set(doc_ids))
    out: dict[str, DocInfo] = {}
    if not ids:
        return out
    con.register("t_merge_docs", pa.table({"doc_id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute(
            "SELECT d.doc_id, d.source, d.url, substr(d.text, coalesce(d.body_start, 0) + 1, "
            "coalesce(d.body_end, length(d.text)) - coalesce(d.body_start, 0)) "
            "FROM documents d JOIN t_merge_docs t USING (doc_id)"
        ).fetchall()
    finally:
        con.unregister("t_merge_docs")
    for doc_id, source, url, text in rows:
        out[doc_id] = DocInfo(doc_id, source or "", url or "", text or "", table.rate(source, url))
    for doc_id in ids:  # events imported without their document: rated from nothing
        out.setdefault(doc_id, DocInfo(doc_id, "", "", "", Outlet("unknown")))
    return out


def _build_all(
    con: Any,
    reports: list[Report],
    full: dict[str, dict[str, Any]],
    clusters: list[list[int]],
    table: SourceTable,
    rules: MergeRules,
) -> list[Canonical]:
    multi = [c for c in clusters if len(c) > 1]
    docs = load_docs(con, {reports[i].doc_id for c in multi for i in c}, table)
    for c in clusters:
        if len(c) == 1:
            d = full[reports[c[0]].event_id]
            if d["doc_id"] not in docs:
                docs[d["doc_id"]] = DocInfo(
                    d["doc_id"], d["source"] or "", d["source_url"] or "", "", table.rate(d["source"], d["source_url"])
                )
    now = datetime.now(UTC).replace(tzinfo=None)
    return [build([reports[i] for i in c], full, docs, rules, now) for c in clusters]


def _write(
    con: Any, canon: list[Canonical], delete_canonical: Iterable[str] | None, delete_events: Iterable[str] | None
) -> None:
    """Replace canonical events and links in one transaction (None: replace everything)."""
    import pyarrow as pa

    rows = [c.row for c in canon]
    cdata = {k: [r[k] for r in rows] for k in CANONICAL_COLS}
    ldata: dict[str, list[Any]] = {k: [] for k in LINK_COLS}
    for c in canon:
        for ev, doc, grp, why in c.links:
            for k, v in zip(LINK_COLS, (ev, c.row["canonical_id"], doc, grp, why), strict=True):
                ldata[k].append(v)
    arrow = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
    }
    types = {k: arrow[COLUMN_TYPES[k]] for k in CANONICAL_COLS}
    t_canon = pa.table({k: pa.array(v, types[k]) for k, v in cdata.items()})
    t_links = pa.table({k: pa.array(v, pa.string()) for k, v in ldata.items()})
    tables = {"t_canon": t_canon, "t_links": t_links}
    if delete_canonical is not None:
        tables["t_del_c"] = pa.table({"id": pa.array(sorted(set(delete_canonical)), pa.string())})
    if delete_events is not None:
        tables["t_del_e"] = pa.table({"id": pa.array(sorted(set(delete_events)), pa.string())})
    with transaction(con, tables):
        if delete_canonical is None:  # a full re-merge: new tables, swapped in by the commit
            con.execute("DROP TABLE IF EXISTS canonical_events")
            con.execute("DROP TABLE IF EXISTS event_links")
            con.execute(SCHEMA)
        else:
            con.execute(
                "DELETE FROM canonical_events WHERE canonical_id IN (SELECT id FROM t_del_c) "
                "OR canonical_id IN (SELECT canonical_id FROM t_canon)"
            )
            con.execute(
                "DELETE FROM event_links WHERE event_id IN (SELECT id FROM t_del_e) "
                "OR canonical_id IN (SELECT id FROM t_del_c) OR event_id IN (SELECT event_id FROM t_links)"
            )
        cols = ", ".join(CANONICAL_COLS)
        con.execute(f"INSERT INTO canonical_events ({cols}) SELECT {cols} FROM t_canon")
        con.execute(f"INSERT INTO event_links SELECT {', '.join(LINK_COLS)} FROM t_links")


def _summary(canon: list[Canonical], n_reports: int, t0: float, capped: int = 0) -> MergeSummary:
    import time

    return MergeSummary(
        reports=n_reports,
        canonical=len(canon),
        multi_source=sum(1 for c in canon if c.row["sources"] >= 2),
        partisan_only=sum(1 for c in canon if c.row["partisan_only"]),
        seconds=time.perf_counter() - t0,
        capped=capped,
    )


def merge_all(store: Any, sources: str | Path | None = None) -> MergeSummary:
    """Re-merge every event in the store (replaces canonical_events and event_links)."""
    import time

    t0 = time.perf_counter()
    con = store.con
    ensure_schema(con)
    rules, table = load_rules(), SourceTable(sources)
    reports, full = load_reports(con)
    reports.sort(key=lambda r: r.event_id)
    capped: list[int] = []
    canon = _build_all(con, reports, full, cluster(reports, rules, capped), table, rules)
    _write(con, canon, None, None)
    return _summary(canon, len(reports), t0, len(capped))


def merge_documents(store: Any, doc_ids: Iterable[str], sources: str | Path | None = None) -> MergeSummary:
    """Merge the events of newly written documents into the store's canonical events.

    Re-clusters only the neighbourhood the new events can reach (same country, dates within twice
    the widest window, grown until closed), plus events not linked yet (a merge that never ran)
    and the former cluster-mates of events that re-coding removed.  The result equals
    :func:`merge_all`'s.
    """
    import time

    t0 = time.perf_counter()
    con = store.con
    ensure_schema(con)
    rules, table = load_rules(), SourceTable(sources)
    import pyarrow as pa

    ids = sorted(set(doc_ids))
    con.register("t_new_docs", pa.table({"doc_id": pa.array(ids, pa.string())}))
    try:
        seeds = {
            r[0]
            for r in con.execute(
                "SELECT event_id FROM events WHERE doc_id IN (SELECT doc_id FROM t_new_docs) "
                "OR event_id NOT IN (SELECT event_id FROM event_links) "
                "OR event_id IN (SELECT l.event_id FROM event_links l WHERE l.canonical_id IN ("
                "  SELECT canonical_id FROM event_links WHERE event_id NOT IN (SELECT event_id FROM events) "
                "  OR doc_id IN (SELECT doc_id FROM t_new_docs)))"
            ).fetchall()
        }
        stale_c = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT canonical_id FROM event_links WHERE event_id NOT IN (SELECT event_id FROM events) "
                "OR doc_id IN (SELECT doc_id FROM t_new_docs)"
            ).fetchall()
        }
    finally:
        con.unregister("t_new_docs")
    if not seeds and not stale_c:
        return _summary([], 0, t0)
    affected: dict[str, Report] = {}
    full: dict[str, dict[str, Any]] = {}
    seed_reports, seed_full = load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [sorted(seeds)])
    for r in seed_reports:
        affected[r.event_id] = r
        full[r.event_id] = seed_full[r.event_id]
    loaded: dict[str, Report] = dict(affected)
    searched: set[str] = set()  # events whose date-compatible neighbours are loaded
    while True:
        todo = [r for r in affected.values() if r.event_id not in searched]
        if not todo:
            break
        rs, fl = neighbours(con, todo, rules)
        searched.update(r.event_id for r in todo)
        for r in rs:
            loaded.setdefault(r.event_id, r)
            full.setdefault(r.event_id, fl[r.event_id])
        # the other members of the affected reports' old canonical events are re-clustered too
        mates = _old_mates(con, list(affected)) - loaded.keys()
        if mates:
            rs, fl = load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [sorted(mates)])
            for r in rs:
                loaded[r.event_id] = r
                full[r.event_id] = fl[r.event_id]
        for m in mates & loaded.keys():
            affected[m] = loaded[m]
        # every report that can match an affected one is affected: its own neighbours are searched next
        _spread(sorted(loaded.values(), key=lambda r: r.event_id), affected, rules)
    reports = sorted(affected.values(), key=lambda r: r.event_id)
    capped: list[int] = []
    canon = _build_all(con, reports, full, cluster(reports, rules, capped), table, rules)
    ids = [r.event_id for r in reports]
    _write(con, canon, stale_c | _old_canonicals(con, ids), ids)
    return _summary(canon, len(reports), t0, len(capped))


def _spread(reps: list[Report], affected: dict[str, Report], rules: MergeRules) -> None:
    """Add to ``affected`` every report of ``reps`` that matches an affected one.

    Copies of one report are taken as one group (they match each other); two groups match when
    their first reports do and some pair of their reports comes from two documents.
    """
    groups = copy_groups(reps, rules)
    hit = [any(reps[i].event_id in affected for i in g) for g in groups]
    docs = [{reps[i].doc_id for i in g} for g in groups]
    for _, g, h, _m in group_pairs(reps, groups, rules):
        if (hit[g] or hit[h]) and not (len(docs[g]) == 1 and docs[g] == docs[h]):
            hit[g] = hit[h] = True
    for g, on in zip(groups, hit, strict=True):
        if on:
            for i in g:
                affected.setdefault(reps[i].event_id, reps[i])


def _old_canonicals(con: Any, event_ids: list[str]) -> set[str]:
    if not event_ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT canonical_id FROM event_links WHERE event_id IN (SELECT unnest(?))", [event_ids]
    ).fetchall()
    return {r[0] for r in rows}


def _old_mates(con: Any, event_ids: list[str]) -> set[str]:
    if not event_ids:
        return set()
    rows = con.execute(
        "SELECT l.event_id FROM event_links l JOIN events e USING (event_id) WHERE l.canonical_id IN "
        "(SELECT canonical_id FROM event_links WHERE event_id IN (SELECT unnest(?)))",
        [event_ids],
    ).fetchall()
    return {r[0] for r in rows}


def merge_state(con: Any) -> str | None:
    """None when every stored event is linked to a live canonical event, else why not."""
    if not has_tables(con):
        return "the store has never been merged"
    row = con.execute(
        "SELECT (SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_links)), "
        "(SELECT count(*) FROM event_links WHERE event_id NOT IN (SELECT event_id FROM events))"
    ).fetchone()
    if row and (row[0] or row[1]):
        return f"{row[0]} event(s) not merged yet, {row[1]} stale link(s)"
    return None
