"""Toponym spotting: runs of capitalised tokens, their gazetteer readings, the stop-word and context
filters that accept or drop a name, and the cue words around it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from warcoder.gazetteer import (
    COMPACT_MIN_LEN,
    Country,
    country_by_name,
)
from warcoder.places.lexicon import (
    ADMIN_GENERICS,
    ADMIN_OF,
    AFTER,
    BRACKET_ABBREV,
    BREAK,
    CACHE_MAX,
    CAP,
    COMMA,
    COMPASS,
    CONNECTOR,
    CONNECTORS,
    CONTRACTION,
    DATELINE,
    DIRECTIONAL,
    DIRECTIONAL_LAST,
    FACILITY_WORDS,
    GROUP_NAME_END,
    IN,
    IN_LAST,
    LEADERS_RULE,
    MAX_NGRAM,
    NEAR,
    NEAR_LAST,
    NEIGH_AFTER,
    NEIGH_OF,
    NEIGH_OF_LAST,
    OFFSET,
    OFFSET_LAST,
    PAREN,
    PAREN_LIST_AFTER,
    PAREN_OF,
    PERSON_TITLES,
    POSSESSIVE,
    RUN_ON,
    RUN_TOKEN,
    SAID,
    STREET_WORDS,
    SUFFIX,
    TITLE_BEFORE,
    UNIT_WORDS,
    UNSEEN,
    VILLAGE_OF,
    VILLAGE_OF_LAST,
    VILLAGE_PAREN_AFTER,
    Shape,
    admin1_short_forms,
)
from warcoder.places.toponym import (
    Cands,
    Tok,
    Toponym,
    before_shape,
    de_variants,
    in_neighbourhood_name,
    is_cap,
    last_word,
    members_of_before,
    sentence_start,
)


class SpotMixin:
    """Finding toponyms in a text (a part of ``PlaceResolver``)."""

    # ------------------------------------------------------------------ spotting

    def _runs(self, text: str, start: int, end: int) -> list[list[Tok]]:
        """The runs of capitalised tokens in ``text[start:end]``, joined by single spaces and connectors
        ("Deir ez-Zor", "Bay of Bengal"); each run ends with a capitalised token."""
        runs: list[list[Tok]] = []
        cur: list[Tok] = []
        shapes = self._shapes
        for m in RUN_TOKEN.finditer(text, start, end):
            if m.lastgroup == "skip":  # plain lower-case words: the same as one at a time (the first ends the run)
                if cur:
                    runs.append(cur)
                    cur = []
                continue
            t = m.group()
            shape = shapes.get(t, UNSEEN)
            if shape is UNSEEN:
                shape = self._token_shape(t)
                if len(shapes) >= CACHE_MAX:
                    shapes.clear()
                shapes[t] = shape
            if shape is None:
                continue
            kind = shape[4]
            if kind == BREAK:  # a lower-case word ends a run
                if cur:
                    runs.append(cur)
                    cur = []
                continue
            s = m.start()
            tok = Tok(s, s + shape[0], shape[1], shape[2], shape[3])
            if cur:
                last = cur[-1]
                joined = s == last.end + 1 and text[last.end] == " " and last.suffix is None
            else:
                joined = False
            if kind == CAP:
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

    def _token_shape(self, t: str) -> Shape | None:
        """How one matched token counts, wherever it stands: (length, text, capitalised, suffix, kind) of
        the token kept ("Syria's" -> "Syria"; "Iran-backed" -> "Iran" + "-backed"), or None for none."""
        shape = self._token_parts(t)
        if shape is None:
            return None
        n, w, cap, suffix = shape
        kind = CAP if cap else CONNECTOR if w.lower() in CONNECTORS else BREAK
        return n, w, cap, suffix, kind

    def _token_parts(self, t: str) -> tuple[int, str, bool, str | None] | None:
        c0 = t[0]
        if c0.islower() and "-" not in t and "'" not in t and "’" not in t:
            return len(t), t, False, None
        if ("'" in t or "’" in t) and CONTRACTION.search(t):
            return len(t), t, False, None
        pm = POSSESSIVE.search(t) if ("'" in t or "’" in t) else None
        if pm:
            t = t[: pm.start()]
            if not t:
                return None
        sm = SUFFIX.match(t) if "-" in t else None
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
        return len(t), t, is_cap(t), None

    def _match(self, text: str, run: list[Tok], i: int) -> tuple[int, Cands | None]:
        """Longest gazetteer match starting at run[i]: (n tokens, its readings)."""
        if not run[i].cap:
            return 0, None
        top = min(MAX_NGRAM, len(run) - i)
        # the answer depends only on the tokens (joined by single spaces in a run) and their capitals
        caps = (True,) if top == 1 else tuple([t.cap for t in run[i : i + top]])  # run[i] is capitalised
        key = (text[run[i].start : run[i + top - 1].end], caps)
        hit = self._matches.get(key, UNSEEN)
        if hit is UNSEEN:
            hit = self._match_tokens(text, run, i, top)
            if len(self._matches) >= CACHE_MAX:
                self._matches.clear()
            self._matches[key] = hit
        return hit

    def _match_tokens(self, text: str, run: list[Tok], i: int, top: int) -> tuple[int, Cands | None]:
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
                for alt in de_variants(key):
                    ids = self.gaz.strong_ids(alt)
                    if ids:
                        return n, self._readings(alt, ids, False)
            got = self._compact(text, run, i, n, key)
            if got is not None:
                return n, got
        return self._weak_match(text, run, i, top, 1)

    def _weak_match(self, text: str, run: list[Tok], i: int, top: int, least: int) -> tuple[int, Cands | None]:
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

    def _compact(self, text: str, run: list[Tok], i: int, n: int, key: str) -> Cands | None:
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

    def _loose_allowed(self, span: str, toks: list[Tok]) -> bool:
        """May ``span`` (the tokens ``toks``) be read loosely? Not a stop word or an acronym, and no word of it a
        stop word or a country's name."""
        if span.lower() in self.stop or span.isupper():
            return False
        return not any(t.text.lower() in self.stop or country_by_name(t.text) is not None for t in toks)

    def _readings(self, key: str, pairs: Iterable[tuple[int, bool]], weak: bool) -> Cands:
        """``Cands.of`` the readings of the strong (or weak) key ``key``, made once per key."""
        got = self._cands.get((key, weak))
        if got is None:
            got = Cands.of(self.gaz, pairs, weak)
            if len(self._cands) >= CACHE_MAX:
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
        kept = [tp for tp in out if not in_neighbourhood_name(text, tp)]
        if kept:
            out = kept
        self._bracket_abbrevs(text, start, end, out)
        for tp in out:
            tp.gazetteer = self.gaz
        return out

    def _accept(self, text: str, run: list[Tok], i: int, n: int, span: str, cands: Cands) -> bool:
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
                and DATELINE.match(text, e)
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
        if n == 1 and span.endswith(("ing", "ed", "ly")) and sentence_start(text, run[i].start):
            return False  # sentence-initial "Fighting", "Reportedly"
        if (
            n == 1
            and not any(cands.primary)
            and not (cands.adm1 or cands.pcli)
            and sentence_start(text, run[i].start)
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
        m = TITLE_BEFORE.search(text[max(0, run[i].start - 6) : run[i].start].lower()) if i == 0 else None
        if m and m.group(1) in PERSON_TITLES:
            self._persons.add(span)
            return False
        if (
            members_of_before(text, run[i].start)
            and GROUP_NAME_END.match(text, run[i + n - 1].end)
            and not cands.is_big(self.gaz)
        ):
            # "members of Svoboda protested": a party or group named after no big place (not "members of Kafr
            # Nabl council", "members of the Saraqib police": the people of a place's body)
            return False
        if n == 1 and SAID.match(text, run[i + n - 1].end) and not cands.is_big(self.gaz):
            self._persons.add(span)  # "Jones said": a person, in every mention
            return False
        if (
            n == 1
            and LEADERS_RULE.match(text, run[i].end)
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
        for m in BRACKET_ABBREV.finditer(text, start, end):
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

    def _country_in_list_name(self, text: str, run: list[Tok], i: int, n: int) -> bool:
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

    def _unknown(self, text: str, run: list[Tok], i: int, out: list[Toponym]) -> None:
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
        if NEIGH_AFTER.match(after):
            out.append(Toponym(s, e, name, cue="neighbourhood", after="neighbourhood"))
        elif VILLAGE_PAREN_AFTER.match(after) or (
            PAREN_LIST_AFTER.match(after) and IN.search(text, max(0, s - 12), s) is not None
        ):
            tp = Toponym(s, e, name, cue="village")
            self._cues(text, tp)
            if tp.context:
                out.append(tp)

    def _bracketed_admin(self, text: str, run: list[Tok], i: int, n: int, cands: Cands) -> bool:
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
        tp.admin_position, cue_word = before_shape(before)
        last = last_word(before) if cue_word else ""
        m = OFFSET.search(before) if cue_word and OFFSET_LAST.fullmatch(last) else None
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
        elif NEIGH_OF_LAST.fullmatch(last) and (m := NEIGH_OF.search(before)) is not None:
            tp.cue = "neighbourhood of"
        elif DIRECTIONAL_LAST.fullmatch(last) and (m := DIRECTIONAL.search(before)) is not None:
            tp.cue = f"{m.group(1).lower()} of"
        elif NEAR_LAST.fullmatch(last) and (m := NEAR.search(before)) is not None:
            tp.cue = re.sub(r"\s+", " ", m.group(1).lower())
        elif VILLAGE_OF_LAST.fullmatch(last) and (m := VILLAGE_OF.search(before)) is not None:
            tp.cue = f"{m.group(1).lower()} of"
        elif tp.cue is None and IN_LAST.fullmatch(last) and (m := IN.search(before)) is not None:
            tp.cue = m.group(1).lower()
        m = AFTER.match(after)
        if m is None and last.lower() == "of" and (adm := ADMIN_OF.search(before)) is not None:
            tp.after = adm.group(1).lower()
        if m:
            tp.after = m.group(1).lower().replace("sub-", "sub")
            if tp.after.startswith("neighbo"):
                tp.after = "neighbourhood"
            if tp.cue is None or tp.cue in ("in", "at", "from", "to"):
                tp.cue = tp.after if tp.after != "neighbourhood" else "neighbourhood"
        rest = after[m.end() :] if m else after
        pm = PAREN.match(rest) or PAREN.match(after) or PAREN_OF.match(rest)
        if pm:
            tp.context = [x.strip() for x in re.split(r"[,;/]", pm.group(1)) if x.strip()]
        else:
            cm = COMMA.match(rest.lstrip(" ") if rest.startswith(" ,") else rest)
            if cm:
                # "Parkland, Florida The controversy": a headline run into the text is not part of the name
                name = RUN_ON.sub("", cm.group(1))
                tp.context = [name] if name else []
