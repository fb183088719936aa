"""The command line: a thin layer over the Python API.

    warcoder code INPUT... [--out FILE] [--db FILE] [--report-date YYYY-MM-DD] [--source NAME]
    warcoder export [--db FILE] --out FILE [--reports]
    warcoder merge [--db FILE] [--sources FILE] [--explain EVENT_ID]
    warcoder places INPUT... --out FILE
    warcoder code INPUT... [--workers N]                        (local engine, N processes)
    warcoder code --engine spark [--master URL] INPUT... --out DIR   (Parquet under DIR)
    warcoder import DIR [--db FILE]
    warcoder watch FEED_URL... [--every 10m] [--db FILE] [--once]
    warcoder serve [--db FILE] [--host 127.0.0.1] [--port 8000] [--allow-ingest] [--token T]
    warcoder control --date YYYY-MM-DD [--country X] [--db FILE] [--out FILE] [--no-front-lines]

Exit codes: 0 every document coded, 1 some document failed, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click
from tqdm import tqdm

from .model import AcledIds, Document, DocumentError, Event

DEFAULT_DB = "warcoder.duckdb"
BATCH = 200
SOURCES_HELP = (
    "Outlet ratings (TSV: outlet, aliases, domains, country, affiliation, note) that extend or override "
    "the built-in table [env: WARCODER_SOURCES]."
)


def _err(msg: str) -> None:
    click.echo(f"error: {msg}", err=True)


def _err_warn(msg: str) -> None:
    click.echo(f"warning: {msg}", err=True)


# The optional extras (pyproject.toml) and the modules each one installs that our code imports.
EXTRAS = {"web": ("fastapi", "starlette", "uvicorn", "pydantic"), "watch": ("feedparser", "protego")}


def _missing_extra(command: str, extra: str, exc: ImportError) -> NoReturn:
    """A command whose extra is not installed: one line saying what to install, and exit 1.
    Any other import error (a module of the extra that is there but broken, our own code) propagates."""
    if (exc.name or "").split(".")[0] not in EXTRAS[extra]:
        raise exc
    _err(f"warcoder {command} needs the {extra} extra: pip install 'warcoder[{extra}]'")
    raise SystemExit(1)


def _index_path(index: str | None) -> Path | None:
    """The compiled gazetteer index: an explicit file, else None: the shared cache ($WARCODER_CACHE or
    ~/.cache/warcoder), so that no run leaves an index in the working directory. A file that is not an index
    of ours (a pickle, anything else) is refused with one line and exit code 2: never read, never replaced."""
    if not index:
        return None
    from .gazetteer import IndexFormatError, is_index_file

    path = Path(index)
    try:
        ours = is_index_file(path)
    except OSError as exc:
        _err(f"{path}: cannot read the gazetteer index ({exc.strerror or exc})")
        raise SystemExit(2) from None
    if not ours:
        _err(str(IndexFormatError(path)))
        raise SystemExit(2)
    return path


def _model_path(model: str | None) -> Path | None:
    """``--model DIR`` checked before any work (the learn extra, then the directory), else None."""
    if model is None:
        return None
    from .cli_learn import check_model_dir

    return check_model_dir(model)


MODEL_OPTION = click.option(
    "--model",
    "model",
    type=click.Path(file_okay=False),
    help="A sub-type model directory from warcoder train, combined with the rules (the learn extra).",
)
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "geojson", "parquet", "gpkg"]),
    help="The output format (default: the --out file's extension; JSONL for --out -).",
)
ACLED_DATES_OPTION = click.option(
    "--acled-dates", "acled_dates", is_flag=True, help="CSV dates as 9-May-20, as ACLED's older files wrote them."
)


def _code_outputs(f: Any) -> Any:
    """``code``'s output and store options: --out, --format, --acled-dates, --db, --no-store."""
    for opt in reversed(
        [
            click.option(
                "--out",
                "out",
                type=click.Path(dir_okay=False, allow_dash=True),
                help="Write events here: .jsonl, .csv, .geojson, .parquet or .gpkg; - for standard output.",
            ),
            FORMAT_OPTION,
            ACLED_DATES_OPTION,
            click.option(
                "--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store (:memory: for none on disk)"
            ),
            click.option(
                "--no-store", "no_store", is_flag=True, help="Code without writing any store (with --out: a filter)."
            ),
        ]
    ):
        f = opt(f)
    return f


class _Main(click.Group):
    """The command group; a store locked by another process is one line and exit 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .store import StoreInUse

        try:
            return super().invoke(ctx)
        except StoreInUse as exc:
            _err(str(exc))
            ctx.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warcoder")
def main() -> None:
    """warcoder: turn war reports into ACLED-style conflict events, offline."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_code_outputs
@click.option("--report-date", "report_date", help="Report date (YYYY-MM-DD) for documents that state none.")
@click.option("--source", "source", help="Source name for documents that do not give one.")
@click.option(
    "--stdin-format",
    "stdin_format",
    type=click.Choice(["text", "html", "jsonl"]),
    help="How to read '-' (default: JSONL when its first line is a JSON object, else HTML or text as sniffed).",
)
@click.option(
    "--skip-existing",
    "skip_existing",
    is_flag=True,
    help="Skip documents whose id and content are already in the store (resume a killed run).",
)
@click.option(
    "--fetch-timeout",
    "fetch_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a URL input may take in all, redirects included.",
)
@click.option("--index", "index", help="Compiled gazetteer index file (default: the shared cache).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@click.option(
    "--workers",
    "workers",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes for the local engine (0: one per CPU). Results are identical for any N.",
)
@click.option(
    "--engine",
    "engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: this machine (--workers); spark: Apache Spark (--master), writes Parquet under --out DIR.",
)
@click.option("--master", "master", help="Spark master URL for --engine spark (default: local[*]).")
@click.option("--sources", "sources", type=click.Path(dir_okay=False), help=SOURCES_HELP)
@MODEL_OPTION
def code(
    inputs: tuple[str, ...],
    out: str | None,
    fmt: str | None,
    acled_dates: bool,
    db: str,
    no_store: bool,
    report_date: str | None,
    source: str | None,
    index: str | None,
    quiet: bool,
    workers: int,
    engine: str,
    master: str | None,
    sources: str | None,
    stdin_format: str | None,
    fetch_timeout: float,
    skip_existing: bool,
    model: str | None,
) -> None:
    """Code INPUT documents (.txt, .html, .jsonl, directories, '-' for stdin, http(s) URLs) into events."""
    from .engine import code_stream, default_workers
    from .export import Writer, print_table
    from .ingest import iter_documents

    index_path = _index_path(index)  # first: a file that is not an index of ours is refused before any work
    model_path = _model_path(model)
    if engine == "spark":
        _code_spark(inputs, out, report_date, source, index, quiet, master, model_path)
        return
    if master:
        raise click.UsageError("--master needs --engine spark")
    workers = workers or default_workers()
    _check_code_options(out, fmt, report_date, sources)
    if no_store and skip_existing:
        raise click.UsageError("--skip-existing needs a store (drop --no-store)")
    t0 = time.perf_counter()
    # the coder (or the worker pool) first: workers fork before any store or progress-bar thread exists
    docs = iter_documents(list(inputs), source=source, stdin_format=stdin_format, fetch_deadline=fetch_timeout)
    skipped: list[str] = []
    if skip_existing:
        docs = _unstored(docs, _stored_hashes(db), skipped)
    results = code_stream(
        docs,
        workers=workers,
        report_date=report_date,
        index_path=index_path,
        model_path=model_path,
    )
    writer = Writer(out, fmt=fmt, acled_dates=acled_dates) if out else None
    shown: list[Event] = []
    bar = _progress(inputs, quiet)
    store_at = None if no_store else db
    try:
        coded, failed, n_events, replaced = _store_results(results, store_at, sources, writer, shown, bar)
    except BaseException:
        if writer:
            writer.abort()
        raise
    finally:
        bar.close()
        close = getattr(results, "close", None)
        if close is not None:
            close()
    if writer:
        writer.close()
    else:
        print_table(shown)
    counts = f"{coded} document(s) coded, {failed} failed, {n_events} event(s)"
    _summary(quiet, replaced, len(skipped), counts, t0, store_at or "none (--no-store)")
    sys.exit(1 if failed else 0)


def _check_out(out: str | None, fmt: str | None) -> None:
    """A usage error for an --out (and --format) that names no format we write."""
    from .export import format_for

    if fmt and not out:
        raise click.UsageError("--format needs --out (a file, or - for standard output)")
    if out:
        try:
            format_for(out, fmt=fmt)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None


def _check_code_options(out: str | None, fmt: str | None, report_date: str | None, sources: str | None) -> None:
    """Usage errors before any work starts; a bad --report-date only warns (dated documents still code)."""
    _check_sources(sources)
    _check_out(out, fmt)
    if report_date:
        from .dates import parse_iso

        try:
            parse_iso(report_date)
        except ValueError as exc:
            # documents with their own date are still coded; the others fail, each named
            _err(f"--report-date: {exc}; documents without a date of their own will fail")


def _summary(quiet: bool, replaced: int, skipped: int, counts: str, t0: float, db: str) -> None:
    """The lines a code run ends with, on stderr: replaced documents always, the rest unless quiet."""
    if replaced:
        _err_warn(f"replaced {replaced} document(s): their ids were stored with other content")
    if quiet:
        return
    if skipped:
        click.echo(f"skipped {skipped} document(s) already stored", err=True)
    click.echo(f"{counts} in {time.perf_counter() - t0:.1f}s; store: {db}", err=True)


def _progress(inputs: tuple[str, ...], quiet: bool) -> Any:
    """A progress bar on a terminal (with the document count for an ETA), else a silent one."""
    from .engine import count_documents

    show_bar = not quiet and sys.stderr.isatty()
    return tqdm(
        total=count_documents(inputs) if show_bar else None,
        unit="doc",
        disable=not show_bar,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def _store_results(
    results: Any, db: str | None, sources: str | None, writer: Any, shown: list[Event], bar: Any
) -> tuple[int, int, int, int]:
    """Store coded documents in batches (written and merged; no store when ``db`` is None), report errors
    and warnings one line each, stream the events to ``writer`` (or keep them in ``shown``);
    (coded, failed, events, replaced)."""
    from contextlib import nullcontext

    from .store import Store

    failed = coded = n_events = 0
    batch: list[tuple[Document, list[Event]]] = []
    with Store(db) if db is not None else nullcontext(_NoStore()) as store:
        for res in results:
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
            if len(batch) >= BATCH:
                _write_batch(store, batch, sources, writer, shown)
                batch = []
        _write_batch(store, batch, sources, writer, shown)
        replaced = store.replaced
    return coded, failed, n_events, replaced


def _write_batch(
    store: Any, batch: list[tuple[Document, list[Event]]], sources: str | None, writer: Any, shown: list[Event]
) -> None:
    """Store a batch, then hand its events, with the ACLED numbers the store gave them, to the output."""
    store.write_coded(batch, sources=sources)
    events = [ev for _, evs in batch for ev in evs]
    ids = store.acled_ids([ev.event_id for ev in events])
    for ev in events:
        ev.ids = ids.get(ev.event_id)
    if writer:
        writer.write(events)
    else:
        shown.extend(events)


class _NoStore:
    """What ``code --no-store`` writes to: nothing.  Its ACLED numbers count this run's events per country."""

    replaced = 0

    def __init__(self) -> None:
        self._ids: dict[str, AcledIds] = {}
        self._per_country: dict[str, int] = {}
        self._batch: list[Event] = []

    def write_coded(self, batch: list[tuple[Document, list[Event]]], sources: str | None = None) -> int:
        self._batch = [ev for _, evs in batch for ev in evs]
        return 0

    def acled_ids(self, event_ids: list[str]) -> dict[str, AcledIds]:
        from .acled import country_codes

        now = int(time.time())
        for ev in self._batch:
            if ev.event_id not in self._ids:
                iso3 = country_codes(ev.country)[1] or "XXX"
                self._per_country[iso3] = self._per_country.get(iso3, 0) + 1
                self._ids[ev.event_id] = AcledIds(self._per_country[iso3], len(self._ids) + 1, now)
        return {e: self._ids[e] for e in event_ids if e in self._ids}


def _stored_hashes(db: str) -> set[tuple[str, str]]:
    """(id, content hash) of the store's documents, read before any worker starts or the store opens to write."""
    from .store import Store

    if db == ":memory:" or not Path(db).exists():
        return set()
    with Store(db, read_only=True) as store:
        return store.stored_hashes()


def _unstored(docs: Any, stored: set[tuple[str, str]], skipped: list[str]) -> Any:
    """The documents whose (id, content) the store does not hold yet; the others' ids go to ``skipped``."""
    for doc in docs:
        if isinstance(doc, Document) and (doc.doc_id, doc.sha1()) in stored:
            skipped.append(doc.doc_id)
            continue
        yield doc


def _check_sources(sources: str | None) -> None:
    """A bad --sources table (or $WARCODER_SOURCES) is a usage error before any work starts."""
    from .merge import SourceTable

    try:
        SourceTable(sources)
    except (OSError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None


def _code_spark(
    inputs: tuple[str, ...],
    out: str | None,
    report_date: str | None,
    source: str | None,
    index: str | None,
    quiet: bool,
    master: str | None,
    model_path: Path | None = None,
) -> None:
    """``code --engine spark``: events as Parquet under --out DIR, failed documents in DIR/errors."""
    if not out:
        raise click.UsageError("--engine spark needs --out DIR")
    from .spark import SparkInputError, run_spark

    try:
        summary = run_spark(
            list(inputs),
            out,
            master=master,
            report_date=report_date,
            source=source,
            index_path=index,
            model_path=str(model_path) if model_path else None,
        )
    except FileNotFoundError as exc:
        _err(str(exc))
        sys.exit(1)
    except SparkInputError as exc:
        raise click.UsageError(str(exc)) from None
    if not quiet:
        click.echo(
            f"{summary.coded} document(s) coded, {summary.failed} failed, {summary.events} event(s) "
            f"in {summary.seconds:.1f}s; output: {out}",
            err=True,
        )
    sys.exit(1 if summary.failed else 0)


@main.command(name="import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
def import_(directory: str, db: str) -> None:
    """Load the Parquet output of `code --engine spark --out DIRECTORY` into the store."""
    from .spark import import_output

    docs, events = import_output(directory, db)
    from .store import Store

    with Store(db) as store:
        merged = store.merge_pending()  # every event not merged yet
    click.echo(
        f"{docs} document(s), {events} event(s) imported into {db}; {merged.reports} report event(s) merged",
        err=True,
    )


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", "every", default="10m", show_default=True, help="Poll interval: 30s, 10m, 1h.")
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
@click.option("--once", is_flag=True, help="Run one poll cycle and exit.")
@click.option("--index", "index", help="Compiled gazetteer index file (default: the shared cache).")
@click.option("--report-date", "report_date", help="Report date (YYYY-MM-DD) for articles that state none.")
def watch(feeds: tuple[str, ...], every: str, db: str, once: bool, index: str | None, report_date: str | None) -> None:
    """Poll RSS/Atom FEEDS; fetch, code and store each new article once."""
    try:
        import feedparser  # noqa: F401 - watch.py imports it when it parses a feed; check it is there first

        from .watch import Watcher, parse_interval
    except ImportError as exc:
        _missing_extra("watch", "watch", exc)

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    watcher = Watcher(list(feeds), db, index_path=_index_path(index), report_date=report_date)
    failed = watcher.run(interval=interval, once=once)
    sys.exit(1 if failed and once else 0)


def _export_corrections(db: str, out: str, other_options: bool) -> None:
    """``export --corrections``: one JSON line per corrected event (warcoder.corrections.training_rows)."""
    import json
    import os

    from .corrections import training_rows
    from .store import Store

    if other_options:
        raise click.UsageError("--corrections writes JSONL training data: drop --reports and --format")
    if out != "-" and not out.endswith((".jsonl", ".ndjson")):
        raise click.UsageError(f"--corrections writes JSONL: name the --out file .jsonl (not {out})")
    with Store(db, read_only=True) as store:
        rows = [json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in training_rows(store.con)]
    if out == "-":
        sys.stdout.write("".join(rows))
    else:
        tmp = Path(out).with_name(f".{Path(out).name}.{os.getpid()}.tmp")
        tmp.write_text("".join(rows), encoding="utf-8")
        os.replace(tmp, out)
    click.echo(f"{len(rows)} corrected event(s) written to {out}", err=True)


@main.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help=".jsonl, .csv, .geojson, .parquet or .gpkg; - for standard output",
)
@FORMAT_OPTION
@ACLED_DATES_OPTION
@click.option("--reports", is_flag=True, help="Export the per-report events instead of the merged canonical events.")
@click.option("--sources", "sources", type=click.Path(dir_okay=False), help=SOURCES_HELP + " Used if a merge is due.")
@click.option(
    "--corrections", "fixes", is_flag=True, help="Export analysts' corrected events as training data (JSONL)."
)
def export(
    db: str, out: str, fmt: str | None, acled_dates: bool, reports: bool, sources: str | None, fixes: bool
) -> None:
    """Export the store's canonical events (each report merged in), or with --reports every report's events,
    or with --corrections the corrected events as training data for warcoder train."""
    from .export import Writer
    from .merge import CANONICAL_EXTRA_COLUMNS, canonical_events, merge_documents, merge_state
    from .store import Store

    if not Path(db).exists():
        raise click.UsageError(f"{db}: no such store")
    if fixes:
        _export_corrections(db, out, reports or fmt is not None)
        return
    _check_out(out, fmt)
    if not reports:
        _check_sources(sources)
    if reports:
        writer = Writer(out, fmt=fmt, acled_dates=acled_dates)
        with Store(db, read_only=True) as store:
            writer.write(store.events())
        writer.close()
        click.echo(f"{writer.count} report event(s) written to {out}", err=True)
        return
    with Store(db, read_only=True) as store:
        due = merge_state(store.con)
    if due:  # events stored without a merge (an import, an interrupted run): merge them first
        with Store(db) as store:
            s = merge_documents(store, [], sources=sources)
        click.echo(f"{due}: merged {s.reports} report event(s) first", err=True)
    writer = Writer(out, extra_columns=CANONICAL_EXTRA_COLUMNS, fmt=fmt, acled_dates=acled_dates)
    with Store(db, read_only=True) as store:
        writer.write(canonical_events(store.con))
    writer.close()
    click.echo(f"{writer.count} canonical event(s) written to {out}", err=True)


@main.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store.")
@click.option("--sources", "sources", type=click.Path(dir_okay=False), help=SOURCES_HELP)
@click.option("--explain", "explain", metavar="EVENT_ID", help="Show why a report or canonical event was merged.")
def merge(db: str, sources: str | None, explain: str | None) -> None:
    """Re-merge every report in the store into canonical events, or --explain one merge."""
    from .merge import explain as explain_merge
    from .merge import merge_all
    from .store import Store

    if not Path(db).exists():
        raise click.UsageError(f"{db}: no such store")
    _check_sources(sources)
    if explain:
        with Store(db, read_only=True) as store:
            try:
                click.echo(explain_merge(store, explain, sources=sources), nl=False)
            except LookupError as exc:
                _err(str(exc))
                sys.exit(1)
        return
    try:
        with Store(db) as store:
            s = merge_all(store, sources=sources)
    except (FileNotFoundError, ValueError) as exc:
        _err(str(exc))
        sys.exit(1)
    click.echo(
        f"{s.reports} report event(s) -> {s.canonical} canonical event(s) in {s.seconds:.1f}s "
        f"({100 * s.duplicate_rate:.1f}% of report rows were duplicates); {s.multi_source} with multiple "
        f"independent sources, {s.partisan_only} reported by partisan outlets only",
        err=True,
    )


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="Write toponyms as JSONL here (default, or -: stdout)."
)
@click.option("--index", "index", help="Compiled gazetteer index file (default: the shared cache).")
def places(inputs: tuple[str, ...], out: str | None, index: str | None) -> None:
    """Spot and resolve the place names in INPUT documents, one JSON line per toponym."""
    from .gazetteer import Gazetteer
    from .ingest import iter_documents
    from .places import PlaceResolver, places_records

    resolver = PlaceResolver(Gazetteer.load(path=_index_path(index)))
    failed = 0
    out = None if out == "-" else out  # "-": standard output, as when --out is not given
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


@main.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store (opened read-only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (default: localhost only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/documents (opens the store read-write).")
@click.option("--token", envvar="WARCODER_TOKEN", help="Bearer token for POST /api/documents [env: WARCODER_TOKEN].")
@click.option("--cors-origin", "cors_origins", multiple=True, help="Send CORS headers for this origin (repeatable).")
@click.option("--tile-url", help="Optional online tile layer, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.")
@click.option("--tile-attribution", default="", help="Attribution shown for --tile-url.")
def serve(
    db: str,
    host: str,
    port: int,
    allow_ingest: bool,
    token: str | None,
    cors_origins: tuple[str, ...],
    tile_url: str | None,
    tile_attribution: str,
) -> None:
    """Serve the map page and the HTTP API (OpenAPI at /openapi.json) over the store."""
    try:
        import uvicorn

        from .web import create_app
    except ImportError as exc:
        _missing_extra("serve", "web", exc)

    if allow_ingest and not token:
        raise click.UsageError("--allow-ingest needs --token or WARCODER_TOKEN")
    if not allow_ingest and not Path(db).exists():
        raise click.UsageError(f"{db}: no such store")
    loopback = host in ("127.0.0.1", "localhost", "::1")
    try:
        app = create_app(
            db,
            allow_ingest=allow_ingest,
            token=token,
            cors_origins=list(cors_origins),
            tile_url=tile_url,
            tile_attribution=tile_attribution,
            trusted_hosts=["localhost", "127.0.0.1", "[::1]", "::1"] if loopback else None,
        )
    except Exception as exc:  # a locked, corrupt or foreign database file
        raise click.UsageError(f"{db}: {exc}") from None
    click.echo(f"serving {db} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


@main.command()
@click.option("--date", "as_of", required=True, help="Who controls each place as of this date (YYYY-MM-DD).")
@click.option("--country", "country", help="Only this country's places (case-insensitive).")
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, help="The DuckDB store (opened read-only).")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="Write .geojson, .csv or .jsonl (default: a table)."
)
@click.option(
    "--front-lines/--no-front-lines",
    "fronts",
    default=True,
    show_default=True,
    help="Also list the settlements of known front lines (data/frontlines.yaml) that no report covers.",
)
@click.option("--index", "index", type=click.Path(dir_okay=False), help="Gazetteer index file (for --front-lines).")
def control(as_of: str, country: str | None, db: str, out: str | None, fronts: bool, index: str | None) -> None:
    """Territorial control as of a date, from the territory events in the store (and known front lines)."""
    from datetime import date as _date

    from .control import OUT_FORMATS, control_at, print_control, territory_events, write_control
    from .export import format_for
    from .store import Store

    try:
        day = _date.fromisoformat(as_of)
    except ValueError:
        _err(f"--date: {as_of!r} is not a valid date (YYYY-MM-DD)")
        sys.exit(2)
    if out:
        try:
            format_for(out, OUT_FORMATS)
        except ValueError as exc:
            _err(f"--out: {exc}")
            sys.exit(2)
    if not Path(db).exists():
        _err(f"{db}: no such store")
        sys.exit(2)
    with Store(db, read_only=True) as store:
        rows = control_at(territory_events(store.con, country), day, country)
    if fronts:
        from .control import with_front_lines
        from .frontlines import FrontLines
        from .gazetteer import Gazetteer

        lines = FrontLines(Gazetteer.load(path=_index_path(index)))
        rows = with_front_lines(rows, lines, day, country)
    if out:
        write_control(rows, out, day.isoformat())
        click.echo(f"{len(rows)} place(s) written to {out}", err=True)
    else:
        print_control(rows)


from .cli_gazetteer import gazetteer as _gazetteer  # noqa: E402 - registered after the core commands
from .cli_learn import train as _train  # noqa: E402

main.add_command(_gazetteer)
main.add_command(_train)

if __name__ == "__main__":  # pragma: no cover
    main()
