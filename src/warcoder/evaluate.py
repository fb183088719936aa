"""Scoring coded events against a hand-coded article (the seed gold format), so that an analyst can check
warcoder on articles of their own, and so that our article fixtures are scored the same way.

A gold file is JSON: ``report_date``, ``publisher``, ``main_event`` (an id), ``events`` (each with
``event_date``, ``date_tolerance_days``, ``sub_event_type``, ``actor1_any``, ``latitude``,
``longitude``, ``tolerance_km``, ``fatalities``, ``optional``) and ``not_events`` (``text`` and
``why``: what a careful coder does NOT code).  A coded event matches a gold event when its sub-type is
equal, its date is within the tolerance, its point within the tolerance and its actor1 one of
``actor1_any`` (the seed report's referee rule).  Recall counts required gold events; precision counts
matched events (required or optional) over the events coded.  An event whose evidence overlaps a
``not_events`` text is counted as an event from background (or furniture, reaction, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .geo import haversine_km
from .model import Event

NOT_NEWS = frozenset({"background", "toll", "aggregate", "furniture", "other_story"})
"""Kinds of not_events that must not even enrich an event; reactions, statements and plans may sit in an
event's later evidence (a source's figure), but never be its first sentence."""


@dataclass
class ArticleScore:
    """The figures for one article."""

    name: str
    required: int = 0
    matched_required: int = 0
    produced: int = 0
    matched: int = 0
    from_not_events: list[str] = field(default_factory=list)  # "why: text" of each event from a not_event
    huge: int = 0  # events with 1,000 or more fatalities
    main_found: bool = False
    main_fatalities_exact: bool = False
    main_ranked_first: bool = False
    fatalities_exact: int = 0  # matched events with the gold fatalities
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _matches(ev: Event, g: dict[str, Any]) -> bool:
    if ev.sub_event_type != g["sub_event_type"] or not ev.event_date:
        return False
    try:
        days = abs((date.fromisoformat(ev.event_date) - date.fromisoformat(g["event_date"])).days)
    except ValueError:
        return False
    if days > int(g.get("date_tolerance_days", 0)) or ev.latitude is None or ev.longitude is None:
        return False
    if haversine_km(ev.latitude, ev.longitude, g["latitude"], g["longitude"]) > float(g["tolerance_km"]):
        return False
    return ev.actor1 in g["actor1_any"]


def not_event_spans(text: str, gold: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Where each not_event text lies in ``text`` (whitespace-insensitive), as (start, end, "why: text")."""
    out = []
    for ne in gold.get("not_events", []):
        words = _norm(ne["text"]).split(" ")
        if not words or words == [""]:
            continue
        rx = re.compile(r"\s+".join(re.escape(w) for w in words))
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), f"{ne.get('why', '?')}: {ne['text'][:80]}"))
    return out


def score_article(name: str, gold: dict[str, Any], text: str, events: Sequence[Event]) -> ArticleScore:
    """Score ``events`` coded from ``text`` (the document's text, which their evidence offsets index)."""
    sc = ArticleScore(name=name, produced=len(events))
    golds = gold["events"]
    sc.required = sum(not g.get("optional") for g in golds)
    used: dict[int, str] = {}
    for g in golds:
        for i, ev in enumerate(events):
            if i not in used and _matches(ev, g):
                used[i] = g["id"]
                sc.matched += 1
                sc.matched_required += not g.get("optional")
                sc.fatalities_exact += ev.fatalities == int(g.get("fatalities", 0))
                if g["id"] == gold.get("main_event"):
                    sc.main_found = True
                    sc.main_fatalities_exact = ev.fatalities == int(g.get("fatalities", 0))
                    sc.main_ranked_first = ev.article_rank == 1
                break
        else:
            if not g.get("optional"):
                sc.missed.append(f"{g['id']} {g['sub_event_type']} {g['event_date']} {g.get('location')}")
    spans = not_event_spans(text, gold)
    for i, ev in enumerate(events):
        sc.huge += ev.fatalities >= 1000
        hits = {
            why
            for a, b, why in spans
            for k, s in enumerate(ev.evidence)
            if s.start < b and a < s.end and (k == 0 or why.split(":")[0] in NOT_NEWS)
        }
        sc.from_not_events.extend(sorted(hits))
        if i not in used:
            first = ev.evidence[0].text[:90] if ev.evidence else ""
            sc.spurious.append(f"{ev.sub_event_type} {ev.event_date} {ev.location} {ev.actor1} | {first}")
    return sc


def gold_articles(folder: Path) -> list[tuple[Path, Path]]:
    """(article, gold) pairs of a folder of hand-coded articles (NAME.txt or NAME.html beside NAME.gold.json),
    in name order; a gold file without its article is skipped."""
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        doc = next((p for p in (gold.with_name(stem + ext) for ext in (".txt", ".html")) if p.exists()), None)
        if doc is not None:
            out.append((doc, gold))
    return out


def score_folder(coder: Any, folder: Path) -> list[ArticleScore]:
    """Code each article of ``folder`` with ``coder`` (a warcoder Coder), its publisher as the source and its
    gold report date, and score it against its gold file."""
    scores = []
    for path, gpath in gold_articles(folder):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        doc = coder.make_document(path.read_text(encoding="utf-8"), doc_id=path.stem, source=gold.get("publisher"))
        events = coder.code_document(doc, report_date=gold["report_date"])
        scores.append(score_article(path.name, gold, doc.text, events))
    return scores


@dataclass
class Summary:
    articles: int
    recall: float
    precision: float
    events: int
    from_not_events: int
    huge: int
    main_found: float
    main_fatalities_exact: float
    main_ranked_first: float
    fatalities_exact: float

    def line(self) -> str:
        return (
            f"articles={self.articles} recall={self.recall:.3f} precision={self.precision:.3f} "
            f"events={self.events} from_not_events={self.from_not_events} huge={self.huge} "
            f"main_found={self.main_found:.3f} main_fatal={self.main_fatalities_exact:.3f} "
            f"main_first={self.main_ranked_first:.3f} fatal_exact={self.fatalities_exact:.3f}"
        )


def summarise(scores: Iterable[ArticleScore]) -> Summary:
    s = list(scores)
    n = max(len(s), 1)
    req = sum(x.required for x in s)
    prod = sum(x.produced for x in s)
    matched = sum(x.matched for x in s)
    return Summary(
        articles=len(s),
        recall=sum(x.matched_required for x in s) / max(req, 1),
        precision=matched / max(prod, 1),
        events=prod,
        from_not_events=sum(len(x.from_not_events) for x in s),
        huge=sum(x.huge for x in s),
        main_found=sum(x.main_found for x in s) / n,
        main_fatalities_exact=sum(x.main_fatalities_exact for x in s) / n,
        main_ranked_first=sum(x.main_ranked_first for x in s) / n,
        fatalities_exact=sum(x.fatalities_exact for x in s) / max(matched, 1),
    )
