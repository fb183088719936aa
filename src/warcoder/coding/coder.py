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

import bisect
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import dates as dates_mod
from .. import fatalities as fatal_mod
from .. import sentences as sent_mod
from ..actors import ActorMention, default_matcher
from ..clean import clean_html, clean_text
from ..discourse import NEWS, SentenceFacts, default_discourse
from ..events import Classification, EventTyper, anaphora, claim_back
from ..frontlines import FrontLines
from ..gazetteer import Gazetteer
from ..ingest import check_document, check_text, parse_published, sniff_html
from ..merge.rules import SourceTable
from ..model import Document, DocumentError, Event, Sentence, Span
from ..places import PlaceResolver, ResolvedPlaces
from .clusters import Cluster, SentInfo, blank_claims, contains_all, family, mask, same_places
from .notes import note
from .outlets import OutletCountry
from .rank import rank_events
from .retell import merge_retellings
from .retype import classify
from .roles import agent_of, claimed, roles, same_police
from .where import event_locations, not_a_scene, onto_front

_ANAPHORA = anaphora()
_CLAIM_BACK = claim_back()


@dataclass
class CodedDocument:
    """What code_many yields for each input: the document, its events, or the error that stopped it."""

    document: Document | None
    events: list[Event] = field(default_factory=list)
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Coder:
    """Loads the gazetteer and lexicons once; codes documents into ACLED-style events."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        index_path: str | Path | None = None,
        cache_dir: str | Path | None = None,
        model: str | Path | Any | None = None,
    ) -> None:
        """``model``: a sub-type model directory written by ``warcoder train`` (or a loaded
        ``warcoder.learn.encoder.SubTypeModel``), combined with the rules as it was trained to be."""
        self.gazetteer = gazetteer or Gazetteer.load(
            cache_dir=Path(cache_dir) if cache_dir else None, path=Path(index_path) if index_path else None
        )
        self.places = PlaceResolver(self.gazetteer)
        self.actors = default_matcher()
        self.outlets = OutletCountry(SourceTable(), self.actors.demonyms)
        self.typer = EventTyper()
        self.frontlines = FrontLines(self.gazetteer)
        self.discourse = default_discourse()
        self.model = _load_model(model)

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
        """A cleaned Document, through the checks ingest runs on every input (one door for files, JSONL,
        stdin, URLs, the Python API and POST /api/documents): raises DocumentError for an empty, oversized,
        binary or non-English text, a bad ``published`` date, or HTML without an article body."""
        check_text(text_or_html or "", doc_id)
        try:
            pub = parse_published(published)
        except ValueError as exc:
            raise DocumentError(doc_id, str(exc)) from None
        if sniff_html(text_or_html):
            doc = clean_html(text_or_html, doc_id=doc_id, url=url, source=source)
            doc.title = doc.title or title
            doc.published = doc.published or pub
        else:
            doc = clean_text(text_or_html, doc_id=doc_id, title=title, published=pub, source=source, url=url)
        check_document(doc)
        return doc

    # ------------------------------------------------------------------ pipeline
    def code_document(self, doc: Document, report_date: str | date | None = None) -> list[Event]:
        rdate = doc.published or dates_mod.report_date(doc.title, doc.body)
        if rdate is None and report_date:
            rdate = _as_report_date(report_date, doc.name)
        doc.report_date = rdate
        if rdate is None:
            doc.warnings.append(f"{doc.name}: no report date in metadata, title or dateline, and no --report-date")
        assert doc.body_end is not None
        sents = sent_mod.split(doc.text, doc.body_start, doc.body_end)
        headline = doc.title or ""
        if len(sents) > 1 and _is_headline(sents[0], doc):
            headline = headline or sents[0].text
            sents = sents[1:]
        # a dateline names where the reporter was ("KHERSON, Ukraine - Russian troops shelled ..."): no actor
        actors = [self.actors.find(doc.text, dates_mod.dateline_end(doc.text, s.start, s.end), s.end) for s in sents]
        hint = self.actors.place_hint(doc.body, [a for sa in actors for a in sa])
        resolved = self.places.resolve(
            doc.text,
            spans=[(doc.body_start, doc.body_end)],
            hint_country=hint,
            outlet_country=self.outlets.covers(doc.source, doc.url),
        )
        placed = [loc.country for loc in resolved.locations if loc.country and loc.geo_precision < 3]
        where = max(placed, key=placed.count) if placed else resolved.focus_country or hint
        actors = same_police(doc.text, [self.actors.for_country(sa, where) for sa in actors])
        infos = [self._analyse(doc.text, s, rdate, resolved, a) for s, a in zip(sents, actors, strict=True)]
        self._mark_roles(doc, infos, rdate)
        country = resolved.focus_country or self._actor_country(infos)
        clusters = self._cluster(infos, rdate)
        coded = [
            (ev, any(p.dates for p in cl.parts))
            for cl in clusters
            for ev in self._events_for(doc, cl, country, rdate, resolved)
        ]
        events = merge_retellings([ev for ev, _ in coded], [has_date for _, has_date in coded])
        lead_end = max((i.sent.end for i in infos if i.role == "lead"), default=0)
        return rank_events(events, headline, lead_end)

    def _analyse(
        self, text: str, s: Sentence, rdate: date | None, resolved: ResolvedPlaces, actors: list[ActorMention]
    ) -> SentInfo:
        if self.typer.modality(s.text) is not None:
            pos = -2  # marks a sentence that reports no event (future, conditional, ...)
        else:
            # a claim of responsibility "for the attack" already reported triggers no event of its own
            pos = self.typer.trigger_position(blank_claims(s.text))
            pos = s.start + pos if pos >= 0 else -1
        return SentInfo(
            sent=s,
            dates=dates_mod.event_dates(text, rdate, s.start, s.end),
            actors=actors,
            locations=[loc for loc in resolved.in_span(s.start, s.end) if not not_a_scene(loc, text)],
            candidate=pos >= 0,
            trigger_pos=pos,
        )

    def _mark_roles(self, doc: Document, infos: list[SentInfo], rdate: date | None) -> None:
        """Each sentence's discourse role; background, reactions and page furniture make no event and join
        none (as a future or conditional sentence does not)."""
        furniture = self.discourse.furniture_spans(doc.text, doc.body_start, doc.body_end)
        facts = [SentenceFacts(i.sent, i.dates[0].date if i.dates else None, i.candidate) for i in infos]
        for info, role in zip(infos, self.discourse.roles(doc.text, facts, rdate, furniture), strict=True):
            info.role = role
            if role not in NEWS:
                info.candidate, info.trigger_pos = False, -2

    def _actor_country(self, infos: list[SentInfo]) -> str | None:
        counts: dict[str, int] = {}
        for i in infos:
            for a in i.actors:
                if a.country and a.kind not in ("external",):
                    counts[a.country] = counts.get(a.country, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _cluster(self, infos: list[SentInfo], rdate: date | None) -> list[Cluster]:
        earlier = earlier_in_paragraph(infos)
        clusters: list[Cluster] = []
        cur: Cluster | None = None
        when, prec = rdate, 2
        for info in infos:
            if info.trigger_pos == -2:
                continue
            if cur is not None and _CLAIM_BACK.search(info.sent.text):
                # "IS claimed the attack on Tuesday": the latest event told before whose attacker is not known
                claimed(clusters, cur).parts.append(info)
                continue
            has_date = bool(info.dates)
            if has_date:
                d = info.dates[0]
                when, prec = d.date, d.precision
            if cur is not None and not has_date and not info.locations and _ANAPHORA.search(info.sent.text):
                cur.parts.append(info)  # "four of its members were killed in the attack": the event told before
                continue
            same_para = cur is not None and info.sent.paragraph == cur.main.sent.paragraph
            if cur is not None and same_para and not has_date:
                agent = agent_of(info) if info.candidate else None
                cur_agent = agent_of(cur.main)
                new_agent = (
                    agent is not None and cur_agent is not None and agent.named and family(agent) != family(cur_agent)
                )
                new_place = (
                    bool(info.locations)
                    and bool(cur.locations)
                    and not same_places(info.locations, cur.locations)
                    and not contains_all(info.locations, cur.locations)
                )
                if not info.candidate or not (new_agent or (new_place and agent is not None)):
                    cur.parts.append(info)
                    if not cur.locations and info.locations:
                        cur.locations = info.locations
                    continue
            if not info.candidate:
                continue
            cur = Cluster(info, [info], when, prec if has_date or when is not None else 2, list(info.locations))
            prev = earlier(info)
            cur.context = [a for i in prev for a in i.actors]
            cur.previous = list(prev[-1].actors) if prev else []
            if not has_date and rdate is not None and when == rdate and prec == 1 and not clusters:
                cur.precision = 1
            clusters.append(cur)
        return clusters

    def _events_for(
        self, doc: Document, cl: Cluster, country: str | None, rdate: date | None, resolved: ResolvedPlaces
    ) -> list[Event]:
        text = cl.masked
        agent = agent_of(cl.main)
        cls = classify(self.typer, cl, text, agent)
        if cls is None:
            return []
        typed_by, model_prob = "rules", None
        if self.model is not None:
            cls, typed_by, model_prob = self._model_type(cls, cl)
        when = cl.when or rdate  # None: no date in the text and none for the document (warned)
        locs = event_locations(cl, doc.text, resolved)
        if cls.event_type in ("Battles", "Explosions/Remote violence"):
            locs = [onto_front(self.gazetteer, self.frontlines, loc, text, cl.when or rdate) for loc in locs]
        ev_country = next((loc.country for loc in locs if loc.country), None) or country
        first_loc = locs[0] if locs else None
        a1, assoc1, inter1, a2, assoc2, inter2 = roles(
            self.actors, self.frontlines, cl, cls, agent, ev_country, when, first_loc
        )
        hedged = any(self.typer.hedged(p.sent.text) for p in cl.parts)
        kept = cl.parts
        if self.discourse.over_bound(cls.sub_event_type, fatal_mod.count(text), text):
            # a toll over many events: the event stands only on sentences within the bound
            kept = [
                p
                for p in cl.parts
                if not self.discourse.over_bound(cls.sub_event_type, fatal_mod.count(p.sent.text), p.sent.text)
            ]
            if cl.main not in kept:
                return []
        if cls.sub_event_type in self.discourse.no_fatalities:  # the deaths told are its cause, not its own
            total = low = high = 0
        else:
            total, low, high = fatal_mod.count_parts([mask(p) for p in kept])
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
                fatalities_low=low if len(locs) <= 1 else shares[i],
                fatalities_high=high if len(locs) <= 1 else shares[i],
                source=doc.source or "",
                source_url=doc.url or "",
                evidence=evidence,
                hedged=hedged,
                confidence=round(max(0.05, min(0.99, conf)), 2),
                typed_by=typed_by,
                model_prob=model_prob,
            )
            ev.notes = note(self.typer, ev)
            ev.event_id = _event_id(ev)
            out.append(ev)
        return out

    def _model_type(self, cls: Classification, cl: Cluster) -> tuple[Classification, str, float | None]:
        """The rules' classification combined with the model's sub-type for the cluster's sentences
        (warcoder.learn.combine.decide: the one place that decides)."""
        from ..learn.combine import decide

        if self.model.info.mixing.mode == "rules":  # validation kept the rules: the model is not even run
            return cls, "rules", None
        [(best, prob)] = self.model.predict([" ".join(p.sent.text for p in cl.parts)])
        d = decide(cls.sub_event_type, best, prob, self.model.info.mixing)
        if d.sub_event_type != cls.sub_event_type:
            cls = Classification(d.sub_event_type, self.typer.type_of[d.sub_event_type], cls.score, cls.rule + ">model")
        return cls, d.typed_by, d.model_prob


def _load_model(model: str | Path | Any | None) -> Any:
    if model is None or not isinstance(model, str | Path):
        return model
    from ..learn.encoder import SubTypeModel

    return SubTypeModel.load(model)


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


def _as_report_date(value: str | date | None, doc: str) -> date | None:
    """The --report-date (strict YYYY-MM-DD, as the CLI checks it), for a document that gives no date."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return dates_mod.parse_iso(str(value))
    except ValueError as exc:
        raise DocumentError(doc, f"--report-date: {exc}") from None


def earlier_in_paragraph(infos: list[SentInfo]) -> Callable[[SentInfo], list[SentInfo]]:
    """A function giving the sentences of an info's paragraph that end before it starts (in text order),
    by bisection over each paragraph's sentence ends: linear in the document, not quadratic."""
    paras: dict[int, list[SentInfo]] = {}
    for i in infos:
        paras.setdefault(i.sent.paragraph, []).append(i)
    ends: dict[int, list[int]] = {}
    for k, group in paras.items():
        group.sort(key=lambda i: (i.sent.end, i.sent.start))
        ends[k] = [i.sent.end for i in group]
    order = {id(i): n for n, i in enumerate(infos)}

    def earlier(info: SentInfo) -> list[SentInfo]:
        group = paras[info.sent.paragraph]
        found = group[: bisect.bisect_right(ends[info.sent.paragraph], info.sent.start)]
        return sorted(found, key=lambda i: order[id(i)])

    return earlier
