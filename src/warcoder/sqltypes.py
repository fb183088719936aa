"""SQL helpers shared by the store and merging.

- The SQL type a record's field is stored as, read off the field's type in its dataclass
  (model.py): the store's events table and merging's canonical_events table derive their column
  types from this, so a field's type is written once, in the dataclass.
- ``transaction(con, tables)``: Arrow tables registered for one DuckDB transaction, rolled back
  on any error and unregistered after.
- ``fetch_rows(cur, size)``: a result's rows one by one, fetched ``size`` at a time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

SQL_TYPES = {"int": "INTEGER", "float": "DOUBLE", "float | None": "DOUBLE", "bool": "BOOLEAN"}
"""The SQL type of a dataclass field by its annotation; any other field is stored as text (VARCHAR)."""


def fetch_rows(cur: Any, size: int) -> Iterator[tuple[Any, ...]]:
    """The rows of an executed DuckDB cursor, fetched ``size`` at a time so that a large result is never held
    whole."""
    while rows := cur.fetchmany(size):
        yield from rows


def sql_type(cls: type, name: str) -> str:
    """The SQL type of the field ``name`` of the dataclass ``cls`` (a KeyError when it has no such field)."""
    return SQL_TYPES.get(str(cls.__dataclass_fields__[name].type), "VARCHAR")  # type: ignore[attr-defined]


@contextlib.contextmanager
def transaction(con: Any, tables: dict[str, Any]) -> Iterator[Any]:
    """One transaction on ``con`` with ``tables`` (name -> Arrow table) registered for its statements.

    Commits when the block ends, rolls back on any error (re-raised), and unregisters the tables
    in either case."""
    try:
        con.execute("BEGIN TRANSACTION")
        for name, t in tables.items():
            con.register(name, t)
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            with contextlib.suppress(Exception):
                con.unregister(name)
