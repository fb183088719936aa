"""Territorial control: who holds each place, and since when, from the territory sub-types.

    from warcoder.control import control_at, timelines
    rows = control_at(events, "2017-11-05", country="Syria")

The input is any iterable of Events (raw coded events, or canonical merged ones): only
"Government regains territory", "Non-state actor overtakes territory" and "Non-violent transfer of
territory" move control.  The holder after each change is:

- Government regains / Non-state actor overtakes: ``actor1`` (the side that took the place); the
  previous holder is ``actor2`` when the event names it, else the holder before the change.
- Non-violent transfer: the receiving side, read from the evidence: the subject of a "gain" cue
  ("entered", "took control"), the object of "handed ... over to X", or, when the text only says who
  left ("withdrew", "pulled out"), the other side of the event.  Unclear texts fall back to actor1.

Places are keyed by country, name and coordinates.  A seizure of several places listed together
("seized the villages of A and B") changes each of them; a listed name that the gazetteer cannot
place (so the coder has no event for it) is kept by name, without coordinates.

Reports of the same place on the same day are weighed together: each report counts its event's
confidence (less when hedged or when its date is only week/month-precise); agreeing reports from
different documents add up (1 - prod(1 - c)); claims of different holders on the same day make the
place "contested" and lower the confidence.  Cues and weights live in data/control.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from unidecode import unidecode

from warcoder import knowledge

from .model import Event

UNKNOWN = "unknown"


@dataclass(frozen=True)
class _Rules:
    subtypes: dict[str, str]
    gain: re.Pattern[str]
    leave: re.Pattern[str]
    handed_to: re.Pattern[str]
    place_list: re.Pattern[str]
    place_name: re.Pattern[str]
    articles: frozenset[str]
    hedged: float
    time_precision: dict[int, float]
    by_name: float
    max_geo_precision: int
    name_match: float
    families: dict[int, str]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    d = knowledge.load_yaml("control.yaml")
    t, c = d["transfer"], d["confidence"]
    name = d["place_name"]
    return _Rules(
        subtypes={str(k): str(v) for k, v in d["subtypes"].items()},
        gain=re.compile(t["gain"], re.I),
        leave=re.compile(t["leave"], re.I),
        handed_to=re.compile(t["handed_to"], re.I),
        place_list=re.compile(d["place_list"].replace("{name}", f"(?:{name})")),
        place_name=re.compile(name),
        articles=frozenset(knowledge.shared_yaml("translit.yaml")["articles"]),  # the one list of Arabic articles
        hedged=float(c["hedged"]),
        time_precision={int(k): float(v) for k, v in c["time_precision"].items()},
        by_name=float(c["by_name"]),
        max_geo_precision=int(c["max_geo_precision"]),
        name_match=float(c["name_match"]),
        families={int(k): str(v) for k, v in d["families"].items()},
    )


TERRITORY_SUBTYPES = tuple(rules().subtypes)


@dataclass(frozen=True)
class Place:
    """A place whose control is tracked."""

    key: str
    location: str
    country: str
    admin1: str = ""
    latitude: float | None = None
    longitude: float | None = None
    by_name: bool = False  # named in the text but not in the gazetteer: no coordinates


@dataclass
class Claim:
    """One report's claim that ``holder`` took ``place`` on ``day``."""

    place: Place
    day: date
    holder: str
    holder_inter: int
    previous: str
    event_id: str
    doc_id: str
    weight: float  # the report's confidence, after the hedging / precision / by-name factors
    hedged: bool


@dataclass
class Change:
    """A change of hands in a place's timeline (or a day of conflicting claims: ``contested``)."""

    day: date
    holder: str | None  # None when the day's claims are tied
    holder_inter: int
    previous: str | None
    event_id: str  # the event that changed it (the strongest claim)
    event_ids: list[str]
    confidence: float
    status: str  # "held" or "contested"
    sources: int  # documents agreeing on the holder
    claims: list[dict[str, Any]] = field(default_factory=list)  # contested: every holder's support


@dataclass
class ControlState:
    """A place's controller as of a date: a row of ``warcoder control``."""

    location_key: str
    location: str
    country: str
    admin1: str
    latitude: float | None
    longitude: float | None
    by_name: bool
    holder: str  # "unknown" before the first change
    holder_family: str
    since: str | None
    event_id: str | None
    previous: str | None
    confidence: float
    status: str  # held, contested or unknown
    sources: int
    event_ids: list[str] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- names and places


def _fold(name: str) -> str:
    """A spelling-tolerant form of a place name: ascii, no article, k/g/q alike, no doubled letters."""
    s = unidecode(name).lower()
    words = [w for w in re.split(r"[\s-]+", s) if w]
    arts = rules().articles
    while len(words) > 1 and words[0] in arts:
        words = words[1:]
    s = "".join(re.sub(r"[^a-z0-9]", "", w) for w in words)
    s = s.replace("kh", "k").replace("q", "k").replace("g", "k").replace("ou", "u").replace("ee", "i")
    return re.sub(r"(.)\1+", r"\1", s)


def place_key(country: str, location: str, latitude: float | None, longitude: float | None) -> str:
    """A stable key: country, the folded name, and the coordinates when known."""
    coords = f"{latitude:.4f},{longitude:.4f}" if latitude is not None and longitude is not None else ""
    return f"{country.lower()}|{_fold(location)}|{coords}"


def _place(ev: Event) -> Place:
    return Place(
        place_key(ev.country, ev.location, ev.latitude, ev.longitude),
        ev.location,
        ev.country,
        ev.admin1,
        ev.latitude,
        ev.longitude,
    )


def alike(name: str, location: str) -> bool:
    """Whether a listed name is (a spelling of) the coded place ("al-Bakaara" ~ "Jadid Baggara")."""
    f = _fold(name)
    if not f:
        return False
    cands = {_fold(location)} | {_fold(w) for w in re.split(r"[\s,()-]+", location) if len(w) > 2}
    cut = rules().name_match
    return any(c and (c == f or SequenceMatcher(None, f, c).ratio() >= cut) for c in cands)


def listed_places(text: str) -> list[str]:
    """Place names listed together as the object of one seizure: "the villages of A, B and C"."""
    r = rules()
    out: list[str] = []
    for m in r.place_list.finditer(text):
        for n in r.place_name.finditer(m.group("names")):
            name = n.group(0).strip()
            if name.lower() != "and" and name not in out:
                out.append(name)
    return out


# --------------------------------------------------------------------------- holders


@lru_cache(maxsize=1)
def _matcher() -> Any:
    from .actors import default_matcher

    return default_matcher()


def _receiver(ev: Event) -> tuple[str, int, str]:
    """(holder, holder inter, previous holder) of a non-violent transfer, read from its evidence."""
    sides = [(ev.actor1, ev.inter1), (ev.actor2, ev.inter2)]
    default = (ev.actor1, ev.inter1, ev.actor2)
    if not ev.actor2:
        return default
    text = " ".join(s.text for s in ev.evidence)
    if not text:
        return default
    r = rules()
    m = _matcher()
    when = date.fromisoformat(ev.event_date) if ev.event_date else None
    mentions = [(a.start, a.end, a.name(ev.country or None, when, m.years)) for a in m.find(text)]

    def side(name: str) -> int | None:
        for i, (n, _) in enumerate(sides):
            if n and n == name:
                return i
        return None

    # "X handed (the town) over to Y": Y receives
    for a_start, _, name in mentions:
        if r.handed_to.search(text[max(0, a_start - 120) : a_start]):
            i = side(name)
            if i is not None:
                return sides[i][0], sides[i][1], sides[1 - i][0]
    cues = sorted(
        [(mm.start(), "gain") for mm in r.gain.finditer(text)]
        + [(mm.start(), "leave") for mm in r.leave.finditer(text)]
    )
    for pos, kind in cues:
        subject = [name for s, e, name in mentions if e <= pos and not re.search(r"[.;]", text[e:pos])]
        if not subject:
            continue
        i = side(subject[-1])
        if i is None:
            continue
        j = i if kind == "gain" else 1 - i
        return sides[j][0], sides[j][1], sides[1 - j][0]
    return default


def claims(events: Iterable[Event]) -> Iterator[Claim]:
    """The control claims of the territory events among ``events``."""
    r = rules()
    evs = [e for e in events if e.sub_event_type in r.subtypes and e.event_date]
    # events coded from the same sentence(s): a listed place may be any of them
    siblings: dict[tuple[str, str, int], list[Event]] = {}
    for e in evs:
        first = e.evidence[0].start if e.evidence else -1
        siblings.setdefault((e.doc_id, e.event_date or "", first), []).append(e)
    for e in evs:
        day = date.fromisoformat(e.event_date or "")
        if r.subtypes[e.sub_event_type] == "receiver":
            holder, inter, previous = _receiver(e)
        else:
            holder, inter, previous = e.actor1, e.inter1, e.actor2
        if not holder:
            continue
        w = e.confidence * (r.hedged if e.hedged else 1.0) * r.time_precision.get(e.time_precision, 0.75)
        if e.location and e.geo_precision <= r.max_geo_precision:
            yield Claim(_place(e), day, holder, inter, previous, e.event_id, e.doc_id, w, e.hedged)
        # places listed with this one that no event of the same sentence covers: kept by name
        first = e.evidence[0].start if e.evidence else -1
        sibs = siblings[(e.doc_id, e.event_date or "", first)]
        if e is not sibs[0]:
            continue  # one pass per sentence group
        text = " ".join(s.text for s in e.evidence)
        names = listed_places(text)
        if len(names) < 2:
            continue
        coded = [s.location for s in sibs if s.location]
        if not coded:
            continue
        for name in names:
            if any(alike(name, loc) for loc in coded):
                continue
            p = Place(place_key(e.country, name, None, None), name, e.country, e.admin1, None, None, by_name=True)
            yield Claim(p, day, holder, inter, previous, e.event_id, e.doc_id, w * r.by_name, e.hedged)


# --------------------------------------------------------------------------- timelines


def _support(ws: list[float]) -> float:
    p = 1.0
    for w in ws:
        p *= 1.0 - max(0.0, min(0.99, w))
    return 1.0 - p


def timelines(events: Iterable[Event]) -> dict[str, tuple[Place, list[Change]]]:
    """Every place's changes of hands, oldest first, keyed by place key."""
    by_place: dict[str, dict[date, list[Claim]]] = {}
    places: dict[str, Place] = {}
    for c in claims(events):
        places.setdefault(c.place.key, c.place)
        by_place.setdefault(c.place.key, {}).setdefault(c.day, []).append(c)
    out: dict[str, tuple[Place, list[Change]]] = {}
    for key in sorted(by_place):
        changes: list[Change] = []
        for day in sorted(by_place[key]):
            day_claims = by_place[key][day]
            groups: dict[str, list[Claim]] = {}
            for c in day_claims:
                groups.setdefault(c.holder, []).append(c)
            scored = []
            for holder, cs in groups.items():
                per_doc: dict[str, float] = {}
                for c in cs:
                    per_doc[c.doc_id] = max(per_doc.get(c.doc_id, 0.0), c.weight)
                scored.append((_support(list(per_doc.values())), len(per_doc), holder, cs))
            scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
            best_support, n_docs, holder, cs = scored[0]
            best = max(cs, key=lambda c: (c.weight, c.event_id))
            cur = changes[-1] if changes else None
            if len(scored) == 1:
                if cur is not None and cur.status == "held" and cur.holder == holder:
                    # a later report of the same holder confirms it; it changes nothing
                    cur.confidence = round(_support([cur.confidence, best_support]), 3)
                    cur.sources += n_docs
                    cur.event_ids += [c.event_id for c in cs if c.event_id not in cur.event_ids]
                    continue
                previous = best.previous or (cur.holder if cur else None)
                changes.append(
                    Change(
                        day,
                        holder,
                        best.holder_inter,
                        previous or None,
                        best.event_id,
                        sorted({c.event_id for c in cs}),
                        round(best_support, 3),
                        "held",
                        n_docs,
                    )
                )
                continue
            others = sum(s[0] for s in scored[1:])
            tied = abs(scored[1][0] - best_support) < 1e-9
            conf = best_support * best_support / (best_support + others)
            changes.append(
                Change(
                    day,
                    None if tied else holder,
                    0 if tied else best.holder_inter,
                    cur.holder if cur else None,
                    best.event_id,
                    sorted({c.event_id for c in day_claims}),
                    round(conf, 3),
                    "contested",
                    n_docs,
                    [
                        {
                            "holder": h,
                            "support": round(s, 3),
                            "sources": n,
                            "event_ids": sorted({c.event_id for c in g}),
                        }
                        for s, n, h, g in scored
                    ],
                )
            )
        out[key] = (places[key], changes)
    return out


def _as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def control_at(events: Iterable[Event], as_of: str | date, country: str | None = None) -> list[ControlState]:
    """Who controls each place as of ``as_of`` (inclusive): one row per place, "unknown" before its
    first change.  ``country`` keeps one country's places (case-insensitive)."""
    day = _as_date(as_of)
    fams = rules().families
    rows: list[ControlState] = []
    for key, (place, changes) in timelines(events).items():
        if country and place.country.lower() != country.lower():
            continue
        past = [c for c in changes if c.day <= day]
        base = dict(
            location_key=key,
            location=place.location,
            country=place.country,
            admin1=place.admin1,
            latitude=place.latitude,
            longitude=place.longitude,
            by_name=place.by_name,
        )
        if not past:
            rows.append(
                ControlState(
                    **base,  # type: ignore[arg-type]
                    holder=UNKNOWN,
                    holder_family="",
                    since=None,
                    event_id=None,
                    previous=None,
                    confidence=0.0,
                    status=UNKNOWN,
                    sources=0,
                )
            )
            continue
        c = past[-1]
        rows.append(
            ControlState(
                **base,  # type: ignore[arg-type]
                holder=c.holder or "contested",
                holder_family=fams.get(c.holder_inter, "") if c.holder else "",
                since=c.day.isoformat(),
                event_id=c.event_id,
                previous=c.previous,
                confidence=c.confidence,
                status=c.status,
                sources=c.sources,
                event_ids=list(c.event_ids),
                claims=list(c.claims),
            )
        )
    rows.sort(key=lambda r: (r.country, r.location, r.location_key))
    return rows


FRONT_CONFIDENCE = 0.6  # a settlement's side on a known front line, before any reported change


def with_front_lines(
    rows: list[ControlState], fronts: Any, as_of: str | date, country: str | None = None
) -> list[ControlState]:
    """Known front lines (data/frontlines.yaml) as a baseline: each settlement of a front active on
    ``as_of`` is held by its side since the front's start, unless a reported change covers it. A place
    whose first reported change is still to come takes the front's holder until then."""
    from .actors import ActorMention, RegimeYears
    from .gazetteer import haversine

    day = _as_date(as_of)
    years = RegimeYears.load()
    fams = rules().families
    out = list(rows)
    for front, name, admin1, side, lat, lon in fronts.settlements(day, country):
        same = [  # the same settlement, perhaps under another spelling ("Avdiyivka")
            i
            for i, r in enumerate(out)
            if r.country.lower() == front.country.lower()
            and (
                _fold(r.location) == _fold(name)
                or (r.latitude is not None and haversine(lat, lon, r.latitude, r.longitude or 0.0) <= 2.0)
            )
        ]
        if any(out[i].status != UNKNOWN for i in same):
            continue  # a report says who holds it
        mention = ActorMention.side(front.actors[side])
        facing = ActorMention.side(front.actors[1 - side]).name(front.country, day, years)
        row = ControlState(
            location_key=place_key(front.country, name, lat, lon),
            location=name,
            country=front.country,
            admin1=admin1,
            latitude=lat,
            longitude=lon,
            by_name=False,
            holder=mention.name(front.country, day, years),
            holder_family=fams.get(mention.inter, ""),
            since=front.start.isoformat(),
            event_id=None,
            previous=None,
            confidence=FRONT_CONFIDENCE,
            status="front line",
            sources=0,
            claims=[{"front": front.name, "facing": facing}],
        )
        if same:
            old = out[same[0]]
            row.location_key, row.location, row.latitude, row.longitude = (
                old.location_key,
                old.location,
                old.latitude,
                old.longitude,
            )
            out[same[0]] = row
        else:
            out.append(row)
    out.sort(key=lambda r: (r.country, r.location, r.location_key))
    return out


def holder_of(events: Iterable[Event], location: str, as_of: str | date) -> str:
    """The holder of the first place named ``location`` (case-insensitive) as of a date: a convenience."""
    for row in control_at(events, as_of):
        if row.location.lower() == location.lower():
            return row.holder
    return UNKNOWN


# --------------------------------------------------------------------------- output

CSV_COLUMNS = [
    "location",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "holder",
    "holder_family",
    "since",
    "event_id",
    "previous",
    "confidence",
    "status",
    "sources",
    "by_name",
    "location_key",
    "event_ids",
]
OUT_FORMATS = ("geojson", "csv", "jsonl")  # names in export.FORMATS that a control table can be written as


def control_feature(row: ControlState) -> dict[str, Any]:
    """A GeoJSON Feature (null geometry for places kept by name only)."""
    geom = None
    if row.latitude is not None and row.longitude is not None:
        geom = {"type": "Point", "coordinates": [row.longitude, row.latitude]}
    return {"type": "Feature", "id": row.location_key, "geometry": geom, "properties": row.to_dict()}


def write_control(rows: list[ControlState], path: str, as_of: str) -> None:
    """Write rows as GeoJSON, CSV or JSONL (by the extension), through a temporary file."""
    import csv
    import json
    import os
    from pathlib import Path

    from .export import csv_cell, format_for

    p = Path(path)
    fmt = format_for(p, OUT_FORMATS)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        if fmt == "geojson":
            json.dump(
                {"type": "FeatureCollection", "date": as_of, "features": [control_feature(r) for r in rows]},
                fh,
                ensure_ascii=False,
            )
        elif fmt == "jsonl":
            for r in rows:
                fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        else:
            w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                d = r.to_dict()
                d["event_ids"] = ";".join(d["event_ids"])
                d["by_name"] = str(d["by_name"]).lower()
                w.writerow({k: csv_cell(v) for k, v in d.items()})
    os.replace(tmp, p)


def print_control(rows: list[ControlState], out: Any = None) -> None:
    """A fixed-width table: location, holder, since, changed-by event, previous holder, confidence."""
    import sys

    out = out or sys.stdout
    cols = [
        ("location", 28),
        ("holder", 34),
        ("since", 10),
        ("event_id", 19),
        ("previous", 30),
        ("confidence", 10),
        ("status", 9),
    ]
    from .export import cut

    header = "  ".join(n[:w].ljust(w) for n, w in cols)
    lines = [header, "-" * len(header)]
    for r in rows:
        d = r.to_dict()
        d["confidence"] = f"{r.confidence:.2f}"
        if r.by_name:
            d["location"] = r.location + " *"
        lines.append("  ".join(cut(str(d[n]) if d[n] is not None else "", w) for n, w in cols).rstrip())
    out.write("\n".join(lines) + "\n")
    n_name = sum(r.by_name for r in rows)
    out.write(f"{len(rows)} place{'s' if len(rows) != 1 else ''}")
    out.write(f" (* {n_name} kept by name: not in the gazetteer, no coordinates)\n" if n_name else "\n")


def territory_events(con: Any, country: str | None = None) -> Iterator[Event]:
    """The territory events of a store (a DuckDB connection or cursor over its tables)."""
    from .store import Store

    store = Store.over(con)
    subs = list(TERRITORY_SUBTYPES)
    where = f"WHERE e.sub_event_type IN ({', '.join('?' * len(subs))})"
    params: list[Any] = list(subs)
    if country:
        where += " AND lower(e.country) = ?"
        params.append(country.lower())
    yield from store.events(where, params)
