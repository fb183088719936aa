"""The local engine: code a stream of documents with one process or a pool of N worker processes.

    from warcoder.engine import code_stream
    for res in code_stream(iter_documents(["dev.jsonl"]), workers=2):
        ...  # CodedDocument(document, events, error), in input order

With ``workers > 1`` each worker process builds its own :class:`~warcoder.coder.Coder` once, in
the pool initializer (about 0.3 s from the warm index cache).  The parent reads documents from the
iterable and submits them in chunks (``chunksize``) to a ``ProcessPoolExecutor``; at most
``max_inflight`` documents are read ahead of the results handed out, so memory stays bounded
however long the input is.  Results are handed out in input order (a window of futures, oldest
first), so the output is identical to ``workers=1``: same events, same ids, same order.  A worker
that dies raises ``BrokenProcessPool`` instead of hanging the run.

Only what the coder computes travels back from a worker: the events, the report date and the
warnings that coding added.  The parent keeps the Document it sent and completes it, so the
document text crosses the process boundary once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from .coder import CodedDocument, Coder
from .model import Document, DocumentError, Event

__all__ = ["code_stream", "count_documents", "default_workers", "WorkerResult"]

# what a worker sends back for one document:
#   ("ok", report_date, new_warnings, events) | ("error", doc, reason) | ("skip",)
WorkerResult = tuple[Any, ...]

_CODER: Coder | None = None
_REPORT_DATE: str | date | None = None
_SHARED: dict[str, Coder] = {}


def shared_coder(index_path: str | Path | None = None, model_path: str | Path | None = None) -> Coder:
    """The one Coder of this process for a gazetteer index (and a sub-type model), built on first use.

    Every driver (the local pool's workers, Spark's Python workers, watch, the web app) codes
    through it, so a process loads the index, the model and the rules once.
    """
    key = f"{index_path or ''}|{model_path or ''}"
    if key not in _SHARED:
        _SHARED[key] = Coder(index_path=Path(index_path) if index_path else None, model=model_path or None)
    return _SHARED[key]


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(index_path: str | None, report_date: str | date | None, model_path: str | None = None) -> None:
    """Pool initializer: load the coder once per worker process."""
    global _CODER, _REPORT_DATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the pool
    _CODER = shared_coder(index_path, model_path)
    _REPORT_DATE = report_date


def _code_one(doc: Document | None) -> WorkerResult:
    """Worker side: code one document (None stands for an ingest error, which the parent keeps)."""
    if doc is None:
        return ("skip",)
    assert _CODER is not None, "worker not initialised"
    n_warn = len(doc.warnings)
    try:
        events = _CODER.code_document(doc, report_date=_REPORT_DATE)
    except DocumentError as exc:  # exceptions with custom __init__ do not pickle: send the parts
        return ("error", exc.doc, exc.reason)
    return ("ok", doc.report_date, doc.warnings[n_warn:], events)


def _merge(item: Document | DocumentError, res: WorkerResult) -> CodedDocument:
    """Parent side: complete the document that was sent with what the worker computed."""
    if isinstance(item, DocumentError):
        return CodedDocument(None, [], item)
    if res[0] == "error":
        return CodedDocument(None, [], DocumentError(res[1], res[2]))
    _, report_date, warnings, events = res
    item.report_date = report_date
    item.warnings.extend(warnings)
    evs: list[Event] = events
    return CodedDocument(item, evs)


def _warm_index(index_path: str | None) -> None:
    from .gazetteer import Gazetteer

    Gazetteer.load(path=Path(index_path) if index_path else None)


def ensure_index(index_path: str | Path | None) -> None:
    """Compile a missing gazetteer index once, in a child process, before the workers start.

    Otherwise every worker would compile it at the same time (about 20 s and 1 GB each).  The
    child exits afterwards, so the parent's memory stays small.
    """
    try:
        if index_path is not None:
            missing = not Path(index_path).exists()
        else:
            from .gazetteer import cached_index, default_cache_dir, sources_hash

            missing = not cached_index(default_cache_dir(), sources_hash()).exists()
    except Exception:  # noqa: BLE001 - only an optimisation: the workers compile it themselves
        return
    if missing:
        proc = mp.get_context("spawn").Process(
            target=_warm_index, args=(str(index_path) if index_path else None,), name="warcoder-index"
        )
        proc.start()
        proc.join()


def _context() -> mp.context.BaseContext:
    """'fork' where it exists (Linux: workers start in milliseconds), else 'spawn'.

    The pool is created before the caller opens the store or starts a progress bar, so no
    DuckDB or tqdm thread exists in the parent when it forks.
    """
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def count_documents(inputs: Iterable[str]) -> int | None:
    """A quick count of the documents ``inputs`` name (for a progress bar's ETA), or None.

    Files count 1, JSONL files their non-blank lines, directories the files ingest would walk;
    stdin and URLs count 1 each.  Unreadable inputs are skipped (ingest reports them).
    """
    total = 0
    for inp in inputs:
        if inp == "-" or "://" in inp:
            total += 1
            continue
        path = Path(inp)
        try:
            if path.is_dir():
                files = [
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in (".txt", ".html", ".htm", ".jsonl")
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and p.is_file()
                ]
            else:
                files = [path]
            for p in files:
                total += _count_lines(p) if p.suffix.lower() == ".jsonl" else 1
        except OSError:
            continue
    return total


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                n += 1
    return n


def code_stream(
    documents: Iterable[Document | DocumentError],
    *,
    workers: int = 1,
    report_date: str | date | None = None,
    index_path: str | Path | None = None,
    model_path: str | Path | None = None,
    coder: Coder | None = None,
    chunksize: int = 8,
    max_inflight: int | None = None,
) -> Iterator[CodedDocument]:
    """Code ``documents`` (as :func:`warcoder.ingest.iter_documents` yields them) in input order.

    ``workers <= 1`` codes in this process (with ``coder`` if given).  ``model_path``: a sub-type model
    directory (``warcoder train``), loaded once per process.  Otherwise a pool of
    ``workers`` processes codes them, each loading its own Coder; ``chunksize`` documents go to
    a worker at a time and at most ``max_inflight`` (default ``workers * chunksize * 4``) are
    read ahead of the results.  The output is the same for any number of workers.

    The Coder (one process) or the pool (several) is built when this function is called, not at
    the first ``next()``: call it before opening the store or starting a progress bar.
    """
    if workers <= 1:
        c = coder or shared_coder(index_path, model_path)
        return c.code_many(documents, report_date=report_date)
    ensure_index(index_path)
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(str(index_path) if index_path else None, report_date, str(model_path) if model_path else None),
    )
    # start the workers now (one trivial task each), before the caller opens a store or a bar
    for f in [executor.submit(os.getpid) for _ in range(workers)]:
        f.result()
    limit = max(max_inflight or workers * chunksize * 4, 2 * chunksize)
    return _PoolStream(executor, _code_pool(executor, documents, chunksize, limit))


class _PoolStream(Iterator[CodedDocument]):
    """The pool's results; ``close()`` stops the workers even when iteration never started."""

    def __init__(self, executor: ProcessPoolExecutor, gen: Iterator[CodedDocument]) -> None:
        self._executor = executor
        self._gen = gen

    def __next__(self) -> CodedDocument:
        return next(self._gen)

    def close(self) -> None:
        close = getattr(self._gen, "close", None)
        if close is not None:
            close()
        self._executor.shutdown(wait=True, cancel_futures=True)


def _code_chunk(docs: list[Document | None]) -> list[WorkerResult]:
    return [_code_one(d) for d in docs]


def _code_pool(
    executor: ProcessPoolExecutor,
    documents: Iterable[Document | DocumentError],
    chunksize: int,
    limit: int,
) -> Iterator[CodedDocument]:
    """Keep ``limit // chunksize - 1`` chunks queued (plus the one being handed out) and yield in order.

    A worker that dies (killed, out of memory) raises BrokenProcessPool here instead of hanging.
    """
    max_chunks = max(1, limit // chunksize - 1)
    it = iter(documents)
    window: deque[tuple[list[Document | DocumentError], Future[list[WorkerResult]]]] = deque()
    exhausted = False

    def fill() -> None:
        nonlocal exhausted
        while not exhausted and len(window) < max_chunks:
            chunk = list(islice(it, chunksize))
            if not chunk:
                exhausted = True
                return
            docs = [None if isinstance(d, DocumentError) else d for d in chunk]
            window.append((chunk, executor.submit(_code_chunk, docs)))

    try:
        fill()
        while window:
            chunk, fut = window.popleft()
            results = fut.result()
            fill()  # queue more work before handing results out, so the workers never wait for us
            for item, res in zip(chunk, results, strict=True):
                yield _merge(item, res)
    finally:
        for _, fut in window:
            fut.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
