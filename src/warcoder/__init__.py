"""warcoder: turn war reports into ACLED-style conflict event data, offline.

from warcoder import Coder, to_frame
coder = Coder()
events = coder.code(text, report_date="2017-11-02", doc_id="report-1", source="SouthFront")
df = to_frame(events)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .model import ACLED_COLUMNS, EXTRA_COLUMNS, Comment, Document, DocumentError, Event, Location, Place, Span

if TYPE_CHECKING:
    from .coder import CodedDocument, Coder

__all__ = [
    "ACLED_COLUMNS",
    "CodedDocument",
    "Coder",
    "Comment",
    "Document",
    "DocumentError",
    "Event",
    "Location",
    "Place",
    "Span",
    "to_frame",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the coder pulls in the gazetteer and lexicons: import it only when asked for
    if name in ("Coder", "CodedDocument"):
        from . import coder

        return getattr(coder, name)
    raise AttributeError(name)


def to_frame(events: Iterable[Event]) -> Any:
    """A pandas DataFrame of events with ACLED's columns first (needs pandas: pip install warcoder[pandas])."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_frame needs pandas: pip install 'warcoder[pandas]'") from exc
    rows = [e.to_acled_row() for e in events]
    return pd.DataFrame(rows, columns=ACLED_COLUMNS + EXTRA_COLUMNS)
