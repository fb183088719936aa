"""The command line: a thin layer over the Python API.

    warcoder code INPUT... [--out FILE] [--db FILE] [--report-date YYYY-MM-DD] [--source NAME]
    warcoder export [--db FILE] --out FILE
    warcoder places INPUT... --out FILE

Exit codes: 0 every document coded, 1 some document failed, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from tqdm import tqdm

from .model import Document, DocumentError, Event

DEFAULT_DB = "warcoder.duckdb"
BATCH = 200


def _err(msg: str) -> None:
    click.echo(f"error: {msg}", err=True)


def _index_path(index: str | None) -> Path | None:
    """An explicit compiled gazetteer index, else None: the shared cache ($WARCODER_CACHE or ~/.cache/warcoder)."""
    return Path(index) if index else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warcoder")
def main() -> None:
    """warcoder: turn war reports into ACLED-style conflict events, offline."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="Write events here: .jsonl, .csv, .geojson or .parquet."
)
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
@click.option("--report-date", "report_date", help="Report date (YYYY-MM-DD) for documents that state none.")
@click.option("--source", "source", help="Source name for documents that do not give one.")
@click.option("--index", "index", help="Compiled gazetteer index file (default: the shared cache).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
def code(
    inputs: tuple[str, ...],
    out: str | None,
    db: str,
    report_date: str | None,
    source: str | None,
    index: str | None,
    quiet: bool,
) -> None:
    """Code INPUT documents (.txt, .html, .jsonl, directories, '-' for stdin, http(s) URLs) into events."""
    from .coder import Coder
    from .export import Writer, format_for, print_table
    from .ingest import iter_documents
    from .store import Store

    if out:
        try:
            format_for(out)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    if report_date:
        from .dates import parse_iso

        try:
            parse_iso(report_date)
        except ValueError as exc:
            # documents with their own date are still coded; the others fail, each named
            _err(f"--report-date: {exc}; documents without a date of their own will fail")
    t0 = time.perf_counter()
    coder = Coder(index_path=_index_path(index))
    writer = Writer(out) if out else None
    shown: list[Event] = []
    failed = coded = n_events = 0
    batch: list[tuple[Document, list[Event]]] = []
    bar = tqdm(unit="doc", disable=quiet or not sys.stderr.isatty(), file=sys.stderr, dynamic_ncols=True)
    try:
        with Store(db) as store:
            for res in coder.code_many(iter_documents(list(inputs), source=source), report_date=report_date):
                bar.update(1)
                if res.error is not None:
                    failed += 1
                    tqdm.write(f"error: {res.error}", file=sys.stderr)
                    continue
                assert res.document is not None
                for w in res.document.warnings:
                    tqdm.write(f"warning: {w}", file=sys.stderr)
                coded += 1
                n_events += len(res.events)
                batch.append((res.document, res.events))
                if writer:
                    writer.write(res.events)
                else:
                    shown.extend(res.events)
                if len(batch) >= BATCH:
                    store.write(batch)
                    batch = []
            store.write(batch)
    except BaseException:
        if writer:
            writer.abort()
        raise
    finally:
        bar.close()
    if writer:
        writer.close()
    else:
        print_table(shown)
    if not quiet:
        dt = time.perf_counter() - t0
        click.echo(
            f"{coded} document(s) coded, {failed} failed, {n_events} event(s) in {dt:.1f}s; store: {db}", err=True
        )
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help=".jsonl, .csv, .geojson or .parquet")
def export(db: str, out: str) -> None:
    """Export every event in the store."""
    from .export import Writer, format_for
    from .store import Store

    try:
        format_for(out)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if not Path(db).exists():
        raise click.UsageError(f"{db}: no such store")
    writer = Writer(out)
    with Store(db, read_only=True) as store:
        writer.write(store.events())
    writer.close()
    click.echo(f"{writer.count} event(s) written to {out}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write toponyms as JSONL here (default: stdout).")
@click.option("--index", "index", help="Compiled gazetteer index file (default: the shared cache).")
def places(inputs: tuple[str, ...], out: str | None, index: str | None) -> None:
    """Spot and resolve the place names in INPUT documents, one JSON line per toponym."""
    from .gazetteer import Gazetteer
    from .ingest import iter_documents
    from .places import PlaceResolver, places_records

    resolver = PlaceResolver(Gazetteer.load(path=_index_path(index)))
    failed = 0
    fh = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115 - stdout or a file
    try:
        for doc in iter_documents(list(inputs)):
            if isinstance(doc, DocumentError):
                failed += 1
                _err(str(doc))
                continue
            for rec in places_records(doc.doc_id, doc.text, resolver):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out:
            fh.close()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
