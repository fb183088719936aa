"""Gazetteer sources that users add: GeoNames dumps and simple CSV files.

    warcoder gazetteer add SY.zip                 # a GeoNames country dump (or allCountries.zip / .txt)
    warcoder gazetteer add villages.csv           # name,latitude,longitude,country,admin1,aliases
    warcoder gazetteer download SY IQ UA          # fetch country dumps from GeoNames (asked for only)
    warcoder gazetteer list                       # built-in and added sources, counts and dates

Added sources are copied (gzipped) into the sources folder (``$WARCODER_GAZETTEER_DIR`` or
``<cache>/sources``) and listed in its ``sources.json``.  The compiled index includes them and is
rebuilt when they change.  A GeoNames row whose id is already known (GeoNames cities500, or a
Who's On First village that carries the GeoNames id) adds its names to that place: one place, not two.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .paths import default_cache_dir

GEONAMES_URL = "https://download.geonames.org/export/dump"
MAX_DOWNLOAD = 2 * 1024**3  # allCountries.zip is about 400 MB; cap well above, never unbounded
GEONAMES_COLUMNS = 19
CSV_COLUMNS = ["name", "latitude", "longitude", "country", "admin1", "aliases"]
KEEP_CLASSES = {"P", "A", "L", "S", "T", "H", "V"}


class SourceError(Exception):
    """A source file that cannot be added; the message is one line naming the file."""


@dataclass
class Source:
    name: str  # file name inside the sources folder
    kind: str  # "geonames", "alternatenames" or "csv"
    original: str  # where it came from (path or URL)
    rows: int
    added: str  # ISO timestamp
    sha1: str


def sources_dir() -> Path:
    env = os.environ.get("WARCODER_GAZETTEER_DIR")
    if env:
        return Path(env)
    return default_cache_dir() / "sources"


def _manifest_path(folder: Path) -> Path:
    return folder / "sources.json"


def list_sources(folder: Path | None = None) -> list[Source]:
    folder = folder or sources_dir()
    p = _manifest_path(folder)
    if not p.exists():
        return []
    return [Source(**s) for s in json.loads(p.read_text(encoding="utf-8"))]


def _save(folder: Path, sources: list[Source]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = _manifest_path(folder).with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(s) for s in sources], indent=1), encoding="utf-8")
    os.replace(tmp, _manifest_path(folder))


def digest(folder: Path | None = None) -> str:
    """Changes whenever the added sources change (part of the compiled index's key)."""
    return hashlib.sha1("|".join(s.sha1 for s in list_sources(folder)).encode()).hexdigest()[:12]


def _geonames_rows(text: io.TextIOBase) -> Iterator[list[str]]:
    for n, line in enumerate(text, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) != GEONAMES_COLUMNS or not cols[0].isdigit():
            raise SourceError(f"line {n}: not a GeoNames dump row ({len(cols)} columns, want {GEONAMES_COLUMNS})")
        yield cols


def _alternate_rows(text: io.TextIOBase) -> Iterator[list[str]]:
    for n, line in enumerate(text, 1):
        if not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or not cols[1].isdigit():
            raise SourceError(f"line {n}: not an alternateNames row")
        yield cols


def _csv_rows(text: io.TextIOBase) -> Iterator[dict[str, str]]:
    rd = csv.DictReader(line for line in text if not line.startswith("#"))
    missing = [c for c in ("name", "latitude", "longitude", "country") if c not in (rd.fieldnames or [])]
    if missing:
        raise SourceError(f"CSV lacks column(s) {', '.join(missing)} (want {','.join(CSV_COLUMNS)})")
    for n, r in enumerate(rd, 2):
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except (TypeError, ValueError):
            raise SourceError(f"line {n}: latitude/longitude are not numbers") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not (r.get("name") or "").strip():
            raise SourceError(f"line {n}: no name or coordinates out of range")
        yield r


def _sniff(name: str, head: str) -> str:
    low = name.lower()
    if low.startswith("alternatenames"):
        return "alternatenames"
    if low.endswith(".csv") or low.endswith(".csv.gz") or head.lower().startswith("name,"):
        return "csv"
    return "geonames"


def _payloads(path: Path) -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of a plain, gzipped or zipped source file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.namelist() if m.endswith(".txt") and not m.lower().startswith("readme")]
            if not members:
                raise SourceError("the zip holds no .txt dump")
            for m in members:
                yield Path(m).name, z.read(m)
    elif path.suffix == ".gz":
        yield path.name[:-3], gzip.decompress(path.read_bytes())
    else:
        yield path.name, path.read_bytes()


def add_source(path: str | Path, folder: Path | None = None, original: str | None = None) -> list[Source]:
    """Validate and copy a source into the sources folder; returns the sources it added."""
    path = Path(path)
    folder = folder or sources_dir()
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    added: list[Source] = []
    sources = list_sources(folder)
    try:
        payloads = list(_payloads(path))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceError(f"{path}: unreadable ({exc})") from None
    for member, data in payloads:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(f"{path}: {member} is not UTF-8") from None
        kind = _sniff(member, text[:200])
        reader = {"geonames": _geonames_rows, "alternatenames": _alternate_rows, "csv": _csv_rows}[kind]
        try:
            rows = sum(1 for _ in reader(io.StringIO(text)))
        except SourceError as exc:
            raise SourceError(f"{path}: {member}: {exc}") from None
        if rows == 0:
            raise SourceError(f"{path}: {member} has no rows")
        sha1 = hashlib.sha1(data).hexdigest()
        stored = f"{Path(member).stem}-{sha1[:8]}.{'csv' if kind == 'csv' else 'txt'}.gz"
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(folder / stored, "wb") as fh:
            fh.write(data)
        src = Source(
            stored,
            kind,
            original or str(path.resolve()),
            rows,
            datetime.now(UTC).isoformat(timespec="seconds"),
            sha1,
        )
        sources = [s for s in sources if s.name != stored] + [src]
        added.append(src)
    _save(folder, sources)
    return added


def open_source(src: Source, folder: Path | None = None) -> io.TextIOBase:
    folder = folder or sources_dir()
    return gzip.open(folder / src.name, "rt", encoding="utf-8")  # type: ignore[return-value]


def iter_geonames(src: Source, folder: Path | None = None) -> Iterator[list[str]]:
    with open_source(src, folder) as fh:
        yield from _geonames_rows(fh)


def iter_alternates(src: Source, folder: Path | None = None) -> Iterator[list[str]]:
    with open_source(src, folder) as fh:
        yield from _alternate_rows(fh)


def iter_csv(src: Source, folder: Path | None = None) -> Iterator[dict[str, str]]:
    with open_source(src, folder) as fh:
        yield from _csv_rows(fh)


def download(
    codes: list[str], base_url: str | None = None, folder: Path | None = None, timeout: float = 60.0
) -> list[Source]:
    """Fetch GeoNames country dumps (``SY``, ``IQ``, ... or ``allCountries``) and add them."""
    import tempfile

    import httpx

    base = (base_url or os.environ.get("WARCODER_GEONAMES_URL") or GEONAMES_URL).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise SourceError(f"{base}: only http(s) URLs can be downloaded")
    out: list[Source] = []
    for code in codes:
        name = code if code == "allCountries" else code.upper()
        if not (name == "allCountries" or (len(name) == 2 and name.isalpha())):
            raise SourceError(f"{code}: not a two-letter country code (or allCountries)")
        url = f"{base}/{name}.zip"
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"{name}.zip"
            try:
                with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as r:
                    if r.status_code != 200:
                        raise SourceError(f"{url}: HTTP {r.status_code}")
                    size = 0
                    with open(target, "wb") as fh:
                        for chunk in r.iter_bytes():
                            size += len(chunk)
                            if size > MAX_DOWNLOAD:
                                raise SourceError(f"{url}: larger than {MAX_DOWNLOAD} bytes")
                            fh.write(chunk)
            except httpx.HTTPError as exc:
                raise SourceError(f"{url}: {type(exc).__name__}: {exc}") from None
            out += add_source(target, folder, original=url)
    return out
