"""The discourse layer: the role of each sentence of an article, so that only news makes events.

A news article is written as an inverted pyramid: a lead (the news), its elaboration (more detail on
the events already told, other sources' figures), then background (how the war began, its toll, earlier
attacks recalled), reactions (condemnations, calls to respect a truce), and around it page furniture
("READ MORE: ...", captions, "Source: ... and agencies", related headlines).  ``Discourse.roles`` gives
each sentence one of:

- ``lead``: a sentence that may report an event, in the article's first paragraphs of news;
- ``elaboration``: a sentence that may report an event, further down;
- ``background``: a toll over a war or a period, a count of events over a period, how a conflict
  began, or a past event recalled when the article has newer news;
- ``reaction``: a statement about an event (condemns, calls for, warns), not the event;
- ``furniture``: page furniture.

Only lead and elaboration sentences make or enrich events (``NEWS``).  The rules are data
(``data/discourse.yaml``), each with a test sentence of our own in ``tests/test_discourse.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from . import knowledge
from .model import Sentence
from .prefilter import Prefilter

NEWS = frozenset({"lead", "elaboration"})
ROLES = ("lead", "elaboration", "background", "reaction", "furniture")


@dataclass(frozen=True)
class SentenceFacts:
    """What the discourse layer needs to know of a sentence besides its text: its first stated date (None
    when it states none) and whether it has an event trigger."""

    sentence: Sentence
    first_date: date | None
    candidate: bool


@dataclass(frozen=True)
class _Rule:
    all_of: tuple[re.Pattern[str], ...]
    none_of: tuple[re.Pattern[str], ...] = ()

    def search(self, text: str) -> bool:
        return all(rx.search(text) for rx in self.all_of) and not any(rx.search(text) for rx in self.none_of)


def _compile(spec: Any) -> _Rule:
    if isinstance(spec, str):
        return _Rule((re.compile(spec, re.I),))
    return _Rule(
        tuple(re.compile(p, re.I) for p in spec.get("all", [])),
        tuple(re.compile(p, re.I) for p in spec.get("none", [])),
    )


class Discourse:
    """The sentence roles of a document, by the rules of ``data/discourse.yaml``."""

    def __init__(self, spec: dict[str, Any] | None = None) -> None:
        spec = spec or knowledge.shared_yaml("discourse.yaml")
        furn = spec["furniture"]
        self.furniture_lines = [re.compile(p, re.I) for p in furn["lines"]]
        self.block_heads = [re.compile(p, re.I) for p in furn["blocks"]]
        self.block_words = int(furn["block_line_words"])
        self.heading_words = int(furn["heading_words"])
        bg = dict(spec["background"])
        self.recalled_days = int(bg.pop("recalled_days"))
        self.recalled = re.compile(bg.pop("recalled"), re.I)
        self.recalled_year = re.compile(bg.pop("recalled_year"), re.I)
        self.background = {name: _compile(p) for name, p in bg.items()}
        # a rule whose first pattern cannot match (no literal of it in the sentence) is not searched
        self._background_filter = Prefilter({n: r.all_of[0].pattern for n, r in self.background.items() if r.all_of})
        react = spec["reaction"]
        self.reaction = [re.compile(p, re.I) for p in react["any"]]
        self.reaction_none = [re.compile(p, re.I) for p in react["none"]]
        self.bounds: dict[str, int] = {k: int(v) for k, v in spec["bounds"].items()}
        self.single_incident = re.compile(spec["single_incident"], re.I)
        self.no_fatalities = frozenset(spec.get("no_fatalities") or [])

    # ------------------------------------------------------------------ furniture
    def furniture_spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The (start, end) offsets of the lines of ``text[start:end]`` that are page furniture."""
        end = len(text) if end is None else end
        lines: list[tuple[int, int, str]] = []
        pos = start
        for raw in text[start:end].splitlines(keepends=True):
            lines.append((pos, pos + len(raw.rstrip("\r\n")), raw.strip()))
            pos += len(raw)
        spans: list[tuple[int, int]] = []
        in_block = False
        seen_text = False  # a paragraph before this one: the first (the headline or the lead) is never a heading
        for k, (a, b, s) in enumerate(lines):
            if not s:
                continue
            alone = (k == 0 or not lines[k - 1][2]) and (k + 1 == len(lines) or not lines[k + 1][2])
            if any(rx.search(s) for rx in self.block_heads):
                in_block = True
                spans.append((a, b))
            elif in_block and self._headline_like(s):
                spans.append((a, b))
            else:
                in_block = False
                if any(rx.search(s) for rx in self.furniture_lines) or (
                    seen_text and alone and self._headline_like(s, self.heading_words)
                ):
                    spans.append((a, b))
            seen_text = True
        return spans

    def _headline_like(self, s: str, words: int | None = None) -> bool:
        s = s.lstrip("-•*·–— ")
        return len(s.split()) <= (words or self.block_words) and not s.rstrip("\"'”’").endswith(
            (".", "!", "?", ":", ")", "]", ";", ",")
        )

    # ------------------------------------------------------------------ sentences
    def background_rule(self, text: str) -> str | None:
        """The name of the background rule that ``text`` matches (a toll, a count, an origin), or None.
        Recalled events are judged in ``roles``, where the report date and the other sentences are known."""
        candidates = self._background_filter.candidates(text)
        for name, rule in self.background.items():
            if rule.all_of and name not in candidates:
                continue
            if rule.search(text):
                return name
        return None

    def is_reaction(self, text: str) -> bool:
        return any(rx.search(text) for rx in self.reaction) and not any(rx.search(text) for rx in self.reaction_none)

    def over_bound(self, sub_event_type: str, fatalities: int, text: str) -> bool:
        """Is ``fatalities`` too many for one event of ``sub_event_type``, with ``text`` not saying that they
        died in one incident?  Then the figure is a toll over many events."""
        bound = self.bounds.get(sub_event_type, self.bounds["default"])
        return fatalities > bound and not self.single_incident.search(text)

    def _old(self, when: date | None, report_date: date | None) -> bool:
        return when is not None and report_date is not None and (report_date - when).days > self.recalled_days

    def _year_before(self, text: str, report_date: date | None) -> bool:
        return report_date is not None and any(
            int(m["year"]) < report_date.year for m in self.recalled_year.finditer(text)
        )

    def roles(
        self,
        text: str,
        facts: Sequence[SentenceFacts],
        report_date: date | None,
        furniture: Sequence[tuple[int, int]] = (),
    ) -> list[str]:
        """One role (``ROLES``) per sentence of ``facts``.

        A sentence tells of a recalled event when it has a cue of the past ("earlier this month", a year before
        the report's) or its date (its own, or the last one stated before it, which it continues) is more than
        ``recalled_days`` before the report date.  It is background only when the article has newer news: a
        sentence that may report an event, of a recent date, before it or after it.  An article about an old
        event still reports it."""
        out: list[str] = []
        recalled: list[bool] = []
        fresh: list[int] = []  # news with an event trigger, of a recent date (its own or the one it continues)
        when = report_date
        for i, f in enumerate(facts):
            s = f.sentence
            recalled.append(False)
            if any(
                a <= s.start and s.end <= b or (s.start <= a < s.end and b - a > (s.end - s.start) / 2)
                for a, b in furniture
            ):
                out.append("furniture")
            elif self.background_rule(s.text):
                out.append("background")
            elif self.is_reaction(s.text):
                out.append("reaction")
            else:
                out.append("news")
                if not f.candidate:
                    continue
                if self.recalled.search(s.text) or self._year_before(s.text, report_date):
                    recalled[-1] = True
                    continue
                when = f.first_date or when
                if self._old(when, report_date):
                    recalled[-1] = True
                else:
                    fresh.append(i)
        for i, is_recalled in enumerate(recalled):
            if is_recalled and fresh:
                out[i] = "background"
        lead_para = next((facts[i].sentence.paragraph for i in fresh), None)
        first_news = fresh[0] if fresh else None
        for i, r in enumerate(out):
            if r == "news":
                p = facts[i].sentence.paragraph
                early = lead_para is None or p <= lead_para or (first_news is not None and i <= first_news)
                out[i] = "lead" if early else "elaboration"
        return out


@cache
def default_discourse() -> Discourse:
    """The Discourse of ``data/discourse.yaml``, built once per process."""
    return Discourse()
