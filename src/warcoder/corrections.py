"""Analysts' corrections of coded events, kept beside the events and never written over them.

A correction names an event and the fields an analyst changes: ``sub_event_type`` (its ``event_type``
follows), ``actor1``, ``actor2``, ``location`` with ``latitude``/``longitude``, ``event_date``,
``fatalities``, or ``no_event`` (what was coded is not an event at all).  It is stored with who made it
and when, in the store's ``corrections`` table; the coded row stays as the coder wrote it, so a correction
can be audited, and a re-coded document keeps its corrections (event ids are stable).

``warcoder export --corrections`` writes the corrected events as training data for ``warcoder train``:
one JSON line per corrected event with its evidence text and the corrected sub-type (the latest
correction of each field wins), or ``"no_event": true``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from . import knowledge

TABLE = """
CREATE TABLE IF NOT EXISTS corrections (
    correction_id INTEGER, event_id VARCHAR, doc_id VARCHAR, changes VARCHAR, who VARCHAR, note VARCHAR,
    made_at TIMESTAMP
);
"""

FIELDS = ("sub_event_type", "actor1", "actor2", "location", "latitude", "longitude", "event_date", "fatalities",
          "no_event")  # fmt: skip
MAX_TEXT = 300


class CorrectionError(ValueError):
    """A correction that cannot be stored (no such event, an unknown field, a bad value): one line."""


@dataclass(frozen=True)
class Correction:
    correction_id: int
    event_id: str
    doc_id: str
    changes: dict[str, Any]
    who: str
    note: str
    made_at: str  # ISO timestamp, UTC

    def to_dict(self) -> dict[str, Any]:
        return {
            "correction_id": self.correction_id,
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "changes": self.changes,
            "who": self.who,
            "note": self.note,
            "made_at": self.made_at,
        }


def _sub_types() -> dict[str, str]:
    tax = knowledge.load_yaml("taxonomy.yaml")
    return {sub: et for et, subs in tax.items() for sub in subs}


def validate(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes checked and normalised (``event_type`` added for a new sub-type); CorrectionError if not."""
    if not isinstance(changes, dict) or not changes:
        raise CorrectionError("a correction changes at least one field")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise CorrectionError(f"unknown field(s) {', '.join(unknown)}: correct {', '.join(FIELDS)}")
    out: dict[str, Any] = {}
    for k, v in changes.items():
        out[k] = _check(k, v)
    if ("latitude" in out) != ("longitude" in out):
        raise CorrectionError("latitude and longitude are corrected together")
    if "sub_event_type" in out:
        out["event_type"] = _sub_types()[out["sub_event_type"]]
    return out


def _check(k: str, v: Any) -> Any:
    if k == "sub_event_type":
        if v not in _sub_types():
            raise CorrectionError(f"sub_event_type: {v!r} is not one of ACLED's 25 sub-types")
        return v
    if k in ("actor1", "actor2", "location"):
        if not isinstance(v, str) or len(v) > MAX_TEXT or (k != "actor2" and not v.strip()):
            raise CorrectionError(f"{k}: text of at most {MAX_TEXT} characters")
        return v.strip()
    if k in ("latitude", "longitude"):
        lim = 90 if k == "latitude" else 180
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or abs(v) > lim:
            raise CorrectionError(f"{k}: a number from -{lim} to {lim}")
        return float(v)
    if k == "event_date":
        try:
            return date.fromisoformat(str(v)).isoformat()
        except ValueError:
            raise CorrectionError(f"event_date: {v!r} is not a valid date (YYYY-MM-DD)") from None
    if k == "fatalities":
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100_000:
            raise CorrectionError("fatalities: a whole number from 0 to 100000")
        return v
    if not isinstance(v, bool):  # no_event
        raise CorrectionError("no_event: true or false")
    return v


def ensure_table(con: Any) -> None:
    con.execute(TABLE)


def add(con: Any, event_id: str, changes: dict[str, Any], who: str, note: str = "") -> Correction:
    """Store a correction of a stored event (``con``: a writable store connection)."""
    if not isinstance(who, str) or not who.strip() or len(who) > 100:
        raise CorrectionError("who: the analyst's name, at most 100 characters")
    if not isinstance(note, str) or len(note) > 2000:
        raise CorrectionError("note: text of at most 2000 characters")
    checked = validate(changes)
    ensure_table(con)
    row = con.execute("SELECT doc_id FROM events WHERE event_id = ?", [event_id]).fetchone()
    if row is None:
        raise CorrectionError(f"no event {event_id!r} in the store")
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    nxt = con.execute("SELECT coalesce(max(correction_id), 0) + 1 FROM corrections").fetchone()[0]
    con.execute(
        "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?)",
        [nxt, event_id, row[0], json.dumps(checked, ensure_ascii=False), who.strip(), note, now],
    )
    return Correction(int(nxt), event_id, row[0], checked, who.strip(), note, now.isoformat() + "Z")


def for_events(con: Any, event_ids: list[str] | None = None) -> Iterator[Correction]:
    """The stored corrections (of ``event_ids`` only, if given), oldest first; none in a store without any."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "corrections" not in tables:
        return
    sql = "SELECT correction_id, event_id, doc_id, changes, who, note, made_at FROM corrections"
    params: list[Any] = []
    if event_ids is not None:
        sql += " WHERE list_contains(?, event_id)"
        params.append(event_ids)
    for cid, eid, did, changes, who, note, at in con.execute(sql + " ORDER BY correction_id", params).fetchall():
        yield Correction(int(cid), eid, did, json.loads(changes), who, note or "", at.isoformat() + "Z")


def training_rows(con: Any) -> Iterator[dict[str, Any]]:
    """One row per corrected event: its evidence text, its fields with every correction applied (the latest
    wins), ``no_event``, and who corrected it when: JSONL that ``warcoder train`` reads."""
    latest: dict[str, dict[str, Any]] = {}
    meta: dict[str, tuple[str, str]] = {}
    for c in for_events(con):
        latest.setdefault(c.event_id, {}).update(c.changes)
        meta[c.event_id] = (c.who, c.made_at)
    if not latest:
        return
    ids = sorted(latest)
    cols = ["event_id", "doc_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
            "latitude", "longitude", "fatalities", "notes"]  # fmt: skip
    rows = con.execute(f"SELECT {', '.join(cols)} FROM events WHERE list_contains(?, event_id)", [ids]).fetchall()
    texts: dict[str, list[str]] = {}
    for eid, t in con.execute(
        "SELECT event_id, text FROM evidence WHERE list_contains(?, event_id) ORDER BY event_id, seq", [ids]
    ).fetchall():
        texts.setdefault(eid, []).append(t)
    for r in sorted(rows, key=lambda r: r[0]):
        d = dict(zip(cols, r, strict=True))
        if isinstance(d["event_date"], date):
            d["event_date"] = d["event_date"].isoformat()
        coded = {k: d[k] for k in ("sub_event_type", "actor1", "actor2", "location", "event_date", "fatalities")}
        d.update(latest[d["event_id"]])
        d["no_event"] = bool(d.get("no_event", False))
        d["text"] = " ".join(texts.get(d["event_id"], [])) or d["notes"]
        d["coded"] = coded
        d["corrected_by"], d["corrected_at"] = meta[d["event_id"]]
        yield d
