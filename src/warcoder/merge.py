"""Merging: reports of one happening from different documents become one canonical event.

    from warcoder.merge import merge_all, merge_documents, explain
    with Store("w.duckdb") as store:
        merge_all(store)                       # re-merge the whole store
        merge_documents(store, ["doc-1"])      # after writing doc-1: merge it in incrementally
        print(explain(store, "wc-..."))        # why reports were (or were not) merged

Two report events match (:func:`compare`) when all of these hold, with the thresholds in
``data/merge.yaml``:

* they come from different documents (one document's events are distinct by construction);
* their sub-types are the same or listed as compatible;
* their dates lie within each other's time precision (two precision-1 events: the same day);
* they are in the same country and within a radius set by the coarser geo_precision
  (precision 3: the same admin1);
* their actors are compatible: the same family or one unknown, never opposite roles (actor1 of
  one is actor2 of the other), except in symmetric sub-types (Armed clash) where the pair is
  compared in either order.

Clustering is complete-linkage: candidate pairs are taken best first (date gap, distance, event
ids) and two clusters join only when *every* pair across them matches, so a canonical event never
holds two reports that do not match each other (no chaining through an unknown actor).  The order
depends only on the events themselves, never on the order they were stored, so an incremental
merge gives the same result as a full re-merge.  Candidates are blocked by country, sub-type class
and day, so the work is near linear in the number of events.

Each canonical event counts its independent sources: documents that are copies of one story
(word-shingle Jaccard or containment, see ``syndication`` in the rules) or come from the same
outlet count once.  Outlets are rated in ``data/sources.tsv`` (extend or override it with
``--sources FILE`` or ``$WARCODER_SOURCES``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .model import EVENT_COLS, Event, Span

SCHEMA = """
CREATE TABLE IF NOT EXISTS canonical_events (
    canonical_id VARCHAR, event_date DATE, time_precision INTEGER, event_type VARCHAR,
    sub_event_type VARCHAR, actor1 VARCHAR, assoc_actor_1 VARCHAR, inter1 INTEGER, actor2 VARCHAR,
    assoc_actor_2 VARCHAR, inter2 INTEGER, country VARCHAR, admin1 VARCHAR, admin2 VARCHAR, location VARCHAR,
    latitude DOUBLE, longitude DOUBLE, geo_precision INTEGER, fatalities INTEGER, fatalities_low INTEGER,
    fatalities_high INTEGER, notes VARCHAR, source VARCHAR, source_url VARCHAR, hedged BOOLEAN, confidence DOUBLE,
    sources INTEGER, reports INTEGER, corroboration VARCHAR, partisan_only BOOLEAN, outlets VARCHAR,
    alt_dates VARCHAR, alt_locations VARCHAR, primary_event_id VARCHAR, merged_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS event_links (
    event_id VARCHAR, canonical_id VARCHAR, doc_id VARCHAR, source_group VARCHAR, reason VARCHAR
);
"""

CANONICAL_COLS = [
    "canonical_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "notes",
    "source",
    "source_url",
    "hedged",
    "confidence",
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
LINK_COLS = ["event_id", "canonical_id", "doc_id", "source_group", "reason"]

CANONICAL_EXTRA_COLUMNS = [
    "canonical_id",
    "sources",
    "corroboration",
    "partisan_only",
    "reports",
    "outlets",
    "fatalities_low",
    "fatalities_high",
    "alt_dates",
    "alt_locations",
    "event_ids",
    "doc_ids",
]
"""Columns a canonical export adds after the per-report columns."""

_REPORT_COLS = EVENT_COLS  # a report's columns, as stored


# ---------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class MergeRules:
    """The thresholds and tables of data/merge.yaml."""

    compatible: frozenset[tuple[str, str]]
    symmetric: frozenset[str]
    date_window: dict[int, int]
    radius_km: dict[int, float]
    admin1_fallback_km: float
    unknown_prefixes: tuple[str, ...]
    victims: frozenset[str]
    state_prefixes: tuple[str, ...]
    shingle_words: int
    jaccard: float
    containment: float
    min_shingles: int
    partisan: frozenset[str]
    classes: dict[str, str] = field(default_factory=dict)  # sub-type -> blocking class
    max_window: int = 0  # the widest date window

    def window(self, precision: int) -> int:
        return self.date_window.get(precision, self.max_window)

    def sub_types_match(self, a: str, b: str) -> bool:
        return a == b or (a, b) in self.compatible

    def block_class(self, sub_type: str) -> str:
        return self.classes.get(sub_type, sub_type)


@lru_cache(maxsize=1)
def load_rules() -> MergeRules:
    raw = yaml.safe_load(resources.files("warcoder.data").joinpath("merge.yaml").read_text("utf-8"))
    pairs: set[tuple[str, str]] = set()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for group in raw["compatible_sub_types"]:
        for a in group:
            for b in group:
                if a != b:
                    pairs.add((a, b))
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    syn = raw["syndication"]
    return MergeRules(
        compatible=frozenset(pairs),
        symmetric=frozenset(raw["symmetric_sub_types"]),
        date_window={int(k): int(v) for k, v in raw["date_window_days"].items()},
        radius_km={int(k): float(v) for k, v in raw["radius_km"].items()},
        admin1_fallback_km=float(raw["radius_km_admin1_fallback"]),
        unknown_prefixes=tuple(raw["unknown_actor_prefixes"]),
        victims=frozenset(raw["interchangeable_victims"]),
        state_prefixes=tuple(raw["state_force_prefixes"]),
        shingle_words=int(syn["shingle_words"]),
        jaccard=float(syn["jaccard"]),
        containment=float(syn["containment"]),
        min_shingles=int(syn["min_shingles"]),
        partisan=frozenset(raw["partisan_affiliations"]),
        classes={k: find(k) for k in parent},
        max_window=max(int(v) for v in raw["date_window_days"].values()),
    )


# -------------------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class Outlet:
    """One row of the outlet table (data/sources.tsv)."""

    outlet: str
    country: str = ""
    affiliation: str = "unrated"
    note: str = ""


class SourceTable:
    """Rates a document's outlet from its ``source`` name or its URL's host.

    The seed table is data/sources.tsv; ``extra`` (or ``$WARCODER_SOURCES``) names a table of the
    same columns whose rows add outlets or replace the seed row of the same outlet.
    """

    ENV = "WARCODER_SOURCES"

    def __init__(self, extra: str | Path | None = None) -> None:
        self.outlets: dict[str, Outlet] = {}
        self._names: dict[str, str] = {}
        self._domains: dict[str, str] = {}
        self._cache: dict[tuple[str, str], Outlet] = {}
        rows = list(
            _read_tsv(resources.files("warcoder.data").joinpath("sources.tsv").read_text("utf-8"), "sources.tsv")
        )
        extra = extra or os.environ.get(self.ENV) or None
        if extra:
            p = Path(extra)
            if not p.is_file():
                raise FileNotFoundError(f"{p}: no such sources table")
            rows += list(_read_tsv(p.read_text("utf-8"), str(p)))
        for row in rows:  # later rows (the analyst's table) replace earlier ones of the same outlet
            name = row["outlet"].strip()
            self.outlets[_norm(name)] = Outlet(
                name,
                row.get("country", "").strip(),
                row.get("affiliation", "").strip() or "unrated",
                row.get("note", "").strip(),
            )
            for alias in [name, *_split(row.get("aliases", ""))]:
                self._names[_norm(alias)] = _norm(name)
            for dom in _split(row.get("domains", "")):
                self._domains[dom.lower().removeprefix("www.")] = _norm(name)

    def rate(self, source: str | None, url: str | None = None) -> Outlet:
        """The outlet behind a document: its URL host first, else its source name; unrated when unknown."""
        host = (urlsplit(url).hostname or "").lower() if url else ""
        key = (source or "", host)
        if key not in self._cache:
            self._cache[key] = self._rate(source, url, host)
        return self._cache[key]

    def _rate(self, source: str | None, url: str | None, host: str) -> Outlet:
        while host:
            if host in self._domains:
                return self.outlets[self._domains[host]]
            host = host.partition(".")[2] if host.count(".") >= 1 else ""
        key = _norm(source or "")
        if key in self._names:
            return self.outlets[self._names[key]]
        name = (source or "").strip() or ((urlsplit(url).hostname or "").removeprefix("www.") if url else "")
        return Outlet(name or "unknown")


def _read_tsv(text: str, where: str) -> Iterable[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    if not reader.fieldnames or "outlet" not in reader.fieldnames:
        raise ValueError(f"{where}: a sources table needs a header row with an 'outlet' column")
    for row in reader:
        if row.get("outlet"):
            yield {k: (v or "") for k, v in row.items() if k}


def _split(s: str) -> list[str]:
    return [p.strip() for p in (s or "").split("|") if p.strip()]


def _norm(s: str) -> str:
    return re.sub(r"[^\w]+", " ", s.casefold()).strip()


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


def _family(name: str, rules: MergeRules) -> str | None:
    """An actor's family, or None when unknown (empty or unidentified)."""
    return _family_of(name or "", rules.unknown_prefixes, rules.state_prefixes)


@lru_cache(maxsize=65536)
def _family_of(name: str, unknown: tuple[str, ...], state: tuple[str, ...]) -> str | None:
    name = name.strip()
    if not name or name.startswith(unknown):
        return None
    for p in state:
        if name.startswith(p):
            return "state forces of " + name[len(p) :].split("(")[0].strip()
    return _PARENS.sub("", name).strip() or name


_PARENS = re.compile(r"\s*\([^)]*\)")
_KM_PER_DEGREE_LAT = 111.19  # a great-circle distance is at least the latitude difference


def _actor_ok(a: str, b: str, rules: MergeRules, victim: bool) -> bool:
    fa, fb = _family(a, rules), _family(b, rules)
    if fa is None or fb is None or fa == fb:
        return True
    return victim and fa in rules.victims and fb in rules.victims


def _actors(a: Report, b: Report, rules: MergeRules) -> tuple[bool, str]:
    direct = _actor_ok(a.actor1, b.actor1, rules, False) and _actor_ok(a.actor2, b.actor2, rules, True)
    if a.sub_event_type in rules.symmetric and b.sub_event_type in rules.symmetric:
        if direct:
            return True, "same actors" if (a.actor1, a.actor2) == (b.actor1, b.actor2) else "compatible actors"
        swapped = _actor_ok(a.actor1, b.actor2, rules, False) and _actor_ok(a.actor2, b.actor1, rules, False)
        if swapped:
            return True, f"compatible actors in either order ({a.sub_event_type} is symmetric)"
        return False, f"actors differ ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    f = [_family(x, rules) for x in (a.actor1, a.actor2, b.actor1, b.actor2)]
    if (f[0] is not None and f[0] == f[3]) or (f[1] is not None and f[1] == f[2]):
        return False, f"opposite roles ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    if not direct:
        return False, f"actors differ ({a.actor1} / {a.actor2} vs {b.actor1} / {b.actor2})"
    return True, "same actors" if (a.actor1, a.actor2) == (b.actor1, b.actor2) else "compatible actors"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


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
            if _norm(a.location) != _norm(b.location):
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
    reports: Sequence[Report], rules: MergeRules
) -> list[tuple[tuple[int, float, int], int, int, Match]]:
    """Matching pairs (i, j) with reports[i].event_id < reports[j].event_id.

    Blocks: country x sub-type class x day.  A precision-1 report meets the precision-1 reports of
    its own day and the vaguer reports whose window reaches it; a vaguer report meets every report
    its window reaches.  Cheap tests (document, date, sub-type, latitude gap) run before compare().
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
    radius = rules.radius_km
    out: list[tuple[tuple[int, float, int], int, int, Match]] = []
    for key in sorted(set(exact) | set(vague)):
        ex, va, wb = exact.get(key, {}), vague.get(key, {}), widest[key]
        for idx in (ex, va):
            for day, members in idx.items():
                for i in members:
                    a = reports[i]
                    wa = windows[i]
                    reach = wa + wb
                    near: list[int] = []
                    for d in range(day - reach, day + reach + 1):
                        if d == day or wa:
                            near.extend(ex.get(d, ()))
                        near.extend(va.get(d, ()))
                    for j in near:
                        b = reports[j]
                        if b.event_id <= a.event_id or a.doc_id == b.doc_id:
                            continue
                        if abs(day - b.day) > wa + windows[j]:  # type: ignore[operator]
                            continue
                        if a.sub_event_type != b.sub_event_type and (a.sub_event_type, b.sub_event_type) not in (
                            rules.compatible
                        ):
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
    return out


def cluster(reports: Sequence[Report], rules: MergeRules | None = None) -> list[list[int]]:
    """Complete-linkage clusters of report indices, each sorted by event_id, in a stable order."""
    rules = rules or load_rules()
    pairs = candidate_pairs(reports, rules)
    ok: set[tuple[int, int]] = set()
    for _, i, j, _m in pairs:
        ok.add((i, j))
        ok.add((j, i))
    pairs.sort(key=lambda p: (p[0], reports[p[1]].event_id, reports[p[2]].event_id))
    of: dict[int, int] = {i: i for i in range(len(reports))}
    members: dict[int, list[int]] = {i: [i] for i in range(len(reports))}
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
    out = [sorted(m, key=lambda i: reports[i].event_id) for m in members.values()]
    out.sort(key=lambda m: reports[m[0]].event_id)
    return out


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
    """Group documents into independent sources: doc_id -> group id (its smallest doc_id), plus why."""
    order = sorted(docs, key=lambda d: d.doc_id)
    parent = {d.doc_id: d.doc_id for d in order}
    why: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    sh = {d.doc_id: shingles(d.text, rules.shingle_words) for d in order}
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            reason = ""
            if a.outlet.outlet != "unknown" and _norm(a.outlet.outlet) == _norm(b.outlet.outlet):
                reason = f"same outlet as {a.doc_id} ({a.outlet.outlet})"
            else:
                sa, sb = sh[a.doc_id], sh[b.doc_id]
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
    row = {k: full[primary.event_id][k] for k in _REPORT_COLS if k not in ("event_id", "doc_id")}
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
    figures = sorted(r.fatalities for r in members if r.fatalities > 0)
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
        fatalities_high=r.fatalities,
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


# ---------------------------------------------------------------------------------------- store
@dataclass
class MergeSummary:
    reports: int = 0  # report events considered
    canonical: int = 0  # canonical events written
    multi_source: int = 0
    partisan_only: int = 0
    seconds: float = 0.0

    @property
    def duplicate_rate(self) -> float:
        """The share of report rows that another report of the same happening duplicates."""
        return (self.reports - self.canonical) / self.reports if self.reports else 0.0


def ensure_schema(con: Any) -> None:
    con.execute(SCHEMA)
    con.execute("SET enable_progress_bar = false")


def _has_tables(con: Any) -> bool:
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return {"canonical_events", "event_links"} <= names


def _load_reports(
    con: Any, where: str = "", params: Sequence[Any] = ()
) -> tuple[list[Report], dict[str, dict[str, Any]]]:
    cur = con.execute(f"SELECT {', '.join(_REPORT_COLS)} FROM events {where}", list(params))
    reports: list[Report] = []
    full: dict[str, dict[str, Any]] = {}
    while True:
        rows = cur.fetchmany(10000)
        if not rows:
            break
        for row in rows:
            d = dict(zip(_REPORT_COLS, row, strict=True))
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


def _load_docs(con: Any, doc_ids: Iterable[str], table: SourceTable) -> dict[str, DocInfo]:
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
    docs = _load_docs(con, {reports[i].doc_id for c in multi for i in c}, table)
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
    types = {k: pa.string() for k in CANONICAL_COLS}
    for k in (
        "time_precision",
        "inter1",
        "inter2",
        "geo_precision",
        "fatalities",
        "fatalities_low",
        "fatalities_high",
        "sources",
        "reports",
    ):
        types[k] = pa.int32()
    for k in ("latitude", "longitude", "confidence"):
        types[k] = pa.float64()
    for k in ("hedged", "partisan_only"):
        types[k] = pa.bool_()
    types["event_date"] = pa.date32()
    types["merged_at"] = pa.timestamp("us")
    t_canon = pa.table({k: pa.array(v, types[k]) for k, v in cdata.items()})
    t_links = pa.table({k: pa.array(v, pa.string()) for k, v in ldata.items()})
    tables = {"t_canon": t_canon, "t_links": t_links}
    if delete_canonical is not None:
        tables["t_del_c"] = pa.table({"id": pa.array(sorted(set(delete_canonical)), pa.string())})
    if delete_events is not None:
        tables["t_del_e"] = pa.table({"id": pa.array(sorted(set(delete_events)), pa.string())})
    try:
        con.execute("BEGIN TRANSACTION")
        for name, t in tables.items():
            con.register(name, t)
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
        con.execute(f"INSERT INTO canonical_events SELECT {', '.join(CANONICAL_COLS)} FROM t_canon")
        con.execute(f"INSERT INTO event_links SELECT {', '.join(LINK_COLS)} FROM t_links")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            with contextlib.suppress(Exception):
                con.unregister(name)


def _summary(canon: list[Canonical], n_reports: int, t0: float) -> MergeSummary:
    import time

    return MergeSummary(
        reports=n_reports,
        canonical=len(canon),
        multi_source=sum(1 for c in canon if c.row["sources"] >= 2),
        partisan_only=sum(1 for c in canon if c.row["partisan_only"]),
        seconds=time.perf_counter() - t0,
    )


def merge_all(store: Any, sources: str | Path | None = None) -> MergeSummary:
    """Re-merge every event in the store (replaces canonical_events and event_links)."""
    import time

    t0 = time.perf_counter()
    con = store.con
    ensure_schema(con)
    rules, table = load_rules(), SourceTable(sources)
    reports, full = _load_reports(con)
    reports.sort(key=lambda r: r.event_id)
    canon = _build_all(con, reports, full, cluster(reports, rules), table, rules)
    _write(con, canon, None, None)
    return _summary(canon, len(reports), t0)


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
    seed_reports, seed_full = _load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [sorted(seeds)])
    for r in seed_reports:
        affected[r.event_id] = r
        full[r.event_id] = seed_full[r.event_id]
    loaded: dict[str, Report] = dict(affected)
    searched: set[str] = set()  # events whose date-compatible neighbours are loaded
    while True:
        todo = [r for r in affected.values() if r.event_id not in searched]
        if not todo:
            break
        rs, fl = _neighbours(con, todo, rules)
        searched.update(r.event_id for r in todo)
        for r in rs:
            loaded.setdefault(r.event_id, r)
            full.setdefault(r.event_id, fl[r.event_id])
        # the other members of the affected reports' old canonical events are re-clustered too
        mates = _old_mates(con, list(affected)) - loaded.keys()
        if mates:
            rs, fl = _load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [sorted(mates)])
            for r in rs:
                loaded[r.event_id] = r
                full[r.event_id] = fl[r.event_id]
        for m in mates & loaded.keys():
            affected[m] = loaded[m]
        # every report that can match an affected one is affected: its own neighbours are searched next
        reps = sorted(loaded.values(), key=lambda r: r.event_id)
        for _, i, j, _m in candidate_pairs(reps, rules):
            a, b = reps[i], reps[j]
            if a.event_id in affected or b.event_id in affected:
                affected.setdefault(a.event_id, a)
                affected.setdefault(b.event_id, b)
    clusters_ids = [list(affected)]
    reports = [affected[e] for e in sorted({e for c in clusters_ids for e in c})]
    canon = _build_all(con, reports, full, cluster(reports, rules), table, rules)
    ids = [r.event_id for r in reports]
    _write(con, canon, stale_c | _old_canonicals(con, ids), ids)
    return _summary(canon, len(reports), t0)


def _vote_actors(row: dict[str, Any], ranked: list[Report], full: dict[str, dict[str, Any]], rules: MergeRules) -> None:
    """Each actor slot takes the name most reports give (ties: the best-ranked report's); unknown
    names only when no report names the actor.  In a symmetric sub-type a report that names the pair
    the other way round votes with its roles swapped."""
    roles = (("actor1", "assoc_actor_1", "inter1"), ("actor2", "assoc_actor_2", "inter2"))
    symmetric = row["sub_event_type"] in rules.symmetric
    p1, p2 = _family(row["actor1"], rules), _family(row["actor2"], rules)
    for slot in (0, 1):
        votes: dict[str, list[Any]] = {}
        for rank, r in enumerate(ranked):
            d = full[r.event_id]
            f1, f2 = _family(d["actor1"], rules), _family(d["actor2"], rules)
            swap = symmetric and (
                (f1 is not None and f1 in (p2,) and f1 != p1) or (f2 is not None and f2 == p1 and f2 != p2)
            )
            src = roles[1 - slot] if swap else roles[slot]
            name = d[src[0]] or ""
            if _family(name, rules) is None:
                continue
            v = votes.setdefault(name, [0, rank, d, src])
            v[0] += 1
        if votes:
            _n, _rank, d, src = min(votes.values(), key=lambda v: (-v[0], v[1]))
            for dst, k in zip(roles[slot], src, strict=True):
                row[dst] = d[k]


def _neighbours(con: Any, todo: list[Report], rules: MergeRules) -> tuple[list[Report], dict[str, dict[str, Any]]]:
    """Stored events in the same country whose dates are compatible with those of ``todo``."""
    import pyarrow as pa

    dated = [r for r in todo if r.day is not None and r.country]
    if not dated:
        return [], {}
    win = pa.table(
        {
            "wc": pa.array([r.country for r in dated], pa.string()),
            "wd": pa.array([date.fromordinal(r.day) for r in dated], pa.date32()),  # type: ignore[arg-type]
            "ww": pa.array([rules.window(r.time_precision) for r in dated], pa.int32()),
        }
    )
    wmax = rules.max_window
    case = " ".join(f"WHEN {p} THEN {w}" for p, w in sorted(rules.date_window.items()))
    con.register("t_merge_win", win)
    try:
        return _load_reports(
            con,
            f"JOIN t_merge_win ON country = wc AND event_date BETWEEN wd - (ww + {wmax}) AND wd + (ww + {wmax}) "
            f"WHERE abs(event_date - wd) <= ww + CASE time_precision {case} ELSE {wmax} END",
        )
    finally:
        con.unregister("t_merge_win")


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
    if not _has_tables(con):
        return "the store has never been merged"
    row = con.execute(
        "SELECT (SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_links)), "
        "(SELECT count(*) FROM event_links WHERE event_id NOT IN (SELECT event_id FROM events))"
    ).fetchone()
    if row and (row[0] or row[1]):
        return f"{row[0]} event(s) not merged yet, {row[1]} stale link(s)"
    return None


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
    cols = [c for c in CANONICAL_COLS if c not in ("merged_at",)]
    cur = con.execute(f"SELECT {', '.join(cols)} FROM canonical_events ORDER BY event_date, canonical_id")
    while True:
        rows = cur.fetchmany(1000)
        if not rows:
            break
        for row in rows:
            d = dict(zip(cols, row, strict=True))
            cid = d["canonical_id"]
            mem = members.get(cid, [])
            evidence = [
                ReportSpan(s, e, t, doc, ev, src) for ev, _doc in mem for (s, e, t, doc, src) in spans.get(ev, [])
            ]
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
            )


# -------------------------------------------------------------------------------------- explain
def explain(store: Any, event_id: str, sources: str | Path | None = None) -> str:
    """Why a report (or canonical event) was merged with the others, and why nearby ones were not."""
    con = store.con
    rules = load_rules()
    if not _has_tables(con):
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
    reps, _ = _load_reports(con, "WHERE event_id IN (SELECT unnest(?))", [ids])
    reps.sort(key=lambda r: r.event_id)
    if len(reps) > 1:
        w("pairwise checks:\n")
        for i, a in enumerate(reps):
            for b in reps[i + 1 :]:
                m = compare(a, b, rules)
                w(f"  {a.event_id} ~ {b.event_id}: {'match' if m.ok else 'NO ' + m.rule}: {m.detail}\n")
        table = SourceTable(sources)
        docs = _load_docs(con, {r.doc_id for r in reps}, table)
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
            near, _ = _load_reports(
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
