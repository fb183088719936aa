"""The store's one write path: write_coded writes a batch in one transaction, then merges it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warcoder.coder import Coder
from warcoder.store import STORAGE_VERSION, Store

NOTE = "On 6 May 2020, Houthi forces fired a ballistic missile at Marib city (Marib), causing damage to a building."


@pytest.fixture(scope="module")
def coded(coder: Coder) -> list:
    out = []
    for i, source in enumerate(["Saba News", "Al Masirah"]):
        doc = coder.make_document(NOTE, doc_id=f"n{i}", source=source, published="2020-05-08")
        out.append((doc, coder.code_document(doc)))
    assert all(evs for _, evs in out)
    return out


def _links(store: Store) -> set[str]:
    return {r[0] for r in store.con.execute("SELECT doc_id FROM event_links").fetchall()}


def test_write_coded_writes_and_merges(tmp_path: Path, coded: list) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.write_coded(coded) == 2
        assert store.count("documents") == 2 and store.count("events") == sum(len(e) for _, e in coded)
        assert _links(store) == {"n0", "n1"}


def test_a_bulk_load_merges_once_at_the_end_to_the_same_result(tmp_path: Path, coded: list) -> None:
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        a.write_coded(coded)
        for item in coded:
            b.write_coded([item], merge=False)
        assert b.count("events") == a.count("events")
        assert "event_links" not in {r[0] for r in b.con.execute("SHOW TABLES").fetchall()}
        b.merge_pending()
        sql = "SELECT event_id, doc_id FROM event_links ORDER BY event_id"
        assert a.con.execute(sql).fetchall() == b.con.execute(sql).fetchall()


def test_a_store_over_a_cursor_writes_through_it(tmp_path: Path, coded: list) -> None:
    path = tmp_path / "c.duckdb"
    Store(path).close()  # the schema
    con = duckdb.connect(str(path))
    cur = con.cursor()
    Store.over(cur, path).write_coded(coded[:1])
    cur.close()
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert {r[0] for r in con.execute("SELECT doc_id FROM event_links").fetchall()} == {"n0"}
    con.close()


def test_a_failed_batch_writes_nothing(tmp_path: Path, coded: list) -> None:
    doc, evs = coded[0]
    broken = [(doc, evs), (coded[1][0], [*coded[1][1], None])]  # an event that cannot be written
    with Store(tmp_path / "d.duckdb") as store:
        with pytest.raises(AttributeError):
            store.write_coded(broken)
        assert store.count("documents") == 0 and store.count("events") == 0


def _storage_version(path: Path) -> tuple[str, int]:
    """A store file's storage version as DuckDB reports it, and the format number in its main header."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE path IS NOT NULL").fetchone()
    finally:
        con.close()
    head = path.read_bytes()[:20]
    assert head[8:12] == b"DUCK"  # the magic, then the format number as a little-endian uint64
    return tags["storage_version"], int.from_bytes(head[12:20], "little")


def test_a_new_store_is_written_in_a_format_duckdb_1_4_reads(tmp_path: Path, coded: list) -> None:
    path = tmp_path / "v.duckdb"
    with Store(path) as store:
        store.write_coded(coded[:1])
        other = duckdb.connect(str(path))  # the store's connection has the default configuration: no clash
        assert other.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        other.close()
    # DuckDB 1.4 reads format numbers 64-67 (its error message on newer files says so); duckdb 2.0's own is 999
    assert _storage_version(path) == (STORAGE_VERSION + "+", 67)


def test_an_existing_store_in_another_format_opens_and_keeps_it(tmp_path: Path, coded: list) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()  # duckdb's default format, as stores were written before
    before = _storage_version(path)
    assert before[0] != STORAGE_VERSION + "+"
    with Store(path) as store:
        store.write_coded(coded[:1])
    with Store(path, read_only=True) as store:
        assert store.count("documents") == 1
    assert _storage_version(path) == before
