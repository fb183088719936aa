"""The Spark engine: ``warcoder code --engine spark [--master URL] INPUT... --out DIR``.

Input is JSONL (one document a line, as for the local engine) or Parquet (columns ``id``,
``text`` or ``html``, ``published``, ``source``, ``url``, ``title``) on any path Spark can read
(local paths, ``file:``, ``hdfs:``, ``s3a:`` ...); directories are walked for ``*.jsonl`` and
``*.parquet`` files.  Each JSONL line keeps its line number (``zipWithIndex`` per file), so a
record without an ``id`` gets the same ``<file stem>:<line>`` id as with the local engine.

Documents are coded in ``mapPartitions``: the Coder is built once per Python worker process
(a module-level cache; Spark reuses Python workers between tasks), never per document.  Each
document gives one row (its metadata, comments and events, or its error); the rows are persisted
to disk once and written as:

* ``DIR/events/country=<country>/month=<YYYY-MM>/part-*.parquet``: one row per event, every
  ``Event`` field (``evidence`` as a list of ``{start, end, text}``) plus ``event_seq`` (the
  event's position in its document); ``country`` and ``month`` are partition columns.
* ``DIR/documents/part-*.parquet``: the coded documents (text, offsets, dates, comments...).
* ``DIR/errors/part-*.parquet``: ``doc_id`` (when known), ``document`` (how errors name it)
  and ``reason``, for every document that could not be coded; the job goes on without them.

:func:`import_output` (``warcoder import DIR --db FILE``) loads that output into the DuckDB store
through :meth:`warcoder.store.Store.write`, so the store rows are the same as a local run's.
"""

from __future__ import annotations

import json
import os
import posixpath
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Comment, Document, DocumentError, Event, Span

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

__all__ = [
    "EVENT_FIELDS",
    "SparkInputError",
    "SparkSummary",
    "import_output",
    "read_events",
    "run_spark",
    "spark_session",
]

EVENT_FIELDS: list[str] = [f for f in Event.__dataclass_fields__ if f not in ("evidence", "ids")]


class SparkInputError(ValueError):
    """An input the Spark engine cannot read (not JSONL or Parquet)."""


@dataclass
class SparkSummary:
    coded: int
    failed: int
    events: int
    seconds: float


# ----------------------------------------------------------------------------- session


def spark_session(master: str | None = None, app_name: str = "warcoder") -> SparkSession:
    """A SparkSession (an existing one is reused); Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*", category=FutureWarning)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
    )
    if master and master.startswith("local"):
        # a local master needs no network: keep the driver on the loopback interface
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    if master:
        builder = builder.master(master)
    elif not os.environ.get("MASTER") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# ----------------------------------------------------------------------------- schema


def _schemas() -> tuple[Any, Any]:
    from pyspark.sql import types as T

    span = T.StructType(
        [
            T.StructField("start", T.LongType()),
            T.StructField("end", T.LongType()),
            T.StructField("text", T.StringType()),
        ]
    )
    ints = {
        "time_precision",
        "inter1",
        "inter2",
        "geo_precision",
        "fatalities",
        "fatalities_low",
        "fatalities_high",
        "article_rank",
    }
    floats = {"latitude", "longitude", "confidence", "model_prob"}
    fields = []
    for f in EVENT_FIELDS:
        if f in ints:
            t: Any = T.IntegerType()
        elif f in floats:
            t = T.DoubleType()
        elif f == "hedged":
            t = T.BooleanType()
        else:
            t = T.StringType()
        fields.append(T.StructField(f, t))
    fields.append(T.StructField("evidence", T.ArrayType(span)))
    event = T.StructType(fields)
    comment = T.StructType(
        [
            T.StructField("author", T.StringType()),
            T.StructField("text", T.StringType()),
            T.StructField("start", T.IntegerType()),
            T.StructField("end", T.IntegerType()),
        ]
    )
    row = T.StructType(
        [
            T.StructField("doc_id", T.StringType()),
            T.StructField("document", T.StringType()),
            T.StructField("reason", T.StringType()),
            T.StructField("origin", T.StringType()),
            T.StructField("source", T.StringType()),
            T.StructField("url", T.StringType()),
            T.StructField("title", T.StringType()),
            T.StructField("published", T.DateType()),
            T.StructField("report_date", T.DateType()),
            T.StructField("text", T.StringType()),
            T.StructField("body_start", T.IntegerType()),
            T.StructField("body_end", T.IntegerType()),
            T.StructField("sha1", T.StringType()),
            T.StructField("warnings", T.ArrayType(T.StringType())),
            T.StructField("comments", T.ArrayType(comment)),
            T.StructField("events", T.ArrayType(event)),
        ]
    )
    return row, event


# ----------------------------------------------------------------------------- worker side


def _coder(index_path: str | None, model_path: str | None = None) -> Any:
    """The Coder of this Python worker process, built on first use."""
    from .engine import shared_coder

    return shared_coder(index_path, model_path)


def _display_path(path: str) -> str:
    """A ``file:`` URI as a local path (relative to the working directory when under it)."""
    if not path.startswith("file:"):
        return path
    local = path[len("file:") :]
    while local.startswith("//"):
        local = local[1:]
    try:
        rel = os.path.relpath(local)
    except ValueError:  # pragma: no cover - another drive
        return local
    return local if rel.startswith("..") else rel


def _stem(path: str) -> str:
    name = posixpath.basename(path.rstrip("/"))
    return name.rsplit(".", 1)[0] if "." in name else name


def _record_line(payload: Any) -> bytes:
    """A JSONL line (str) or a Parquet row (dict) as the bytes of one JSONL line."""
    if isinstance(payload, str):
        return payload.encode("utf-8")
    rec = {}
    for k, v in payload.items():
        if v is None:
            continue
        rec[k] = v.isoformat() if isinstance(v, date) else v
    return json.dumps(rec, ensure_ascii=False, default=str).encode("utf-8")


def _json_id(line: bytes) -> str | None:
    try:
        rec = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    v = rec.get("id") if isinstance(rec, dict) else None
    return str(v) if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip() else None


def _error_row(doc_id: str | None, err: DocumentError) -> tuple[Any, ...]:
    return (doc_id, err.doc, err.reason, None, None, None, None, None, None, None, None, None, None, None, [], [])


def _event_row(ev: Event) -> tuple[Any, ...]:
    d = ev.to_dict()
    vals = [d[f] for f in EVENT_FIELDS]
    vals.append([(s.start, s.end, s.text) for s in ev.evidence])
    return tuple(vals)


def code_partition(
    rows: Iterable[tuple[str, int, Any]],
    report_date: str | None = None,
    source: str | None = None,
    index_path: str | None = None,
    model_path: str | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Code one partition of ``(path, line number, JSONL line or Parquet row)``: one row per document."""
    from . import ingest

    coder = _coder(index_path, model_path)
    for path, lineno, payload in rows:
        shown = _display_path(path)
        origin = f"{shown}:{lineno}"
        line = _record_line(payload)
        if not line.strip():
            continue
        if len(line) > ingest.MAX_BYTES:
            yield _error_row(None, DocumentError(origin, f"line too large (over {ingest.MAX_BYTES:,} bytes)"))
            continue
        doc = ingest._guard(origin, ingest._jsonl_record, line, _stem(path), lineno, origin, source)
        if isinstance(doc, DocumentError):
            yield _error_row(_json_id(line), doc)
            continue
        try:
            events = coder.code_document(doc, report_date=report_date)
        except DocumentError as exc:
            yield _error_row(doc.doc_id, exc)
            continue
        yield (
            doc.doc_id,
            doc.name,
            None,
            doc.origin,
            doc.source,
            doc.url,
            doc.title,
            doc.published,
            doc.report_date,
            doc.text,
            doc.body_start,
            doc.body_end,
            doc.sha1(),
            list(doc.warnings),
            [(c.author, c.text, c.start, c.end) for c in doc.comments],
            [_event_row(e) for e in events],
        )


# ----------------------------------------------------------------------------- driver side


def _list_files(spark: SparkSession, inputs: list[str]) -> list[tuple[str, str]]:
    """``(uri, kind)`` for every JSONL / Parquet file under ``inputs``, through Hadoop's FileSystem."""
    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
    out: list[tuple[str, str]] = []

    def kind(name: str) -> str | None:
        low = name.lower()
        if low.endswith((".jsonl", ".ndjson")):
            return "jsonl"
        if low.endswith(".parquet"):
            return "parquet"
        return None

    for inp in inputs:
        if "://" not in inp and not inp.startswith("file:"):
            inp = Path(inp).resolve().as_uri()
        p = jvm.org.apache.hadoop.fs.Path(inp)
        fs = p.getFileSystem(conf)
        statuses = fs.globStatus(p)
        if not statuses:
            raise FileNotFoundError(f"{inp}: no such file or directory")
        for st in statuses:
            if st.isDirectory():
                found = []
                it = fs.listFiles(st.getPath(), True)
                while it.hasNext():
                    f = it.next()
                    path = f.getPath()
                    rel = str(path.toUri().getPath())[len(str(st.getPath().toUri().getPath())) :]
                    if any(part.startswith((".", "_")) for part in rel.split("/") if part):
                        continue
                    k = kind(path.getName())
                    if k:
                        found.append((str(path), k))
                out.extend(sorted(found))
            else:
                path = st.getPath()
                k = kind(path.getName())
                if k is None:
                    raise SparkInputError(f"{inp}: the Spark engine reads .jsonl or .parquet files or directories")
                out.append((str(path), k))
    return out


def _input_rdd(spark: SparkSession, files: list[tuple[str, str]]) -> Any:
    """One RDD of ``(path, line number, JSONL line | Parquet row dict)`` over all input files."""
    sc = spark.sparkContext
    parts = max(2, sc.defaultParallelism * 2)
    rdds = []
    cols = ["id", "text", "html", "published", "source", "url", "title"]
    for path, k in files:
        if k == "jsonl":
            rdd = sc.textFile(path, minPartitions=parts)
            rdds.append(rdd.zipWithIndex().map(lambda t, p=path: (p, t[1] + 1, t[0])))
        else:
            df = spark.read.parquet(path)
            keep = [c for c in cols if c in df.columns]
            rows = df.select(*keep).rdd.zipWithIndex()
            rdds.append(rows.map(lambda t, p=path: (p, t[1] + 1, t[0].asDict())))
    if not rdds:
        return sc.emptyRDD()
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


def run_spark(
    inputs: list[str],
    out_dir: str,
    *,
    master: str | None = None,
    report_date: str | None = None,
    source: str | None = None,
    index_path: str | None = None,
    model_path: str | None = None,
    spark: SparkSession | None = None,
) -> SparkSummary:
    """Code ``inputs`` with Spark and write events, documents and errors as Parquet under ``out_dir``."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    t0 = time.perf_counter()
    own = spark is None
    session = spark or spark_session(master)
    try:
        row_schema, _ = _schemas()
        if session.sparkContext.master.startswith("local"):
            from .engine import ensure_index

            ensure_index(index_path)  # compile a missing index once, not once per Python worker
        files = _list_files(session, inputs)
        rdd = _input_rdd(session, files)
        rd, src, idx = report_date, source, str(index_path) if index_path else None
        mdl = str(Path(model_path).resolve()) if model_path else None
        coded = rdd.mapPartitions(lambda rows: code_partition(rows, rd, src, idx, mdl))
        df = session.createDataFrame(coded, row_schema, verifySchema=False).persist(StorageLevel.DISK_ONLY)
        try:
            counts = df.agg(
                F.count_if(F.col("reason").isNull()).alias("coded"),
                F.count_if(F.col("reason").isNotNull()).alias("failed"),
                F.coalesce(F.sum(F.size("events")), F.lit(0)).alias("events"),
            ).first()
            assert counts is not None
            base = out_dir.rstrip("/")
            ok = df.where(F.col("reason").isNull())
            events = (
                ok.select(F.posexplode("events").alias("event_seq", "e"))
                .select("e.*", "event_seq")
                .withColumn("month", F.substring("event_date", 1, 7))
            )
            (
                events.repartition("country", "month")
                .write.mode("overwrite")
                .partitionBy("country", "month")
                .parquet(f"{base}/events")
            )
            (
                ok.withColumn("n_events", F.size("events"))
                .drop("document", "reason", "events")
                .write.mode("overwrite")
                .parquet(f"{base}/documents")
            )
            (
                df.where(F.col("reason").isNotNull())
                .select("doc_id", "document", "reason")
                .coalesce(1)
                .write.mode("overwrite")
                .parquet(f"{base}/errors")
            )
        finally:
            df.unpersist()
        return SparkSummary(
            coded=int(counts["coded"]),
            failed=int(counts["failed"]),
            events=int(counts["events"]),
            seconds=time.perf_counter() - t0,
        )
    finally:
        if own:
            session.stop()


# ----------------------------------------------------------------------------- reading the output


def _dataset(path: Path, partitioned: bool = False) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    part = None
    if partitioned:
        part = ds.partitioning(pa.schema([("country", pa.string()), ("month", pa.string())]), flavor="hive")
    return ds.dataset(str(path), format="parquet", partitioning=part, exclude_invalid_files=True)


def read_events(out_dir: str | Path) -> Iterator[tuple[int, Event]]:
    """``(event_seq, Event)`` for every event under ``out_dir/events``."""
    path = Path(out_dir) / "events"
    if not path.exists():
        return
    for batch in _dataset(path, partitioned=True).to_batches():
        for rec in batch.to_pylist():
            rec["country"] = rec.get("country") or ""
            seq = int(rec.pop("event_seq", 0) or 0)
            rec.pop("month", None)
            ev = Event.from_dict(rec)
            ev.evidence = [Span(int(s["start"]), int(s["end"]), s["text"]) for s in rec.get("evidence") or []]
            yield seq, ev


def read_errors(out_dir: str | Path) -> list[dict[str, Any]]:
    path = Path(out_dir) / "errors"
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = _dataset(path).to_table().to_pylist()
    return rows


def _documents(out_dir: Path) -> Iterator[Document]:
    path = out_dir / "documents"
    if not path.exists():
        return
    for batch in _dataset(path).to_batches(batch_size=1000):
        for r in batch.to_pylist():
            yield Document(
                doc_id=r["doc_id"],
                text=r.get("text") or "",
                body_start=r.get("body_start") or 0,
                body_end=r.get("body_end"),
                comments=[
                    Comment(text=c["text"], author=c.get("author"), start=c.get("start"), end=c.get("end"))
                    for c in r.get("comments") or []
                ],
                title=r.get("title"),
                published=r.get("published"),
                source=r.get("source"),
                url=r.get("url"),
                origin=r.get("origin"),
                warnings=list(r.get("warnings") or []),
                report_date=r.get("report_date"),
            )


def import_output(out_dir: str | Path, db: str | Path, batch_size: int = 200) -> tuple[int, int]:
    """Load ``out_dir`` (the Spark engine's output) into the store ``db``: (documents, events) written.

    Events keep their order within a document (``event_seq``).  An event whose document is not
    in ``out_dir/documents`` gets a document row with what the event knows (id, source, URL).
    """
    from .store import Store

    out = Path(out_dir)
    by_doc: dict[str, list[tuple[int, Event]]] = {}
    for seq, ev in read_events(out):
        by_doc.setdefault(ev.doc_id, []).append((seq, ev))
    n_docs = n_events = 0
    with Store(db) as store:
        batch: list[tuple[Document, list[Event]]] = []

        def flush() -> None:
            nonlocal batch
            store.write_coded(batch, merge=False)  # `warcoder import` merges once at the end
            batch = []

        for doc in _documents(out):
            evs = [e for _, e in sorted(by_doc.pop(doc.doc_id, []), key=lambda t: t[0])]
            batch.append((doc, evs))
            n_docs += 1
            n_events += len(evs)
            if len(batch) >= batch_size:
                flush()
        for doc_id, items in by_doc.items():  # events without a document row
            evs = [e for _, e in sorted(items, key=lambda t: t[0])]
            batch.append((Document(doc_id=doc_id, text="", source=evs[0].source, url=evs[0].source_url), evs))
            n_docs += 1
            n_events += len(evs)
            if len(batch) >= batch_size:
                flush()
        flush()
    return n_docs, n_events
