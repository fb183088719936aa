"""The compiled index's file format: data only, memory-mapped, never code.

A file is ``MAGIC``, the length of a JSON header (8 bytes, little-endian), the header, then the arrays'
raw little-endian bytes, each at a multiple of ``ALIGN`` from the end of the header's padding. The header
holds the sources' digest, the code version, each array's dtype, length and offset, and the small tables
(``meta``: the code tables of the string columns, the aliases' parents). Reading it parses JSON and maps
the arrays (``np.frombuffer`` over a read-only ``mmap``): nothing in the file is ever executed, and the
pages are shared through the page cache by every process that maps the same file.

A file that does not start with ``MAGIC`` is not ours: ``open_index`` raises ``IndexFormatError`` rather
than reading or replacing it. An empty file counts as missing; a file of ours that is truncated or damaged
reads as None (it is rebuilt).
"""

from __future__ import annotations

import json
import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

__all__ = ["ALIGN", "FORMAT", "MAGIC", "IndexFile", "IndexFormatError", "is_index_file", "open_index", "write_index"]

MAGIC = b"WARCODER-GAZIDX\n"  # 16 bytes; a pickle starts with b"\x80", a zip with b"PK", a .npy with b"\x93NUMPY"
FORMAT = 1
ALIGN = 64
_LEN_BYTES = 8
# the dtypes an index holds (little-endian numbers only: no object arrays, nothing that unpickles)
DTYPES = frozenset({"<f4", "<f8", "<i4", "<i8", "<u8", "|u1"})


class IndexFormatError(ValueError):
    """A file given as the index that is not a warcoder gazetteer index (it is neither read nor replaced)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: not a warcoder gazetteer index file (refusing to read or replace it)")
        self.path = path


@dataclass(frozen=True)
class IndexFile:
    """A mapped index: its digest and version, its read-only arrays and its small tables."""

    digest: str
    version: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def _pad(n: int) -> int:
    return -n % ALIGN


def write_index(f: BinaryIO, arrays: dict[str, np.ndarray], meta: dict[str, Any], digest: str, version: str) -> None:
    """Write the arrays (1-D, of the ``DTYPES``) and the JSON-able ``meta`` in the index format."""
    table: dict[str, dict[str, Any]] = {}
    offset = 0
    parts: list[np.ndarray] = []
    for name, arr in arrays.items():
        a = np.ascontiguousarray(arr, dtype=np.dtype(arr.dtype).newbyteorder("<"))
        if a.ndim != 1 or a.dtype.str not in DTYPES:
            raise ValueError(f"index array {name}: {a.dtype.str} of {a.ndim} dimensions")
        table[name] = {"dtype": a.dtype.str, "length": int(a.shape[0]), "offset": offset}
        parts.append(a)
        offset += a.nbytes + _pad(a.nbytes)
    header = {"format": FORMAT, "digest": digest, "version": version, "arrays": table, "meta": meta}
    raw = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    f.write(MAGIC)
    f.write(len(raw).to_bytes(_LEN_BYTES, "little"))
    f.write(raw)
    f.write(b"\0" * _pad(len(MAGIC) + _LEN_BYTES + len(raw)))
    for a in parts:
        f.write(a.tobytes())
        f.write(b"\0" * _pad(a.nbytes))


def is_index_file(path: Path) -> bool:
    """Whether ``path`` starts as an index of ours (or is empty or missing: nothing to refuse)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
    except FileNotFoundError:
        return True
    return head in (b"", MAGIC)


def open_index(path: Path) -> IndexFile | None:
    """Map the index at ``path``: None when it is missing, empty or damaged; ``IndexFormatError`` when the
    file is not one of ours."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below; the map outlives it
    except FileNotFoundError:
        return None
    with f:
        head = f.read(len(MAGIC))
        if not head:
            return None
        if head != MAGIC:
            raise IndexFormatError(path)
        try:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
    try:
        return _parse(mm)
    except (ValueError, KeyError, TypeError, AttributeError):  # ours, but truncated or damaged: rebuilt
        return None


def _parse(mm: mmap.mmap) -> IndexFile:
    start = len(MAGIC) + _LEN_BYTES
    n = int.from_bytes(mm[len(MAGIC) : start], "little")
    if start + n > len(mm):
        raise ValueError("truncated header")
    header = json.loads(mm[start : start + n].decode("utf-8"))
    if header["format"] != FORMAT:
        raise ValueError(f"format {header['format']}")
    base = start + n + _pad(start + n)
    arrays: dict[str, np.ndarray] = {}
    for name, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"])
        if dtype.str not in DTYPES:
            raise ValueError(f"dtype {dtype.str}")
        length, offset = int(spec["length"]), base + int(spec["offset"])
        if length < 0 or offset % ALIGN or offset + length * dtype.itemsize > len(mm):
            raise ValueError(f"array {name} out of the file")
        arrays[name] = np.frombuffer(mm, dtype=dtype, count=length, offset=offset)
    return IndexFile(str(header["digest"]), str(header["version"]), arrays, dict(header["meta"]))
