"""Actors: find who acts and who is acted upon, and name them the ACLED way.

Knowledge lives in ``data/actors.yaml`` (aliases, units, equipment, generic nouns, group heads) and
``data/governments.tsv`` (the regime-year suffix of state forces).  This module only matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from warcoder import conflicts, knowledge

STATE_KINDS = {"state"}
_MEMBER_NOUNS = {"members", "member", "fighters", "supporters", "cadres", "elements", "operatives", "loyalists"}
# between a fighter noun and the group that owns it ("militants of", "fighters belonging to the")
_OWNED_BY = re.compile(r"\s+(?:of|from|belonging\s+to|affiliated\s+(?:with|to)|loyal\s+to|linked\s+to)\s+(?:the\s+)?")
NON_STATE_ARMED = {"rebel", "militia", "identity", "unidentified", "external"}


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    template: str  # canonical name, may hold {country} / {year}
    kind: str
    inter: int
    role: str = ""  # generic role: military, police, protesters, civilians, ... ; "" for named groups
    unit: str = ""  # a named sub-unit, for assoc_actor
    country: str | None = None  # country stated in the mention ("Israeli warplanes")
    named: bool = False  # a named group or unit (not a generic noun)
    home: str | None = None  # where a named group fights, or whose state a unit belongs to: a place hint

    @classmethod
    def side(cls, template: str) -> ActorMention:
        """A mention standing for one side of a front (data/frontlines.yaml): a state's forces or a group."""
        state = "{country}" in template
        return cls(0, 0, "", template, "state" if state else "rebel", 1 if state else 2)

    def name(self, country: str | None, when: date | None, years: RegimeYears) -> str:
        c = self.country or country
        if "{country}" not in self.template:
            return self.template
        if not c:
            return re.sub(r"\s*\(\{country\}\)|\s*of \{country\}|\s*\(\{year\}-\)", "", self.template).strip()
        tpl = self.template
        if self.role == "unidentified" and c in years.gang_countries:
            tpl = "Unidentified Gang ({country})"
        if c in years.article_countries:
            tpl = tpl.replace(" of {country}", " of the {country}")
        out = tpl.replace("{country}", c)
        if "{year}" in out:
            y = years.year(c, when)
            out = out.replace("({year}-)", f"({y}-)") if y else out.replace(" ({year}-)", "")
        return out


class RegimeYears:
    """Looks up the regime year of a country's government on a date (data/governments.tsv)."""

    def __init__(
        self,
        rows: Iterable[tuple[str, date, str]],
        article_countries: Iterable[str] = (),
        gang_countries: Iterable[str] = (),
    ) -> None:
        self.article_countries = frozenset(article_countries)
        self.gang_countries = frozenset(gang_countries)
        self._by: dict[str, list[tuple[date, str]]] = {}
        for country, since, label in rows:
            self._by.setdefault(country, []).append((since, label))
        for v in self._by.values():
            v.sort()

    @classmethod
    def load(cls) -> RegimeYears:
        rows = [(r[0], date.fromisoformat(r[1]), r[2]) for r in knowledge.read_tsv("governments.tsv")]
        return cls(rows + conflicts.government_rows())

    def year(self, country: str, when: date | None) -> str | None:
        spans = self._by.get(country)
        if not spans:
            return None
        if when is None:
            return spans[-1][1]
        best = None
        for since, label in spans:
            if since <= when:
                best = label
        return best or spans[0][1]


def alternation(words: Iterable[str]) -> str:
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ws)


def trie_alternation(words: Iterable[str]) -> str:
    """The same as alternation() for case-insensitive use, written as a prefix tree: with hundreds of aliases a
    flat alternation is tried branch by branch at every character, the tree only along matching prefixes.  Longer
    continuations are tried before an alias ends, so the longest alias at a position still wins.  A hyphen is
    written like a space ("Mai-Mai" also matches "Mai Mai"), as the alias lookup already treats them alike; this
    keeps sibling branches disjoint, which is what makes the first match the longest."""
    trie: dict[str, Any] = {}
    for w in {w.lower() for w in words if w}:
        node = trie
        for tok in re.findall(r"[\s-]+|.", w, re.S):
            node = node.setdefault(r"[\s-]+" if tok.isspace() or tok[0] == "-" else re.escape(tok), {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [tok + emit(child) for tok, child in node.items() if tok]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


# after a weapon named with a demonym, words that take the state out of it: "a Turkish drone operated by the
# GNA" (the operator acts, not the state the weapon comes from); "a French strike by rail workers", "a general
# strike over fuel prices", "strike action" (a labour strike)
_NOT_THE_STATES = re.compile(
    r"\s+(?:(?:operated|flown|launched|used|controlled|manned) by|belonging to|by|over|action)\b", re.I
)


# a government office that says or claims something is the report's source ("the ministry said its forces ...")
_SPEAKS = re.compile(
    r"\s*(?:,\s*)?(?:\w+\s+){0,2}?(?:said|says|claimed|claims|announced|announces|reported|stated|added|confirmed|"
    r"denied|accused|told)\b",
    re.I,
)


# between "the government" and its unit: "'s" and an ordinal or a word ("the government's 22nd Mechanized Brigade")
_POSSESSIVE_GAP = re.compile(r"['’]s\s+(?:[\w-]+\s+)?")
# ground a side holds, named with a possessive ("their positions", "its checkpoints"): the subject's own
_OWN_GROUND = frozenset({"positions", "checkpoint", "checkpoints", "outposts", "garrison"})
_POSSESSED = re.compile(r"\b(?:their|its|his|our)\s+(?:own\s+|new\s+|forward\s+|front-?line\s+|defensive\s+)?$", re.I)
# "its forces", "its own troops": a possessive right before a generic noun
_ITS = re.compile(r"\bits\s+(?:own\s+)?$", re.I)


def _possessed(rx: re.Pattern[str], seg: str, at: int) -> bool:
    """Does ``rx`` (a possessive that ends at the noun) match just before offset ``at``?  Only the few words before
    the noun are searched, not the whole sentence once per generic noun."""
    return rx.search(seg, max(0, at - 40), at) is not None


class ActorMatcher:
    """Finds actor mentions in a span of text."""

    def __init__(self, spec: Mapping[str, Any], demonyms: Mapping[str, str], country_names: Iterable[str] = ()) -> None:
        self.spec = spec
        self.demonyms = {k.lower(): v for k, v in demonyms.items()}
        # country names (not adjectives) that may stand for the state as a sentence's subject ("Turkey sent ...")
        names = [n for n in country_names if n.lower() in self.demonyms]
        verbs = spec.get("state_subject_verbs") or []
        self._rx_state_subject = (
            re.compile(
                rf"(?<![\w-])(?=[A-Z])(?P<c>(?i:{trie_alternation(names)}))(?:\s+(?:has|had|have|also|then|again|reportedly))?"
                rf"\s+(?:{alternation(verbs)})(?![\w-])"
            )
            if names and verbs
            else None
        )
        self.years = RegimeYears.load()
        self.years.article_countries = frozenset(spec.get("countries_with_article") or ())
        self.years.gang_countries = frozenset(spec.get("gang_countries") or ())
        # lower alias -> template, kind, inter, unit, country
        self._alias: dict[str, tuple[str, str, int, str, str | None]] = {}
        self.homes: dict[str, str] = {}  # group template -> home country
        self.observers: dict[str, str] = dict(spec.get("observers") or {})
        cs_aliases: list[str] = []
        ci_aliases: list[str] = []

        def add(alias: str, entry: tuple[str, str, int, str, str | None]) -> None:
            if re.fullmatch(r"[A-Z0-9-]{2,6}", alias):
                cs_aliases.append(alias)
                self._alias[alias] = entry
            else:
                ci_aliases.append(alias)
                self._alias[alias.lower()] = entry

        for g in spec.get("groups", []):
            if g.get("home"):
                self.homes[g["name"]] = g["home"]
            for a in g["aliases"]:
                add(a, (g["name"], g["kind"], int(g["inter"]), "", None))
        gen = spec["generic"]
        for country, units in (spec.get("state_forces") or {}).items():
            for role, aliases in units.items():
                for a in aliases:
                    add(a, (gen[role]["name"], "state", 1, "", country))
        for country, units in (spec.get("state_units") or {}).items():
            for role, aliases in units.items():
                for a in aliases:
                    add(a, (gen[role]["name"], "state", 1, a, country))
        for country, items in (spec.get("equipment") or {}).items():
            for a in items:
                add(a, (gen["military"]["name"], "state", 1, "", country))
        self._rx_cs = re.compile(rf"(?<![\w-])(?:{alternation(cs_aliases)})(?![\w])") if cs_aliases else None
        # "Taliban-planted", "ISIS-held": a group named in a compound is still named
        compound = r"(?:planted|laid|placed|fired|launched|triggered|detonated|held|controlled)\b"
        self._rx_ci = re.compile(rf"(?<![\w-])(?:{trie_alternation(ci_aliases)})(?![\w])(?!-(?!{compound}))", re.I)
        # generic nouns, optionally preceded by a demonym / country name ("Israeli warplanes", "Turkish army"); the
        # words between are taken lazily so that the longest generic noun wins ("Afghan police forces" is police)
        self._generic: dict[str, str] = {}
        order = ["military", "police", "government", "private_security", "islamist", "clan", "unidentified", "gang"]
        order += ["rioters", "protesters", "civilians"]
        self._needs_demonym: set[str] = set()  # "a Turkish drone strike" names a state; "a drone strike" does not
        for role in (r for r in order if r in gen):
            for w in gen[role]["words"]:
                self._generic.setdefault(w.lower(), role)
            for w in gen[role].get("words_with_demonym") or []:
                self._generic.setdefault(w.lower(), role)
                self._needs_demonym.add(w.lower())
        # prefix trees, not flat alternations: the optional demonym is tried at every word of every sentence
        dem = trie_alternation(self.demonyms.keys())
        self._rx_gen = re.compile(
            rf"(?<![\w-])(?:(?P<dem>{dem})(?:'s)?[\s-]+(?:[a-z][\w-]*\s+){{0,2}}?)?(?P<w>{trie_alternation(self._generic)})(?![\w-])",
            re.I,
        )
        ethnic = alternation(spec.get("ethnic_groups") or [])
        self._rx_ethnic = (
            re.compile(
                rf"(?<![\w-])(?P<e>{ethnic})(?:\s+and\s+(?P<e2>{ethnic}))?(?:\s+ethnic)?(?:\s+(?:community|communal|tribal|clan))?\s+"
                r"(?:militia|militias|militiamen|militants|gunmen|fighters|herders|herdsmen|vigilantes|youths)\b",
                re.I,
            )
            if ethnic
            else None
        )
        heads = alternation(spec.get("group_heads", []))
        self._rx_group = re.compile(rf"\b(?P<g>(?:(?:al-|the\s)?[A-Z][\w'’-]+\s+){{1,4}}(?:{heads}))\b")

    @cached_property
    def _rx_of_country(self) -> re.Pattern[str]:
        return re.compile(rf"\s+of\s+(?:the\s+)?(?P<c>{alternation(self.demonyms)})(?![\w-])", re.I)

    @cached_property
    def generic_templates(self) -> dict[str, tuple[str, str, int]]:
        g = self.spec["generic"]
        return {k: (v["name"], v["kind"], int(v["inter"])) for k, v in g.items()}

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        end = len(text) if end is None else end
        seg = text[start:end]
        out: list[ActorMention] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        hits: list[tuple[int, int, tuple[str, str, int, str, str | None]]] = []
        if self._rx_cs:
            for m in self._rx_cs.finditer(seg):
                hits.append((m.start(), m.end(), self._alias[m.group(0)]))
        for m in self._rx_ci.finditer(seg):
            key = re.sub(r"[\s-]+", " ", m.group(0).lower())
            entry = self._alias.get(key) or self._alias.get(m.group(0).lower())
            if entry is None:
                entry = next((v for k, v in self._alias.items() if re.sub(r"[\s-]+", " ", k) == key), None)
            if entry:
                hits.append((m.start(), m.end(), entry))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        for a, b, (tpl, kind, inter, unit, country) in hits:
            if free(a, b):
                taken.append((a, b))
                home = self.homes.get(tpl) or (country if kind == "state" and unit else None)
                out.append(
                    ActorMention(start + a, start + b, seg[a:b], tpl, kind, inter, "", unit, country, True, home)
                )
        if self._rx_ethnic is not None:
            for m in self._rx_ethnic.finditer(seg):
                a, b = m.start(), m.end()
                if free(a, b):
                    taken.append((a, b))
                    # "Fellata and Rizeigat militias": two sides, each its own ethnic militia
                    spans = [(m.start("e"), m.end("e"), a, m.end("e") if m.group("e2") else b)]
                    if m.group("e2"):
                        spans.append((m.start("e2"), m.end("e2"), m.start("e2"), b))
                    for ea, eb, x, y in spans:
                        e = seg[ea:eb]
                        tpl = f"{e[0].upper() + e[1:]} Ethnic Militia ({{country}})"
                        out.append(ActorMention(start + x, start + y, seg[x:y], tpl, "identity", 4, "", "", None, True))
        for m in self._rx_group.finditer(seg):
            a, b = m.start("g"), m.end("g")
            name = m.group("g")
            if name.split()[0].lower() in {"the", "a", "an", "on", "in"}:
                name = name.split(maxsplit=1)[1] if " " in name else name
                a = b - len(name)
            if free(a, b) and not self._is_generic_phrase(name):
                taken.append((a, b))
                out.append(ActorMention(start + a, start + b, name, name, "militia", 3, "", "", None, True))
        speaker: str | None = None  # the country of a state office that speaks in the text
        for m in self._rx_gen.finditer(seg):
            a, b = m.start(), m.end()
            if not free(m.start("w"), b):
                continue
            w = re.sub(r"[\s-]+", " ", m.group("w").lower())
            if w in _OWN_GROUND and not m.group("dem") and _possessed(_POSSESSED, seg, m.start("w")):
                continue  # "Houthi forces reinforced their positions": the subject's own ground, not another side
            if w in self._needs_demonym and (not m.group("dem") or _NOT_THE_STATES.match(seg, b)):
                continue  # a weapon names its maker's state, unless someone else uses it
            role = self._generic.get(w) or next(
                (r for k, r in self._generic.items() if re.sub(r"[\s-]+", " ", k) == w), "civilians"
            )
            country = self.demonyms.get(m.group("dem").lower()) if m.group("dem") else None
            if role == "government" and _SPEAKS.match(seg, b):
                # "Russia's defence ministry said its forces ...": the source of the report, not a side; the
                # forces it calls its own are its state's
                speaker = country or speaker
                continue
            tpl, kind, inter = self.generic_templates[role]
            if country is None and kind == "state" and speaker and _possessed(_ITS, seg, m.start("w")):
                country = speaker
            if not free(a, b):
                a = m.start("w")
                country = None
            if country is None and kind == "state":
                # "the military forces of Armenia", "police of the Philippines"
                of = self._rx_of_country.match(seg, b)
                if of is not None and free(b, of.end()):
                    country = self.demonyms.get(of.group("c").lower())
                    b = of.end()
            taken.append((a, b))
            out.append(ActorMention(start + a, start + b, seg[a:b], tpl, kind, inter, role, "", country, False))
        out += self._state_subjects(seg, start, free)
        out.sort(key=lambda x: x.start)
        return self._either(text, self._absorb(text, self._government_units(text, out)))

    def _government_units(self, text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """ "The government's 22nd Mechanized Brigade", "the government's forces": a government's units and forces are
        its state's forces (the unit, a name of its own, goes to assoc_actor), not the government as a political
        actor."""
        out: list[ActorMention] = []
        skip = -1
        for k, m in enumerate(mentions):
            if k == skip:
                continue
            nxt = mentions[k + 1] if k + 1 < len(mentions) else None
            if (
                m.role == "government"
                and nxt is not None
                and _POSSESSIVE_GAP.fullmatch(text, m.end, nxt.start)
                and (nxt.role == "military" or (nxt.kind == "militia" and nxt.template == nxt.text))
            ):
                tpl, kind, inter = self.generic_templates["military"]
                unit = text[m.end : nxt.end].lstrip("'’s").strip() if nxt.role != "military" else ""
                out.append(
                    replace(
                        m,
                        end=nxt.end,
                        text=text[m.start : nxt.end],
                        template=tpl,
                        kind=kind,
                        inter=inter,
                        role="military",
                        unit=unit,
                    )
                )
                skip = k + 1
                continue
            out.append(m)
        return out

    def _state_subjects(self, seg: str, start: int, free: Callable[[int, int], bool]) -> list[ActorMention]:
        """A country named as the subject of a military verb stands for its forces ("Turkey sent reinforcements";
        data: actors.yaml state_subject_verbs)."""
        if self._rx_state_subject is None:
            return []
        tpl, kind, inter = self.generic_templates["military"]
        out = []
        for m in self._rx_state_subject.finditer(seg):
            a, b = m.start("c"), m.end("c")
            if free(a, b):
                country = self.demonyms[m.group("c").lower()]
                out.append(ActorMention(start + a, start + b, m.group("c"), tpl, kind, inter, "military", "", country))
        return out

    @staticmethod
    def _either(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """Two named groups given as alternatives ("JNIM or ISGS militants") are one actor of uncertain identity,
        which ACLED names "X and/or Y", in the order the text gives them."""
        out: list[ActorMention] = []
        armed = NON_STATE_ARMED | {"external"}
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.named
                and m.named
                and prev.kind in armed
                and m.kind in armed
                and prev.template != m.template
                and re.fullmatch(r"\s+(?:or|and/or)\s+(?:the\s+)?", text[prev.end : m.start])
            ):
                parts = list(dict.fromkeys(prev.template.split(" and/or ") + m.template.split(" and/or ")))
                tpl = " and/or ".join(parts)
                out[-1] = replace(prev, end=m.end, text=text[prev.start : m.end], template=tpl)
                continue
            out.append(m)
        return out

    @staticmethod
    def _absorb(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """A generic noun right after a named mention is the same actor: "Tu-22M3 strategic bombers",
        "Al Shabaab militants", "ISIS fighters"; so is an unnamed fighter noun that a named group owns: "militants
        of Wilayat Sinai", "members of the SDF", "gunmen loyal to the Houthis"."""
        out: list[ActorMention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and m.named
                and not prev.named
                and (prev.kind == "unidentified" or prev.text.lower() in _MEMBER_NOUNS)
                and _OWNED_BY.fullmatch(text[prev.end : m.start])
            ):
                out[-1] = replace(m, start=prev.start, text=text[prev.start : m.end])
                continue
            if (
                prev is not None
                and prev.named
                and not m.named
                and not m.country
                and (m.kind not in ("civilians", "protesters") or m.text.lower() in _MEMBER_NOUNS)
                and re.fullmatch(
                    r"[\s-]+(?:(?![\w-]*(?:ed|ing)\b|(?:and|or|with|against|versus|vs|of|by|from|to|at|in|on|near)\b)"
                    r"[\w-]+\s+)?",
                    text[prev.end : m.start],
                    re.I,
                )
            ):
                out[-1] = replace(prev, end=m.end, text=text[prev.start : m.end], named=True)  # keeps its home
                continue
            out.append(m)
        return out

    @cached_property
    def _rx_gang(self) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-])(?:{alternation(self.spec.get('gang_cues') or ['gang'])})(?![\w])", re.I)

    @cached_property
    def _rx_execution(self) -> re.Pattern[str]:
        spec = self.spec.get("organised_crime") or {}
        return re.compile(rf"(?<![\w-])(?:{alternation(spec.get('cues') or ['gangland'])})(?![\w])", re.I)

    @cached_property
    def _crime_countries(self) -> frozenset[str]:
        return frozenset((self.spec.get("organised_crime") or {}).get("countries") or ())

    def gang_cue(self, text: str, country: str | None = None) -> bool:
        """Does the text place an unnamed perpetrator in organised crime (cartels, drive-by shootings, or, where
        organised crime drives most killings, the marks of an execution: bound, tortured, dismembered bodies)?"""
        if self._rx_gang.search(text):
            return True
        return country in self._crime_countries and bool(self._rx_execution.search(text))

    def for_country(self, mentions: list[ActorMention], country: str | None) -> list[ActorMention]:
        """Read abbreviations that differ by country (data: ambiguous_aliases) for a document about ``country``;
        a group's ``home_only`` words name it only in a document about its home country."""
        table = self.spec.get("ambiguous_aliases") or {}
        if not country or not table:
            return mentions
        groups = {g["name"]: g for g in self.spec.get("groups") or []}
        gen = self.spec["generic"]
        out = []
        for m in mentions:
            g0 = groups.get(m.template)
            home_only = g0 is not None and m.text.lower() in (g0.get("home_only") or ())
            if home_only and country != g0.get("home") and not table.get(m.text.lower(), {}).get(country):
                continue  # a common word ("separatists") that names this group only in its home country
            target = (table.get(m.text) or table.get(m.text.split(" ")[0]) or {}).get(country)  # "SNA fighters"
            if target is None:
                target = (table.get(m.text.lower()) or {}).get(country)  # "Coalition warplanes"
            role, _, owner = (target or "").partition(":")  # "military:Saudi Arabia": another state's forces
            if role in gen:
                m = replace(m, template=gen[role]["name"], kind="state", inter=1, role=role, country=owner or country)
            elif target in groups:
                g = groups[target]
                m = replace(
                    m, template=target, kind=g["kind"], inter=int(g["inter"]), role="", country=None, home=g.get("home")
                )
            out.append(m)
        return out

    def place_hint(self, text: str, mentions: list[ActorMention] | None = None) -> str | None:
        """The country a text is most likely about, from named groups' homes and observers' names."""
        votes: dict[str, int] = {}
        for m in self.find(text) if mentions is None else mentions:
            if m.home:
                votes[m.home] = votes.get(m.home, 0) + 1
        for name, country in self.observers.items():
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                votes[country] = votes.get(country, 0) + 1
        return max(votes, key=lambda c: votes[c]) if votes else None

    def _is_generic_phrase(self, name: str) -> bool:
        words = name.lower().split()
        return all(w in self._generic or w in self.demonyms for w in words)


def load_spec() -> dict[str, Any]:
    """data/actors.yaml with the conflict files' actors added (data/conflicts/, see warcoder.conflicts)."""
    return conflicts.add_to_actor_spec(knowledge.load_yaml("actors.yaml"))


def default_matcher() -> ActorMatcher:
    """The matcher over data/actors.yaml, with every country's names, demonyms and aliases."""
    from .gazetteer import countries

    demonyms: dict[str, str] = {}
    for c in countries():
        for d in [c.name, *c.demonyms, *c.aliases]:
            if d and len(d) > 2:
                demonyms.setdefault(d, c.name)
    demonyms.setdefault("US", "United States")
    names = [n for c in countries() for n in (c.name, *c.aliases) if n and len(n) > 2 and n[0].isupper()]
    return ActorMatcher(load_spec(), demonyms, names + ["US"])
