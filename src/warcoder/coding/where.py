"""Where an event took place: the place(s) of its sentences that the text names as the event's own (not a
dateline, a road's destination, where the people came from, a province after its town), and, in a report of
fighting, the namesake that lies on the line of contact."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .. import knowledge
from ..dates import MONTH_NAMES
from ..events import elsewhere_clauses
from ..frontlines import FrontLines
from ..gazetteer import Gazetteer, haversine, normalize, skeleton
from ..model import Location
from ..places import ResolvedPlaces, ascii_name
from .clusters import Cluster, same_places

_ELSEWHERE = elsewhere_clauses()
# "residents of Concepcion blocked a road around Huillapima", "militias from Yagaba and Kubori marched to Gordi":
# where the people came from, not where the event was
_ORIGIN = re.compile(
    r"\b(?:residents|inhabitants|villagers|natives|people|youths?|farmers|herders|workers|traders|militias?|"
    r"militiamen|men|women|families)\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s*,\s*|\s+and\s+))*$"
)
# soldiers named as such (not "security forces" or "authorities"): at a protest they are the military
_MONTH = rf"(?:{MONTH_NAMES})\.?"
# "AMMAN (Reuters) -", "BENI, Congo -", "KHARKIV, Ukraine, May 3 (Reuters) -": the dateline after its town
_DATELINE = re.compile(
    rf"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?(?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s"
)
# the country after a dateline's town: "KHARKIV, Ukraine -"
_DATELINE_TOWN = re.compile(r"[A-Z][A-Z.'’ -]+,\s*$")
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
# a namesake must lie this much closer to the line of contact to replace the resolver's choice
_FRONT_MARGIN_KM = 5.0
# a place this close to the line of contact (data/frontlines.yaml, FrontLines.line_km) is already on it
_ON_LINE_KM = 15.0
# ... and one this far from it lies well behind the lines
_OFF_LINE_KM = 60.0


def event_locations(cl: Cluster, text: str, resolved: ResolvedPlaces) -> list[Location]:
    """The event's place(s); when its sentences name none, the document's first fine place (in the focus country
    when there is one there), else its first place of any kind.  A dateline's town ("ADEN, March 11 -") is where
    the reporter was: it is taken only when the document names no other fine place."""
    locs = primary_locations(cl, text, resolved.focus_country)
    if not locs:
        fine = [loc for loc in resolved.locations if loc.geo_precision <= 2 and not not_a_scene(loc, text)]
        fine = [loc for loc in fine if not _dateline(loc, text)] or fine
        own = [loc for loc in fine if loc.country == resolved.focus_country]
        locs = (own or fine)[:1] or resolved.locations[:1]
    return locs


_NOT_SCENE = knowledge.shared_yaml("places.yaml")["not_scene"]
_SCENE_AFTER = re.compile(_NOT_SCENE["after"])
_SCENE_BEFORE = re.compile(_NOT_SCENE["before"], re.I)
_AGENCIES = frozenset(_NOT_SCENE["names"])


def not_a_scene(loc: Location, text: str) -> bool:
    """Is the place named only as a seat ("the Britain-based Syrian Observatory") or a news agency's name
    ("the state news agency SANA"), not as where something happened?"""
    if loc.span is None:
        return False
    if text[loc.span.start : loc.span.end] in _AGENCIES:
        return True
    return bool(_SCENE_AFTER.match(text[loc.span.end : loc.span.end + 8])) or bool(
        _SCENE_BEFORE.search(text[max(0, loc.span.start - 20) : loc.span.start])
    )


def _elsewhere(loc: Location, text: str) -> bool:  # "in protest against the burning of the Quran in Stockholm"
    if loc.span is None:
        return False
    start = max(text.rfind(". ", 0, loc.span.start), text.rfind("\n", 0, loc.span.start)) + 1
    return any(
        start + m.start() < loc.span.start and start + m.end() >= loc.span.end
        for m in _ELSEWHERE.finditer(text[start : loc.span.end])
    )


def _in_parens(loc: Location, text: str) -> bool:
    if loc.span is None:
        return False
    before = text[max(0, loc.span.start - 120) : loc.span.start]
    return before.rfind("(") > before.rfind(")")


def _origin(loc: Location, text: str) -> bool:  # "residents of Concepcion blocked a road around Huillapima"
    return loc.span is not None and bool(_ORIGIN.search(text, max(0, loc.span.start - 120), loc.span.start))


def _dateline(loc: Location, text: str) -> bool:  # "AMMAN (Reuters) -", "BENI, Congo -": where the reporter was
    if loc.span is None:
        return False
    line_start = text.rfind("\n", 0, loc.span.start) + 1
    before = text[line_start : loc.span.start]
    return (not before.strip() or bool(_DATELINE_TOWN.fullmatch(before))) and bool(_DATELINE.match(text, loc.span.end))


def _roadside(loc: Location, text: str) -> bool:  # "on a road that leads to Camargo", "on Murree road": not the place
    if loc.span is None:
        return False
    return bool(_ROAD_TO.search(text, max(0, loc.span.start - 60), loc.span.start)) or bool(
        _ROAD_NAME.match(text, loc.span.end)
    )


def _marked(
    loc: Location, text: str
) -> bool:  # "in Lucknow city (UP)", "in Fes (Fes)": the place coded, with its admin
    return loc.span is not None and bool(_ADMIN_BRACKET.match(text, loc.span.end))


def _unit_of_previous(loc: Location, prev: Location, text: str) -> bool:
    # "Pauktaw Township, Sittwe District": the district (named after its town) of the place before it
    if loc.span is None or prev.span is None or prev.span.end > loc.span.start:
        return False
    return bool(_UNIT_WORD.match(text, loc.span.end)) and bool(
        _CHAIN_GAP.fullmatch(text, prev.span.end, loc.span.start)
    )


def _country_only(loc: Location) -> bool:
    return loc.geo_precision == 3 and not loc.admin1


def primary_locations(cl: Cluster, text: str, focus: str | None = None) -> list[Location]:
    """The event's place(s): the finest places of the main sentence (else of the cluster), outside
    parentheses, in the document's focus country when some are; several only when the text lists them
    ("X and Y")."""
    locs = list(cl.main.locations) or list(cl.locations)
    if not locs:
        return []
    locs = [loc for loc in locs if not _elsewhere(loc, text)] or locs
    kept = [loc for loc in locs if not _origin(loc, text)]
    if any(not _in_parens(loc, text) for loc in kept):  # (not "residents of Kasoa (Awutu Senya, Central) marched")
        locs = kept
    if focus:  # "a protest outside Geo office in Badah town (Larkana, Sindh)": not a namesake abroad
        own = [loc for loc in locs if loc.country == focus]
        if any(not _country_only(loc) for loc in own):
            # (a place given with its admin units stays: the focus may come from a namesake abroad)
            locs = [loc for loc in locs if loc.country == focus or (_marked(loc, text) and not _in_parens(loc, text))]
    locs = [loc for loc in locs if not _dateline(loc, text)] or locs
    outside = _outside(locs, text)
    best = min(loc.geo_precision for loc in outside)
    fine = [loc for loc in outside if loc.geo_precision == best]
    fine.sort(key=lambda loc: (_country_only(loc), loc.span.start if loc.span else 0))  # "Tovuz" before "Azerbaijan"
    return _listed(fine, text)


def _outside(locs: list[Location], text: str) -> list[Location]:
    """The candidates outside parentheses and roads, in text order, without the admin units that follow a place;
    the ones given with their admin units when the first is not."""
    outside = [loc for loc in locs if not _in_parens(loc, text)] or locs
    if all(_country_only(loc) for loc in outside):  # "India and Pakistan exchanged fire ... (Poonch district, J&K)"
        outside = [loc for loc in locs if not _country_only(loc)] or outside
    outside = [loc for loc in outside if not _roadside(loc, text)] or outside
    outside.sort(key=lambda loc: loc.span.start if loc.span else 0)
    outside = [outside[0]] + [loc for k, loc in enumerate(outside[1:]) if not _unit_of_previous(loc, outside[k], text)]
    # "near Al-Sukhnah, Homs": the province of the place before it (named after its capital), not the capital
    outside = [outside[0]] + [loc for k, loc in enumerate(outside[1:]) if not names_own_province(outside[k], loc, text)]
    # "in Beit Ummar, Hebron": the nearby town after a village and a comma is where the village lies
    outside = [outside[0]] + [loc for k, loc in enumerate(outside[1:]) if not reference_town(outside[k], loc, text)]
    if not _marked(outside[0], text):
        outside = [loc for loc in outside if _marked(loc, text)] or outside
    return outside


def _listed(fine: list[Location], text: str) -> list[Location]:
    """The first of the finest places, and those the text lists with it ("X and Y"), each place once."""
    chosen = [fine[0]]
    for loc in fine[1:]:
        prev = chosen[-1]
        if prev.span and loc.span and _COORD_GAP.match(text[prev.span.end : loc.span.start]):
            if names_own_province(prev, loc, text):
                continue  # "in Diban, Deir ez-Zor": the province of the town, not a second place
            chosen.append(loc)
    uniq: list[Location] = []
    for loc in chosen:
        if not any(same_places([loc], [u]) for u in uniq):
            uniq.append(loc)
    return uniq


_LIST_ON = re.compile(r"\s*(?:,|and\b|or\b|&)", re.I)
_LIST_BEFORE = re.compile(r"(?:,|\band|\bor|&)\s*$", re.I)
REFERENCE_TOWN_KM = float(knowledge.shared_yaml("places.yaml")["event_place"]["reference_town_km"])


def reference_town(prev: Location, loc: Location, text: str) -> bool:
    """ "Village, Town": a town of the same province named right after a place and a comma, within
    ``REFERENCE_TOWN_KM`` of it and not in a list ("in Burin, Madama and Asira"), locates the place before it."""
    if not (prev.span and loc.span and prev.admin1 and prev.admin1 == loc.admin1):
        return False
    if text[prev.span.end : loc.span.start] != ", " or loc.geo_precision != 1 or prev.geo_precision > 2:
        return False
    if _LIST_ON.match(text, loc.span.end) or _LIST_BEFORE.search(text, max(0, prev.span.start - 40), prev.span.start):
        return False
    if None in (prev.latitude, prev.longitude, loc.latitude, loc.longitude):
        return False
    return haversine(prev.latitude, prev.longitude, loc.latitude, loc.longitude) <= REFERENCE_TOWN_KM  # type: ignore[arg-type]


def names_own_province(prev: Location, loc: Location, text: str) -> bool:
    """ "Town, Province" where the province is also the name of a city: the second name is the town's province."""
    if not (prev.admin1 and loc.admin1 and loc.span and prev.span):
        return False
    if text[prev.span.end : loc.span.start].strip() != ",":
        return False
    names = {normalize(prev.admin1), normalize(loc.admin1), normalize(loc.span.text)}
    return len(names) == 1 or len({skeleton(n) or n for n in names}) == 1


def onto_front(gazetteer: Gazetteer, frontlines: FrontLines, loc: Location, text: str, when: date | None) -> Location:
    """A village name shared by several places is, in a report of fighting, the one closest to the line of
    contact (within the region the text names, when it names the chosen place's region)."""
    if (
        loc.span is None
        or loc.latitude is None
        or loc.longitude is None
        or loc.geo_precision > 2
        or not frontlines.active(loc.country, when)  # no lookups where no front runs
    ):
        return loc
    here = (round(loc.latitude, 4), round(loc.longitude, 4))

    def read_here(weak: bool) -> bool:  # is the resolver's point a reading of the name?
        return any((round(p.latitude, 4), round(p.longitude, 4)) == here for p in gazetteer.lookup(name, weak))

    name = loc.span.text
    exact = read_here(False)
    if not exact and not read_here(True):
        return loc  # an offset point ("30 km south of X") or a neighbourhood: keep it
    admin1 = loc.admin1 if loc.admin1 and loc.admin1 in text else None
    now = frontlines.line_km(loc.country, loc.latitude, loc.longitude, when)
    # a spelling variant read for the name ("Kamyanka" as Kamenka), or a namesake far behind the lines
    # ("Znamyanka" read as the Kirovohrad town): the name's spelling variants too
    weak = not exact or (now is not None and now > _OFF_LINE_KM)
    fl = frontlines
    p = fl.on_front(gazetteer, loc.span.text, loc.country, when, admin1)
    if weak and (p is None or (fl.line_km(loc.country, p.latitude, p.longitude, when) or 0) > _ON_LINE_KM):
        # the exact name first: "Pervomaisk" on the line rather than a Pervomaiske nearer to it
        p = fl.on_front(gazetteer, loc.span.text, loc.country, when, admin1, weak=True) or p
    if p is None:
        return loc
    new = frontlines.line_km(loc.country, p.latitude, p.longitude, when)
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
