"""The loaded gazetteer: ``Gazetteer.load()`` reads the compiled index (compiling and caching it when missing
or stale) and looks names up by their strong, weak (skeleton) and compact keys."""

from __future__ import annotations

import atexit
import contextlib
import gc
import pickle
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from warcoder.model import Place

from .build import SEP, compile_index, haversine
from .cache import copy_of, default_cache_dir, read_index, sources_hash, write_atomically
from .countries import country_name
from .keys import COMPACT_MIN_LEN, key_hash, translit

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


def buckets(hashes: np.ndarray) -> array:
    """Where each bucket of a sorted array of 64-bit hashes starts (its top ``_BUCKET_BITS`` bits; one more
    item at the end): a lookup then scans a few items instead of two binary searches through numpy scalars.
    An ``array`` (2 MB) gives plain ints as fast as a list (20 MB of int objects)."""
    top = (hashes >> np.uint64(64 - _BUCKET_BITS)).astype(np.int64)
    return array("q", np.searchsorted(top, np.arange((1 << _BUCKET_BITS) + 1)).astype(np.int64).tobytes())


def hash_range(hashes: np.ndarray, starts: array, h: int) -> tuple[int, int]:
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
        self.names: tuple[str, ...] = tuple(index["names"].split(SEP))
        self.lat: np.ndarray = index["lat"]
        self.lon: np.ndarray = index["lon"]
        self.pop: np.ndarray = index["pop"]
        self.gid: np.ndarray = index["gid"]
        self._sh: np.ndarray = index["strong_h"]
        self._si: np.ndarray = index["strong_i"]
        self._sf: np.ndarray = index["strong_f"]
        self._wh: np.ndarray = index["weak_h"]
        self._wi: np.ndarray = index["weak_i"]
        self._sb = buckets(self._sh)
        self._wb = buckets(self._wh)
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

        ``path`` names an explicit index file (``--index``). When it is
        missing or stale it is copied from the cache if the cache holds a current index, else compiled there
        (and a copy kept in the cache, so that the next store copies instead of compiling).
        """
        digest = sources_hash()
        cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        cached = cache_dir / f"gazetteer-{digest}.pkl"
        path = Path(path) if path is not None else cached
        index = read_index(path, digest)
        if index is not None:
            return cls(index, path)
        if path != cached:
            index = read_index(cached, digest)
            if index is not None:
                try:
                    write_atomically(path, copy_of(cached))
                except OSError:  # beside a store in a read-only folder: the cache's copy serves
                    return cls(index, cached)
                return cls(index, path)
        index = compile_index()
        index["digest"] = digest

        def dump(f: BinaryIO) -> None:
            pickle.dump(index, f, protocol=5)

        try:
            write_atomically(path, dump)
        except OSError:
            if path == cached:
                raise
            path = cached
            write_atomically(path, dump)
        if path != cached:
            with contextlib.suppress(OSError):  # a read-only cache only costs the next store a compile
                write_atomically(cached, copy_of(path))
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
            lo, hi = hash_range(self._sh, self._sb, key_hash(key))
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
            lo, hi = hash_range(self._wh, self._wb, key_hash("~" + sk))
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
        lo, hi = hash_range(self._wh, self._wb, key_hash("=" + c))
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
