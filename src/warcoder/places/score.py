"""Scoring the gazetteer readings of a toponym: the facts of a reading, its fit with the document's
focus country, its brackets and the admin names given with it."""

from __future__ import annotations

import math
import re
from difflib import SequenceMatcher

import numpy as np

from warcoder import knowledge
from warcoder.gazetteer import (
    Country,
    Gazetteer,
    country_by_code,
    country_by_name,
)
from warcoder.geo import EARTH_RADIUS_KM
from warcoder.model import Location
from warcoder.places.lexicon import (
    ADM1_WORDS,
    ADM2_WORDS,
    ADMIN_GENERICS,
    CACHE_MAX,
    DISTRICT_OF,
    GEO_GENERICS,
    NEAR_CONTEXT_KM,
    REGION_ADJ,
    admin1_terms,
    nation_demonyms,
    region_demonyms,
)
from warcoder.places.toponym import (
    DocState,
    Toponym,
    ascii_name,
)

# the weights of PlaceResolver._score and resolve, with what each is for: data/places.yaml (loaded once, at import)
WEIGHTS: dict[str, dict[str, float]] = knowledge.load_yaml("places.yaml")
SCORE_WEIGHTS = WEIGHTS["score"]
WORLD_CITY_CAP: float = SCORE_WEIGHTS["world_city_cap"]
WORLD_CITY_LOG_BASE: float = SCORE_WEIGHTS["world_city_log_base"]
WORLD_CITY_PER_DECADE: float = SCORE_WEIGHTS["world_city_per_decade"]
OWN_NAME: float = SCORE_WEIGHTS["own_name"]
IN_FOCUS: float = SCORE_WEIGHTS["in_focus"]
IN_HINT: float = SCORE_WEIGHTS["in_hint"]
COUNTRY_EXACT: float = SCORE_WEIGHTS["country_exact"]
COUNTRY_OTHER_NAME: float = SCORE_WEIGHTS["country_other_name"]
PROVINCE_AS_CITY: float = SCORE_WEIGHTS["province_as_city"]
PROVINCE_EXACT: float = SCORE_WEIGHTS["province_exact"]
STATE_NOT_COUNTRY: float = SCORE_WEIGHTS["state_not_country"]
CAPITAL: float = SCORE_WEIGHTS["capital"]
REGION: float = SCORE_WEIGHTS["region"]
REGION_WITHOUT_COUNTRY: float = SCORE_WEIGHTS["region_without_country"]
IN_NAMED_COUNTRY: float = SCORE_WEIGHTS["in_named_country"]
IN_PEOPLE_COUNTRY: float = SCORE_WEIGHTS["in_people_country"]
ADMIN_CONTEXT: float = SCORE_WEIGHTS["admin_context"]
ADMIN1_WORD_FOREIGN: float = SCORE_WEIGHTS["admin1_word_foreign"]
ADMIN1_WORD: float = SCORE_WEIGHTS["admin1_word"]
REGION_ADJECTIVE: float = SCORE_WEIGHTS["region_adjective"]
ADM2_WORD_PROVINCE: float = SCORE_WEIGHTS["adm2_word_province"]
ADM2_WORD: float = SCORE_WEIGHTS["adm2_word"]
BRACKET_LAST_DISTRICT: float = SCORE_WEIGHTS["bracket_last_district"]
SETTLEMENT_WORD: float = SCORE_WEIGHTS["settlement_word"]
NEIGHBOURHOOD: float = SCORE_WEIGHTS["neighbourhood"]
NEIGHBOURHOOD_BARE: float = SCORE_WEIGHTS["neighbourhood_bare"]
DISTRICT_PENALTY_NAMED: float = SCORE_WEIGHTS["district_penalty_named"]
DISTRICT_PENALTY_BARE: float = SCORE_WEIGHTS["district_penalty_bare"]


def anchor_distances(
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
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    out, k = [], 0
    for x in id_arrays:
        out.append(d[k : k + len(x)])
        k += len(x)
    return out


class ScoreMixin:
    """Scoring and checking readings (a part of ``PlaceResolver``)."""

    def _demonym_hits(self, w: str) -> tuple[tuple[int, int, str, Country, bool], ...]:
        """The demonyms in a capitalised word or pair ``w`` (a match of DEMONYM): (start, end, text, country
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
        if len(self._dem_words) >= CACHE_MAX:
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
        self, ti: int, tops: list[Toponym], chosen: list[int | None], keys: list[str], reach: int, doc: DocState
    ) -> int | None:
        """The reading of the first admin name given with ``tops[ti]`` ("X (Y, Z)" -> Y), skipping a
        repeat of the place's own name ("Diguel (Diguel, Soum)" -> Soum)."""
        t = tops[ti]
        named = " ".join(t.context)
        for k in range(ti + 1, min(ti + 4, len(tops))):
            if tops[k].start - t.end >= reach:
                break
            c = chosen[k]
            if keys[k] == keys[ti] or c is None or self._abroad(c, doc) or tops[k].text not in named:
                continue  # only a place named in the brackets: not "WASHINGTON (AP) - China ..."
            if self._contradicted(k, tops, chosen, doc, named):
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

    def _contradicted(
        self, k: int, tops: list[Toponym], chosen: list[int | None], doc: DocState, outer: str = ""
    ) -> bool:
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
                return gaz.cc_list[p] == doc.focus
            if gaz.fcode(p) == "PCLI":
                return False
            core = self.tr.normalize(self.tr.admin_core(gaz.names[p]))
            return core not in {self.tr.normalize(self.tr.admin_core(x)) for x in (gaz.admin1_list[c],) if x}
        return False

    def _abroad(self, j: int, doc: DocState) -> bool:
        """A small town outside the document's clear focus country."""
        gaz = self.gaz
        return (
            doc.strong_focus is not None
            and gaz.cc_list[j] != doc.strong_focus
            and int(gaz.pop[j]) < 100_000
            and gaz.fcode(j) not in ("PCLI", "ADM1", "CONT", "RGN")
        )

    def _context_fallback(self, t: Toponym, nj: int) -> Location:
        """ "Bar-Sanguun village (Kismaayo, Lower Juba)" with an unknown village: code it to the named district."""
        p = self.gaz.place(nj)
        return Location(
            country=p.country,
            location=ascii_name(t.text),
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
        if city is None or self.gaz.fclass(city) != "P" or not DISTRICT_OF.fullmatch(text, t.end, nxt.start):
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
        if len(self._akeys) >= CACHE_MAX:
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
            if len(self._jfacts) >= CACHE_MAX:
                self._jfacts.clear()
            self._jfacts[j] = f
        return f

    def _score(
        self, t: Toponym, j: int, prim: bool, focus: str | None, hint: str | None, ctx: set[str], doc: DocState
    ) -> float:
        gaz = self.gaz
        f = self._jfacts.get(j)
        s, fcode, cc, name_low, fclass = self._facts(j) if f is None else f
        exact = t.text.lower() == name_low
        if cc != focus and fclass == "P" and prim and exact:
            pop = int(gaz.pop[j])
            if pop >= 1_000_000:
                # a world city is known beyond its country: "London" is London even in a text about the US
                s += min(WORLD_CITY_CAP, (math.log10(pop) - WORLD_CITY_LOG_BASE) * WORLD_CITY_PER_DECADE)
        if prim or (cc and cc == focus and fclass == "P" and self._full_name_of(t, j)):
            s += OWN_NAME
        if cc and cc == focus:
            s += IN_FOCUS
        if cc and cc == hint:
            s += IN_HINT
        if fcode == "PCLI":
            # the country's own name ("China") rather than a small namesake town abroad
            s += COUNTRY_EXACT if exact else COUNTRY_OTHER_NAME
        elif fcode == "ADM1" and exact:
            # "in Gomel" is the city; "Kamianka, Donetsk" or "Donetsk region" is the province
            s += PROVINCE_AS_CITY if not t.admin_position and self._eponymous_city(t, j) else PROVINCE_EXACT
            if cc == doc.strong_focus and any(
                gaz.fcode(k) == "PCLI" and (gaz.cc_list[k] != cc or t.text.lower() != gaz.names[k].lower())
                for k in t.ids
            ):
                # "Georgia" in a text about the United States is the state; "Mexico" in one about Mexico is still
                # the country, not the State of Mexico
                s += STATE_NOT_COUNTRY
        elif fcode == "PPLC":
            s += CAPITAL
        elif fcode in ("RGN", "CONT"):
            s += REGION  # a named region, sea or continent ("Middle East", "Atlantic") over a namesake town
            if not cc and focus:
                # an ocean or continent belongs to no country: as near to the focus as its towns
                s += REGION_WITHOUT_COUNTRY
        if cc and cc in doc.mentioned and fcode != "PCLI":
            s += IN_NAMED_COUNTRY
        elif cc and cc in doc.peoples and cc != focus and fclass == "P":
            # "Palestinian gunmen ... in Jenin camp", in a text whose focus is Israel: Jenin, Palestine
            s += IN_PEOPLE_COUNTRY
        if ctx and (fcode == "ADM1" or t.start not in doc.state_list):
            hit = self._admin_keys(j) & ctx
            if hit and fcode in ("ADM1", "ADM2"):
                hit = hit - {self.tr.normalize(gaz.names[j])}
            if hit:
                s += ADMIN_CONTEXT
        after = t.after or ""
        if fcode == "ADM1" and after in ADM1_WORDS:
            # less for a unit of a country that calls its units otherwise, when a namesake unit's country uses the
            # word ("Bolivar state" is Venezuela's, not Colombia's Bolivar department)
            terms = admin1_terms()
            other = after not in terms.get(cc, (after,)) and any(
                after in terms.get(gaz.cc_list[k], ()) for k in t.ids if gaz.fcode(k) == "ADM1"
            )
            s += ADMIN1_WORD_FOREIGN if other else ADMIN1_WORD
        elif (
            fcode in ("ADM1", "ADM2")
            and REGION_ADJ.search(doc.text, max(0, t.start - 20), t.start)
            # a province named after its capital, not a big city ("northern Baghdad") or a county ("western Pacific")
            and any(gaz.fclass(k) == "P" and gaz.cc_list[k] == cc for k in t.ids)
            and not any(
                (gaz.fclass(k) == "P" and gaz.pop[k] >= 500_000) or gaz.fcode(k) in ("RGN", "CONT") for k in t.ids
            )
        ):
            s += REGION_ADJECTIVE  # "in southern Idlib", "the western Daraa countryside": the province, not its capital
        elif fcode in ("ADM2", "ADM3") and after in ADM2_WORDS:
            s += ADM2_WORD_PROVINCE if after == "province" else ADM2_WORD
        elif fcode == "ADM2" and t.admin_position and t.end < len(doc.text) and doc.text[t.end] == ")":
            s += BRACKET_LAST_DISTRICT  # last in a bracketed list: "(Pobe-Mengao, Soum)"
        elif (after in ("village", "town", "city") or t.cue in ("village of", "town of", "city of")) and fclass == "P":
            s += SETTLEMENT_WORD
        if fcode == "PPLX":
            s += NEIGHBOURHOOD if "neighbourhood" in (t.cue or "") + after else NEIGHBOURHOOD_BARE
        if fcode in ("ADM2", "ADM3"):
            # a bare name is rather the town than the district named after it
            name = gaz.names[j]
            full = self.tr.admin_core(name) != name and self.tr.normalize(t.text) == self.tr.normalize(name)
            s -= DISTRICT_PENALTY_NAMED if after in ADM2_WORDS or t.admin_position or full else DISTRICT_PENALTY_BARE
        return s
