"""The ``PlaceResolver``: spots the toponyms of a document and disambiguates them together (document
country focus, co-mentioned places, parenthesised admin names, population); records for the CLI."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from warcoder.gazetteer import (
    Country,
    Gazetteer,
    country_by_code,
    country_by_name,
)
from warcoder.model import Location, Place, Span
from warcoder.places.lexicon import (
    ADM1_WORDS,
    ADM2_WORDS,
    ADMIN_GENERICS,
    ANGLO,
    ARABIC_NAME,
    DEMONYM,
    LIST_SEP,
    LOCATIVE,
    NEAR_CONTEXT_KM,
    OF_CHAIN,
    OWN_TOWN_POP,
    SAME_PROVINCE_KM,
    Shape,
    region_demonyms,
    stopwords,
    union_abbrevs,
)
from warcoder.places.locate import (
    LocateMixin,
)
from warcoder.places.score import (
    WEIGHTS,
    ScoreMixin,
    anchor_distances,
)
from warcoder.places.spot import (
    SpotMixin,
)
from warcoder.places.toponym import (
    Cands,
    DocState,
    ResolvedPlaces,
    Toponym,
    ascii_name,
)

# the weights of resolve's phases, with what each is for: data/places.yaml (loaded once, at import)
RESOLVE_WEIGHTS = WEIGHTS["resolve"]
ORIGIN_COUNTRY_VOTE: float = RESOLVE_WEIGHTS["origin_country_vote"]
BRACKETED_PROVINCE_VOTE: float = RESOLVE_WEIGHTS["bracketed_province_vote"]
PROVINCE_WITH_TOWNS_ABROAD_VOTE: float = RESOLVE_WEIGHTS["province_with_towns_abroad_vote"]
POPULOUS_TOWN_VOTE: float = RESOLVE_WEIGHTS["populous_town_vote"]
SMALL_TOWN_VOTE: float = RESOLVE_WEIGHTS["small_town_vote"]
SMALL_TOWN_POP: float = RESOLVE_WEIGHTS["small_town_pop"]
OUTLET_COUNTRY_VOTE: float = RESOLVE_WEIGHTS["outlet_country_vote"]
COHERENT_BONUS: float = RESOLVE_WEIGHTS["coherent_bonus"]
PROVINCE_WORD_ELSEWHERE: float = RESOLVE_WEIGHTS["province_word_elsewhere"]
WEAK_READING_PENALTY: float = RESOLVE_WEIGHTS["weak_reading_penalty"]
HAMLET_PULL_DAMP: float = RESOLVE_WEIGHTS["hamlet_pull_damp"]
NEIGHBOUR_PULL: float = RESOLVE_WEIGHTS["neighbour_pull"]
NEIGHBOUR_REACH_KM: float = RESOLVE_WEIGHTS["neighbour_reach_km"]
STATE_LIST_BONUS: float = RESOLVE_WEIGHTS["state_list_bonus"]
NAMED_PROVINCE_BONUS: float = RESOLVE_WEIGHTS["named_province_bonus"]


class PlaceResolver(SpotMixin, ScoreMixin, LocateMixin):
    """Spots and resolves toponyms with a ``Gazetteer``."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.tr = gazetteer.translit
        self.stop = stopwords()
        self._persons: set[str] = set()
        self._facilities: set[int] = set()
        self._nations: dict[str, Country | None] = {}
        self._shapes: dict[str, Shape | None] = {}  # token -> _token_shape
        self._matches: dict[tuple[str, tuple[bool, ...]], tuple[int, Cands | None]] = {}  # tokens -> _match
        self._jfacts: dict[int, tuple[float, str, str, str, str]] = {}  # place -> _facts
        self._cands: dict[tuple[str, bool], Cands] = {}  # (key, weak) -> _readings
        self._dem_words: dict[str, tuple[tuple[int, int, str, Country, bool], ...]] = {}  # -> _demonym_hits
        self._akeys: dict[int, frozenset[str]] = {}  # place -> _admin_keys

    def resolve(
        self,
        text: str,
        spans: Sequence[Span | tuple[int, int]] | None = None,
        hint_country: str | None = None,
        outlet_country: str | None = None,
    ) -> ResolvedPlaces:
        """Spot and disambiguate all toponyms of ``text`` (or only inside ``spans``) together.  ``hint_country``
        comes from the text's actors; ``outlet_country`` is the country the document's outlet covers, a weaker
        vote for the document's country."""
        tops: list[Toponym] = []
        if spans is None:
            tops = self.spot(text)
        else:
            for sp in spans:
                s, e = (sp.start, sp.end) if isinstance(sp, Span) else (sp[0], sp[1])
                tops.extend(self.spot(text, s, e))
        doc = DocState(text)
        for a, b in zip(tops, tops[1:], strict=False):
            if not a.context and b.context and OF_CHAIN.fullmatch(text, a.end, b.start):
                a.context = [b.text, *b.context]
        votes, hint_cc, demonyms, strong_tops, coherent = self._demonym_votes(
            text, spans, tops, hint_country, outlet_country
        )
        focus, strong_focus = self._focus_vote(doc, tops, coherent, votes, hint_cc, strong_tops, demonyms)
        keys, groups, cand, base, weak_sure = self._first_scores(doc, text, tops, coherent, strong_tops, focus, hint_cc)
        chosen, scores = self._neighbour_pull(doc, text, tops, keys, groups, cand, base, weak_sure)
        locs, places, out_tops, out_scores = self._locations(doc, text, tops, keys, chosen, scores, focus, strong_focus)
        focus_name = country_by_code(focus).name if focus and country_by_code(focus) else None
        return ResolvedPlaces(focus_name, locs, out_tops, out_scores, places, demonyms)

    def _demonym_votes(
        self,
        text: str,
        spans: Sequence[Span | tuple[int, int]] | None,
        tops: list[Toponym],
        hint_country: str | None,
        outlet_country: str | None = None,
    ) -> tuple[Counter[str], str | None, list[tuple[Span, Country]], list[Toponym], dict[int, set[int]]]:
        """The first votes for the document's country: the hint, the demonyms ("Syrian"), the bracketed names
        that contain a reading of their place and the outlet's country; also the demonyms, the strongly read
        toponyms and those readings."""
        gaz = self.gaz
        # ---- document focus
        votes: Counter[str] = Counter()
        hint_cc: str | None = None
        if hint_country:
            hc = _country(hint_country)
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
            for m in DEMONYM.finditer(text, rs, re_):
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
            ab = union_abbrevs()
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
        oc = _country(outlet_country) if outlet_country else None
        if oc is not None and oc.iso2:
            # a weaker vote than the actors' hint, but the hint of readings when the actors give none
            votes[oc.iso2] += OUTLET_COUNTRY_VOTE
            hint_cc = hint_cc or oc.iso2
        return votes, hint_cc, demonyms, strong_tops, coherent

    def _focus_vote(
        self,
        doc: DocState,
        tops: list[Toponym],
        coherent: dict[int, set[int]],
        votes: Counter[str],
        hint_cc: str | None,
        strong_tops: list[Toponym],
        demonyms: list[tuple[Span, Country]],
    ) -> tuple[str | None, bool]:
        """The votes of the toponyms for the document's country, and the focus country they elect (also kept in
        ``doc`` with the countries the text names and whose people it names); (focus, strong focus)."""
        gaz = self.gaz
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
                votes[gaz.cc_list[pcli[0]]] += ORIGIN_COUNTRY_VOTE if origin else 2
            elif len(ccs) == 1:
                # a province named last in a place's brackets ("Buleda (Kech, Balochistan)") says more than a town
                votes[next(iter(ccs))] += BRACKETED_PROVINCE_VOTE if t.admin_position and adm1 else 1
            elif (caps := {gaz.cc_list[j] for j in t.ids if gaz.fcode(j) == "PPLC"}) and len(caps) == 1:
                votes[next(iter(caps))] += 1  # "in Sofia": the capital, not Madagascar's Sofia region
            elif adm1 and len({gaz.cc_list[j] for j in adm1}) == 1:
                # less when towns abroad of some size share the name ("Nelson": a New Zealand region, a Canadian town)
                acc = gaz.cc_list[adm1[0]]
                apop = int(gaz.pop[adm1[0]])
                votes[acc] += (
                    PROVINCE_WITH_TOWNS_ABROAD_VOTE
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
                    # a village is a weak sign of its country ("the Badia of Al Mayadin": no Ivorian Badie)
                    small = int(gaz.pop[top]) < SMALL_TOWN_POP
                    votes[gaz.cc_list[top]] += SMALL_TOWN_VOTE if small else POPULOUS_TOWN_VOTE
        # a tie between the actors' country (the hint) and the country the text's places name goes to the places
        # ("ISWAP militants killed herders near Bosso (Bosso, Diffa)": Niger, though ISWAP hints at Nigeria)
        focus = max(votes, key=lambda c: (votes[c], c != hint_cc)) if votes else None
        strong_focus = bool(focus) and votes[focus] >= 2
        doc.strong_focus = focus if strong_focus else None
        doc.focus = focus
        doc.mentioned = {
            gaz.cc_list[j] for t in strong_tops for j in t.ids if gaz.fcode(j) == "PCLI" and country_by_name(t.text)
        }
        doc.peoples = {c.iso2 for _, c in demonyms if c.iso2}
        return focus, strong_focus

    def _first_scores(
        self,
        doc: DocState,
        text: str,
        tops: list[Toponym],
        coherent: dict[int, set[int]],
        strong_tops: list[Toponym],
        focus: str | None,
        hint_cc: str | None,
    ) -> tuple[list[str], dict[str, list[int]], dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Round 0 of scoring, without neighbours: the readings of each name (mentions of one name share them) and
        their scores; (name keys, mentions per key, readings per key, their scores, weak readings backed by the
        text's admin names)."""
        gaz = self.gaz
        # ---- score (round 0: without neighbours; round 1: pulled towards co-mentioned places)
        keys = [self.tr.normalize(t.text) for t in tops]
        ctx_keys: list[set[str]] = [self._context_keys(t.context) for t in tops]
        # "Utah, Colorado": a state named before another state is the next item of a list, and the state
        # after it is no admin unit of its namesake towns
        doc.state_list = {
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
                    [
                        self._score(t, j, prim, focus, hint_cc, ctx, doc)
                        for j, prim in zip(t0.ids, t0.primary, strict=False)
                    ]
                )
            else:
                sc = np.array(
                    [
                        max(
                            self._score(tops[ti], j, prim, focus, hint_cc, ctx_keys[ti], doc)
                            + (COHERENT_BONUS if j in coherent.get(ti, ()) else 0.0)
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
                    sc = sc + np.array(
                        [PROVINCE_WORD_ELSEWHERE if gaz.cc_list[j] not in a_ccs else 0.0 for j in t0.ids]
                    )
            if t0.weak:
                ccs = [gaz.cc_list[j] for j in t0.ids]
                sure = self._sure_weak(tops, tis, t0.ids, ctx_keys)
                placed = any(tops[ti].after or tops[ti].cue in LOCATIVE for ti in tis)  # not "Rep. Hanabusa (D)"
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
                ids, sc = ids[ok], sc[ok] - WEAK_READING_PENALTY
                weak_sure[k] = np.array([j in sure for j in ids.tolist()], dtype=bool)
            cand[k], base[k] = ids, sc
        return keys, groups, cand, base, weak_sure

    def _neighbour_pull(
        self,
        doc: DocState,
        text: str,
        tops: list[Toponym],
        keys: list[str],
        groups: dict[str, list[int]],
        cand: dict[str, np.ndarray],
        base: dict[str, np.ndarray],
        weak_sure: dict[str, np.ndarray],
    ) -> tuple[list[int | None], list[float]]:
        """Round 1 of scoring: readings pulled towards co-mentioned places and named admin1 units; (the reading
        chosen for each toponym, its score)."""
        gaz = self.gaz
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
            and not self._abroad(j, doc)
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
                if gaz.fcode(pick[keys[nb]]) == "ADM1" and LIST_SEP.fullmatch(text[a.end : b.start]):
                    in_state_list.add(keys[ti])
        new_pick: dict[str, int] = {}
        adm1_code = gaz.tabs["fcode"].index("ADM1")
        dists = anchor_distances(gaz, [cand[k] for k in groups], a_lat, a_lon)
        for k, dk in zip(groups, dists, strict=True):
            ids, sc = cand[k], base[k].copy()
            if not len(ids):
                continue
            weak = tops[groups[k][0]].weak
            # a hamlet needs more than company to win over a namesake 300 times its size ("in Florida"
            # beside New York towns is the state, not Florida, NY): its pull from co-mentioned places is halved
            pops = gaz.pop[ids].astype(np.float64)
            is_adm1 = gaz.cols["fcode"][ids] == adm1_code
            damp = np.where(pops * 300 < pops.max(), HAMLET_PULL_DAMP, 1.0)
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
                sc = sc + NEIGHBOUR_PULL * damp * np.exp(-near / NEIGHBOUR_REACH_KM)
                if weak:
                    sc = np.where((near <= 120) | weak_sure[k], sc, -np.inf)
            elif weak:
                if not weak_sure[k].any():
                    continue
                sc = np.where(weak_sure[k], sc, -np.inf)
            if k in in_state_list:
                sc = sc + STATE_LIST_BONUS * is_adm1
            if doc_adm1:
                for n, j in enumerate(ids.tolist()):
                    a1 = self.tr.normalize(gaz.admin1_list[j])
                    if gaz.fcode(j) != "ADM1" and doc_adm1.get(a1, set()) - {k}:
                        sc[n] += NAMED_PROVINCE_BONUS if a1 in explicit_adm1 else damp[n]
            i = int(np.argmax(sc))
            if np.isfinite(sc[i]):
                new_pick[k], pick_s[k] = int(ids[i]), float(sc[i])
        chosen: list[int | None] = [new_pick.get(keys[ti]) if tops[ti].ids else None for ti in range(len(tops))]
        scores: list[float] = [pick_s.get(keys[ti], 0.0) if chosen[ti] is not None else 0.0 for ti in range(len(tops))]
        return chosen, scores

    def _locations(
        self,
        doc: DocState,
        text: str,
        tops: list[Toponym],
        keys: list[str],
        chosen: list[int | None],
        scores: list[float],
        focus: str | None,
        strong_focus: bool,
    ) -> tuple[list[Location], list[Place | None], list[Toponym], list[float]]:
        """The locations of the chosen readings (and of unread names with a neighbourhood cue or admin names);
        (locations, their places, their toponyms, their scores)."""
        gaz = self.gaz
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
        spoken_of = doc.mentioned | doc.peoples
        for ti, t in enumerate(tops):
            j = chosen[ti]
            loc: Location | None = None
            place: Place | None = None
            if j is None:
                if t.cue and "neighbourhood" in t.cue:
                    loc = self._neighbourhood(t, ti, tops, chosen, city_counts, focus)
                elif t.context:
                    nj = self._context_pick(ti, tops, chosen, keys, 140, doc)
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
                loc, place = self._reading_location(
                    doc, ti, t, j, tops, chosen, keys, focus, strong_focus, spoken_of, foreign
                )
                if loc is None:
                    continue
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
                if not (t.weak and t.cue in LOCATIVE and towns and len(ccs) == 1) or (focus and focus not in ccs):
                    continue
                j = max(towns, key=lambda x: int(gaz.pop[x]))
                place = gaz.place(j)
                loc = self._location(t, j, place, chosen, ti, tops)
                loc.geo_precision = max(loc.geo_precision, 2)
                loc.span = Span(t.start, t.end, t.text)
                locs, places, out_tops, out_scores = [loc], [place], [t], [0.0]
                break
        return locs, places, out_tops, out_scores

    def _reading_location(
        self,
        doc: DocState,
        ti: int,
        t: Toponym,
        j: int,
        tops: list[Toponym],
        chosen: list[int | None],
        keys: list[str],
        focus: str | None,
        strong_focus: bool,
        spoken_of: set[str],
        foreign: list[tuple[int, Toponym, int, Place]],
    ) -> tuple[Location | None, Place | None]:
        """The location of toponym ``ti`` read as place ``j`` (or as the admin unit named with it), and that place;
        (None, None) for a place out of the focus (kept in ``foreign`` when the text places it so)."""
        gaz = self.gaz
        loc: Location | None = None
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
        loose = self._loose_abroad(t, j, place, pop, focus, spoken_of)
        out_of_focus = out_of_focus or loose
        nj = self._context_pick(ti, tops, chosen, keys, 40, doc) if t.context else None
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
                ascii_name(place.name).lower() == ascii_name(t.text).lower()
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
                if (t.cue in LOCATIVE or t.admin_position) and not loose:
                    foreign.append((ti, t, j, place))
                return None, None
            loc = self._location(t, j, place, chosen, ti, tops)
        return loc, place

    def _loose_abroad(self, t: Toponym, j: int, place: Place, pop: int, focus: str | None, spoken_of: set[str]) -> bool:
        """Is place ``j`` a town abroad read only through a spelling rule or a foreign alternate name ("Bus
        drivers" -> Bous, Germany; "Kech district" -> Ketsch; "near Boni" in Mali -> Bonn) in a text about another
        country? Then ``t`` is a common word or a place the gazetteer lacks, not that town."""
        gaz = self.gaz
        loose = (
            bool(focus)
            and gaz.cc_list[j] != focus
            # a place of a people the text names, given as a place ("in Jenin camp") or as an Arabic name with
            # its article ("Al Bireh"): no English word misread
            and not (gaz.cc_list[j] in spoken_of and (ARABIC_NAME.match(t.text) or t.cue in LOCATIVE))
            and gaz.fcode(j) not in ("PCLI", "ADM1", "ADM2", "CONT", "RGN")
            and ascii_name(place.name).lower() != ascii_name(t.text).lower()
            and (
                (pop < 100_000 and (not t.cue or (t.after in ADM1_WORDS | ADM2_WORDS and place.feature_class == "P")))
                or (pop < 1_000_000 and " " not in t.text and not self._primary_of(t, j))
            )
        )
        return loose


# ---------------------------------------------------------------------- records for the CLI

_RESOLVER: PlaceResolver | None = None


def _country(name_or_code: str) -> Country | None:
    """A country by its ISO code (two letters) or its name."""
    c = country_by_code(name_or_code) if len(name_or_code) == 2 else None
    return c or country_by_name(name_or_code)


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
