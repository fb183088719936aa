"""The country a document's outlet reports on: a prior for places named without their country.

"Tripoli" in a Lebanese outlet is Lebanon's, in a Libyan one Libya's.  The outlet table
(data/sources.tsv, its ``covers`` column) says which country an outlet covers; an outlet missing from
it that carries a country in its name ("National News Agency (Lebanon)", "Yemen Monitor") covers that
country.  Wire services and international broadcasters cover the world and give no prior.  A source
field may list several outlets ("Naharnet; National News Agency"): they give a prior only when they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..merge.rules import SourceTable

WORLDWIDE = frozenset({"wire", "international"})
_SPLIT = re.compile(r"\s*[;|]\s*|\s*,\s*|\s+and\s+")


class OutletCountry:
    """``covers(source, url)``: the one country the document's outlets report on, or None."""

    def __init__(self, table: SourceTable, names: Mapping[str, str]) -> None:
        self.table = table
        # country names, demonyms and aliases ("Lebanon", "Iraqi", "Yemeni") -> country, as whole words
        words = sorted((w for w in names if len(w) > 3), key=len, reverse=True)
        self._names = {w.lower(): c for w, c in names.items()}
        alts = "|".join(map(re.escape, words))
        self._rx = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.I) if words else None
        self._cache: dict[tuple[str, str], str | None] = {}

    def covers(self, source: str | None, url: str | None = None) -> str | None:
        key = (source or "", url or "")
        if key not in self._cache:
            self._cache[key] = self._covers(source, url)
        return self._cache[key]

    def _covers(self, source: str | None, url: str | None) -> str | None:
        found = set(self._each(_SPLIT.split(source) if source else [""], url))
        return next(iter(found)) if len(found) == 1 else None

    def _each(self, parts: Iterable[str], url: str | None) -> Iterable[str]:
        for part in parts:
            if not part and not url:
                continue
            o = self.table.rate(part or None, url)
            if o.affiliation in WORLDWIDE:
                continue
            if o.affiliation != "unrated":
                if o.covers:
                    yield o.covers
                continue
            m = self._rx.search(part) if self._rx is not None and part else None
            if m is not None:
                yield self._names[m.group(0).lower()]
