"""Pairwise matching of report events (:func:`compare`), candidate pairs and neighbours, clustering."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from ..geo import haversine_km
from ..model import EVENT_COLS
from ..sqltypes import fetch_rows
from .rules import MergeRules, load_rules, norm

REPORT_COLS = EVENT_COLS  # a report's columns, as stored


# -------------------------------------------------------------------------------------- reports
@dataclass
class Report:
    """The fields of one stored report event that merging reads."""

    event_id: str
    doc_id: str
    day: int | None  # date ordinal
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    country: str
    admin1: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities: int
    hedged: bool
    confidence: float

    @property
    def date(self) -> str | None:
        return date.fromordinal(self.day).isoformat() if self.day is not None else None


@dataclass
class Match:
    """The outcome of comparing two reports, with the figures behind it."""

    ok: bool
    rule: str  # the rule that decided: "match" or the first rule that failed
    detail: str
    date_diff: int | None = None
    distance_km: float | None = None
    actors: str = ""

    def key(self) -> tuple[int, float, int]:
        return (self.date_diff or 0, round(self.distance_km or 0.0, 3), 0 if self.actors == "same actors" else 1)


def family(name: str, rules: MergeRules) -> str | None:
    """An actor's family, or None when unknown (empty or unidentified)."""
    return _family_of(name or "", rules.unknown_prefixes, rules.state_prefixes)


@lru_cache(maxsize=65536)
def _family_of(name: str, unknown: tuple[str, ...], state: tuple[str, ...]) -> str | None:
    name = name.strip()
    if not name or name.startswith(unknown):
        return None
    for p in state:
        if name.startswith(p):
            # what follows the regime year names a rival authority of the same country ("Military Forces of
            # Yemen (2017-) Houthi" is not the government's "Military Forces of Yemen (2012-)")
            return "state forces of " + " ".join(_PARENS.sub(" ", name[len(p) :]).split())
    return _PARENS.sub("", name).strip() or name


_PARENS = re.compile(r"\s*\([^)]*\)")


def _one_authority(fa: str, fb: str) -> bool:
    """A state's forces named without their authority may be either rival authority's ("Military Forces of
    Libya (2016-)" and "... (2014-) Haftar Faction"); two named authorities are two sides."""
    short, long = sorted((fa, fb), key=len)
    return short.startswith("state forces of ") and long.startswith(short + " ")


_KM_PER_DEGREE_LAT = 111.19  # a great-circle distance is at least the latitude difference


def actors_compatible(a: str, b: str, rules: MergeRules, victim: bool) -> bool:
    """Whether two reports' actors in one role may be one actor (``victim``: the role of the side attacked)."""
    fa, fb = family(a, rules), family(b, rules)
    if fa is None or fb is None or fa == fb or _one_authority(fa, fb):
        return True
    return victim and fa in rules.victims and fb in rules.victims


def _actors(a: Report, b: Report, rules: MergeRules) -> tuple[bool, str]:
    direct = actors_compatible(a.actor1, b.actor1, rules, False) and actors_compatible(a.actor2, b.actor2, rules, True)
    if a.sub_event_type in rules.symmetric and b.sub_event_type in rules.symmetric:
        if direct:
            return True, "same actors" if (a.actor1, a.actor2) == (b.actor1, b.actor2) else "compatible actors"
        swapped = actors_compatible(a.actor1, b.actor2, rules, False) and actors_compatible(
            a.actor2, b.actor1, rules, False
        )
        if swapped:
            return True, f"compatible actors in either order ({a.sub_event_type} is symmetric)"
        return False, f"actors differ ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    f = [family(x, rules) for x in (a.actor1, a.actor2, b.actor1, b.actor2)]
    if (f[0] is not None and f[0] == f[3]) or (f[1] is not None and f[1] == f[2]):
        return False, f"opposite roles ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    if not direct:
        return False, f"actors differ ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    return True, "same actors" if (a.actor1, a.actor2) == (b.actor1, b.actor2) else "compatible actors"


def compare(a: Report, b: Report, rules: MergeRules | None = None) -> Match:
    """Whether two reports describe the same happening, and which rule decided."""
    rules = rules or load_rules()
    if a.doc_id == b.doc_id:
        return Match(False, "same document", "events of one document are distinct happenings")
    if a.day is None or b.day is None:
        return Match(False, "date", "an event without a date is never merged")
    if not rules.sub_types_match(a.sub_event_type, b.sub_event_type):
        return Match(False, "sub-type", f"{a.sub_event_type} vs {b.sub_event_type} are not compatible")
    diff = abs(a.day - b.day)
    allowed = rules.window(a.time_precision) + rules.window(b.time_precision)
    if diff > allowed:
        return Match(
            False,
            "date",
            f"{a.date} vs {b.date}: {diff} day(s) apart, precision {a.time_precision}/"
            f"{b.time_precision} allows {allowed}",
            date_diff=diff,
        )
    if not a.country or a.country != b.country:
        return Match(False, "country", f"{a.country or '?'} vs {b.country or '?'}", date_diff=diff)
    prec = max(a.geo_precision, b.geo_precision)
    dist = None
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        dist = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
    if prec in rules.radius_km:
        radius = rules.radius_km[prec]
        if dist is None:
            if norm(a.location) != norm(b.location):
                return Match(False, "place", f"{a.location} vs {b.location}, no coordinates", date_diff=diff)
            place = f"same place {a.location} (no coordinates)"
        elif dist > radius:
            return Match(
                False,
                "place",
                f"{a.location} vs {b.location}: {dist:.1f} km apart, geo precision {prec} allows {radius:g} km",
                date_diff=diff,
                distance_km=dist,
            )
        else:
            place = f"{a.location} / {b.location}: {dist:.1f} km apart (<= {radius:g} km at geo precision {prec})"
    elif a.admin1 and b.admin1:
        if a.admin1 != b.admin1:
            return Match(False, "place", f"admin1 {a.admin1} vs {b.admin1} at geo precision 3", date_diff=diff)
        place = f"same admin1 {a.admin1} (geo precision 3)"
    elif dist is not None and dist <= rules.admin1_fallback_km:
        place = f"{dist:.1f} km apart (<= {rules.admin1_fallback_km:g} km, no admin1 at geo precision 3)"
    else:
        return Match(
            False, "place", f"{a.location} vs {b.location}: no shared admin1", date_diff=diff, distance_km=dist
        )
    ok, actors = _actors(a, b, rules)
    if not ok:
        return Match(False, "actors", actors, date_diff=diff, distance_km=dist)
    sub = "same sub-type" if a.sub_event_type == b.sub_event_type else "compatible sub-types"
    when = "same day" if diff == 0 else f"{diff} day(s) apart (allowed {allowed})"
    return Match(
        True,
        "match",
        f"{sub} ({a.sub_event_type} / {b.sub_event_type}); {when}; {place}; {actors}",
        date_diff=diff,
        distance_km=dist,
        actors=actors,
    )


# ----------------------------------------------------------------------------------- clustering
def candidate_pairs(
    reports: Sequence[Report], rules: MergeRules, capped: list[int] | None = None
) -> list[tuple[tuple[int, float, int], int, int, Match]]:
    """Matching pairs (i, j) with reports[i].event_id < reports[j].event_id.

    Blocks: country x sub-type class x day.  A precision-1 report meets the precision-1 reports of
    its own day and the vaguer reports whose window reaches it; a vaguer report meets every report
    its window reaches, nearest days first.  Cheap tests (document, date, sub-type, latitude gap)
    run before compare().  The work per report is capped: it meets at most ``rules.max_compares``
    reports of its block, the nearest days first, and is never merged with those beyond; the index
    of a report that reached the cap is appended to ``capped``.
    """
    exact: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    vague: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    widest: dict[tuple[str, str], int] = defaultdict(int)
    windows = [rules.window(r.time_precision) for r in reports]
    for i, r in enumerate(reports):
        if r.day is None or not r.country:
            continue
        key = (r.country, rules.block_class(r.sub_event_type))
        (exact if windows[i] == 0 else vague)[key][r.day].append(i)
        widest[key] = max(widest[key], windows[i])
    out: list[tuple[tuple[int, float, int], int, int, Match]] = []
    for key in sorted(set(exact) | set(vague)):
        ex, va, wb = exact.get(key, {}), vague.get(key, {}), widest[key]
        for idx in (ex, va):
            for day, members in idx.items():
                for i in members:
                    reach = windows[i] + wb
                    days = sorted(range(day - reach, day + reach + 1), key=lambda d: (abs(d - day), d))
                    near = (
                        j
                        for d in days
                        for part in ((ex.get(d, ()) if d == day or windows[i] else ()), va.get(d, ()))
                        for j in part
                    )
                    if _compare_near(reports, windows, rules, i, near, out) and capped is not None:
                        capped.append(i)
    return out


def _compare_near(
    reports: Sequence[Report],
    windows: list[int],
    rules: MergeRules,
    i: int,
    near: Iterable[int],
    out: list[tuple[tuple[int, float, int], int, int, Match]],
) -> bool:
    """Compare reports[i] with the reports ``near`` it (after the cheap tests); True when it reached the cap."""
    a, radius, budget = reports[i], rules.radius_km, rules.max_compares
    for j in near:
        if budget <= 0:
            return True
        budget -= 1
        b = reports[j]
        if b.event_id <= a.event_id or a.doc_id == b.doc_id:
            continue
        if abs(a.day - b.day) > windows[i] + windows[j]:  # type: ignore[operator]
            continue
        if a.sub_event_type != b.sub_event_type and (a.sub_event_type, b.sub_event_type) not in rules.compatible:
            continue
        prec = max(a.geo_precision, b.geo_precision)
        if (
            prec in radius
            and a.latitude is not None
            and b.latitude is not None
            and abs(a.latitude - b.latitude) * _KM_PER_DEGREE_LAT > radius[prec]
        ):
            continue
        m = compare(a, b, rules)
        if m.ok:
            out.append((m.key(), i, j, m))
    return False


# ------------------------------------------------------------------------------ syndicated copies
def _fingerprint(r: Report) -> tuple[Any, ...]:
    """The fields compare() reads, but the document: reports equal in these are copies of one report."""
    return (
        r.day,
        r.time_precision,
        r.sub_event_type,
        r.actor1,
        r.actor2,
        r.country,
        r.admin1,
        r.location,
        r.latitude,
        r.longitude,
        r.geo_precision,
    )


def copy_groups(reports: Sequence[Report], rules: MergeRules) -> list[list[int]]:
    """Reports that are copies of one another (a wire story and its syndicated copies), in groups.

    A group holds reports of one fingerprint from distinct documents (the k-th copy within one
    document goes to the k-th group); a fingerprint that would not match a copy of itself (no date,
    no country, opposite roles) leaves its reports alone.  Every pair of a group matches, so a
    group is compared with other reports once, through its first report.  Groups come in the order
    of their first reports.
    """
    groups: list[list[int]] = []
    docs: list[set[str]] = []
    by_print: dict[tuple[Any, ...], list[int]] = {}
    self_ok: dict[tuple[Any, ...], bool] = {}
    for i, r in enumerate(reports):
        fp = _fingerprint(r)
        if fp not in self_ok:
            twin = replace(r, doc_id=r.doc_id + "\x00copy")
            self_ok[fp] = compare(r, twin, rules).ok
        home = None
        if self_ok[fp]:
            home = next((g for g in by_print.get(fp, ()) if r.doc_id not in docs[g]), None)
        if home is None:
            home = len(groups)
            groups.append([])
            docs.append(set())
            if self_ok[fp]:
                by_print.setdefault(fp, []).append(home)
        groups[home].append(i)
        docs[home].add(r.doc_id)
    return groups


def group_pairs(
    reports: Sequence[Report], groups: list[list[int]], rules: MergeRules, capped: list[int] | None = None
) -> list[tuple[tuple[int, float, int], int, int, Match]]:
    """Matching pairs (g, h) of copy groups (:func:`candidate_pairs` of their first reports).

    Two groups are compared whatever their documents; :func:`cluster` drops the pairs of groups
    that share one."""
    reps = [replace(reports[g[0]], doc_id=f"\x00group {k}") for k, g in enumerate(groups)]
    return candidate_pairs(reps, rules, capped)


def cluster(
    reports: Sequence[Report], rules: MergeRules | None = None, capped: list[int] | None = None
) -> list[list[int]]:
    """Complete-linkage clusters of report indices, each sorted by event_id, in a stable order.

    Copies of one report (:func:`copy_groups`) are clustered as one; two groups join only when
    they share no document, as two reports of one document never do.  ``capped`` gets the groups
    that reached the cap on work (see :func:`candidate_pairs`).
    """
    rules = rules or load_rules()
    order = sorted(range(len(reports)), key=lambda i: reports[i].event_id)
    groups = [[order[i] for i in g] for g in copy_groups([reports[i] for i in order], rules)]
    docs = [{reports[i].doc_id for i in g} for g in groups]
    pairs = [p for p in group_pairs(reports, groups, rules, capped) if not docs[p[1]] & docs[p[2]]]
    ok: set[tuple[int, int]] = set()
    for _, i, j, _m in pairs:
        ok.add((i, j))
        ok.add((j, i))
    first = [reports[g[0]].event_id for g in groups]
    pairs.sort(key=lambda p: (p[0], first[p[1]], first[p[2]]))
    of: dict[int, int] = {i: i for i in range(len(groups))}
    members: dict[int, list[int]] = {i: [i] for i in range(len(groups))}
    for _, i, j, _m in pairs:
        ci, cj = of[i], of[j]
        if ci == cj:
            continue
        a, b = members[ci], members[cj]
        if all((x, y) in ok for x in a for y in b):
            keep, drop = (ci, cj) if len(a) >= len(b) else (cj, ci)
            for x in members[drop]:
                of[x] = keep
            members[keep].extend(members.pop(drop))
    out = [sorted((i for g in m for i in groups[g]), key=lambda i: reports[i].event_id) for m in members.values()]
    out.sort(key=lambda m: reports[m[0]].event_id)
    return out


def load_reports(
    con: Any, where: str = "", params: Sequence[Any] = ()
) -> tuple[list[Report], dict[str, dict[str, Any]]]:
    cur = con.execute(f"SELECT {', '.join(REPORT_COLS)} FROM events {where}", list(params))
    reports: list[Report] = []
    full: dict[str, dict[str, Any]] = {}
    for row in fetch_rows(cur, 10000):
        d = dict(zip(REPORT_COLS, row, strict=True))
        full[d["event_id"]] = d
        day = d["event_date"].toordinal() if d["event_date"] else None
        reports.append(
            Report(
                d["event_id"],
                d["doc_id"],
                day,
                d["time_precision"] or 3,
                d["event_type"] or "",
                d["sub_event_type"] or "",
                d["actor1"] or "",
                d["actor2"] or "",
                d["country"] or "",
                d["admin1"] or "",
                d["location"] or "",
                d["latitude"],
                d["longitude"],
                d["geo_precision"] or 3,
                d["fatalities"] or 0,
                bool(d["hedged"]),
                float(d["confidence"] or 0.0),
            )
        )
    return reports, full


def neighbours(con: Any, todo: list[Report], rules: MergeRules) -> tuple[list[Report], dict[str, dict[str, Any]]]:
    """Stored events in the same country whose dates are compatible with those of ``todo``."""
    import pyarrow as pa

    # one window per (country, day, width): a thousand copies of one story search once
    wins = sorted({(r.country, r.day, rules.window(r.time_precision)) for r in todo if r.day is not None and r.country})
    if not wins:
        return [], {}
    win = pa.table(
        {
            "wc": pa.array([w[0] for w in wins], pa.string()),
            "wd": pa.array([date.fromordinal(w[1]) for w in wins], pa.date32()),
            "ww": pa.array([w[2] for w in wins], pa.int32()),
        }
    )
    wmax = rules.max_window
    case = " ".join(f"WHEN {p} THEN {w}" for p, w in sorted(rules.date_window.items()))
    con.register("t_merge_win", win)
    try:
        return load_reports(
            con,
            f"SEMI JOIN t_merge_win ON country = wc AND event_date BETWEEN wd - (ww + {wmax}) AND wd + (ww + {wmax}) "
            f"AND abs(event_date - wd) <= ww + CASE time_precision {case} ELSE {wmax} END",
        )
    finally:
        con.unregister("t_merge_win")
