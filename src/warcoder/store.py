"""The embedded store: one DuckDB file with tables documents, comments, events and evidence.

Documents are written in batches, each batch in one transaction, and only documents that were
coded completely are ever added to a batch: a failure can never leave part of a document behind.
Coding a document again replaces its rows (keyed on doc_id), so re-runs never duplicate events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from .model import EVENT_COLS, AcledIds, Document, Event, Span
from .sqltypes import fetch_rows, sql_type, transaction

__all__ = ["EVENT_COLS", "SCHEMA", "STORAGE_VERSION", "Store", "StoreInUse", "connect"]

EVENT_TYPES = {**{c: sql_type(Event, c) for c in EVENT_COLS}, "event_date": "DATE"}
"""The SQL type of each events column, from model.Event's field types (its ISO date string is stored as DATE)."""

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, origin VARCHAR, source VARCHAR, url VARCHAR, title VARCHAR,
    published DATE, report_date DATE, text VARCHAR, body_start INTEGER, body_end INTEGER,
    sha1 VARCHAR, n_events INTEGER, n_comments INTEGER, warnings VARCHAR, coded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS comments (
    doc_id VARCHAR, seq INTEGER, author VARCHAR, text VARCHAR, start_offset INTEGER, end_offset INTEGER
);
"""
    + "CREATE TABLE IF NOT EXISTS events (\n    "
    + ", ".join(f"{c} {EVENT_TYPES[c]}" + (" PRIMARY KEY" if c == "event_id" else "") for c in EVENT_COLS)
    + "\n);\n"
    + """CREATE TABLE IF NOT EXISTS evidence (
    event_id VARCHAR, doc_id VARCHAR, seq INTEGER, start_offset INTEGER, end_offset INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS event_numbers (
    event_id VARCHAR PRIMARY KEY, iso3 VARCHAR, n INTEGER, data_id INTEGER
);
"""
)


# what an events row written before a column existed holds in it (a count of 0 unless named here)
_ADDED_DEFAULTS = {"typed_by": "'rules'", "model_prob": "NULL"}

STORAGE_VERSION = "v1.4.0"
"""The storage format of new store files.  duckdb 2.0 writes its own format by default, which
DuckDB 1.x cannot open ("database file with version number 999"); v1.4.0 is the newest format
DuckDB 1.4 reads (checked with 1.4.5), so a store can be read by DuckDB 1.4 and later.  A file's
format is fixed when it is created: existing stores open and stay in the format they have, and
writes through a default connection keep it."""


class StoreInUse(Exception):
    """Another process holds the store's lock (a writer: `code`, `serve --allow-ingest`, `watch`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(f"store {path} is in use by another process (serve/watch?); try again or use --db")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to a store file; a lock held by another process is :class:`StoreInUse`.

    A new file is created in :data:`STORAGE_VERSION` by a connection of its own, closed at once;
    the connection returned has duckdb's default configuration (the file keeps its format), so
    other connections to the file in this process, with the default configuration, do not clash.
    """
    try:
        if not read_only and not Path(path).exists():
            duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION}).close()
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreInUse(path) from None
        raise


class Store:
    """A DuckDB file holding coded documents and their events."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no such store")
        self.con = connect(self.path, read_only=read_only)
        self.replaced = 0  # documents written over a stored one of the same id and other content
        if not read_only:
            self.con.execute(SCHEMA)
            self._add_columns()
            number_events(self.con, "events")  # a store written before event numbers existed

    def _add_columns(self) -> None:
        """Columns added to the events table since a store was written (model.EVENT_COLS lists them last)."""
        have = {
            r[0]
            for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
            ).fetchall()
        }
        for c in EVENT_COLS:
            if c not in have:
                default = _ADDED_DEFAULTS.get(c, "0")
                self.con.execute(f"ALTER TABLE events ADD COLUMN {c} {EVENT_TYPES[c]} DEFAULT {default}")

    @classmethod
    def over(cls, con: Any, path: str | Path | None = None) -> Store:
        """A store over an open DuckDB connection or cursor (the web's, a test's); the caller closes it."""
        store = cls.__new__(cls)
        store.path = Path(path) if path is not None else Path(":memory:")
        store.con = con
        store.replaced = 0
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def write_coded(
        self,
        batch: Iterable[tuple[Document, list[Event]]],
        sources: str | Path | None = None,
        merge: bool = True,
    ) -> int:
        """The one way coded documents reach the store: write them, then merge their events.

        The documents, comments, events and evidence of the batch are written in one transaction
        (replacing earlier codings of the same doc_id).  Then, unless ``merge`` is false, their
        events are merged into the canonical events (another transaction; ``sources`` names the
        outlet table).  A bulk load may write its batches with ``merge=False`` and call
        :meth:`merge_pending` once at the end: the canonical events come out the same.
        Returns the number of documents written.
        """
        batch = list(batch)
        n = self._write(batch)
        if merge and n:
            from .merge import merge_documents

            merge_documents(self, [doc.doc_id for doc, _ in batch], sources=sources)
        return n

    def stored_hashes(self) -> set[tuple[str, str]]:
        """(doc_id, sha1) of every stored document: what ``code --skip-existing`` need not code again."""
        return {(r[0], r[1]) for r in self.con.execute("SELECT doc_id, sha1 FROM documents").fetchall()}

    def merge_pending(self, sources: str | Path | None = None) -> Any:
        """Merge every stored event not merged yet (after ``write_coded(..., merge=False)``)."""
        from .merge import merge_documents

        return merge_documents(self, [], sources=sources)

    def _write(self, batch: list[tuple[Document, list[Event]]]) -> int:
        """Write coded documents (replacing earlier codings of the same doc_id) in one transaction."""
        if not batch:
            return 0
        tables = _arrow_tables(*_columns(batch))
        con = self.con
        with transaction(con, tables):
            # documents that replace a stored one of the same id with other content (reported by `code`)
            replaced = con.execute(
                "SELECT count(*) FROM documents d JOIN t_docs t USING (doc_id) WHERE d.sha1 IS DISTINCT FROM t.sha1"
            ).fetchall()[0][0]  # fetchall: DuckDB 2 keeps a result open after fetchone()
            for tbl in ("evidence", "events", "comments", "documents"):
                con.execute(f"DELETE FROM {tbl} WHERE doc_id IN (SELECT doc_id FROM t_ids)")
            con.execute("INSERT INTO documents SELECT * FROM t_docs")
            con.execute("INSERT INTO comments SELECT * FROM t_comments")
            con.execute(f"INSERT INTO events ({', '.join(EVENT_COLS)}) SELECT {', '.join(EVENT_COLS)} FROM t_events")
            con.execute("INSERT INTO evidence SELECT * FROM t_evidence")
            number_events(con, "t_events")
        self.replaced += replaced  # counted once the transaction has committed
        return tables["t_ids"].num_rows

    def events(self, where: str = "", params: list[Any] | None = None) -> Iterator[Event]:
        """Events in the store, with their evidence and ACLED numbers, ordered by date and id."""
        spans = "to_json(list({'start': v.start_offset, 'end': v.end_offset, 'text': v.text} ORDER BY v.seq))"
        sql = (
            f"SELECT {', '.join('e.' + c for c in EVENT_COLS)}, n.n, n.data_id, epoch(d.coded_at)::BIGINT, "
            f"(SELECT {spans} FROM evidence v WHERE v.event_id = e.event_id) AS ev "
            f"FROM events e LEFT JOIN event_numbers n USING (event_id) LEFT JOIN documents d USING (doc_id) "
            f"{where} ORDER BY e.event_date, e.doc_id, e.event_id"
        )
        k = len(EVENT_COLS)
        for r in fetch_rows(self.con.execute(sql, params or []), 1000):
            d = dict(zip(EVENT_COLS, r[:k], strict=True))
            d["event_date"] = d["event_date"].isoformat() if d["event_date"] else None
            ev = Event.from_dict(d)
            ev.evidence = [Span(int(s["start"]), int(s["end"]), s["text"]) for s in json.loads(r[-1] or "[]")]
            ev.ids = AcledIds(r[k], r[k + 1], r[k + 2])
            yield ev

    def acled_ids(self, event_ids: list[str]) -> dict[str, AcledIds]:
        """The ACLED numbers and coding time of stored events (see :func:`number_events`)."""
        rows = self.con.execute(
            "SELECT n.event_id, n.n, n.data_id, epoch(d.coded_at)::BIGINT FROM event_numbers n "
            "JOIN events e USING (event_id) LEFT JOIN documents d ON d.doc_id = e.doc_id "
            "WHERE n.event_id IN (SELECT unnest(?))",
            [event_ids],
        ).fetchall()
        return {r[0]: AcledIds(r[1], r[2], r[3]) for r in rows}

    def count(self, table: str) -> int:
        assert table in ("documents", "comments", "events", "evidence")
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def number_events(con: Any, source: str) -> None:
    """Give the events of table ``source`` that have none their ACLED numbers, once and for good.

    ``n`` counts the store's events per country (ISO alpha-3; XXX for an unknown country) in the
    order they were first written (by event_id within a write), so ``event_id_cnty`` is ``SYR12``;
    ``data_id`` counts all the store's events.  A number is never given again, even when its event
    is re-coded away, so an exported id always means the same event.
    """
    import pyarrow as pa

    from .acled import country_codes

    countries = [r[0] for r in con.execute(f"SELECT DISTINCT coalesce(country, '') FROM {source}").fetchall()]
    if not countries:
        return
    iso3 = [country_codes(c)[1] or "XXX" for c in countries]
    con.register("t_iso3", pa.table({"country": pa.array(countries, pa.string()), "iso3": pa.array(iso3, pa.string())}))
    try:
        con.execute(
            "INSERT INTO event_numbers "
            "SELECT e.event_id, i.iso3, "
            "coalesce(m.n, 0) + row_number() OVER (PARTITION BY i.iso3 ORDER BY e.event_id), "
            "(SELECT coalesce(max(data_id), 0) FROM event_numbers) + row_number() OVER (ORDER BY e.event_id) "
            f"FROM (SELECT DISTINCT event_id, coalesce(country, '') AS country FROM {source}) e "
            "JOIN t_iso3 i USING (country) "
            "LEFT JOIN (SELECT iso3, max(n) AS n FROM event_numbers GROUP BY iso3) m USING (iso3) "
            "WHERE e.event_id NOT IN (SELECT event_id FROM event_numbers)"
        )
    finally:
        con.unregister("t_iso3")


def _schema(cols: dict[str, list[Any]], types: dict[str, pa.DataType]) -> pa.Schema:
    return pa.schema([(k, types[k]) for k in cols])


def _event_schema() -> pa.Schema:
    arrow = {"INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}  # the date goes as text
    t: dict[str, pa.DataType] = {k: arrow.get(EVENT_TYPES[k], pa.string()) for k in EVENT_COLS}
    return pa.schema([(k, t[k]) for k in EVENT_COLS])


def _columns(batch: list[tuple[Document, list[Event]]]) -> tuple[dict[str, list[Any]], ...]:
    """The rows of a batch, column by column: documents, comments, events, evidence (the last coding of a doc wins)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    docs: dict[str, list[Any]] = {
        k: []
        for k in (
            "doc_id",
            "origin",
            "source",
            "url",
            "title",
            "published",
            "report_date",
            "text",
            "body_start",
            "body_end",
            "sha1",
            "n_events",
            "n_comments",
            "warnings",
            "coded_at",
        )
    }
    comments: dict[str, list[Any]] = {k: [] for k in ("doc_id", "seq", "author", "text", "start_offset", "end_offset")}
    events: dict[str, list[Any]] = {k: [] for k in EVENT_COLS}
    evidence: dict[str, list[Any]] = {
        k: [] for k in ("event_id", "doc_id", "seq", "start_offset", "end_offset", "text")
    }
    last: dict[str, int] = {}
    for i, (doc, _) in enumerate(batch):
        last[doc.doc_id] = i  # the same doc twice in a batch: the last coding wins
    for i, (doc, evs) in enumerate(batch):
        if last[doc.doc_id] != i:
            continue
        report = doc.report_date
        for k, v in (
            ("doc_id", doc.doc_id),
            ("origin", doc.origin),
            ("source", doc.source),
            ("url", doc.url),
            ("title", doc.title),
            ("published", doc.published),
            ("report_date", report),
            ("text", doc.text),
            ("body_start", doc.body_start),
            ("body_end", doc.body_end),
            ("sha1", doc.sha1()),
            ("n_events", len(evs)),
            ("n_comments", len(doc.comments)),
            ("warnings", "\n".join(doc.warnings) or None),
            ("coded_at", now),
        ):
            docs[k].append(v)
        for j, c in enumerate(doc.comments):
            for k, v in (
                ("doc_id", doc.doc_id),
                ("seq", j),
                ("author", c.author),
                ("text", c.text),
                ("start_offset", c.start),
                ("end_offset", c.end),
            ):
                comments[k].append(v)
        for ev in evs:
            d = ev.to_dict()
            for k in EVENT_COLS:
                events[k].append(d[k])
            for j, s in enumerate(ev.evidence):
                for k, v in (
                    ("event_id", ev.event_id),
                    ("doc_id", doc.doc_id),
                    ("seq", j),
                    ("start_offset", s.start),
                    ("end_offset", s.end),
                    ("text", s.text),
                ):
                    evidence[k].append(v)
    return docs, comments, events, evidence


def _arrow_tables(
    docs: dict[str, list[Any]],
    comments: dict[str, list[Any]],
    events: dict[str, list[Any]],
    evidence: dict[str, list[Any]],
) -> dict[str, pa.Table]:
    """The batch as Arrow tables, registered by name for the INSERTs."""
    ids = pa.table({"doc_id": pa.array(docs["doc_id"], pa.string())})
    tables = {
        "t_docs": pa.table(docs),
        "t_comments": pa.table(
            comments,
            schema=_schema(
                comments,
                {
                    "author": pa.string(),
                    "text": pa.string(),
                    "doc_id": pa.string(),
                    "seq": pa.int32(),
                    "start_offset": pa.int32(),
                    "end_offset": pa.int32(),
                },
            ),
        ),
        "t_events": pa.table(events, schema=_event_schema()),
        "t_evidence": pa.table(
            evidence,
            schema=_schema(
                evidence,
                {
                    "event_id": pa.string(),
                    "doc_id": pa.string(),
                    "seq": pa.int32(),
                    "start_offset": pa.int32(),
                    "end_offset": pa.int32(),
                    "text": pa.string(),
                },
            ),
        ),
        "t_ids": ids,
    }
    return tables
