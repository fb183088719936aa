"""The loaded gazetteer: ``Gazetteer.load()`` maps the compiled index (compiling and caching it when missing
or stale) and looks names up by their strong, weak (skeleton) and compact keys.

The index is a file of arrays (``fileformat``), mapped read-only: loading it executes nothing, and the
processes of ``--workers`` share its pages. The per-place strings are read through thin views of it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from warcoder.model import Place

from .build import BUCKET_BITS, compile_index, haversine
from .cache import CODE_VERSION, cached_index, copy_of, default_cache_dir, read_index, sources_hash, write_atomically
from .countries import country_name
from .fileformat import IndexFile, write_index
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


def ints(arr: np.ndarray) -> memoryview:
    """A view of a mapped integer array whose items are plain ints (as fast as a list's, without copying)."""
    return memoryview(arr).cast("B").cast({4: "i", 8: "q"}[arr.dtype.itemsize])


def hash_range(hashes: np.ndarray, starts: Sequence[int], h: int) -> tuple[int, int]:
    """The range [lo, hi) of the sorted ``hashes`` equal to ``h`` (empty where ``h`` is missing); ``starts``
    are their buckets (``build.buckets``)."""
    b = h >> (64 - BUCKET_BITS)
    a = starts[b]
    bucket = hashes[a : starts[b + 1]].tolist()
    if h not in bucket:
        return a, a
    lo = bucket.index(h)
    return a + lo, a + lo + bucket.count(h)


class Names(Sequence[str]):
    """The places' names, read from one UTF-8 buffer at their offsets (a tuple's behaviour, not its copy)."""

    __slots__ = ("_buf", "_n", "_off")

    def __init__(self, buf: np.ndarray, off: np.ndarray) -> None:
        self._buf = memoryview(buf)
        self._off = ints(off)
        self._n = len(off) - 1

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("name index out of range")
        return str(self._buf[self._off[i] : self._off[i + 1]], "utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(self._n))


class Column(Sequence[str]):
    """A string column of the places: each place's code, read through its table."""

    __slots__ = ("_codes", "_tab")

    def __init__(self, tab: Sequence[str], codes: np.ndarray) -> None:
        self._tab = tuple(tab)
        self._codes = ints(codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return self._tab[self._codes[i]]


class Gazetteer:
    """The compiled gazetteer.  Build with ``Gazetteer.load()``."""

    def __init__(self, index: IndexFile, path: Path | None = None) -> None:
        self.path = path
        arr = index.arrays
        self.names: Sequence[str] = Names(arr["names_utf8"], arr["names_off"])
        self.lat: np.ndarray = arr["lat"]
        self.lon: np.ndarray = arr["lon"]
        self.pop: np.ndarray = arr["pop"]
        self.gid: np.ndarray = arr["gid"]
        self._sh: np.ndarray = arr["strong_h"]
        self._si: np.ndarray = arr["strong_i"]
        self._sf: np.ndarray = arr["strong_f"]
        self._wh: np.ndarray = arr["weak_h"]
        self._wi: np.ndarray = arr["weak_i"]
        self._sb = ints(arr["strong_b"])
        self._wb = ints(arr["weak_b"])
        self.parent: dict[int, str] = {int(i): str(p) for i, p in index.meta["parent"]}
        self.tabs: dict[str, list[str]] = {}
        self.cols: dict[str, np.ndarray] = {}
        for k in ("cc", "admin1", "admin2", "fclass", "fcode", "source"):
            self.tabs[k] = list(index.meta["tabs"][k])
            self.cols[k] = arr[k]
        self.translit = translit()
        self._place_cache: dict[int, Place] = {}
        self._strong_cache: dict[str, tuple[tuple[int, bool], ...]] = {}
        self._weak_cache: dict[str, tuple[int, ...]] = {}  # skeleton -> weak_ids
        # plain strings and ints, faster than numpy scalars for per-candidate scoring
        self.cc_list: Sequence[str] = Column(self.tabs["cc"], self.cols["cc"])
        self.admin1_list: Sequence[str] = Column(self.tabs["admin1"], self.cols["admin1"])
        self.fcode_list: Sequence[str] = Column(self.tabs["fcode"], self.cols["fcode"])
        self.fclass_list: Sequence[str] = Column(self.tabs["fclass"], self.cols["fclass"])
        _freeze_long_lived()

    # ---- loading

    @classmethod
    def load(cls, cache_dir: Path | None = None, path: Path | None = None) -> Gazetteer:
        """Load (map) the compiled index, compiling (and caching) it first when missing or stale.

        ``path`` names an explicit index file (``--index``). When it is
        missing or stale it is copied from the cache if the cache holds a current index, else compiled there
        (and a copy kept in the cache, so that the next store copies instead of compiling). A file there that
        is not an index of ours raises ``IndexFormatError``: it is neither read nor replaced.
        """
        digest = sources_hash()
        cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        cached = cached_index(cache_dir, digest)
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
        arrays, meta = compile_index()

        def dump(f: BinaryIO) -> None:
            write_index(f, arrays, meta, digest, CODE_VERSION)

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
        index = read_index(path, digest)
        if index is None:
            raise OSError(f"{path}: the gazetteer index just written does not read back")
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
