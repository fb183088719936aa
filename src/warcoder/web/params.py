"""Request parameters shared by several routes: the event filter, the taxonomy enums, date and text checks."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Query

from .. import knowledge
from ..export import FORMATS
from .errors import ParamError

DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_TEXT = 200  # longest free-text filter value
MAX_VALUES = 50  # most values of a repeatable filter


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, list[str]]:
    """ACLED event types -> sub-types, as in warcoder's taxonomy data file."""
    data = knowledge.load_yaml("taxonomy.yaml")
    return {str(t): [str(s) for s in subs] for t, subs in data.items()}


def _enum(name: str, values: list[str]) -> type[enum.StrEnum]:
    return enum.StrEnum(name, [(f"V{i}", v) for i, v in enumerate(values)])  # type: ignore[return-value]


EventType = _enum("EventType", list(taxonomy()))
SubEventType = _enum("SubEventType", [s for subs in taxonomy().values() for s in subs])


# The API's own paged JSON, plus the formats of the one registry (export.FORMATS): the streaming ones, and
# the whole-file ones (Parquet, and GeoPackage when the geo extra is installed), sent as a download.
STREAM_FORMATS = ("geojson", "csv")
FILE_FORMATS = tuple(n for n in ("parquet", "gpkg") if not FORMATS[n].missing())
Format = enum.StrEnum(  # type: ignore[misc]
    "Format", [("json", "json"), *((n, n) for n in STREAM_FORMATS + FILE_FORMATS)]
)


# --------------------------------------------------------------------------- filters


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    actor: str | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    q: list[str] = field(default_factory=list)

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause over ``events e`` and its parameters."""
        sql: list[str] = []
        params: list[Any] = []
        if self.start:
            sql.append("e.event_date >= ?")
            params.append(self.start)
        if self.end:
            sql.append("e.event_date <= ?")
            params.append(self.end)
        if self.bbox:
            west, south, east, north = self.bbox
            sql.append("e.latitude BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                sql.append("e.longitude BETWEEN ? AND ?")
                params += [west, east]
            else:  # the box crosses the antimeridian
                sql.append("(e.longitude >= ? OR e.longitude <= ?)")
                params += [west, east]
        for col, values in (("country", self.country), ("admin1", self.admin1)):
            if values:
                sql.append(f"lower(e.{col}) IN ({', '.join('?' * len(values))})")
                params += [v.lower() for v in values]
        for col, values in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type)):
            if values:
                sql.append(f"e.{col} IN ({', '.join('?' * len(values))})")
                params += values
        if self.actor:
            cols = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
            sql.append("(" + " OR ".join(f"contains(lower(e.{c}), ?)" for c in cols) + ")")
            params += [self.actor.lower()] * len(cols)
        for term in self.q:
            cols = ("notes", "location", "admin1", "admin2", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
            sql.append(
                "("
                + " OR ".join(f"contains(lower(e.{c}), ?)" for c in cols)
                + " OR EXISTS (SELECT 1 FROM evidence v WHERE v.event_id = e.event_id AND contains(lower(v.text), ?)))"
            )
            params += [term] * (len(cols) + 1)
        return ("WHERE " + " AND ".join(sql)) if sql else "", params


def clean_text(param: str, value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise ParamError(param, f"longer than {MAX_TEXT} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ParamError(param, "contains control characters")
    value = value.strip()
    return value or None


def clean_list(param: str, values: list[str] | None) -> list[str]:
    if not values:
        return []
    if len(values) > MAX_VALUES:
        raise ParamError(param, f"more than {MAX_VALUES} values")
    out = []
    for v in values:
        c = clean_text(param, v)
        if c:
            out.append(c)
    return out


def parse_date(param: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParamError(param, f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise ParamError("bbox", "expected four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ParamError("bbox", "expected four numbers: west,south,east,north") from None
    if not all(-180 <= x <= 180 for x in (west, east)):
        raise ParamError("bbox", "west and east must lie in [-180, 180]")
    if not all(-90 <= y <= 90 for y in (south, north)):
        raise ParamError("bbox", "south and north must lie in [-90, 90]")
    if south > north:
        raise ParamError("bbox", "south is greater than north")
    return west, south, east, north


def event_filters(
    start: Annotated[
        str | None, Query(description="Earliest event date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)
    ] = None,
    end: Annotated[str | None, Query(description="Latest event date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="Bounding box `west,south,east,north` in degrees (WGS84); "
            "west > east crosses the antimeridian.",
            max_length=200,
        ),
    ] = None,
    country: Annotated[list[str] | None, Query(description="Country name (case-insensitive); repeatable.")] = None,
    admin1: Annotated[list[str] | None, Query(description="Admin1 name (case-insensitive); repeatable.")] = None,
    actor: Annotated[
        str | None,
        Query(description="Substring of actor1, actor2 or an assoc actor (case-insensitive).", max_length=MAX_TEXT),
    ] = None,
    event_type: Annotated[list[EventType] | None, Query(description="ACLED event type; repeatable.")] = None,
    sub_event_type: Annotated[list[SubEventType] | None, Query(description="ACLED sub-event type; repeatable.")] = None,
    q: Annotated[
        str | None,
        Query(
            description="Full-text search over notes, evidence, location and actors: every word must occur "
            "(case-insensitive substring).",
            max_length=MAX_TEXT,
        ),
    ] = None,
) -> Filters:
    f = Filters(
        start=parse_date("start", start),
        end=parse_date("end", end),
        bbox=parse_bbox(bbox),
        country=clean_list("country", country),
        admin1=clean_list("admin1", admin1),
        actor=clean_text("actor", actor),
        event_type=[str(t.value) for t in event_type or []],
        sub_event_type=[str(t.value) for t in sub_event_type or []],
        q=[w.lower() for w in (clean_text("q", q) or "").split()][:20],
    )
    if f.start and f.end and f.start > f.end:
        raise ParamError("start", "start is after end")
    return f


FiltersDep = Annotated[Filters, Depends(event_filters)]
