"""The Coder: one object that loads the gazetteer and lexicons once and codes documents.

    from warcoder import Coder
    coder = Coder()
    events = coder.code(text, report_date="2017-11-02", doc_id="sf-2017-11-02", source="SouthFront")

The pipeline over one document, top to bottom: clean (body vs comments) -> sentences -> dates ->
actors -> places -> events -> fatalities -> notes.  Events are grouped the ACLED way: one event per
location per day per acting side; a sentence with no date, place or actor of its own continues the
event before it in the same paragraph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import dates as dates_mod
from . import fatalities as fatal_mod
from . import sentences as sent_mod
from .actors import NON_STATE_ARMED, ActorMention, default_matcher
from .clean import clean_html, clean_text
from .events import Classification, EventTyper, elsewhere_clauses, prior_event_clause
from .frontlines import FrontLines
from .gazetteer import Gazetteer, normalize, skeleton
from .model import Document, DocumentError, Event, Location, Sentence, Span
from .places import PlaceResolver, ResolvedPlaces, ascii_name

_PRIOR_EVENT = prior_event_clause()
_ELSEWHERE = elsewhere_clauses()
# "residents of Concepcion blocked a road around Huillapima", "militias from Yagaba and Kubori marched to Gordi":
# where the people came from, not where the event was
_ORIGIN = re.compile(
    r"\b(?:residents|inhabitants|villagers|natives|people|youths?|farmers|herders|workers|traders|militias?|"
    r"militiamen|men|women|families)\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s*,\s*|\s+and\s+))*$"
)
# soldiers named as such (not "security forces" or "authorities"): at a protest they are the military
_SOLDIERS = re.compile(r"\b(?:army|soldiers?|troops|military|gendarm\w*|marines|national guard|armed forces)\b", re.I)
# a group's crowd, not its fighters ("Hezbollah supporters")
_CROWD_OF_GROUP = re.compile(r"\b(?:supporters|followers|sympathi[sz]ers|youths?|students|members|activists)\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", re.I)
_BY_AGENT = re.compile(r"\bby\s+(?:\w+\s+){0,3}$", re.I)  # "... were attacked by (suspected) X"
_BY_NOMINAL = re.compile(r"\bby\s+(?:[\w-]+\s+){0,2}$", re.I)  # "shells fired by LNA forces"
# "X repelled a Y attack" / "repulsed their attack" / "repelled an attack by Y": Y started the fighting
_REPEL = re.compile(
    r"\b(?:repel|repuls|fend|fended|beat|foil|thwart|fought|fight|push|pushed)\w*\s+(?:off\s+|back\s+)?"
    r"(?:(?P<det>an?|the|their|its|his|several|repeated|multiple|two|three)\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:attacks?|assaults?|offensives?|raids?|ambush(?:es)?|attempts?|advances?|incursions?|infiltrations?)\b",
    re.I,
)
# "in an encounter with Y", "clashes against Y": a side named after with/against is the other side
_WITH_SIDE = re.compile(r"\b(?:with|against)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_WHEN_AGENT = re.compile(r"\b(?:when|as)\s+(?:an?\s+|the\s+|suspected\s+|alleged\s+)?$", re.I)
# a relative clause about the event just named: "... encountered Y, in which two were killed"
_RELATIVE = re.compile(r"\b(?:in|during|after|following)\s+which\b", re.I)
_AFTER_NOUN = re.compile(r"^\s*(?:launched\s+|carried out\s+|mounted\s+)?(?:by|from|of)\s+(?:\w+\s+){0,2}$", re.I)
# "a Taliban-planted landmine", "a Houthi-fired missile": the hyphenated mention is the perpetrator
_PLANTED = re.compile(r"^-(?:planted|laid|placed|fired|launched|made|triggered|detonated|led)\b", re.I)
_SUPPORTED_BY = re.compile(
    r",?\s*(?:backed|supported|assisted|aided|helped|accompanied|reinforced|joined)\s+by\s+(?:\w+\s+){0,3}", re.I
)
_SUPPORTER = re.compile(_SUPPORTED_BY.pattern + "$", re.I)
_PROTESTERS = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|(?-i:march(?:ed|ers|es|ing)?)|sit-in|on strike|strikers|"
    r"hunger strike)\b",
    re.I,
)
_DATELINE = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s")
_PAIR = re.compile(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?")  # "X and (the) Y"
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)
# a place named as a road's destination or in a road's name
_ROAD_TO = re.compile(
    r"\b(?:road|highway|route|track|path)\s+(?:that\s+)?(?:leads?\s+|leading\s+|going\s+|heading\s+)?"
    r"(?:to|towards)\s+(?:the\s+)?(?:(?:community|village|town|city)\s+of\s+)?$",
    re.I,
)
_ROAD_NAME = re.compile(r"(?:-[A-Z][\w'’]*)*\s+(?:road|highway|bypass|expressway|street|avenue)\b", re.I)
# a place followed by its admin units in brackets ("Badah town (Larkana, Sindh)"), not by a date note
# ("Rampur, Jaunpur (UP)", "Tafi del Valle and Mollar (Tucuman)": every name of the chain)
_ADMIN_BRACKET = re.compile(
    r"(?:\s*(?:,|\band\b)\s*[A-Z][\w'’-]*(?:\s+(?:[A-Z]|de\b|del\b|la\b)[\w'’-]*){0,3}){0,3}"
    r"\s*(?:city|town|village|municipality|district|area|locality|community)?\s*\((?!\s*(?:as reported|or around|"
    r"coded|size|approx|about|the\s))[A-Z]"
)
# an admin unit's generic word after its name, and the gap between a place and the unit that contains it
_UNIT_WORD = re.compile(
    r"\s+(?:district|province|state|region|county|lga|division|governorate|oblast|prefecture|department)\b", re.I
)
_CHAIN_GAP = re.compile(
    r"\s*(?:village|town|city|township|municipality|sub-?district|tehsil|taluka?|upazila|commune|locality|area)?"
    r"\s*,\s*"
    # "Samana subdivision of Patiala district", "the Kharistan area of Qala i Naw district"
    r"|\s+(?:village|town|city|township|municipality|sub-?district|sub-?division|tehsil|taluka?|upazila|commune|"
    r"locality|area)\s+of\s+(?:the\s+)?",
    re.I,
)
_COORD_GAP = re.compile(
    r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+as well as\s+)(?:the\s+)?(?:villages?\s+of\s+|towns?\s+of\s+)?$", re.I
)
_CROWD = re.compile(
    r"\b(?:mobs?|crowds?|rioters|residents|villagers|locals|inhabitants|nationals|people|community members|supporters|"
    r"youths|young men|neighbou?rs|relatives|family members|members|migrants|laborers|labourers|workers|refugees|fans|"
    r"students|party (?:members|workers|activists)|groups?)\b",
    re.I,
)
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<div|<p[ >]|<article)", re.I)
# a namesake must lie this much closer to the line of contact to replace the resolver's choice
_FRONT_MARGIN_KM = 5.0
# a place this close to the line of contact (data/frontlines.yaml, FrontLines.line_km) is already on it
_ON_LINE_KM = 15.0
# ... and one this far from it lies well behind the lines
_OFF_LINE_KM = 60.0


@dataclass
class CodedDocument:
    """What code_many yields for each input: the document, its events, or the error that stopped it."""

    document: Document | None
    events: list[Event] = field(default_factory=list)
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class _SentInfo:
    sent: Sentence
    dates: list[dates_mod.DateMention]
    actors: list[ActorMention]
    locations: list[Location]
    candidate: bool
    trigger_pos: int  # offset of the first trigger word, -1 when none


@dataclass
class _Cluster:
    main: _SentInfo
    parts: list[_SentInfo]
    when: date | None
    precision: int
    locations: list[Location]
    context: list[ActorMention] = field(default_factory=list)  # actors earlier in the same paragraph
    previous: list[ActorMention] = field(default_factory=list)  # actors of the sentence just before, same paragraph

    @property
    def text(self) -> str:
        return " ".join(p.sent.text for p in self.parts)

    @property
    def masked(self) -> str:
        """The text with named armed groups blanked, so that a name ("National Front for the Liberation
        of Syria") cannot trigger a sub-type."""
        return " ".join(_mask(p) for p in self.parts)


class Coder:
    """Loads the gazetteer and lexicons once; codes documents into ACLED-style events."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        index_path: str | Path | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.gazetteer = gazetteer or Gazetteer.load(
            cache_dir=Path(cache_dir) if cache_dir else None, path=Path(index_path) if index_path else None
        )
        self.places = PlaceResolver(self.gazetteer)
        self.actors = default_matcher()
        self.typer = EventTyper()
        self.frontlines = FrontLines(self.gazetteer)

    # ------------------------------------------------------------------ public API
    def code(
        self,
        text_or_html: str,
        report_date: str | date | None = None,
        doc_id: str = "doc",
        source: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> list[Event]:
        """Code one text or HTML string.  ``report_date`` is used when the document gives none."""
        doc = self.make_document(text_or_html, doc_id=doc_id, source=source, url=url, title=title)
        return self.code_document(doc, report_date=report_date)

    def code_many(
        self,
        documents: Iterable[Document | DocumentError | str | dict[str, Any]],
        report_date: str | date | None = None,
    ) -> Iterator[CodedDocument]:
        """Code documents one by one, streaming a CodedDocument for each (errors included)."""
        for i, d in enumerate(documents):
            if isinstance(d, DocumentError):
                yield CodedDocument(None, [], d)
                continue
            try:
                if isinstance(d, str):
                    doc = self.make_document(d, doc_id=f"doc{i + 1}")
                elif isinstance(d, dict):
                    doc = self.make_document(
                        d.get("html") or d.get("text") or "",
                        doc_id=str(d.get("id") or f"doc{i + 1}"),
                        source=d.get("source"),
                        url=d.get("url"),
                        title=d.get("title"),
                        published=d.get("published"),
                    )
                else:
                    doc = d
                yield CodedDocument(doc, self.code_document(doc, report_date=report_date))
            except DocumentError as exc:
                yield CodedDocument(None, [], exc)

    def make_document(
        self,
        text_or_html: str,
        *,
        doc_id: str,
        source: str | None = None,
        url: str | None = None,
        title: str | None = None,
        published: str | date | None = None,
    ) -> Document:
        if not text_or_html or not text_or_html.strip():
            raise DocumentError(doc_id, "empty document")
        pub = _as_date(published, doc_id, "published")
        if _HTML.match(text_or_html):
            doc = clean_html(text_or_html, doc_id=doc_id, url=url, source=source)
            doc.title = doc.title or title
            doc.published = doc.published or pub
            return doc
        return clean_text(text_or_html, doc_id=doc_id, title=title, published=pub, source=source, url=url)

    # ------------------------------------------------------------------ pipeline
    def code_document(self, doc: Document, report_date: str | date | None = None) -> list[Event]:
        rdate = doc.published or dates_mod.report_date(doc.title, doc.body)
        if rdate is None and report_date:
            rdate = _as_date(report_date, doc.name, "--report-date")
        doc.report_date = rdate
        if rdate is None:
            doc.warnings.append(f"{doc.name}: no report date in metadata, title or dateline, and no --report-date")
        assert doc.body_end is not None
        sents = sent_mod.split(doc.text, doc.body_start, doc.body_end)
        if len(sents) > 1 and _is_headline(sents[0], doc):
            sents = sents[1:]
        actors = [self.actors.find(doc.text, s.start, s.end) for s in sents]
        hint = self.actors.place_hint(doc.body, [a for sa in actors for a in sa])
        resolved = self.places.resolve(doc.text, spans=[(doc.body_start, doc.body_end)], hint_country=hint)
        placed = [loc.country for loc in resolved.locations if loc.country and loc.geo_precision < 3]
        where = max(placed, key=placed.count) if placed else resolved.focus_country or hint
        actors = _same_police(doc.text, [self.actors.for_country(sa, where) for sa in actors])
        infos = [self._analyse(doc.text, s, rdate, resolved, a) for s, a in zip(sents, actors, strict=True)]
        country = resolved.focus_country or self._actor_country(infos)
        clusters = self._cluster(infos, rdate)
        events: list[Event] = []
        seen: set[tuple[str | None, str, str, str]] = set()
        for cl in clusters:
            for ev in self._events_for(doc, cl, country, rdate, resolved):
                key = (ev.event_date, ev.location, ev.sub_event_type, ev.actor1)
                if key in seen:
                    continue
                seen.add(key)
                events.append(ev)
        return events

    def _analyse(
        self, text: str, s: Sentence, rdate: date | None, resolved: ResolvedPlaces, actors: list[ActorMention]
    ) -> _SentInfo:
        if self.typer.modality(s.text) is not None:
            pos = -2  # marks a sentence that reports no event (future, conditional, ...)
        else:
            pos = self.typer.trigger_position(s.text)
            pos = s.start + pos if pos >= 0 else -1
        return _SentInfo(
            sent=s,
            dates=dates_mod.find_dates(text, rdate, s.start, s.end),
            actors=actors,
            locations=resolved.in_span(s.start, s.end),
            candidate=pos >= 0,
            trigger_pos=pos,
        )

    def _actor_country(self, infos: list[_SentInfo]) -> str | None:
        counts: dict[str, int] = {}
        for i in infos:
            for a in i.actors:
                if a.country and a.kind not in ("external",):
                    counts[a.country] = counts.get(a.country, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    @staticmethod
    def _initiator(info: _SentInfo) -> ActorMention | None:
        """Who started it, when the text says so outright: "a Taliban-planted landmine", "the army repelled
        an attack by X", "... killed when troops repulsed their attack" (ACLED: actor1 is the initiator)."""
        text, off = info.sent.text, info.sent.start
        armed = [a for a in info.actors if a.kind != "civilians" or a.named]
        for a in armed:
            if _PLANTED.match(text[a.end - off :]):
                return a
        m = _REPEL.search(text)
        if m is None:
            return None
        s, e = m.start() + off, m.end() + off
        inside = [a for a in armed if s <= a.start and a.end <= e]
        if inside:
            return inside[0]
        after = [a for a in armed if a.start >= e and _AFTER_NOUN.match(text[m.end() : a.start - off])]
        if after:
            return after[0]
        if (m.group("det") or "").lower() in ("their", "its", "his"):
            earlier = [a for a in armed if a.end <= s]
            if len(earlier) >= 2:  # "X were killed when Y repulsed their attack": X attacked
                return earlier[0]
        return None

    def _agent(self, info: _SentInfo) -> ActorMention | None:
        """The acting side of a sentence: the armed/named mention before the trigger, unless passive."""
        if info.trigger_pos < 0:
            return None
        text = info.sent.text
        rel = info.trigger_pos - info.sent.start
        before = [a for a in info.actors if a.start < info.trigger_pos]
        initiator = self._initiator(info)
        if initiator is not None:
            return initiator
        # "X encountered Y ..., in which two militants were killed": the trigger sits in a clause about what X did
        main_clause = [
            a
            for a in before
            if (a.kind != "civilians" or a.named) and _RELATIVE.search(text[a.end - info.sent.start : rel])
        ]
        if main_clause:
            return main_clause[0]
        if _PASSIVE.search(text[:rel]):
            after = [a for a in info.actors if a.start > info.trigger_pos]
            for a in after:
                if _BY_AGENT.search(text[: a.start - info.sent.start]):
                    return a
            # "five soldiers were killed when Taliban fighters stormed ...": the actor of the when-clause
            for a in after:
                if (a.kind != "civilians" or a.named) and _WHEN_AGENT.search(text[: a.start - info.sent.start]):
                    return a
            return None
        armed = [a for a in before if a.kind not in ("civilians",) or a.named]
        # "a clash between X and Y": X acts
        for a in info.actors:
            if a.kind != "civilians" and _BETWEEN.search(text[: a.start - info.sent.start]):
                return a
        if not armed:
            # nominal agents: "shells fired by LNA forces", "artillery fire by an unknown party"
            for a in info.actors:
                if a.kind != "civilians" and _BY_NOMINAL.search(text[: a.start - info.sent.start]):
                    return a
            return before[-1] if before else None
        off = info.sent.start
        # "X, in an encounter with Y, killed ...": the side met "with" or "against" is not the one acting
        lead = [a for a in armed[1:] if not _WITH_SIDE.search(text[: a.start - off])]
        armed = armed[:1] + lead
        k = len(armed) - 1
        # "GNA and LNA forces clashed": the first of a coordinated pair acts
        # "Somali forces backed by clan militias retook ...": the supported side acts
        while k > 0 and (
            _PAIR.fullmatch(gap := text[armed[k - 1].end - off : armed[k].start - off]) or _SUPPORTED_BY.fullmatch(gap)
        ):
            k -= 1
        return armed[k]

    def _cluster(self, infos: list[_SentInfo], rdate: date | None) -> list[_Cluster]:
        clusters: list[_Cluster] = []
        cur: _Cluster | None = None
        when, prec = rdate, 2
        for info in infos:
            if info.trigger_pos == -2:
                continue
            has_date = bool(info.dates)
            if has_date:
                d = info.dates[0]
                when, prec = d.date, d.precision
            same_para = cur is not None and info.sent.paragraph == cur.main.sent.paragraph
            if cur is not None and same_para and not has_date:
                agent = self._agent(info) if info.candidate else None
                cur_agent = self._agent(cur.main)
                new_agent = (
                    agent is not None and cur_agent is not None and agent.named and _family(agent) != _family(cur_agent)
                )
                new_place = (
                    bool(info.locations)
                    and bool(cur.locations)
                    and not _same_places(info.locations, cur.locations)
                    and not _contains_all(info.locations, cur.locations)
                )
                if not info.candidate or not (new_agent or (new_place and agent is not None)):
                    cur.parts.append(info)
                    if not cur.locations and info.locations:
                        cur.locations = info.locations
                    continue
            if not info.candidate:
                continue
            cur = _Cluster(info, [info], when, prec if has_date or when is not None else 2, list(info.locations))
            prev = [i for i in infos if i.sent.paragraph == info.sent.paragraph and i.sent.end <= info.sent.start]
            cur.context = [a for i in prev for a in i.actors]
            cur.previous = list(prev[-1].actors) if prev else []
            if not has_date and rdate is not None and when == rdate and prec == 1 and not clusters:
                cur.precision = 1
            clusters.append(cur)
        return clusters

    def _events_for(
        self, doc: Document, cl: _Cluster, country: str | None, rdate: date | None, resolved: ResolvedPlaces
    ) -> list[Event]:
        text = cl.masked
        agent = self._agent(cl.main)
        agent_kind = None
        if agent is not None:
            agent_kind = "state" if agent.kind == "state" else ("nonstate" if agent.kind in NON_STATE_ARMED else None)
        cls = self.typer.classify(text, agent_kind)
        first = self.typer.classify(_mask(cl.main), agent_kind)
        if (
            first is not None
            and cls is not None
            and cls.event_type != first.event_type
            and cls.score < first.score + 0.3
        ):
            cls = first  # later sentences refine the event, they do not replace it
        if cls is None:
            return []
        when = cl.when or rdate  # None: no date in the text and none for the document (warned)
        if (
            cls.sub_event_type == "Attack"
            and not self.typer.macros["NOT_COMBATANT"].search(text)  # unarmed, off-duty or former: civilians
            and (self._armed_patient(cl, agent) or self.typer.macros["ARMED_VICTIM"].search(text))
        ):
            cls = Classification("Armed clash", "Battles", cls.score, cls.rule + ">armed-target")
        if (
            cls.sub_event_type in ("Armed clash", "Attack")
            and agent is not None
            and not agent.named
            and agent.role in ("protesters", "rioters", "civilians")
            and _CROWD.search(agent.text)
            and not re.search(r"\b(?:armed|gunm[ae]n|militi\w*|assailants|unidentified|unknown)\b", agent.text, re.I)
            and not self.typer.macros["SHELL"].search(text)
            and not self.typer.macros["PROTEST"].search(text)
            and not self.typer.macros["FIREARM"].search(text)
        ):
            # violence by an unorganised crowd is a riot, not a battle (ACLED)
            cls = Classification("Mob violence", "Riots", cls.score, cls.rule + ">crowd-agent")
        if (
            cls.sub_event_type == "Mob violence"
            and any(a.named and a.kind == "rebel" and not _CROWD_OF_GROUP.search(a.text) for a in cl.main.actors)
            and not self.typer.macros["PROTEST"].search(text)
        ):
            # a named armed group's factions fighting each other are in a battle, not a mob
            cls = Classification("Armed clash", "Battles", cls.score, cls.rule + ">armed-agent")
        locs = _primary_locations(cl, doc.text, resolved.focus_country)
        if not locs:
            fine = [loc for loc in resolved.locations if loc.geo_precision <= 2]
            own = [loc for loc in fine if loc.country == resolved.focus_country]
            locs = (own or fine)[:1] or resolved.locations[:1]
        if cls.event_type in ("Battles", "Explosions/Remote violence"):
            locs = [self._onto_front(loc, text, cl.when or rdate) for loc in locs]
        ev_country = next((loc.country for loc in locs if loc.country), None) or country
        first_loc = locs[0] if locs else None
        a1, assoc1, inter1, a2, assoc2, inter2 = self._roles(cl, cls, agent, ev_country, when, first_loc)
        hedged = any(self.typer.hedged(p.sent.text) for p in cl.parts)
        total = fatal_mod.count(text)
        shares = fatal_mod.split(total, max(len(locs), 1))
        out: list[Event] = []
        for i, loc in enumerate(locs or [None]):  # type: ignore[list-item]
            evidence = [Span(p.sent.start, p.sent.end, p.sent.text) for p in cl.parts]
            conf = (
                0.35
                + 0.08 * min(cls.score, 5)
                + (0.1 if cl.main.dates else 0)
                + (0.1 if loc and loc.geo_precision == 1 else 0)
            )
            conf -= 0.15 if hedged else 0
            ev = Event(
                event_id="",
                doc_id=doc.doc_id,
                event_date=when.isoformat() if when else None,
                time_precision=cl.precision if when else 3,
                event_type=cls.event_type,
                sub_event_type=cls.sub_event_type,
                actor1=a1,
                assoc_actor_1=assoc1,
                actor2=a2,
                assoc_actor_2=assoc2,
                inter1=inter1,
                inter2=inter2,
                country=(loc.country if loc else ev_country) or "",
                admin1=(loc.admin1 or "") if loc else "",
                admin2=(loc.admin2 or "") if loc else "",
                location=loc.location if loc else "",
                latitude=round(loc.latitude, 5) if loc and loc.latitude is not None else None,
                longitude=round(loc.longitude, 5) if loc and loc.longitude is not None else None,
                geo_precision=loc.geo_precision if loc else 3,
                fatalities=shares[i] if i < len(shares) else 0,
                source=doc.source or "",
                source_url=doc.url or "",
                evidence=evidence,
                hedged=hedged,
                confidence=round(max(0.05, min(0.99, conf)), 2),
            )
            ev.notes = self._note(ev, cls)
            ev.event_id = _event_id(ev)
            out.append(ev)
        return out

    def _onto_front(self, loc: Location, text: str, when: date | None) -> Location:
        """A village name shared by several places is, in a report of fighting, the one closest to the line of
        contact (within the region the text names, when it names the chosen place's region)."""
        if (
            loc.span is None
            or loc.latitude is None
            or loc.longitude is None
            or loc.geo_precision > 2
            or not self.frontlines.active(loc.country, when)  # no lookups where no front runs
        ):
            return loc
        here = (round(loc.latitude, 4), round(loc.longitude, 4))

        def read_here(weak: bool) -> bool:  # is the resolver's point a reading of the name?
            return any((round(p.latitude, 4), round(p.longitude, 4)) == here for p in self.gazetteer.lookup(name, weak))

        name = loc.span.text
        exact = read_here(False)
        if not exact and not read_here(True):
            return loc  # an offset point ("30 km south of X") or a neighbourhood: keep it
        admin1 = loc.admin1 if loc.admin1 and loc.admin1 in text else None
        now = self.frontlines.line_km(loc.country, loc.latitude, loc.longitude, when)
        # a spelling variant read for the name ("Kamyanka" as Kamenka), or a namesake far behind the lines
        # ("Znamyanka" read as the Kirovohrad town): the name's spelling variants too
        weak = not exact or (now is not None and now > _OFF_LINE_KM)
        fl = self.frontlines
        p = fl.on_front(self.gazetteer, loc.span.text, loc.country, when, admin1)
        if weak and (p is None or (fl.line_km(loc.country, p.latitude, p.longitude, when) or 0) > _ON_LINE_KM):
            # the exact name first: "Pervomaisk" on the line rather than a Pervomaiske nearer to it
            p = fl.on_front(self.gazetteer, loc.span.text, loc.country, when, admin1, weak=True) or p
        if p is None:
            return loc
        new = self.frontlines.line_km(loc.country, p.latitude, p.longitude, when)
        if now is None or new is None or now <= _ON_LINE_KM or new > now - _FRONT_MARGIN_KM:
            return loc
        return replace(
            loc,
            location=ascii_name(p.name),
            latitude=p.latitude,
            longitude=p.longitude,
            admin1=p.admin1,
            admin2=p.admin2,
            geonameid=p.geonameid,
        )

    def _armed_patient(self, cl: _Cluster, agent: ActorMention | None) -> bool:
        """An 'attack' whose target is an armed or state actor is an armed clash (ACLED)."""
        main = cl.main
        if main.trigger_pos < 0:
            return False
        armed = ("state", "rebel", "militia", "external", "unidentified")
        if _REPEL.search(main.sent.text) and any(a is not agent and a.kind in armed for a in main.actors):
            return True  # an attack that was repelled met armed resistance
        rel = main.trigger_pos - main.sent.start
        passive = bool(_PASSIVE.search(main.sent.text[:rel]))
        targets = [
            a
            for a in main.actors
            if a is not agent and ((a.start < main.trigger_pos) if passive else (a.start > main.trigger_pos))
        ]
        if not targets:
            return False
        first = targets[0]
        return first.kind in ("state", "rebel", "militia", "external", "unidentified") and first.role not in (
            "government",
        )

    def _roles(
        self,
        cl: _Cluster,
        cls: Classification,
        agent: ActorMention | None,
        country: str | None,
        when: date | None,
        loc: Location | None = None,
    ) -> tuple[str, str, int, str, str, int]:
        mentions = [a for p in cl.parts for a in p.actors]
        main = cl.main
        after = [a for a in main.actors if main.trigger_pos >= 0 and a.start > main.trigger_pos and a is not agent]
        before = [a for a in main.actors if a.start < max(main.trigger_pos, 0) and a is not agent]
        passive = agent is not None and agent.start >= main.trigger_pos
        patients = before if passive else after
        allies: list[ActorMention] = []
        if agent is not None and not passive:
            partners = [a for a in before if a.start > agent.start]
            if [a for a in after if a.kind != "civilians"]:
                allies = partners  # "X and Y shelled Z": Y fights on X's side
            else:
                patients = partners + patients  # "X and Y clashed": Y is the other side
        if agent is None and _PASSIVE.search(main.sent.text[: max(main.trigger_pos - main.sent.start, 0)]):
            patients = before
        # "troops backed by clan militias": the supporters fight on the agent's side
        supporters = allies + [a for a in patients if _SUPPORTER.search(main.sent.text[: a.start - main.sent.start])]
        patients = [a for a in patients if a not in supporters]
        et, sub = cls.event_type, cls.sub_event_type
        g = self.actors.generic_templates
        years = self.actors.years

        def nm(a: ActorMention | None) -> str:
            return a.name(country, when, years) if a else ""

        # allies and supporters are not the other side (units of the agent's own forces still count for assoc)
        mentions = [a for a in mentions if a not in supporters or (agent is not None and nm(a) == nm(agent))]

        def generic(role: str) -> tuple[str, int]:
            tpl, kind, inter = g[role]
            probe = ActorMention(0, 0, "", tpl, kind, inter, role)
            return probe.name(country, when, years), inter

        def assoc(a: ActorMention | None, same: list[ActorMention]) -> str:
            units = []
            for m in same:
                if m.unit and m.unit not in units and a is not None and nm(m) == nm(a):
                    units.append(m.unit)
            return "; ".join(units)

        def crowd_control(cands: list[ActorMention]) -> tuple[str, int] | None:
            """The state force facing a crowd.  Crowd control is police work (ACLED codes it so): "security
            forces" and "the authorities" at a protest are the police; soldiers are military only when named
            as such ("troops", "the army"), or when they are another state's ("Israeli forces")."""
            state = [a for a in cands if a.kind == "state" and a.role != "government"]  # what crowds protest at
            if not state:
                return None
            for a in state:
                if a.role == "police" or a.named or (a.country and a.country != country):
                    return nm(a), a.inter
                if a.role == "military" and _SOLDIERS.search(a.text):
                    return nm(a), a.inter
            return generic("police")

        if et == "Protests":
            a1, i1 = generic("protesters")
            if sub == "Peaceful protest":
                return a1, "", i1, "", "", 0
            a2, i2 = crowd_control(mentions) or generic("police")
            return a1, "", i1, a2, "", i2
        if et == "Riots":
            a1, i1 = generic("rioters")
            if sub == "Mob violence":
                civ = [a for a in patients if a.kind == "civilians"]
                force = crowd_control(patients)
                if force:
                    return a1, "", i1, force[0], "", force[1]
                a2, i2 = generic("civilians") if civ else ("", 0)
                return a1, "", i1, a2, "", i2
            force = crowd_control(mentions)
            if force:
                return a1, "", i1, force[0], "", force[1]
            return a1, "", i1, "", "", 0
        if agent is None or (agent.kind in ("civilians", "protesters", "rioters") and et != "Strategic developments"):

            def armed_in(actors: list[ActorMention]) -> list[ActorMention]:
                return [a for a in actors if a.kind not in ("civilians", "protesters", "rioters") and a not in patients]

            # "Police carried out an operation in X. A shoot-out broke out ...": a sentence that names no one
            # continues the actor of the sentence before it, ahead of anyone named later
            armed = armed_in(main.actors) or armed_in(cl.previous) or armed_in(mentions)
            agent = armed[0] if armed else None
        if (agent is None or (agent.role == "unidentified" and not agent.named)) and et in (
            "Battles",
            "Explosions/Remote violence",
        ):
            # unattributed fire along a known front line comes from the side not holding the ground
            hold = self.frontlines.holding(country, loc.latitude, loc.longitude, when) if loc else None
            if hold is not None and not self.actors.gang_cue(cl.text, country):
                agent = ActorMention.side(hold.adversary)
                if et == "Battles" and not [a for a in patients if a.kind not in ("civilians",)]:
                    patients = [ActorMention.side(hold.holder)]
        if agent is None:
            if sub == "Arrests":
                a1, i1 = generic("police")
            elif et in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
                # criminal violence: an unnamed perpetrator in a gang setting is a gang (ACLED)
                a1, i1 = generic("gang" if self.actors.gang_cue(cl.text, country) else "unidentified")
            else:
                a1, i1 = "", 0
        else:
            a1, i1 = nm(agent), agent.inter
        assoc1 = assoc(agent, mentions) if agent else ""
        allied = [n for n in dict.fromkeys(nm(a) for a in supporters) if n and n != a1 and n not in assoc1]
        assoc1 = "; ".join(x for x in [assoc1, *allied] if x)  # ACLED lists allies as associated actors
        if not a1:
            a1, i1 = generic("gang" if self.actors.gang_cue(cl.text, country) else "unidentified")
        elif agent is not None and agent.role == "unidentified" and self.actors.gang_cue(cl.text, country):
            a1, i1 = generic("gang")
        # the other side
        other = [a for a in patients if nm(a) != a1]
        if not other:
            other = [
                a
                for a in mentions
                if nm(a) != a1 and a.kind not in ("protesters",) and (a.named or a.kind in ("state", "civilians"))
            ]
        if sub == "Arrests":  # people arrested are protesters only when the text says they protested
            other = [
                a
                for a in other
                if a.kind != "protesters" or a.named or _PROTESTERS.search(a.text) or _PROTESTERS.search(cl.text)
            ]
        if et == "Violence against civilians" or (sub == "Arrests" and not [a for a in other if a.kind != "civilians"]):
            a2, i2 = generic("civilians")
            return a1, assoc1, i1, a2, "", i2
        if et == "Battles":
            other = [a for a in other if a.kind not in ("civilians", "protesters")]
            if not other and agent is not None and agent.role == "clan":
                return a1, assoc1, i1, a1, "", i1  # clans fighting each other
            if not other:  # the adversary named earlier in the paragraph ("The ISIS-held area ...")
                other = [a for a in reversed(cl.context) if a.named and a.kind in NON_STATE_ARMED and nm(a) != a1]
        a2m = other[0] if other else None
        if a2m is None:
            return a1, assoc1, i1, "", "", 0
        if a2m.kind == "protesters" and not a2m.named and not _PROTESTERS.search(cl.text):
            a2, i2 = generic("civilians")  # "killing 39 people", "activists said": no protest, so civilians
            return a1, assoc1, i1, a2, "", i2
        return a1, assoc1, i1, nm(a2m), assoc(a2m, mentions), a2m.inter

    def _note(self, ev: Event, cls: Classification) -> str:
        tpl = self.typer.templates[ev.sub_event_type]
        d = date.fromisoformat(ev.event_date) if ev.event_date else None
        a1 = ev.actor1 + (f" ({ev.assoc_actor_1})" if ev.assoc_actor_1 else "")
        where_admin = f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
        where = (
            f"in {ev.location}{where_admin}"
            if ev.location
            else (f"in {ev.country}" if ev.country else "at an unreported location")
        )
        a2 = ev.actor2
        vals = {
            "date": f"{d.day} {d.strftime('%B')} {d.year}" if d else "an unreported date",
            "a1": a1 or "an unidentified group",
            "a2": a2,
            "a2_or_unknown": a2 or "an unidentified armed group",
            "a2_or_civilians": a2 or "civilians",
            "a2_or_people": a2 or "people",
            "against": f" against {a2}" if a2 else "",
            "against_vs": f" against {a2}" if a2 else "",
            "from": f" from {a2}" if a2 else "",
            "with": f" with {a2}" if a2 else "",
            "by": f" attributed to {a1}" if a1 and not a1.startswith("Unidentified") else "",
            "where": where,
            "where_admin": where_admin,
            "location": ev.location or "an unreported location",
        }
        s = tpl.format(**vals)
        s = s[0].upper() + s[1:]
        if ev.hedged:
            s = s[:-1] + " (as reported)."
        if ev.fatalities:
            s += f" {ev.fatalities} {'fatality' if ev.fatalities == 1 else 'fatalities'}."
        # a group's proper name is not loaded language ("National Liberation Army"): the actor fields are
        # kept as they are, in the note too; only the note's own wording is neutralised
        names = {ev.actor1, ev.actor2, *ev.assoc_actor_1.split("; "), *ev.assoc_actor_2.split("; ")}
        kept = sorted((n for n in names if n), key=len, reverse=True)
        for i, n in enumerate(kept):
            s = s.replace(n, f"\x00{i}\x00")
        s = self.typer.neutralise(s)
        for i, n in enumerate(kept):
            s = s.replace(f"\x00{i}\x00", n)
        return s


def _mask(info: _SentInfo) -> str:
    """The sentence as typing sees it: named armed groups blanked, and the clause naming an earlier event
    that this one answered ("in response to rocket fire")."""
    s = info.sent.text
    for a in info.actors:
        if a.named and a.kind in ("rebel", "militia", "identity", "external") and a.template == a.text:
            i, j = a.start - info.sent.start, a.end - info.sent.start
            s = s[:i] + "X" * (j - i) + s[j:]
    return _PRIOR_EVENT.sub(lambda m: "X" * len(m.group(0)), s)


def _same_police(text: str, actors: list[list[ActorMention]]) -> list[list[ActorMention]]:
    """After "the Military Police carried out an operation", a bare "the police" or "officers" is that same force,
    not a second one: it takes the name of the police force a military code gives (gendarmeries, military police)."""
    earlier: ActorMention | None = None
    out = []
    for sent in actors:
        row = []
        for a in sent:
            if a.role == "military" and not a.named and re.search(r"\bpolice\b", a.text, re.I):
                earlier = a
            elif (
                earlier is not None
                and a.role == "police"
                and not a.named
                and a.country in (None, earlier.country)
                and re.fullmatch(r"(?:the\s+)?(?:police|policem[ae]n|police officers?|officers?|cops)", a.text, re.I)
            ):
                a = replace(a, template=earlier.template, kind=earlier.kind, inter=earlier.inter, role=earlier.role)
            row.append(a)
        out.append(row)
    return out


def _family(a: ActorMention) -> str:
    return a.template.split("(")[0].strip().lower() + "|" + (a.country or "")


def _same_places(a: list[Location], b: list[Location]) -> bool:
    def key(loc: Location) -> tuple[float, float]:
        return (round(loc.latitude or 0, 2), round(loc.longitude or 0, 2))

    return bool({key(x) for x in a} & {key(x) for x in b})


def _contains_all(outer: list[Location], inner: list[Location]) -> bool:
    """Are all of ``outer`` whole countries that hold the places of ``inner`` ("in Providencia, Metropolitana,
    citizens marched ... Police forces of Chile dispersed them": the same place, not a new one)?"""
    return all(o.geo_precision == 3 and not o.admin1 and o.country for o in outer) and any(
        i.country == o.country and (i.geo_precision < 3 or i.admin1) for o in outer for i in inner
    )


def _primary_locations(cl: _Cluster, text: str, focus: str | None = None) -> list[Location]:
    """The event's place(s): the finest places of the main sentence (else of the cluster), outside
    parentheses, in the document's focus country when some are; several only when the text lists them
    ("X and Y")."""
    locs = list(cl.main.locations) or list(cl.locations)
    if not locs:
        return []

    def elsewhere(loc: Location) -> bool:  # "in protest against the burning of the Quran in Stockholm"
        if loc.span is None:
            return False
        start = max(text.rfind(". ", 0, loc.span.start), text.rfind("\n", 0, loc.span.start)) + 1
        return any(
            start + m.start() < loc.span.start and start + m.end() >= loc.span.end
            for m in _ELSEWHERE.finditer(text[start : loc.span.end])
        )

    locs = [loc for loc in locs if not elsewhere(loc)] or locs

    def in_parens(loc: Location) -> bool:
        if loc.span is None:
            return False
        before = text[max(0, loc.span.start - 120) : loc.span.start]
        return before.rfind("(") > before.rfind(")")

    def origin(loc: Location) -> bool:  # "residents of Concepcion blocked a road around Huillapima"
        return loc.span is not None and bool(_ORIGIN.search(text, max(0, loc.span.start - 120), loc.span.start))

    kept = [loc for loc in locs if not origin(loc)]
    if any(not in_parens(loc) for loc in kept):  # (not "residents of Kasoa (Awutu Senya, Central) marched")
        locs = kept

    def dateline(loc: Location) -> bool:  # "AMMAN (Reuters) -", "BENI, Congo -": where the reporter was
        if loc.span is None:
            return False
        line_start = text.rfind("\n", 0, loc.span.start) + 1
        return not text[line_start : loc.span.start].strip() and bool(_DATELINE.match(text, loc.span.end))

    def roadside(loc: Location) -> bool:  # "on a road that leads to Camargo", "on Murree road": not the place
        if loc.span is None:
            return False
        return bool(_ROAD_TO.search(text, max(0, loc.span.start - 60), loc.span.start)) or bool(
            _ROAD_NAME.match(text, loc.span.end)
        )

    def marked(loc: Location) -> bool:  # "in Lucknow city (UP)", "in Fes (Fes)": the place coded, with its admin
        return loc.span is not None and bool(_ADMIN_BRACKET.match(text, loc.span.end))

    def unit_of_previous(loc: Location, prev: Location) -> bool:
        # "Pauktaw Township, Sittwe District": the district (named after its town) of the place before it
        if loc.span is None or prev.span is None or prev.span.end > loc.span.start:
            return False
        return bool(_UNIT_WORD.match(text, loc.span.end)) and bool(
            _CHAIN_GAP.fullmatch(text, prev.span.end, loc.span.start)
        )

    def country_only(loc: Location) -> bool:
        return loc.geo_precision == 3 and not loc.admin1

    if focus:  # "a protest outside Geo office in Badah town (Larkana, Sindh)": not a namesake abroad
        own = [loc for loc in locs if loc.country == focus]
        if any(not country_only(loc) for loc in own):
            # (a place given with its admin units stays: the focus may come from a namesake abroad)
            locs = [loc for loc in locs if loc.country == focus or (marked(loc) and not in_parens(loc))]
    locs = [loc for loc in locs if not dateline(loc)] or locs
    outside = [loc for loc in locs if not in_parens(loc)] or locs
    if all(country_only(loc) for loc in outside):  # "India and Pakistan exchanged fire ... (Poonch district, J&K)"
        outside = [loc for loc in locs if not country_only(loc)] or outside
    outside = [loc for loc in outside if not roadside(loc)] or outside
    outside.sort(key=lambda loc: loc.span.start if loc.span else 0)
    outside = [outside[0]] + [loc for k, loc in enumerate(outside[1:]) if not unit_of_previous(loc, outside[k])]
    # "near Al-Sukhnah, Homs": the province of the place before it (named after its capital), not the capital
    outside = [outside[0]] + [
        loc for k, loc in enumerate(outside[1:]) if not _names_own_province(outside[k], loc, text)
    ]
    if not marked(outside[0]):
        outside = [loc for loc in outside if marked(loc)] or outside
    best = min(loc.geo_precision for loc in outside)
    fine = [loc for loc in outside if loc.geo_precision == best]
    fine.sort(key=lambda loc: (country_only(loc), loc.span.start if loc.span else 0))  # "Tovuz" before "Azerbaijan"
    chosen = [fine[0]]
    for loc in fine[1:]:
        prev = chosen[-1]
        if prev.span and loc.span and _COORD_GAP.match(text[prev.span.end : loc.span.start]):
            if _names_own_province(prev, loc, text):
                continue  # "in Diban, Deir ez-Zor": the province of the town, not a second place
            chosen.append(loc)
    uniq: list[Location] = []
    for loc in chosen:
        if not any(_same_places([loc], [u]) for u in uniq):
            uniq.append(loc)
    return uniq


def _names_own_province(prev: Location, loc: Location, text: str) -> bool:
    """ "Town, Province" where the province is also the name of a city: the second name is the town's province."""
    if not (prev.admin1 and loc.admin1 and loc.span and prev.span):
        return False
    if text[prev.span.end : loc.span.start].strip() != ",":
        return False
    names = {normalize(prev.admin1), normalize(loc.admin1), normalize(loc.span.text)}
    return len(names) == 1 or len({skeleton(n) or n for n in names}) == 1


def _is_headline(s: Sentence, doc: Document) -> bool:
    if doc.title and s.text.strip() == doc.title.strip():
        return True
    t = s.text.rstrip()
    return (
        s.paragraph == 0
        and not t.endswith((".", "!", "?", '"', "”"))
        and len(t.split()) <= 25
        and (dates_mod.report_date(None, t) is not None or t.istitle() or ":" in t)
    )


def _event_id(ev: Event) -> str:
    first = ev.evidence[0].start if ev.evidence else -1
    key = "|".join([ev.doc_id, ev.event_date or "", ev.sub_event_type, ev.location, ev.actor1, str(first)])
    return "wc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _as_date(value: str | date | None, doc: str, what: str) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return dates_mod.parse_iso(str(value))
    except ValueError as exc:
        raise DocumentError(doc, f"{what}: {exc}") from None
