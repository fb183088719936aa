"""Events: which sentences report an event, and of which ACLED sub-type.

Knowledge is in ``data/triggers.yaml`` (macros, scoring rules, modality and hedge cues) and
``data/taxonomy.yaml`` (the 6 types, 25 sub-types and the note templates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from warcoder import knowledge

from .prefilter import Prefilter, first_chars, parse


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile case-insensitively, behind a lookahead on the characters a match can start with: the engine
    then rejects most positions with one class test instead of trying every alternative (same matches)."""
    chars, nullable = first_chars(parse(pattern))
    if chars is None or nullable:
        return re.compile(pattern, re.I)
    chars = {c.lower() for c in chars} | {c.upper() for c in chars}
    cls = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{cls}])(?:{pattern})", re.I)


def prior_event_clause() -> re.Pattern[str]:
    """The clause naming an earlier event that an event answered, or that a group claimed (data: triggers.yaml
    prior_event_clause and claim_clause)."""
    spec = knowledge.shared_yaml("triggers.yaml")
    return re.compile(f"(?:{spec['claim_clause']})|(?:{spec['prior_event_clause']})", re.I)


def anaphora() -> re.Pattern[str]:
    """A definite reference back to an event already told ("in the attack", "Sunday's strike") (data:
    triggers.yaml anaphora)."""
    return re.compile(knowledge.shared_yaml("triggers.yaml")["anaphora"], re.I)


def claim_back() -> re.Pattern[str]:
    """A claim of an event already told (data: triggers.yaml claim_back)."""
    return re.compile(knowledge.shared_yaml("triggers.yaml")["claim_back"], re.I)


def claim_clause() -> re.Pattern[str]:
    """A claim of responsibility for an event already reported (data: triggers.yaml claim_clause)."""
    return re.compile(knowledge.shared_yaml("triggers.yaml")["claim_clause"], re.I)


def elsewhere_clauses() -> re.Pattern[str]:
    """Clauses whose places are not the event's: what it answered, or what a crowd protests about (data:
    triggers.yaml prior_event_clause and grievance_clause)."""
    spec = knowledge.shared_yaml("triggers.yaml")
    return re.compile(f"(?:{spec['prior_event_clause']})|(?:{spec['grievance_clause']})", re.I)


class _Scan:
    """Lazily evaluated macro matches over one text; a macro the prefilter rules out is never searched."""

    __slots__ = ("_candidates", "_macros", "_pos", "_prefilter", "_text")

    def __init__(self, text: str, macros: dict[str, re.Pattern[str]], prefilter: Prefilter | None = None) -> None:
        self._text = text
        self._macros = macros
        self._pos: dict[str, int] = {}
        self._prefilter = prefilter
        self._candidates: set[str] | None = None

    def candidates(self) -> set[str] | None:
        """The macros that can match this text (None without a prefilter: any)."""
        if self._candidates is None and self._prefilter is not None:
            self._candidates = self._prefilter.candidates(self._text)
        return self._candidates

    def position(self, name: str) -> int:
        p = self._pos.get(name)
        if p is None:
            cands = self.candidates()
            if cands is not None and name not in cands:
                self._pos[name] = -1
                return -1
            m = self._macros[name].search(self._text)
            p = self._pos[name] = m.start() if m else -1
        return p

    def hit(self, name: str) -> bool:
        return self.position(name) >= 0


@dataclass(frozen=True)
class Classification:
    sub_event_type: str
    event_type: str
    score: float
    rule: str


class EventTyper:
    """Scores the 25 ACLED sub-types on an event's text with the rules in triggers.yaml."""

    def __init__(self, spec: dict[str, Any] | None = None, taxonomy: dict[str, Any] | None = None) -> None:
        spec = spec or knowledge.shared_yaml("triggers.yaml")
        taxonomy = taxonomy or knowledge.shared_yaml("taxonomy.yaml")
        self.macros = {k: _compile(v) for k, v in spec["macros"].items()}
        self.prefilter = Prefilter(spec["macros"])
        self.event_macros = [self.macros[m] for m in spec["event_macros"]]
        secondary = set(spec.get("secondary_macros") or [])
        self.primary_names = [m for m in spec["event_macros"] if m not in secondary]
        self.secondary_names = [m for m in spec["event_macros"] if m in secondary]
        self.primary_macros = [self.macros[m] for m in self.primary_names]
        self.secondary_macros = [self.macros[m] for m in self.secondary_names]
        self.rules = spec["rules"]
        for r in self.rules:
            for name in list(r.get("all", [])) + list(r.get("none", [])):
                if name not in self.macros:
                    raise ValueError(f"triggers.yaml: rule for {r['sub']!r} names unknown macro {name!r}")
        self.modality_rx = {k: re.compile(v, re.I) for k, v in spec["modality"].items()}
        self.hedge_rx = re.compile(spec["hedges"], re.I)
        self.past_rx = re.compile(spec.get("past_event") or r"(?!)", re.I)
        self.type_of = {sub: et for et, subs in taxonomy.items() for sub in subs}
        self.templates = {sub: tpl for subs in taxonomy.values() for sub, tpl in subs.items()}
        for r in self.rules:
            if r["sub"] not in self.type_of:
                raise ValueError(f"triggers.yaml: unknown ACLED sub-type {r['sub']!r}")
        self._scans: dict[str, _Scan] = {}
        neutral = knowledge.shared_yaml("neutral_language.yaml")
        self.neutral = [(re.compile(k, re.I), v) for k, v in neutral.items()]

    def is_candidate(self, text: str) -> bool:
        return self.trigger_position(text) >= 0

    def trigger_position(self, text: str) -> int:
        """Offset of the earliest trigger word in the text, -1 when there is none."""
        scan = self._scan(text)
        cands = scan.candidates()
        for group in (self.primary_names, self.secondary_names):
            names = group if cands is None else [n for n in group if n in cands]
            starts = [p for name in names if (p := scan.position(name)) >= 0]
            if starts:
                return min(starts)
        return -1

    def modality(self, text: str) -> str | None:
        """'conditional', 'future', 'negation' or 'background' when the sentence reports no event.

        A future cue that only follows an event already reported in a past-tense clause ("residents
        demonstrated against plans to build ...", "protesters rallied to support a leader who will
        run") qualifies that clause's object, not the event: the sentence still reports it."""
        for kind, rx in self.modality_rx.items():
            m = rx.search(text)
            if m is None:
                continue
            if kind == "future" and self._past_trigger_before(text, m.start()):
                continue
            return kind
        return None

    def _past_trigger_before(self, text: str, end: int) -> bool:
        head = text[:end]
        return any(
            (m := rx.search(head)) is not None and self.past_rx.search(head, m.start(), min(len(head), m.end() + 30))
            for rx in self.primary_macros
        )

    def hedged(self, text: str) -> bool:
        return bool(self.hedge_rx.search(text))

    def _scan(self, text: str) -> _Scan:
        """Macro matches for a text, each searched at most once and only when a rule asks for it.
        A sentence is scanned for its trigger, its modality and then classified (often as all of
        its event's text): the scans of the last few texts are kept."""
        scan = self._scans.get(text)
        if scan is None:
            if len(self._scans) > 64:
                self._scans.clear()
            scan = self._scans[text] = _Scan(text, self.macros, self.prefilter)
        return scan

    def _hits(self, text: str) -> dict[str, bool]:
        """Which macros match the text (all of them; for inspection and tests)."""
        scan = self._scan(text)
        return {name: scan.hit(name) for name in self.macros}

    def classify(self, text: str, agent: str | None) -> Classification | None:
        """Best sub-type for the text; ``agent`` is the acting side's kind: state, nonstate or None."""
        hit = self._scan(text).hit
        scores: dict[str, float] = {}
        why: dict[str, str] = {}
        for r in self.rules:
            if not all(hit(m) for m in r.get("all", [])) or any(hit(m) for m in r.get("none", [])):
                continue
            need = r.get("agent")
            if need == "state" and agent != "state":
                continue
            if need == "nonstate" and agent not in ("nonstate",):
                continue
            if need == "armed" and agent not in ("state", "nonstate"):
                continue
            sub = r["sub"]
            if r["weight"] > scores.get(sub, 0):
                scores[sub] = float(r["weight"])
                why[sub] = "+".join(r.get("all", []))
        if not scores:
            return None
        best = max(scores, key=lambda s: scores[s])  # dict order = rule order breaks ties
        return Classification(best, self.type_of[best], scores[best], why[best])

    def neutralise(self, s: str) -> str:
        for rx, rep in self.neutral:
            s = rx.sub(rep, s)
        return re.sub(r"\s{2,}", " ", s).strip()
