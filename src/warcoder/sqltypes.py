"""The SQL type a record's field is stored as, read off the field's type in its dataclass (model.py).

The store's events table and merging's canonical_events table derive their column types from this,
so a field's type is written once, in the dataclass.
"""

from __future__ import annotations

SQL_TYPES = {"int": "INTEGER", "float": "DOUBLE", "float | None": "DOUBLE", "bool": "BOOLEAN"}
"""The SQL type of a dataclass field by its annotation; any other field is stored as text (VARCHAR)."""


def sql_type(cls: type, name: str) -> str:
    """The SQL type of the field ``name`` of the dataclass ``cls`` (a KeyError when it has no such field)."""
    return SQL_TYPES.get(str(cls.__dataclass_fields__[name].type), "VARCHAR")  # type: ignore[attr-defined]
