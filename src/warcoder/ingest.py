"""Ingest: read reports from files, directories, JSONL, stdin or URLs, as cleaned Documents.

:func:`iter_documents` yields one :class:`~warcoder.model.Document` per report (already cleaned by
:mod:`warcoder.clean`) or a :class:`~warcoder.model.DocumentError` for a report that cannot be
coded, and always goes on with the rest of the batch.

Inputs:

* ``*.txt`` (and any other explicitly named file): plain text, or HTML when it sniffs as HTML.
  ``doc_id`` is the file name without extension; ``text`` is the file exactly as decoded (UTF-8,
  a leading BOM stripped), so offsets index into it.
* ``*.html`` / ``*.htm``: HTML, cleaned with trafilatura.
* ``*.jsonl``: one record per line, ``{"id", "text" | "html", "published", "source", "url",
  "title"}``, streamed line by line.  Missing ``id`` gives ``<file stem>:<line no>``.  When a
  record has both ``text`` and ``html``, ``text`` is used.
* a directory: walked recursively in sorted order, files with the extensions above only
  (hidden files and directories skipped).
* ``-``: standard input, plain text or HTML (sniffed).
* ``http://`` / ``https://`` URL: fetched by :func:`warcoder.fetch.fetch` (10 s a network
  operation, 30 s in all, <= 5 MB streamed, <= 5 redirects, each target checked to be http(s)
  with a host before it is followed), then HTML or text by content type.

Rejected (a DocumentError naming the document, and the line for JSONL): missing file, empty or
whitespace-only text, binary data (NUL bytes or > 5 % control characters), more than 5 MB,
invalid UTF-8, not English, malformed JSON / non-object JSON / no text or html / bad
``published`` on a JSONL line, HTML without article text, unreachable URL, HTTP error status,
timeout, unsupported content type.

The checks on the text (:func:`check_text`) and on the cleaned document (:func:`check_document`),
the HTML sniffer (:func:`sniff_html`) and the published-date parser (:func:`parse_published`) are
the same for documents given to the Python API or POSTed to the web app (``Coder.make_document``):
one door for every document.

The English check (:func:`english_reason`) is deliberately cheap.  It leaves out names (a
capitalised word that is in neither word list) and numbers, so that a short note full of place
names is judged on its other words, and counts as English both function words and common words
of conflict news (``data/english_news_words.txt``: "drone", "hit", "shelled").  It tokenises up to the first
3,000 words and computes the share of tokens that are common English function words (list in
``data/english_stopwords.txt``) and the share that are function words of other Latin-script
languages (``data/nonenglish_stopwords.txt``).  A text is rejected when most of its letters are
not Latin (Arabic, Cyrillic, CJK...), when the English share is below 6 %, or when the foreign
share exceeds the English share (a tie is English: a one-line English report naming "the UN" or
"Mocimboa da Praia" has as many foreign-looking words as English ones).  Short ACLED-style English
notes (about 20 % function words) pass; French/Spanish/German prose (< 5 % English, 30-50 % foreign)
fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TextIO
from urllib.parse import urlsplit

from warcoder import knowledge
from warcoder.clean import clean_html, clean_text
from warcoder.fetch import DEADLINE, MAX_BYTES, OP_TIMEOUT, FetchError, fetch, make_client
from warcoder.model import Document, DocumentError

__all__ = [
    "iter_documents",
    "english_reason",
    "check_text",
    "check_document",
    "sniff_html",
    "parse_published",
    "MAX_BYTES",
    "TEXT_EXTENSIONS",
    "HTML_EXTENSIONS",
    "JSONL_EXTENSIONS",
]

HTTP_TIMEOUT = OP_TIMEOUT  # seconds a network operation may take (a module setting: tests lower it)
FETCH_DEADLINE = DEADLINE  # seconds for a whole fetch, redirects included (`code --fetch-timeout`)
USER_AGENT = "warcoder/0.1 (+offline conflict-event coder; ingest)"

TEXT_EXTENSIONS = frozenset({".txt"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl"})
_WALK_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS

_HTML_SNIFF = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I | re.S
)
_HTML_TAGS = re.compile(r"</(?:p|div|html|body|article|span|a|li|td)>", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


class _Reject(Exception):
    """Internal: a reason to reject the current document."""


# --------------------------------------------------------------------------- language


def _read_wordlist(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in knowledge.read_lines(name))


@lru_cache(maxsize=1)
def _wordlists() -> tuple[frozenset[str], frozenset[str]]:
    english = _read_wordlist("english_stopwords.txt") | _read_wordlist("english_news_words.txt")
    foreign = _read_wordlist("nonenglish_stopwords.txt") - english
    return english, foreign


def _judged_words(sample: str, english: frozenset[str], foreign: frozenset[str]) -> list[str]:
    """The words the English check judges: names (a capitalised word that is no listed word) and
    numbers left out, so that a short note full of place names is judged on its other words."""
    out = []
    for tok in _TOKEN.findall(sample):
        low = tok.lower()
        if tok[0].isupper() and low not in english and low not in foreign:
            continue
        out.append(low)
    return out


def english_reason(text: str) -> str | None:
    """None when ``text`` reads as English, else a short reason ("not English (...)").

    See the module docstring for the heuristic.  Texts with fewer than 4 word tokens are
    accepted unless they are mostly non-Latin script.
    """
    sample = text[:40_000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "not English (no words)"
    latin = sum(1 for c in letters if _LATIN.match(c))
    if latin / len(letters) < 0.5:
        return f"not English (only {100 * latin // len(letters)}% Latin letters)"
    english, foreign = _wordlists()
    tokens = _judged_words(sample, english, foreign)[:3000]
    if len(tokens) < 4 and not any(t in foreign for t in tokens):
        return None
    en = sum(1 for t in tokens if t in english) / len(tokens)
    fo = sum(1 for t in tokens if t in foreign) / len(tokens)
    if en < 0.06 or fo > en:
        return f"not English ({en:.0%} English function words, {fo:.0%} other-language ones)"
    return None


# --------------------------------------------------------------------------- decoding / checks


def _looks_binary_bytes(data: bytes) -> bool:
    return b"\x00" in data[:1_000_000]


def _control_share(text: str) -> float:
    sample = text[:65_536]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    return bad / len(sample)


def _decode(data: bytes, *, charset: str | None = None, html: bool = False) -> str:
    """Decode bytes as UTF-8 (BOM stripped); HTML may fall back to its declared charset."""
    if len(data) > MAX_BYTES:
        raise _Reject(f"too large ({len(data):,} bytes > {MAX_BYTES:,})")
    if _looks_binary_bytes(data):
        raise _Reject("binary data (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        declared = charset
        if html and not declared:
            m = _CHARSET.search(data[:4096])
            declared = m.group(1).decode("ascii") if m else None
        if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
            try:
                text = data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                raise _Reject(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None
        else:
            raise _Reject(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None
    return text.removeprefix("\ufeff")


def check_text(text: str, doc_id: str) -> None:
    """Checks common to every document's raw text (before cleaning), whichever way it came in (files, JSONL,
    stdin, URLs, and ``Coder.make_document``): raises DocumentError for an empty, oversized or binary text."""
    if not text.strip():
        raise DocumentError(doc_id, "empty document")
    if len(text) > MAX_BYTES or (len(text) * 4 > MAX_BYTES and len(text.encode("utf-8")) > MAX_BYTES):
        raise DocumentError(doc_id, f"too large (over {MAX_BYTES:,} bytes of text)")
    if "\x00" in text[:1_000_000] or _control_share(text) > 0.05:
        raise DocumentError(doc_id, "binary data (control characters)")


def check_document(doc: Document) -> None:
    """Checks on a cleaned document, whichever way it came in: raises DocumentError when it has no article
    body or does not read as English (:func:`english_reason`)."""
    if not doc.body.strip():
        raise DocumentError(doc.doc_id, "no article body")
    reason = english_reason(doc.body)
    if reason:
        raise DocumentError(doc.doc_id, reason)


def sniff_html(text: str) -> bool:
    """Does a text that came without a type (a file's extension, a content type) read as HTML?"""
    head = text[:2048]
    return bool(_HTML_SNIFF.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def _build(
    text: str,
    *,
    is_html: bool,
    doc_id: str,
    origin: str,
    default_source: str | None,
    source: str | None = None,
    title: str | None = None,
    published: date | None = None,
    url: str | None = None,
) -> Document:
    """Check, clean and language-test one document; raises _Reject or DocumentError."""
    check_text(text, doc_id)
    if is_html:
        doc = clean_html(text, doc_id=doc_id, url=url, origin=origin, source=source, title=title, published=published)
    else:
        doc = clean_text(text, doc_id=doc_id, url=url, origin=origin, source=source, title=title, published=published)
    check_document(doc)
    if doc.source is None:
        doc.source = default_source
    return doc


def _guard(name: str, fn: Any, *args: Any, **kw: Any) -> Document | DocumentError:
    try:
        return fn(*args, **kw)
    except _Reject as e:
        return DocumentError(name, _one_line(str(e)))
    except DocumentError as e:
        return DocumentError(name, _one_line(e.reason))


# --------------------------------------------------------------------------- files


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise _Reject(f"cannot read file ({e.strerror or type(e).__name__})") from None
    if size > MAX_BYTES:
        raise _Reject(f"too large ({size:,} bytes > {MAX_BYTES:,})")
    try:
        return path.read_bytes()
    except OSError as e:
        raise _Reject(f"cannot read file ({e.strerror or type(e).__name__})") from None


def _file_doc(path: Path, default_source: str | None, doc_id: str | None = None) -> Document:
    data = _read_file(path)
    ext = path.suffix.lower()
    is_html = ext in HTML_EXTENSIONS
    text = _decode(data, html=is_html or ext not in TEXT_EXTENSIONS)
    if not is_html and ext not in TEXT_EXTENSIONS:
        is_html = sniff_html(text)
    return _build(text, is_html=is_html, doc_id=doc_id or path.stem, origin=str(path), default_source=default_source)


def parse_published(value: Any) -> date | None:
    """A document's published date: None for none, a date as it is, or a YYYY-MM-DD string (a time after it
    ignored); raises ValueError with a readable reason."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"invalid published date {value!r} (want YYYY-MM-DD)")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?", value.strip())
    if not m:
        raise ValueError(f"invalid published date {value!r} (want YYYY-MM-DD)")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"invalid published date {value!r} (want YYYY-MM-DD)") from None


def _opt_str(rec: dict[str, Any], key: str) -> str | None:
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        s = str(v).strip()
        return s or None
    raise _Reject(f"field {key!r} is not a string")


def _jsonl_record(line: bytes, stem: str, lineno: int, origin: str, default_source: str | None) -> Document:
    try:
        s = line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise _Reject(f"not valid UTF-8 (byte 0x{line[e.start]:02x} at column {e.start + 1})") from None
    try:
        rec = json.loads(s)
    except json.JSONDecodeError as e:
        raise _Reject(f"malformed JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(rec, dict):
        raise _Reject(f"JSON value is a {type(rec).__name__}, not an object")
    text, html = rec.get("text"), rec.get("html")
    if text is not None and not isinstance(text, str):
        raise _Reject("field 'text' is not a string")
    if html is not None and not isinstance(html, str):
        raise _Reject("field 'html' is not a string")
    if text is None and html is None:
        raise _Reject("record has neither 'text' nor 'html'")
    try:
        published = parse_published(rec.get("published"))
    except ValueError as e:
        raise _Reject(str(e)) from None
    doc_id = _opt_str(rec, "id") or f"{stem}:{lineno}"
    use_html = text is None
    content = html if use_html else text
    assert content is not None
    return _build(
        content,
        is_html=use_html,
        doc_id=doc_id,
        origin=origin,
        default_source=default_source,
        source=_opt_str(rec, "source"),
        title=_opt_str(rec, "title"),
        published=published,
        url=_opt_str(rec, "url"),
    )


def _iter_jsonl(path: Path, default_source: str | None, stem: str | None = None) -> Iterator[Document | DocumentError]:
    try:
        fh = path.open("rb")
    except OSError as e:
        yield DocumentError(str(path), f"cannot read file ({e.strerror or type(e).__name__})")
        return
    with fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_BYTES + 1)
            if not line:
                break
            lineno += 1
            origin = f"{path}:{lineno}"
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                while True:  # skip the rest of the over-long line without keeping it
                    chunk = fh.readline(1 << 20)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield DocumentError(origin, f"line too large (over {MAX_BYTES:,} bytes)")
                continue
            if not line.strip():
                continue
            yield _guard(origin, _jsonl_record, line, stem or path.stem, lineno, origin, default_source)


_URL_RX = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def _walk(path: Path) -> list[Path]:
    """The files an input path names: itself, or a directory's files of the known kinds (sorted)."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in _WALK_EXTENSIONS
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and p.is_file()
        )
    return [path]


def file_ids(files: Sequence[Path]) -> dict[Path, str]:
    """Each file's document id (for JSONL, the stem of its id-less records' ids), unique in the run.

    A file's id is its name without the extension, as before, where no other file of the run
    has that name.  Files that share it are named by their paths relative to the folder they
    have in common, without the extension (``a/report`` and ``b/report``), or with it where that
    is still not unique (``report.txt``, ``report.html``).  The same file named twice is one id.
    """
    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(f.stem, []).append(f)
    out: dict[Path, str] = {}
    for stem, group in by_stem.items():
        real = {f: f.resolve() for f in group}
        distinct = sorted(set(real.values()))
        if len(distinct) == 1:
            out.update(dict.fromkeys(group, stem))
            continue
        root = Path(os.path.commonpath([str(r.parent) for r in distinct]))
        rel = {r: r.relative_to(root).with_suffix("").as_posix() for r in distinct}
        if len(set(rel.values())) < len(rel):
            rel = {r: r.relative_to(root).as_posix() for r in distinct}
        out.update({f: rel[real[f]] for f in group})
    return out


def _iter_files(
    files: list[Path], default_source: str | None, ids: dict[Path, str]
) -> Iterator[Document | DocumentError]:
    for p in files:
        if not p.exists():
            yield DocumentError(str(p), "no such file or directory")
        elif p.suffix.lower() in JSONL_EXTENSIONS:
            yield from _iter_jsonl(p, default_source, ids.get(p))
        else:
            yield _guard(str(p), _file_doc, p, default_source, ids.get(p))


# --------------------------------------------------------------------------- stdin


STDIN_FORMATS = ("text", "html", "jsonl")


def _read_stdin(stream: TextIO | IO[Any]) -> str:
    buf = getattr(stream, "buffer", None)
    if buf is not None:
        data = buf.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _Reject(f"too large (over {MAX_BYTES:,} bytes)")
        return _decode(data, html=True)
    raw = stream.read(MAX_BYTES + 1)
    return _decode(raw, html=True) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")


def looks_like_jsonl(text: str) -> bool:
    """True when the first non-blank line is a JSON object: the text is read as JSONL records."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _stdin_doc(text: str, default_source: str | None, is_html: bool) -> Document:
    """Standard input as one document, its id the hash of its text (each stdin run its own document)."""
    doc_id = "stdin-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return _build(text, is_html=is_html, doc_id=doc_id, origin="<stdin>", default_source=default_source)


def _iter_stdin(
    stream: TextIO | IO[Any], default_source: str | None, fmt: str | None
) -> Iterator[Document | DocumentError]:
    """Standard input as ``fmt`` (text, html or jsonl).

    Unset, it is JSONL when its first line is a JSON object, else HTML or text as sniffed;
    ``"page"`` (a fetched page) is HTML or text as sniffed, never JSONL.
    """
    try:
        text = _read_stdin(stream)
    except (_Reject, DocumentError) as exc:
        yield DocumentError("<stdin>", _one_line(exc.reason if isinstance(exc, DocumentError) else str(exc)))
        return
    if fmt == "jsonl" or (fmt is None and looks_like_jsonl(text)):
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                origin = f"<stdin>:{lineno}"
                yield _guard(origin, _jsonl_record, line.encode("utf-8"), "stdin", lineno, origin, default_source)
        return
    is_html = fmt == "html" or (fmt in (None, "page") and sniff_html(text))
    yield _guard("<stdin>", _stdin_doc, text, default_source, is_html)


# --------------------------------------------------------------------------- URLs


def _url_doc_id(url: str) -> str:
    parts = urlsplit(url)
    last = [seg for seg in parts.path.split("/") if seg]
    if last:
        stem = last[-1].rsplit(".", 1)[0] if "." in last[-1] else last[-1]
        if stem:
            return stem
    return parts.hostname or url


def _url_doc(url: str, client: Any, default_source: str | None, deadline: float) -> Document:
    try:
        res = fetch(url, client, deadline=deadline)
    except FetchError as exc:
        raise _Reject(exc.reason) from None
    if res.status >= 400:
        raise _Reject(f"HTTP {res.status} {res.reason}".strip())
    mime = res.content_type.lower().split(";")[0].strip()
    if mime in ("text/html", "application/xhtml+xml"):
        is_html: bool | None = True
    elif mime == "text/plain":
        is_html = False
    elif mime in ("", "application/octet-stream") or mime.startswith("text/"):
        is_html = None
    else:
        raise _Reject(f"unsupported content type {mime!r}")
    text = _decode(res.body, charset=res.charset, html=is_html is not False)
    if is_html is None:
        is_html = sniff_html(text)
    source = None if is_html else (urlsplit(res.url).hostname or None)
    doc = _build(text, is_html=is_html, doc_id=_url_doc_id(url), origin=url, default_source=default_source, url=res.url)
    if doc.source is None:
        doc.source = source
    return doc


def _make_client() -> Any:
    return make_client(USER_AGENT, op_timeout=HTTP_TIMEOUT)


# --------------------------------------------------------------------------- entry point


def iter_documents(
    inputs: Sequence[str],
    *,
    source: str | None = None,
    stdin: TextIO | None = None,
    fetch_deadline: float = FETCH_DEADLINE,
    stdin_format: str | None = None,
) -> Iterator[Document | DocumentError]:
    """Yield a cleaned Document, or a DocumentError, for every report named by ``inputs``.

    ``inputs`` are paths (``.txt``, ``.html``/``.htm``, ``.jsonl``, directories), ``-`` for
    ``stdin`` (default ``sys.stdin``), or ``http(s)://`` URLs.  ``source`` is a default for
    ``Document.source``: a JSONL ``source`` field or the page's site name wins over it.  Errors
    never stop the iteration.
    """
    client: Any = None
    paths = {inp: _walk(Path(inp)) for inp in inputs if inp != "-" and not _URL_RX.match(inp)}
    ids = file_ids([p for files in paths.values() for p in files if p.exists()])
    try:
        for inp in inputs:
            if inp == "-":
                stream = stdin if stdin is not None else sys.stdin
                yield from _iter_stdin(stream, source, stdin_format)
            elif _URL_RX.match(inp):  # fetch.check_url refuses a scheme other than http(s) before any request
                if client is None:
                    client = _make_client()
                yield _guard(inp, _url_doc, inp, client, source, fetch_deadline)
            else:
                yield from _iter_files(paths[inp], source, ids)
    finally:
        if client is not None:
            client.close()
