"""Toponym spotting and resolution for English news text, without statistical NER.

``PlaceResolver.spot`` finds gazetteer names in capitalised token runs; ``PlaceResolver.resolve``
disambiguates all toponyms of a document together (document country focus, co-mentioned places,
parenthesised admin names, population) and turns them into ``model.Location`` records, handling
relative locations ("30km south of Homs"), neighbourhoods, provinces and countries.

The package: ``lexicon`` (patterns and word lists), ``toponym`` (what spotting finds), ``spot`` (spotting),
``score`` (scoring readings), ``locate`` (building locations), ``resolve`` (the resolver and the CLI records);
the weights of scoring and resolving are in ``data/places.yaml``. Re-exported here: the names other modules and
tests use.
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
from warcoder.places.resolve import PlaceResolver, places_records
from warcoder.places.toponym import (
    ResolvedPlaces,
    Tok,
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
    "ascii_name",
    "before_shape",
    "last_word",
    "members_of_before",
    "places_records",
    "sentence_start",
]
