"""The store as the web app holds it: opened once, read through a cursor per request; row helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import Depends, Request

from ..model import Document, Event
from ..store import Store, connect


class EventDB:
    """The store, opened once; every request reads through its own cursor."""

    def __init__(self, path: str | Path, writable: bool = False) -> None:
        self.path = Path(path)
        self.writable = writable
        if writable:
            self.store = Store(self.path)  # creates the schema when the file is new
            self.con = self.store.con
        else:
            if not self.path.exists():
                raise FileNotFoundError(f"{self.path}: no such store")
            self.con = connect(self.path, read_only=True)
            self.store = None
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        missing = {"documents", "events", "evidence"} - tables
        if missing:
            self.con.close()
            raise ValueError(f"{self.path}: not a warcoder store (no {', '.join(sorted(missing))} table)")
        self.write_lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def write(self, doc: Document, events: list[Event]) -> None:
        assert self.writable, "the store is open read-only"
        with self.write_lock, self.cursor() as cur:
            Store.over(cur, self.path).write_coded([(doc, events)])  # written, then merged

    def close(self) -> None:
        self.con.close()


def row_dict(cols: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    d = dict(zip(cols, row, strict=True))
    if isinstance(d.get("event_date"), date):
        d["event_date"] = d["event_date"].isoformat()
    return d


def evidence_for(cur: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = cur.execute(
        "SELECT event_id, start_offset, end_offset, text FROM evidence "
        "WHERE list_contains(?, event_id) ORDER BY event_id, seq",
        [ids],
    ).fetchall()
    for eid, s, e, t in rows:
        out[eid].append({"start": s, "end": e, "text": t})
    return out


def select_cols(cols: list[str]) -> str:
    return ", ".join(f"e.{c}" for c in cols)


def page_sql(where: str, cols: list[str], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    sql = f"SELECT {select_cols(cols)} FROM events e {where} ORDER BY e.event_date, e.event_id"
    extra: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        extra.append(limit)
    if offset:
        sql += " OFFSET ?"
        extra.append(offset)
    return sql, extra


async def get_db(request: Request) -> EventDB:
    """The app's store (a dependency: routes reach it through ``request.app.state.db``)."""
    db: EventDB = request.app.state.db
    return db


DBDep = Annotated[EventDB, Depends(get_db)]
