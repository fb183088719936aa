"""What spotting finds (``Toponym``, the gazetteer readings of a name, the tokens of a run) and what
resolving returns (``ResolvedPlaces``), with the small text tests spotting makes around a name."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from unidecode import unidecode

from warcoder.gazetteer import (
    Country,
    Gazetteer,
)
from warcoder.model import Location, Place, Span
from warcoder.places.lexicon import (
    ARTICLE_CAP,
    CUE_LAST_WORD,
    MEMBERS_OF,
    WORD_OR_CLOSE,
    neighbourhood_words,
)


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
class DocState:
    """What resolving one document works out in one phase for the later ones (kept off the shared resolver)."""

    text: str
    focus: str | None = None  # the document's focus country
    strong_focus: str | None = None  # the focus when it won 2 votes or more, else None
    mentioned: set[str] = field(default_factory=set)  # countries the text names
    peoples: set[str] = field(default_factory=set)  # countries whose people the text names ("Palestinian")
    state_list: set[int] = field(default_factory=set)  # starts of states named in a list of states ("Utah, Colorado")


@dataclass
class ResolvedPlaces:
    """All the places of one document."""

    focus_country: str | None
    locations: list[Location]
    toponyms: list[Toponym] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    places: list[Place | None] = field(default_factory=list)
    demonyms: list[tuple[Span, Country]] = field(default_factory=list)  # "Israeli", "Syrian": not locations
    _by_start: tuple[list[int], list[int], int] | None = field(default=None, repr=False, compare=False)

    def in_span(self, start: int, end: int) -> list[Location]:
        """The locations whose toponym lies inside ``[start, end)``, in the order of ``locations``.

        Found by bisection over the locations sorted by start (built on first use, rebuilt when the
        list changes), so a document's sentences cost time linear in its length, not quadratic."""
        if self._by_start is None or self._by_start[2] != len(self.locations):
            order = sorted((loc.span.start, k) for k, loc in enumerate(self.locations) if loc.span is not None)
            self._by_start = ([st for st, _ in order], [k for _, k in order], len(self.locations))
        starts, idx, _ = self._by_start
        hits = []
        for pos in range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)):
            loc = self.locations[idx[pos]]
            if loc.span is not None and loc.span.end <= end:
                hits.append(idx[pos])
        return [self.locations[k] for k in sorted(hits)]


@dataclass(slots=True)
class Cands:
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
    def of(cls, gaz: Gazetteer, pairs: Iterable[tuple[int, bool]], weak: bool) -> Cands:
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
class Tok:
    start: int
    end: int
    text: str
    cap: bool
    suffix: str | None = None


def in_neighbourhood_name(text: str, tp: Toponym) -> bool:
    """Is ``tp`` the opening word of a neighbourhood's name ("Colonia" of "Colonia Vallejo") or the name after it?"""
    opening, before = neighbourhood_words()
    m = opening.match(text, tp.start)
    if m and m.end() > tp.end:
        return True
    return before.search(text[max(0, tp.start - 20) : tp.start]) is not None


def members_of_before(text: str, start: int) -> re.Match[str] | None:
    """``MEMBERS_OF`` in the 120 characters before ``start``. It ends in "of", "the" or "," and white space:
    most names follow none of these, and a test of the text's end spares them the search (2-3% of spotting)."""
    lo = max(0, start - 120)
    if not text[lo:start].rstrip().endswith(("of", "the", ",")):
        return None
    return MEMBERS_OF.search(text, lo, start)


def sentence_start(text: str, p: int) -> bool:
    """``SENTENCE_START.search(text[:p])``, looking back only over the white space before ``p``: nothing
    before it, a line break in that white space, or ".", "!" or "?" right before it."""
    k = p
    while k and text[k - 1].isspace():
        k -= 1
    return p == 0 or "\n" in text[k:p] or (k > 0 and text[k - 1] in ".!?")


def before_shape(before: str) -> tuple[bool, bool]:
    """What the text before a name can hold, without scanning it: (``before`` ends in "X," or "X (" --
    the name is in an admin position; the last word before the name can end a cue pattern)."""
    b = before.rstrip()
    cue_word = False
    if len(b) < len(before):  # white space right before the name
        k = len(b)
        while k and b[k - 1].isalpha():
            k -= 1
        cue_word = k < len(b) and CUE_LAST_WORD.fullmatch(b, k) is not None
    admin = False
    if b and b[-1] in ",(":
        c = b[:-1].rstrip()
        admin = bool(c) and WORD_OR_CLOSE.match(c, len(c) - 1) is not None
    return admin, cue_word


def last_word(before: str) -> str:
    """The letters right before the white space that ends ``before`` (what a cue pattern ends with)."""
    b = before.rstrip()
    k = len(b)
    while k and b[k - 1].isalpha():
        k -= 1
    return b[k:]


def de_variants(key: str) -> list[str]:
    """Spellings of a name of three or more words with the Spanish "de" dropped or put back before its last word:
    "San Andres de Tuxtla" is San Andres Tuxtla, "San Francisco Campeche" is San Francisco de Campeche."""
    toks = key.split(" ")
    if len(toks) < 3:
        return []
    kept = [t for t in toks if t not in ("de", "del")]
    if len(kept) < len(toks):
        return [" ".join(kept)] if len(kept) >= 2 else []
    return [" ".join([*toks[:-1], "de", toks[-1]])]


def is_cap(t: str) -> bool:
    c = t[0]
    if c.isupper():
        return True
    return bool(ARTICLE_CAP.match(t))


def ascii_name(name: str) -> str:
    s = unidecode(name).replace("`", "").replace("'", "")
    return s.strip()
