"""Toponym spotting and resolution against the GeoNames-based gazetteer.

``PlaceResolver.spot`` finds candidate place names (gazetteer n-gram matches plus context cues);
``PlaceResolver.resolve`` disambiguates all toponyms of a document together (document country focus, co-mentioned
places, parenthesised admin names, population) and turns them into ``model.Location`` records, handling
relative locations ("30km south of Homs"), neighbourhoods, provinces and countries.

The package: ``lexicon`` (patterns and word lists), ``toponym`` (what spotting finds), ``spot`` (spotting),
``score`` (scoring readings), ``locate`` (building locations), ``resolve`` (the resolver and the CLI records).
"""

from warcoder.places.lexicon import (
    CONNECTORS,
    DIRECTIONAL,
    DIRECTIONAL_LAST,
    IN,
    IN_LAST,
    MEMBERS_OF,
    NEAR,
    NEAR_LAST,
    NEIGH_OF,
    NEIGH_OF_LAST,
    OFFSET,
    OFFSET_LAST,
    SENTENCE_START,
    TOKEN,
    VILLAGE_OF,
    VILLAGE_OF_LAST,
)
from warcoder.places.resolve import PlaceResolver, default_resolver, iter_records, places_records
from warcoder.places.toponym import (
    ResolvedPlaces,
    Tok,
    Toponym,
    ascii_name,
    before_shape,
    last_word,
    members_of_before,
    sentence_start,
)

__all__ = [
    "CONNECTORS",
    "DIRECTIONAL",
    "DIRECTIONAL_LAST",
    "IN",
    "IN_LAST",
    "MEMBERS_OF",
    "NEAR",
    "NEAR_LAST",
    "NEIGH_OF",
    "NEIGH_OF_LAST",
    "OFFSET",
    "OFFSET_LAST",
    "SENTENCE_START",
    "TOKEN",
    "VILLAGE_OF",
    "VILLAGE_OF_LAST",
    "PlaceResolver",
    "ResolvedPlaces",
    "Tok",
    "Toponym",
    "ascii_name",
    "before_shape",
    "default_resolver",
    "iter_records",
    "last_word",
    "members_of_before",
    "places_records",
    "sentence_start",
]
