"""The merge rules of data/merge.yaml and the outlet table of data/sources.tsv."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .. import conflicts, knowledge


# ---------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class MergeRules:
    """The thresholds and tables of data/merge.yaml."""

    compatible: frozenset[tuple[str, str]]
    symmetric: frozenset[str]
    date_window: dict[int, int]
    radius_km: dict[int, float]
    admin1_fallback_km: float
    unknown_prefixes: tuple[str, ...]
    victims: frozenset[str]
    state_prefixes: tuple[str, ...]
    shingle_words: int
    jaccard: float
    containment: float
    min_shingles: int
    partisan: frozenset[str]
    classes: dict[str, str] = field(default_factory=dict)  # sub-type -> blocking class
    max_window: int = 0  # the widest date window
    max_compares: int = 5000  # the reports of its block one report meets at most

    def window(self, precision: int) -> int:
        return self.date_window.get(precision, self.max_window)

    def sub_types_match(self, a: str, b: str) -> bool:
        return a == b or (a, b) in self.compatible

    def block_class(self, sub_type: str) -> str:
        return self.classes.get(sub_type, sub_type)


@lru_cache(maxsize=1)
def load_rules() -> MergeRules:
    raw = knowledge.load_yaml("merge.yaml")
    pairs: set[tuple[str, str]] = set()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for group in raw["compatible_sub_types"]:
        for a in group:
            for b in group:
                if a != b:
                    pairs.add((a, b))
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    syn = raw["syndication"]
    return MergeRules(
        compatible=frozenset(pairs),
        symmetric=frozenset(raw["symmetric_sub_types"]),
        date_window={int(k): int(v) for k, v in raw["date_window_days"].items()},
        radius_km={int(k): float(v) for k, v in raw["radius_km"].items()},
        admin1_fallback_km=float(raw["radius_km_admin1_fallback"]),
        unknown_prefixes=tuple(raw["unknown_actor_prefixes"]),
        victims=frozenset(raw["interchangeable_victims"]),
        state_prefixes=tuple(raw["state_force_prefixes"]),
        shingle_words=int(syn["shingle_words"]),
        jaccard=float(syn["jaccard"]),
        containment=float(syn["containment"]),
        min_shingles=int(syn["min_shingles"]),
        partisan=frozenset(raw["partisan_affiliations"]),
        classes={k: find(k) for k in parent},
        max_window=max(int(v) for v in raw["date_window_days"].values()),
        max_compares=int(raw["max_compares_per_report"]),
    )


# -------------------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class Outlet:
    """One row of the outlet table (data/sources.tsv)."""

    outlet: str
    country: str = ""
    affiliation: str = "unrated"
    note: str = ""
    covers: str = ""  # the country it reports on; "" for outlets of the world or a region


class SourceTable:
    """Rates a document's outlet from its ``source`` name or its URL's host.

    The seed table is data/sources.tsv; ``extra`` (or ``$WARCODER_SOURCES``) names a table of the
    same columns whose rows add outlets or replace the seed row of the same outlet.
    """

    ENV = "WARCODER_SOURCES"

    def __init__(self, extra: str | Path | None = None) -> None:
        self.outlets: dict[str, Outlet] = {}
        self._names: dict[str, str] = {}
        self._domains: dict[str, str] = {}
        self._cache: dict[tuple[str, str], Outlet] = {}
        rows = list(_read_tsv(knowledge.read_text("sources.tsv"), "sources.tsv")) + conflicts.outlet_rows()
        extra = extra or os.environ.get(self.ENV) or None
        if extra:
            p = Path(extra)
            if not p.is_file():
                raise FileNotFoundError(f"{p}: no such sources table")
            rows += list(_read_tsv(p.read_text("utf-8"), str(p)))
        for row in rows:  # later rows (the analyst's table) replace earlier ones of the same outlet
            name = row["outlet"].strip()
            self.outlets[norm(name)] = Outlet(
                name,
                row.get("country", "").strip(),
                row.get("affiliation", "").strip() or "unrated",
                row.get("note", "").strip(),
                row.get("covers", "").strip(),
            )
            for alias in [name, *_split(row.get("aliases", ""))]:
                self._names[norm(alias)] = norm(name)
            for dom in _split(row.get("domains", "")):
                self._domains[dom.lower().removeprefix("www.")] = norm(name)

    def rate(self, source: str | None, url: str | None = None) -> Outlet:
        """The outlet behind a document: its URL host first, else its source name; unrated when unknown."""
        host = (urlsplit(url).hostname or "").lower() if url else ""
        key = (source or "", host)
        if key not in self._cache:
            self._cache[key] = self._rate(source, url, host)
        return self._cache[key]

    def _rate(self, source: str | None, url: str | None, host: str) -> Outlet:
        while host:
            if host in self._domains:
                return self.outlets[self._domains[host]]
            host = host.partition(".")[2] if host.count(".") >= 1 else ""
        key = norm(source or "")
        if key in self._names:
            return self.outlets[self._names[key]]
        name = (source or "").strip() or ((urlsplit(url).hostname or "").removeprefix("www.") if url else "")
        return Outlet(name or "unknown")


def _read_tsv(text: str, where: str) -> Iterable[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    if not reader.fieldnames or "outlet" not in reader.fieldnames:
        raise ValueError(f"{where}: a sources table needs a header row with an 'outlet' column")
    for row in reader:
        if row.get("outlet"):
            yield {k: (v or "") for k, v in row.items() if k}


def _split(s: str) -> list[str]:
    return [p.strip() for p in (s or "").split("|") if p.strip()]


def norm(s: str) -> str:
    return re.sub(r"[^\w]+", " ", s.casefold()).strip()
