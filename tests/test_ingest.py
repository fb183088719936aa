"""Tests for warcoder.ingest: every input kind and every bad-input case.

URL tests use a local http.server on 127.0.0.1 only.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from warcoder import ingest
from warcoder.ingest import english_reason, iter_documents
from warcoder.model import Document, DocumentError

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"

GOOD = (
    "Government forces shelled rebel positions near the town of Kafr Nabl in Idlib province on "
    "Thursday, killing four fighters, a monitoring group said. The rebels said they had repelled "
    "an attempt to advance on the town.\n"
)
NOTE = (
    "On 12 June 2021, clan fighters raided a police post outside Bar-Xawaale village "
    "(Kismaayo, Lower Juba). 2 fatalities."
)
FRENCH = (
    "Le 12 juin 2021, des combattants de clan ont attaqué un poste de police près du "
    "village de Bar-Xawaale. Deux personnes ont été tuées selon des sources locales."
)
SPANISH = (
    "El 12 de junio de 2021, combatientes de un clan atacaron un puesto de policía "
    "cerca de la aldea de Bar-Xawaale. Dos personas murieron en el ataque, según fuentes locales."
)
ARABIC = "في 9 مايو 2020، هاجم مسلحو حركة الشباب قوات الأمن في جوبالاند بالقرب من قرية بار سانغون."
RUSSIAN = "9 мая 2020 года боевики «Аш-Шабаб» атаковали силы безопасности Джубаленда в районе деревни Бар-Сангуун."

HTML_PAGE = (LAYOUTS / "wp_article.html").read_text(encoding="utf-8")


def _docs(items: list[Document | DocumentError]) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def _errors(items: list[Document | DocumentError]) -> list[DocumentError]:
    return [x for x in items if isinstance(x, DocumentError)]


def _assert_one_error(items: list[Document | DocumentError], name: str, reason_part: str) -> DocumentError:
    errs = _errors(items)
    assert len(errs) == 1, [str(e) for e in errs]
    err = errs[0]
    msg = str(err)
    assert "\n" not in msg
    assert msg.startswith(f"{name}: "), msg
    assert err.doc == name
    assert reason_part in err.reason, msg
    return err


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    "text", [NOTE, GOOD, "Military forces of Nigeria clashed with ISWAP near Monguno. 5 fatalities."]
)
def test_english_accepted(text: str) -> None:
    assert english_reason(text) is None


@pytest.mark.parametrize("text", [FRENCH, SPANISH, ARABIC, RUSSIAN, "Des militants ont attaqué le village."])
def test_not_english(text: str) -> None:
    reason = english_reason(text)
    assert reason is not None and reason.startswith("not English")


# --------------------------------------------------------------------------- plain files


def test_txt_file_text_exact_and_body_prefix(tmp_path: Path) -> None:
    raw = "Headline Here\r\n\r\n" + GOOD.replace("\n", "\r\n") + "  \t\r\n"
    p = tmp_path / "report_one.txt"
    p.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    (doc,) = list(iter_documents([str(p)], source="DefaultSrc"))
    assert isinstance(doc, Document)
    assert doc.text == raw  # BOM stripped, nothing else touched
    assert doc.doc_id == "report_one"
    assert doc.origin == str(p)
    assert doc.source == "DefaultSrc"
    assert doc.title == "Headline Here"
    assert doc.body_start == 0 and doc.body_end == len(raw)


def test_txt_with_comments(tmp_path: Path) -> None:
    p = tmp_path / "layout.txt"
    p.write_text((LAYOUTS / "unmarked_names.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (doc,) = list(iter_documents([str(p)]))
    assert isinstance(doc, Document)
    assert doc.text[doc.body_end :].startswith("Marcus Reed")
    assert [c.author for c in doc.comments] == ["Marcus Reed", "Gul Ahmad", "Stan"]


def test_html_file(tmp_path: Path) -> None:
    p = tmp_path / "kidal.html"
    p.write_text(HTML_PAGE, encoding="utf-8")
    (doc,) = list(iter_documents([str(p)], source="Default"))
    assert isinstance(doc, Document)
    assert doc.doc_id == "kidal"
    assert doc.published == date(2021, 6, 9)
    assert doc.title == "Clashes in Kidal leave five dead"
    assert doc.source == "Sahel Monitor"  # the page's own site name wins over the default
    assert [c.author for c in doc.comments] == ["Moussa Ag Intalla", "Claire D."]
    assert "I was there last month" not in doc.text


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n  \r\n", "empty"),
    ("nul.txt", b"Some text\x00\x00\x01binary", "binary"),
    ("ctrl.txt", ("Some text " + "\x01\x02\x03\x04\x05" * 40).encode(), "binary"),
    ("latin1.txt", GOOD.replace("Kafr", "Kafr\xe9").encode("latin-1"), "not valid UTF-8"),
    ("french.txt", FRENCH.encode(), "not English"),
    ("spanish.txt", SPANISH.encode(), "not English"),
    ("arabic.txt", ARABIC.encode(), "not English"),
    ("russian.txt", RUSSIAN.encode(), "not English"),
    ("french.html", f"<html><body><article><p>{FRENCH}</p></article></body></html>".encode(), "not English"),
    ("nothing.html", b"<html><head><title>x</title></head><body></body></html>", "no article text"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_bad_file_then_batch_goes_on(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "zz_good.txt"
    good.write_text(GOOD, encoding="utf-8")
    items = list(iter_documents([str(bad), str(good)]))
    _assert_one_error(items, str(bad), reason)
    assert [d.doc_id for d in _docs(items)] == ["zz_good"]


def test_too_large_file(tmp_path: Path) -> None:
    bad = tmp_path / "huge.txt"
    line = GOOD.encode()
    with bad.open("wb") as fh:
        fh.write(line * (ingest.MAX_BYTES // len(line) + 2))
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    items = list(iter_documents([str(bad), str(good)]))
    _assert_one_error(items, str(bad), "too large")
    assert len(_docs(items)) == 1


def test_missing_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    items = list(iter_documents([str(missing), str(good)]))
    _assert_one_error(items, str(missing), "no such file")
    assert len(_docs(items)) == 1


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    p = tmp_path / "page.md"
    p.write_text(GOOD, encoding="utf-8")
    q = tmp_path / "page.xhtml"
    q.write_text(HTML_PAGE, encoding="utf-8")
    a, b = list(iter_documents([str(p), str(q)]))
    assert isinstance(a, Document) and a.text == GOOD
    assert isinstance(b, Document) and b.title == "Clashes in Kidal leave five dead"


# --------------------------------------------------------------------------- directories


def test_directory_walk(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "two.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a" / "deep" / "one.htm").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "a" / "zero.jsonl").write_text(json.dumps({"text": NOTE}) + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden" / "secret.txt").write_text(GOOD, encoding="utf-8")
    items = list(iter_documents([str(tmp_path)]))
    assert not _errors(items)
    assert [d.doc_id for d in _docs(items)] == ["one", "zero:1", "two", "c"]
    assert items[1].origin == f"{tmp_path / 'a' / 'zero.jsonl'}:1"


# --------------------------------------------------------------------------- JSONL


def _jsonl(tmp_path: Path, lines: list[str], name: str = "batch.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_jsonl_good_records(tmp_path: Path) -> None:
    p = _jsonl(
        tmp_path,
        [
            json.dumps({"id": "r1", "text": GOOD, "published": "2017-11-02", "source": "Wire", "url": "http://x/1"}),
            "",
            json.dumps({"text": NOTE, "title": "Note"}),
            json.dumps({"id": 7, "html": HTML_PAGE, "published": "2021-06-10"}),
        ],
    )
    items = list(iter_documents([str(p)], source="Default"))
    assert not _errors(items)
    a, b, c = _docs(items)
    assert (a.doc_id, a.published, a.source, a.url, a.origin) == (
        "r1",
        date(2017, 11, 2),
        "Wire",
        "http://x/1",
        f"{p}:1",
    )
    assert a.text == GOOD
    assert (b.doc_id, b.title, b.source, b.origin) == ("batch:3", "Note", "Default", f"{p}:3")
    assert c.doc_id == "7"
    assert c.published == date(2021, 6, 10)  # the record's date wins over the page's
    assert [x.author for x in c.comments] == ["Moussa Ag Intalla", "Claire D."]


BAD_LINES: list[tuple[str, str]] = [
    ('{"id": "x", "text": "unterminated', "malformed JSON"),
    ("[1, 2, 3]", "not an object"),
    ('"just a string"', "not an object"),
    ('{"id": "x", "title": "No body"}', "neither 'text' nor 'html'"),
    (json.dumps({"id": "x", "text": GOOD, "published": "2017-13-45"}), "invalid published date"),
    (json.dumps({"id": "x", "text": GOOD, "published": "02/11/2017"}), "invalid published date"),
    (json.dumps({"id": "x", "text": "   \n  "}), "empty"),
    (json.dumps({"id": "x", "text": FRENCH}), "not English"),
    (json.dumps({"id": "x", "text": "abc\x00\x01\x02\x03\x04\x05\x06\x07\x08"}), "binary"),
    (json.dumps({"id": "x", "text": 42}), "'text' is not a string"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_jsonl_bad_line_then_batch_goes_on(tmp_path: Path, line: str, reason: str) -> None:
    p = _jsonl(tmp_path, [json.dumps({"id": "first", "text": GOOD}), line, json.dumps({"id": "third", "text": NOTE})])
    items = list(iter_documents([str(p)]))
    _assert_one_error(items, f"{p}:2", reason)
    assert [d.doc_id for d in _docs(items)] == ["first", "third"]


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    p = tmp_path / "bytes.jsonl"
    p.write_bytes(b'{"text": "caf\xe9"}\n' + json.dumps({"id": "ok", "text": GOOD}).encode() + b"\n")
    items = list(iter_documents([str(p)]))
    _assert_one_error(items, f"{p}:1", "not valid UTF-8")
    assert [d.doc_id for d in _docs(items)] == ["ok"]


def test_jsonl_over_long_line_is_skipped_streaming(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_BYTES", 2000)
    p = _jsonl(
        tmp_path,
        [
            json.dumps({"id": "a", "text": GOOD}),
            json.dumps({"id": "big", "text": GOOD * 40}),
            json.dumps({"id": "c", "text": GOOD}),
        ],
    )
    items = list(iter_documents([str(p)]))
    _assert_one_error(items, f"{p}:2", "too large")
    assert [d.doc_id for d in _docs(items)] == ["a", "c"]


def test_jsonl_is_lazy(tmp_path: Path) -> None:
    p = _jsonl(tmp_path, [json.dumps({"id": "a", "text": GOOD}), json.dumps({"id": "b", "text": GOOD})])
    it = iter_documents([str(p)])
    first = next(it)
    assert isinstance(first, Document) and first.doc_id == "a"
    # append after the first record was read: a streaming reader still sees it
    with p.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "late", "text": GOOD}) + "\n")
    assert [d.doc_id for d in it if isinstance(d, Document)] == ["b", "late"]


# --------------------------------------------------------------------------- stdin


def test_stdin_text() -> None:
    items = list(iter_documents(["-"], stdin=io.StringIO(GOOD), source="S"))
    (doc,) = items
    assert isinstance(doc, Document)
    assert (doc.origin, doc.text, doc.source) == ("<stdin>", GOOD, "S")
    # the id is the text's hash: the same text is the same document, another text another one
    assert doc.doc_id.startswith("stdin-")
    (again,) = iter_documents(["-"], stdin=io.StringIO(GOOD))
    (other,) = iter_documents(["-"], stdin=io.StringIO(GOOD + " More."))
    assert isinstance(again, Document) and isinstance(other, Document)
    assert again.doc_id == doc.doc_id != other.doc_id


def test_stdin_jsonl_is_sniffed_and_bad_lines_reported() -> None:
    lines = json.dumps({"id": "j1", "text": GOOD}) + "\nnot json\n" + json.dumps({"text": GOOD}) + "\n"
    items = list(iter_documents(["-"], stdin=io.StringIO(lines)))
    assert [d.doc_id for d in _docs(items)] == ["j1", "stdin:3"]
    _assert_one_error(items, "<stdin>:2", "JSON")
    # told it is text, the same input is one prose document
    (one,) = iter_documents(["-"], stdin=io.StringIO(lines), stdin_format="text")
    assert isinstance(one, DocumentError) or one.doc_id.startswith("stdin-")


def test_files_of_one_name_in_two_folders_are_two_documents(tmp_path: Path) -> None:
    for sub in ("a", "b", "c/d"):
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "report.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a" / "report.html").write_text(f"<html><body><p>{GOOD}</p></body></html>", encoding="utf-8")
    (tmp_path / "a" / "alone.txt").write_text(GOOD, encoding="utf-8")
    items = list(
        iter_documents(
            [str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c"), str(tmp_path / "b" / "report.txt")]
        )
    )
    ids = [d.doc_id for d in _docs(items)]
    assert ids == ["alone", "a/report.html", "a/report.txt", "b/report.txt", "c/d/report.txt", "b/report.txt"]
    assert sorted(ingest.file_ids([tmp_path / "a" / "alone.txt"]).values()) == ["alone"]
    two = ingest.file_ids([tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"])
    assert sorted(two.values()) == ["a/report", "b/report"]


def test_stdin_html_bytes_buffer() -> None:
    stream = io.TextIOWrapper(io.BytesIO(HTML_PAGE.encode("utf-8")), encoding="utf-8")
    (doc,) = list(iter_documents(["-"], stdin=stream))
    assert isinstance(doc, Document)
    assert doc.title == "Clashes in Kidal leave five dead"
    assert len(doc.comments) == 2


def test_stdin_bad_then_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    items = list(iter_documents(["-", str(good)], stdin=io.StringIO(FRENCH)))
    _assert_one_error(items, "<stdin>", "not English")
    assert len(_docs(items)) == 1


# --------------------------------------------------------------------------- URLs (local server only)

PLAIN_PAGE = GOOD + "\nKeep reading.\n"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the test log
        pass

    def _send(self, code: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/news/kidal-clashes.html":
            self._send(200, HTML_PAGE.encode(), "text/html; charset=utf-8")
        elif self.path == "/plain.txt":
            self._send(200, PLAIN_PAGE.encode(), "text/plain; charset=utf-8")
        elif self.path == "/redirect":
            self._send(302, b"", "text/plain", {"Location": "/plain.txt"})
        elif self.path.startswith("/loop"):
            n = int(self.path[5:] or 0)
            self._send(302, b"", "text/plain", {"Location": f"/loop{n + 1}"})
        elif self.path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png")
        elif self.path == "/big.txt":
            body = GOOD.encode() * (ingest.MAX_BYTES // len(GOOD) + 2)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the limit must hold while streaming
            self.wfile.write(body)
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, GOOD.encode(), "text/plain")
        elif self.path == "/french":
            self._send(200, FRENCH.encode(), "text/plain; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_url_html(server: str) -> None:
    url = f"{server}/news/kidal-clashes.html"
    (doc,) = list(iter_documents([url], source="Default"))
    assert isinstance(doc, Document)
    assert doc.doc_id == "kidal-clashes"
    assert doc.origin == url and doc.url == url
    assert doc.title == "Clashes in Kidal leave five dead"
    assert doc.published == date(2021, 6, 9)
    assert [c.author for c in doc.comments] == ["Moussa Ag Intalla", "Claire D."]


def test_url_plain_text_via_redirect(server: str) -> None:
    (doc,) = list(iter_documents([f"{server}/redirect"], source="Default"))
    assert isinstance(doc, Document)
    assert doc.text == PLAIN_PAGE
    assert doc.url == f"{server}/plain.txt"
    assert doc.origin == f"{server}/redirect"
    assert doc.source == "Default"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/loop0", "too many redirects"),
        ("/image.png", "unsupported content type"),
        ("/big.txt", "too large"),
        ("/french", "not English"),
    ],
)
def test_url_errors_then_batch_goes_on(server: str, path: str, reason: str) -> None:
    url = f"{server}{path}"
    items = list(iter_documents([url, f"{server}/plain.txt"]))
    _assert_one_error(items, url, reason)
    assert len(_docs(items)) == 1


def test_url_unreachable(server: str) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/report.html"
    items = list(iter_documents([url, f"{server}/plain.txt"]))
    _assert_one_error(items, url, "unreachable")
    assert len(_docs(items)) == 1


def test_url_timeout(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "HTTP_TIMEOUT", 0.3)
    url = f"{server}/slow"
    items = list(iter_documents([url, f"{server}/plain.txt"]))
    _assert_one_error(items, url, "timed out")
    assert len(_docs(items)) == 1


def test_unsupported_scheme(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    items = list(iter_documents(["ftp://127.0.0.1/x.txt", str(good)]))
    _assert_one_error(items, "ftp://127.0.0.1/x.txt", "unsupported URL scheme")
    assert len(_docs(items)) == 1


class _BadRedirects(BaseHTTPRequestHandler):
    def log_message(self, *a: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/to/"):
            target = {
                "js": "javascript:alert(1)",
                "data": "data:text/plain,hi",
                "mail": "mailto:a@b.c",
                "bad": "http://[oops/x",
            }
            self.send_response(302)
            self.send_header("Location", target[self.path[4:]])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass


@pytest.fixture(scope="module")
def bad_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _BadRedirects)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("to", "reason"), [("js", "'javascript'"), ("data", "'data'"), ("mail", "'mailto'"), ("bad", "invalid URL")]
)
def test_a_redirect_to_a_bad_url_is_that_documents_error(bad_server: str, tmp_path: Path, to: str, reason: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    url = f"{bad_server}/to/{to}"
    items = list(iter_documents([url, str(good)]))
    _assert_one_error(items, url, "redirected to")
    assert reason in next(i.reason for i in items if isinstance(i, DocumentError))
    assert len(_docs(items)) == 1


def test_a_dripped_body_is_cut_off_by_the_fetch_deadline(bad_server: str) -> None:
    t0 = time.monotonic()
    items = list(iter_documents([f"{bad_server}/drip"], fetch_deadline=1.0))
    assert time.monotonic() - t0 < 4
    _assert_one_error(items, f"{bad_server}/drip", "timed out after 1 s")


def _lines(name: str) -> list[str]:
    text = (Path(__file__).parent / "fixtures" / "language" / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def test_short_english_notes_full_of_place_names_are_english() -> None:
    notes = _lines("english_notes.txt")
    assert len(notes) == 50
    assert [n for n in notes if ingest.english_reason(n) is not None] == []


def test_other_languages_are_not_english() -> None:
    texts = _lines("other_languages.txt")
    assert len(texts) == 20
    assert [t for t in texts if ingest.english_reason(t) is None] == []
