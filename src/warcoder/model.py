"""Typed records that flow through the pipeline.

The pipeline reads top to bottom: ingest -> clean -> sentences -> dates -> actors -> places
-> events -> fatalities -> store -> export.  Every stage takes and returns these dataclasses.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


class DocumentError(Exception):
    """A document that cannot be coded.  The message is one line and names the document."""

    def __init__(self, doc: str, reason: str) -> None:
        super().__init__(f"{doc}: {reason}")
        self.doc = doc
        self.reason = reason


@dataclass
class Comment:
    """A reader comment: stored, never a source of events."""

    text: str
    author: str | None = None
    start: int | None = None  # offsets into Document.text when the comment sits in it (plain text)
    end: int | None = None


@dataclass
class Document:
    """One report as the coder reads it.

    ``text`` is the text the coder read: for a plain-text file the file as read, for HTML the
    article body that trafilatura extracted.  ``body_start``/``body_end`` bound the article body
    inside ``text``; everything outside it (reader comments) is never a source of events.
    """

    doc_id: str
    text: str
    body_start: int = 0
    body_end: int | None = None
    comments: list[Comment] = field(default_factory=list)
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # where it came from: a path, "path:line", a URL or "<stdin>"
    warnings: list[str] = field(default_factory=list)
    report_date: date | None = None  # set by the coder: metadata, else dateline, else --report-date

    def __post_init__(self) -> None:
        if self.body_end is None:
            self.body_end = len(self.text)

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]

    @property
    def name(self) -> str:
        """How errors and warnings name the document."""
        return self.origin or self.doc_id

    def sha1(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    """A character span into Document.text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Sentence(Span):
    paragraph: int = 0


@dataclass
class Place:
    """A gazetteer entry."""

    name: str
    latitude: float
    longitude: float
    country: str  # country name, e.g. "Syria"
    country_code: str  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    feature_class: str = "P"  # GeoNames feature class: P populated place, A admin, L area, S spot
    feature_code: str | None = None
    population: int = 0
    geonameid: int | None = None
    source: str = "geonames"


@dataclass
class Location:
    """Where an event happened, as coded."""

    country: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int  # 1 town itself, 2 near / part of a region, 3 province (coded to capital)
    admin1: str | None = None
    admin2: str | None = None
    country_code: str | None = None
    geonameid: int | None = None
    span: Span | None = None  # the toponym in the text


ACLED_COLUMNS: list[str] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
    "data_id",
    "event_id_no_cnty",
    "iso3",
]
"""ACLED's export columns, in the order of ACLED's current export files, then the three that ACLED's
API adds (data_id, event_id_no_cnty, iso3).  CSV and Parquet exports write these first."""

EXTRA_COLUMNS: list[str] = [
    "event_id",
    "doc_id",
    "source_url",
    "hedged",
    "confidence",
    "evidence",
    "fatalities_low",
    "fatalities_high",
    "article_rank",
    "typed_by",
    "model_prob",
]


# The events table's columns, in the store's order (store, merge and the web read this one list).
EVENT_COLS = [
    "event_id",
    "doc_id",
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
    "notes",
    "source",
    "source_url",
    "hedged",
    "confidence",
    # added after the first stores were written: at the end, so that a store's ALTER TABLE keeps the order
    "fatalities_low",
    "fatalities_high",
    "article_rank",
    "typed_by",
    "model_prob",
]


@dataclass
class AcledIds:
    """A stored event's ACLED numbers (``event_id_cnty`` = ISO3 + ``number``) and its coding time."""

    number: int | None = None
    data_id: int | None = None
    timestamp: int | None = None  # Unix seconds when its document was coded


@dataclass
class Event:
    """One ACLED-style event with the evidence it came from."""

    event_id: str
    doc_id: str
    event_date: str | None  # ISO date; None when neither the text nor the document gives one
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str = ""
    actor2: str = ""
    assoc_actor_2: str = ""
    inter1: int = 0
    inter2: int = 0
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    fatalities: int = 0
    notes: str = ""
    source: str = ""
    source_url: str = ""
    evidence: list[Span] = field(default_factory=list)
    hedged: bool = False
    confidence: float = 0.5
    # the range of figures the document's sources give for this event (fatalities is the lowest, ACLED's rule)
    fatalities_low: int = 0
    fatalities_high: int = 0
    article_rank: int = 0  # 1 for the document's main event, 2 for the next, ...; 0 when not ranked
    # who chose the sub-type: the rules, a trained model (code --model), or both agreeing; the model's probability
    typed_by: str = "rules"
    model_prob: float | None = None
    ids: AcledIds | None = field(default=None, compare=False, repr=False)  # given by a store, not coded

    @property
    def year(self) -> int | None:
        return int(self.event_date[:4]) if self.event_date else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("ids", None)
        d["evidence"] = [s.to_dict() if isinstance(s, Span) else s for s in self.evidence]
        return d

    def to_acled_row(self) -> dict[str, Any]:
        """The event under ACLED's column names (ACLED columns first, then ours; warcoder.acled
        derives the codes).  Without store numbers, ``event_id_cnty`` is our event_id."""
        from .acled import civilian_targeting, country_codes, disorder_type, source_scale, tags

        interaction = (
            int(f"{min(self.inter1, self.inter2)}{max(self.inter1, self.inter2)}")
            if self.inter2
            else (self.inter1 * 10)
        )
        iso, iso3, region = country_codes(self.country)
        ids = self.ids or AcledIds()
        row: dict[str, Any] = {
            "event_id_cnty": f"{iso3 or 'XXX'}{ids.number}" if ids.number is not None else self.event_id,
            "event_date": self.event_date,
            "year": self.year,
            "time_precision": self.time_precision,
            "disorder_type": disorder_type(self.event_type, self.sub_event_type),
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "assoc_actor_1": self.assoc_actor_1,
            "inter1": self.inter1,
            "actor2": self.actor2,
            "assoc_actor_2": self.assoc_actor_2,
            "inter2": self.inter2,
            "interaction": interaction,
            "civilian_targeting": civilian_targeting(self.event_type, self.sub_event_type, self.inter1, self.inter2),
            "iso": iso,
            "region": region,
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "admin3": "",
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "source": self.source,
            "source_scale": source_scale(self.source, self.source_url),
            "notes": self.notes,
            "fatalities": self.fatalities,
            "tags": tags(self.event_type, [s.text for s in self.evidence]),
            "timestamp": ids.timestamp,
            "data_id": ids.data_id,
            "event_id_no_cnty": ids.number,
            "iso3": iso3,
        }
        for k in EXTRA_COLUMNS:
            v = getattr(self, k)
            row[k] = [s.to_dict() for s in v] if k == "evidence" else v
        return row

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        names = {f for f in cls.__dataclass_fields__}
        kw = {k: v for k, v in d.items() if k in names}
        kw["evidence"] = [Span(int(s["start"]), int(s["end"]), s["text"]) for s in d.get("evidence") or []]
        return cls(**kw)
