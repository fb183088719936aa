"""The --explain output: why reports were (or were not) merged."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from ..geo import haversine_km
from .canonical import shingles, similarity
from .match import compare, load_reports
from .rules import SourceTable, load_rules
from .storage import has_tables, load_docs


# -------------------------------------------------------------------------------------- explain
def explain(store: Any, event_id: str, sources: str | Path | None = None) -> str:
    """Why a report (or canonical event) was merged with the others, and why nearby ones were not."""
    con = store.con
    rules = load_rules()
    if not has_tables(con):
        raise LookupError(f"{store.path}: the store has never been merged (run warcoder merge)")
    row = con.execute(
        "SELECT canonical_id FROM event_links WHERE event_id = ? OR canonical_id = ? LIMIT 1", [event_id, event_id]
    ).fetchone()
    if row is None:
        raise LookupError(f"{event_id}: no such event or canonical event in {store.path}")
    cid = row[0]
    c = con.execute(
        "SELECT event_date, sub_event_type, actor1, actor2, location, country, fatalities, fatalities_low, "
        "fatalities_high, sources, reports, corroboration, partisan_only, outlets, alt_dates, alt_locations "
        "FROM canonical_events WHERE canonical_id = ?",
        [cid],
    ).fetchone()
    links = con.execute(
        "SELECT l.event_id, l.doc_id, l.source_group, l.reason, e.source FROM event_links l "
        "LEFT JOIN events e USING (event_id) WHERE l.canonical_id = ? ORDER BY l.event_id",
        [cid],
    ).fetchall()
    out = io.StringIO()
    w = out.write
    if c is not None:
        (when, sub, a1, a2, loc, country, fat, lo, hi, n_src, n_rep, corr, partisan, outlets, alt_d, alt_l) = c
        w(f"canonical event {cid}: {when} {sub}, {a1}" + (f" vs {a2}" if a2 else "") + f", {loc} ({country})\n")
        w(
            f"  {n_rep} report(s), {n_src} independent source(s): {corr}"
            + ("; reported by partisan outlets only" if partisan else "")
            + f"; outlets: {', '.join(json.loads(outlets))}\n"
        )
        if hi:
            w(f"  fatalities {fat} (conservative: the lowest figure a report gives; reports range {lo}-{hi})\n")
        else:
            w("  fatalities 0 (no report gives a figure)\n")
        if json.loads(alt_d):
            w(f"  other reported dates: {', '.join(json.loads(alt_d))}\n")
        for alt in json.loads(alt_l):
            w(
                f"  other reported place: {alt['location']} ({alt['latitude']}, {alt['longitude']})"
                f" in {alt['event_id']}\n"
            )
    w("reports:\n")
    for ev, doc, grp, reason, src in links:
        mark = " <-" if ev == event_id else ""
        w(f"  {ev}  doc {doc} [{src or '?'}; source group {grp}]{mark}\n    {reason}\n")
    ids = [r[0] for r in links]
    reps, _ = load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [ids])
    reps.sort(key=lambda r: r.event_id)
    if len(reps) > 1:
        w("pairwise checks:\n")
        for i, a in enumerate(reps):
            for b in reps[i + 1 :]:
                m = compare(a, b, rules)
                w(f"  {a.event_id} ~ {b.event_id}: {'match' if m.ok else 'NO ' + m.rule}: {m.detail}\n")
        table = SourceTable(sources)
        docs = load_docs(con, {r.doc_id for r in reps}, table)
        order = sorted(docs)
        if len(order) > 1:
            w(
                "text similarity of the documents (word 5-grams; >= "
                f"{rules.jaccard:g} Jaccard or >= {rules.containment:g} containment is one story):\n"
            )
            sh = {d: shingles(docs[d].text, rules.shingle_words) for d in order}
            for i, a in enumerate(order):
                for b in order[i + 1 :]:
                    jac, cont = similarity(sh[a], sh[b])
                    w(f"  {a} ~ {b}: Jaccard {jac:.2f}, containment {cont:.2f}\n")
    # nearby reports that were not merged, and the rule that kept them apart
    if reps:
        base = next((r for r in reps if r.event_id == event_id), reps[0])
        if base.day is not None and base.country:
            near, _ = load_reports(
                con,
                "WHERE country = ? AND event_date BETWEEN ? AND ? AND event_id NOT IN (SELECT unnest(?))",
                [
                    base.country,
                    date.fromordinal(base.day - rules.max_window - 1),
                    date.fromordinal(base.day + rules.max_window + 1),
                    ids,
                ],
            )
            rejected = []
            reach = 2 * max(rules.radius_km.values())
            for r in near:  # the same or the next day, within twice the widest radius
                allowed = rules.window(base.time_precision) + rules.window(r.time_precision)
                if r.day is None or abs(r.day - base.day) > max(1, allowed):
                    continue
                if None not in (base.latitude, base.longitude, r.latitude, r.longitude) and (
                    haversine_km(base.latitude, base.longitude, r.latitude, r.longitude) > reach  # type: ignore[arg-type]
                ):
                    continue
                rejected.append((r, compare(base, r, rules)))
            if rejected:
                w(f"nearby reports not merged with {base.event_id}:\n")
                for r, m in sorted(rejected, key=lambda x: x[0].event_id)[:20]:
                    why = (
                        (m.rule + ": " + m.detail)
                        if not m.ok
                        else "matches this report but not every report of the cluster"
                    )
                    w(f"  {r.event_id} ({r.date} {r.sub_event_type}, {r.location}): {why}\n")
    return out.getvalue()
