"""Countries: ACLED-style names, demonyms and aliases (``data/countries.tsv``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .keys import normalize
from .paths import DATA_DIR


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
def country_tables() -> tuple[list[Country], dict[str, Country], dict[str, Country], dict[str, dict[str, str]]]:
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
    return list(country_tables()[0])


def country_by_code(iso2: str) -> Country | None:
    return country_tables()[1].get(iso2.upper())


@lru_cache(maxsize=100_000)
def country_by_name(name_or_demonym: str) -> Country | None:
    """``country_by_name("Israeli") -> Israel``; also accepts aliases ("DRC", "UK")."""
    by_name = country_tables()[2]
    s = name_or_demonym.strip()
    c = by_name.get(s.lower())
    if c is None and s:
        c = by_name.get(normalize(s))
    if c is None and s.lower().startswith("the "):
        c = by_name.get(s[4:].lower())
    return c


def country_name(iso2: str) -> str:
    c = country_tables()[1].get(iso2)
    return c.name if c else iso2
