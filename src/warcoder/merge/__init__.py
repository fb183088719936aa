"""Merging: reports of one happening from different documents become one canonical event.

    from warcoder.merge import merge_all, merge_documents, explain
    with Store("w.duckdb") as store:
        merge_all(store)                       # re-merge the whole store
        merge_documents(store, ["doc-1"])      # after writing doc-1: merge it in incrementally
        print(explain(store, "wc-..."))        # why reports were (or were not) merged

Two report events match (:func:`compare`) when all of these hold, with the thresholds in
``data/merge.yaml``:

* they come from different documents (one document's events are distinct by construction);
* their sub-types are the same or listed as compatible;
* their dates lie within each other's time precision (two precision-1 events: the same day);
* they are in the same country and within a radius set by the coarser geo_precision
  (precision 3: the same admin1);
* their actors are compatible: the same family or one unknown, never opposite roles (actor1 of
  one is actor2 of the other), except in symmetric sub-types (Armed clash) where the pair is
  compared in either order.

Clustering is complete-linkage: candidate pairs are taken best first (date gap, distance, event
ids) and two clusters join only when *every* pair across them matches, so a canonical event never
holds two reports that do not match each other (no chaining through an unknown actor).  The order
depends only on the events themselves, never on the order they were stored, so an incremental
merge gives the same result as a full re-merge.  Candidates are blocked by country, sub-type class
and day, so the work is near linear in the number of events.

Each canonical event counts its independent sources: documents that are copies of one story
(word-shingle Jaccard or containment, see ``syndication`` in the rules) or come from the same
outlet count once.  Outlets are rated in ``data/sources.tsv`` (extend or override it with
``--sources FILE`` or ``$WARCODER_SOURCES``).
"""

from __future__ import annotations

from .canonical import CANONICAL_EXTRA_COLUMNS, canonical_events
from .explain import explain
from .match import Report, cluster, compare
from .rules import SourceTable, load_rules
from .storage import merge_all, merge_documents, merge_state

__all__ = [
    "CANONICAL_EXTRA_COLUMNS",
    "Report",
    "SourceTable",
    "canonical_events",
    "cluster",
    "compare",
    "explain",
    "load_rules",
    "merge_all",
    "merge_documents",
    "merge_state",
]
