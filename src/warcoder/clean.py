"""Clean: separate the article body from reader comments.

Two entry points build a :class:`~warcoder.model.Document` the coder can read:

* :func:`clean_text` for plain text.  ``Document.text`` is the text exactly as given (offsets index
  into it); :func:`split_comments` decides where the body ends.  The body is always a prefix.
* :func:`clean_html` for HTML.  Reader comments are taken from the comment markup (and removed
  from the tree), then trafilatura extracts the article body and the metadata.  ``Document.text``
  is trafilatura's body text; comments are kept apart and never become body text.

How :func:`split_comments` finds the comments (all cues are data in ``data/comment_cues.yaml``):

1. The text is split into lines and paragraphs (blank-line separated; a text without any blank
   line, such as trafilatura output, has one paragraph per line).  Each line is classified:
   comments marker ("Comments (3)", "Leave a Reply"), end-of-article furniture ("Share this:",
   "Related posts", "Tags: ..."), comment header ("jane says:", "Jane Doe • 2 hours ago",
   "Jane on November 2, 2017 at 3:14 pm"), timestamp line ("5 hours ago"), widget line
   ("Reply", "Like · Reply"), or text.  A text line is *name-like* when it is short (1-6 words,
   <= 40 chars), starts with a capital (or is a handle), and has no final period, colon or
   other sentence punctuation.
2. Nothing can end the body before the first paragraph of at least ``min_body_words`` words, so
   headlines, datelines, bylines and share bars at the top are safe.
3. After that, the first line that satisfies one of these ends the body:
   a. a comments marker or an end-of-article marker;
   b. a strong comment header (author + timestamp);
   c. a weak header ("X says:") when a second header follows or a timestamp/widget line is in it;
   d. a name-like line that starts a paragraph and is followed by content (an *author line*),
      when it is followed by a time-of-day or relative timestamp line, or when the comment under it
      reads as opinion: first/second person pronouns, "!", "?" or chatty words (thanks, regards,
      lol...) outside quotation marks.  One opinion cue suffices when at least two author-line
      blocks follow and at least half of them carry a cue (or a widget line follows the first);
      a lone block needs two cues.  Subheadings ("Background") are followed by third-person
      news prose and never qualify.
   When nothing qualifies, the whole text is body (conservative).
4. The tail is then read as a sequence of comments: each header or author line starts one; widget
   and timestamp lines are dropped; content after a comments marker without an author becomes an
   authorless comment; page furniture (share bars, related links) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from warcoder import knowledge
from warcoder.model import Comment, Document, DocumentError

__all__ = ["clean_html", "clean_text", "split_comments", "load_cues"]

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)


@dataclass(frozen=True)
class Cues:
    """Compiled comment cues from ``data/comment_cues.yaml``."""

    min_body_words: int
    comment_markers: re.Pattern[str]
    end_markers: re.Pattern[str]
    widget: re.Pattern[str]
    ts_any: re.Pattern[str]
    ts_date_only: re.Pattern[str]
    header_strong: list[re.Pattern[str]]
    header_weak: list[re.Pattern[str]]
    not_name_prefixes: frozenset[str]
    opinion: list[re.Pattern[str]]


def _alt(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Load and compile ``data/comment_cues.yaml`` (cached)."""
    raw: dict[str, Any] = knowledge.load_yaml("comment_cues.yaml")
    flags = re.IGNORECASE
    dates = _alt(p.replace("{MONTH}", _MONTHS) for p in raw["timestamp_date"])
    time = raw["timestamp_time"]
    rel = raw["timestamp_relative"]
    ts = f"(?:{rel})|(?:(?:{dates})(?:\\s*(?:at|,|@|-|–)?\\s*(?:{time}))?)|(?:{time})"
    prefix = r"(?:(?:posted|commented|edited|replied|updated)\s+)?(?:(?:on|at)\s+)?"
    suffix = r"(?:\s*[•·|]?\s*(?:reply|permalink|#|edit)?)?"
    ts_any = re.compile(f"{prefix}(?:{ts}){suffix}", flags)
    ts_date_only = re.compile(f"{prefix}(?:{dates}){suffix}", flags)

    tsx = f"(?:{rel})|(?:(?:{dates})(?:\\s*(?:at|,|@|-|–)?\\s*(?:{time}))?)"

    def comp(ps: Iterable[str]) -> list[re.Pattern[str]]:
        return [re.compile(p.replace("{TSX}", tsx).replace("{TS}", ts).replace("{TIME}", time), flags) for p in ps]

    return Cues(
        min_body_words=int(raw.get("min_body_words", 15)),
        comment_markers=re.compile(_alt(raw["comment_markers"]), flags),
        end_markers=re.compile(_alt(raw["end_markers"]), flags),
        widget=re.compile(_alt(raw["widget_lines"]), flags),
        ts_any=ts_any,
        ts_date_only=ts_date_only,
        header_strong=comp(raw["header_strong"]),
        header_weak=comp(raw["header_weak"]),
        not_name_prefixes=frozenset(w.lower() for w in raw["not_name_prefixes"]),
        opinion=[re.compile(p, flags) for p in raw["opinion"].values()],
    )


# --------------------------------------------------------------------------- plain text

BLANK, CMARK, EMARK, HSTRONG, HWEAK, TS, TSDATE, WIDGET, TEXT = (
    "blank",
    "cmarker",
    "emarker",
    "hstrong",
    "hweak",
    "ts",
    "tsdate",
    "widget",
    "text",
)

_NAME_CHARS = re.compile(r"[\w .'’\-()&]+")
_HANDLE = re.compile(r"@?[A-Za-z0-9_.\-]{2,30}")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»")
_SENT_END = ".,;:?!"
_INITIAL_END = re.compile(r"(?:^|\s)(?:[A-Z]\.)+$|(?:^|\s)(?:Jr|Sr)\.$")


@dataclass
class _Line:
    start: int
    end: int  # exclusive, trailing whitespace excluded
    s: str  # stripped text
    kind: str
    para: int = -1
    para_first: bool = False
    namelike: bool = False
    author: str | None = None


def _clean_author(a: str) -> str | None:
    a = re.sub(r"\s+(says|said|wrote|writes|commented|replied)\s*:?\s*$", "", a.strip(), flags=re.I)
    a = a.strip(" \t•·|-–—:")
    if not a or len(a) > 60 or len(a.split()) > 8 or a[-1] in ",;":
        return None
    if a.endswith(".") and len(a.split()[-1]) > 4:  # "Mark T." and "Jr." are fine, a sentence is not
        return None
    return a


def _is_namelike(s: str, cues: Cues) -> bool:
    if s.endswith(".") and _INITIAL_END.search(s):  # "Omar K.", "J.R.", "Sam Smith Jr."
        s = s[:-1]
    if not 2 <= len(s) <= 40 or s[-1] in _SENT_END or ":" in s or "/" in s or "www." in s.lower():
        return False
    words = s.split()
    if not 1 <= len(words) <= 6:
        return False
    if words[0].lower().strip(".,'’") in cues.not_name_prefixes:
        return False
    if len(words) == 1 and _HANDLE.fullmatch(s) and any(c.isalpha() for c in s):
        return True
    if not s[0].isupper() or not _NAME_CHARS.fullmatch(s):
        return False
    return any(c.isalpha() for c in s)


def _classify(s: str, cues: Cues) -> tuple[str, str | None]:
    if not s:
        return BLANK, None
    if len(s) <= 120:
        if cues.comment_markers.fullmatch(s):
            return CMARK, None
        if cues.end_markers.fullmatch(s):
            return EMARK, None
        if cues.ts_any.fullmatch(s):
            return (TSDATE if cues.ts_date_only.fullmatch(s) else TS), None
        if cues.widget.fullmatch(s):
            return WIDGET, None
        for p in cues.header_strong:
            m = p.fullmatch(s)
            if m and (a := _clean_author(m.group("author"))) and _is_namelike(a, cues):
                return HSTRONG, a
        for p in cues.header_weak:
            m = p.fullmatch(s)
            if m and (a := _clean_author(m.group("author"))) and _is_namelike(a, cues):
                return HWEAK, a
    return TEXT, None


def _lines(text: str, cues: Cues) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        kind, author = _classify(stripped, cues)
        start = pos + lead
        out.append(_Line(start, start + len(stripped), stripped, kind, author=author))
        pos += len(raw)
    line_mode = not any(ln.kind == BLANK for ln in out)
    para = -1
    prev_blank = True
    for ln in out:
        if ln.kind == BLANK:
            prev_blank = True
            continue
        if prev_blank or line_mode:
            para += 1
            ln.para_first = True
        ln.para = para
        prev_blank = False
        ln.namelike = ln.kind == TEXT and _is_namelike(ln.s, cues)
    return out


def _next_content(lines: list[_Line], k: int) -> tuple[int | None, bool, bool]:
    """After line k, skip blanks/timestamps/widgets; return (index of a text line, saw time ts, saw date ts)."""
    saw_ts = saw_date = False
    for j in range(k + 1, min(len(lines), k + 12)):
        kind = lines[j].kind
        if kind in (BLANK, WIDGET):
            continue
        if kind == TS:
            saw_ts = True
            continue
        if kind == TSDATE:
            saw_date = True
            continue
        if kind == TEXT and not lines[j].namelike:
            return j, saw_ts, saw_date
        return None, saw_ts, saw_date
    return None, saw_ts, saw_date


def _is_author_line(lines: list[_Line], k: int) -> bool:
    ln = lines[k]
    return ln.namelike and ln.para_first and _next_content(lines, k)[0] is not None


def _opinion_score(text: str, cues: Cues) -> int:
    t = _QUOTED.sub(" ", text).replace("’", "'")
    return sum(1 for p in cues.opinion if p.search(t))


def _block_text(lines: list[_Line], a: int, b: int) -> str:
    return "\n".join(lines[k].s for k in range(a + 1, b) if lines[k].kind == TEXT)


def _find_cut(lines: list[_Line], cues: Cues) -> int | None:
    """Index of the first line that is not body, or None.  Linear in the number of lines."""
    para_words: dict[int, int] = {}
    for ln in lines:
        if ln.kind == TEXT:
            para_words[ln.para] = para_words.get(ln.para, 0) + len(_WORD.findall(ln.s))
    first_body_para = None
    for ln in lines:
        if ln.kind == TEXT and not ln.namelike and para_words.get(ln.para, 0) >= cues.min_body_words:
            first_body_para = ln.para
            break
    if first_body_para is None:
        return None
    # every comment start (header or author line), each block's opinion score, and from each start
    # onwards how many blocks / headers / opinion blocks follow
    starts = [k for k in range(len(lines)) if lines[k].kind in (HSTRONG, HWEAK) or _is_author_line(lines, k)]
    if not starts:
        return _first_marker(lines, first_body_para)
    bounds = [*starts, len(lines)]
    scores = [_opinion_score(_block_text(lines, bounds[i], bounds[i + 1]), cues) for i in range(len(starts))]
    n = len(starts)
    opinion_after = [0] * (n + 1)
    headers_after = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        opinion_after[i] = opinion_after[i + 1] + (scores[i] >= 1)
        headers_after[i] = headers_after[i + 1] + (lines[starts[i]].kind in (HWEAK, HSTRONG))
    index = {k: i for i, k in enumerate(starts)}
    for k, ln in enumerate(lines):
        if ln.kind == BLANK or ln.para <= first_body_para:
            continue
        if ln.kind in (CMARK, EMARK, HSTRONG):
            return k
        i = index.get(k)
        if i is None:
            continue
        block = range(bounds[i] + 1, bounds[i + 1])
        has_widget = any(lines[j].kind == WIDGET for j in block)
        if ln.kind == HWEAK:
            if has_widget or any(lines[j].kind == TS for j in block) or (headers_after[i] >= 2 and scores[i] >= 1):
                return k
            continue
        _, saw_ts, saw_date = _next_content(lines, k)
        if saw_ts or scores[i] >= 2 or (saw_date and scores[i] >= 1):
            return k
        following = n - i
        majority = opinion_after[i] * 2 >= following
        if scores[i] >= 1 and following >= 2 and (majority or has_widget):
            return k
    return None


def _first_marker(lines: list[_Line], first_body_para: int) -> int | None:
    for k, ln in enumerate(lines):
        if ln.para > first_body_para and ln.kind in (CMARK, EMARK):
            return k
    return None


def _parse_section(text: str, lines: list[_Line], k0: int, in_comments: bool) -> list[Comment]:
    comments: list[Comment] = []
    author: str | None = None
    content: list[int] = []
    open_ = False

    def flush() -> None:
        nonlocal content, open_, author
        if open_ and content:
            a, b = lines[content[0]].start, lines[content[-1]].end
            comments.append(Comment(text=text[a:b], author=author, start=a, end=b))
        content, open_, author = [], False, None

    for k in range(k0, len(lines)):
        ln = lines[k]
        if ln.kind == BLANK:
            continue
        if ln.kind == CMARK:
            flush()
            in_comments = True
        elif ln.kind == EMARK:
            flush()
            in_comments = False
        elif ln.kind in (HSTRONG, HWEAK):
            flush()
            open_, author = True, ln.author
        elif ln.kind == TEXT and _is_author_line(lines, k):
            flush()
            open_, author = True, ln.s
        elif ln.kind in (TS, TSDATE, WIDGET):
            continue
        elif open_:
            content.append(k)
        elif in_comments:
            open_, author = True, None
            content.append(k)
    flush()
    return comments


def split_comments(text: str) -> tuple[int, list[Comment]]:
    """Find where the article ends and reader comments begin in plain text.

    Returns ``(body_end, comments)``: ``text[:body_end]`` is the article body and each comment
    carries its author (when a header or author line names one) and ``start``/``end`` offsets
    into ``text``.  When no comment section is recognised, returns ``(len(text), [])``.
    """
    cues = load_cues()
    lines = _lines(text, cues)
    cut = _find_cut(lines, cues)
    if cut is None:
        return len(text), []
    kind = lines[cut].kind
    return lines[cut].start, _parse_section(text, lines, cut, in_comments=kind == CMARK)


def _first_line_title(text: str) -> str | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return None
    first = lines[0]
    if len(first) <= 200 and not first.endswith((".", ",", ";")):
        return first
    return None


def clean_text(
    text: str,
    *,
    doc_id: str,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
    origin: str | None = None,
) -> Document:
    """Build a Document from plain text: ``text`` is kept exactly; the body is a prefix of it.

    ``title`` defaults to the first line when it reads like a headline (short, no final period).
    """
    body_end, comments = split_comments(text)
    return Document(
        doc_id=doc_id,
        text=text,
        body_start=0,
        body_end=body_end,
        comments=comments,
        title=title if title is not None else _first_line_title(text[:body_end]),
        published=published,
        source=source,
        url=url,
        origin=origin,
    )


# --------------------------------------------------------------------------- HTML

_CONTAINER_TOKEN = re.compile(
    r"comments?|comment[-_]?(?:s?[-_]?(?:list|area|section|wrap|wrapper|container|thread|threads|"
    r"respond|form|block|box|widget|holder|region|zone))|commentlist|commentform|respond|disqus[-_]?thread|"
    r"comments?[-_]?(?:title|count|heading|header|navigation|nav|pagination)|reply[-_]title",
    re.I,
)
_AUTHOR_TOKEN = re.compile(
    r"(?:comment[-_]?)?(?:author(?:[-_]?name)?|fn|username|user[-_]name|nickname|commenter|"
    r"comment[-_]?name|name)",
    re.I,
)
_CONTENT_TOKEN = re.compile(
    r"comment[-_]?(?:content|text|message|entry|body[-_]?text)|message|content|text|body[-_]?text",
    re.I,
)
_NOISE_TOKEN = re.compile(
    r".*(?:meta|date|time|reply|avatar|actions?|vote|votes|like|likes|share|report|permalink|edit|says|"
    r"awaiting[-_]moderation).*",
    re.I,
)
_SKIP_TAGS = {"script", "style", "noscript", "form", "button", "input", "textarea", "select", "img", "svg", "time"}
_NEVER_REMOVE = {"html", "body", "main", "head"}


def _tokens(el: Any) -> list[str]:
    return ((el.get("class") or "") + " " + (el.get("id") or "")).split()


def _is_individual(el: Any) -> bool:
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or el.tag in ("a", "span", "time", "html", "body"):
        return False
    itemtype = (el.get("itemtype") or "").lower()
    if itemtype.endswith("/comment") or (el.get("itemprop") or "").lower() == "comment":
        return True
    toks = _tokens(el)
    if any(_CONTAINER_TOKEN.fullmatch(t) for t in toks) and not any(
        re.fullmatch(r"(?:[a-z]+[-_])?comment[-_]\d+|comment", t, re.I) for t in toks
    ):
        return False
    if any(re.fullmatch(r"(?:[a-z]+[-_])?comment[-_]?\d+", t, re.I) for t in toks):
        return True
    if any(
        t.lower() in ("comment", "comment-item", "comment-entry", "commentlist-item", "comment-single") for t in toks
    ):
        return True
    parent = el.getparent()
    if el.tag == "li" and parent is not None and parent.tag in ("ol", "ul"):
        ptoks = _tokens(parent)
        return any(_CONTAINER_TOKEN.fullmatch(t) or t.lower() == "children" for t in ptoks) and (
            any("comment" in t.lower() for t in ptoks) or _has_comment_ancestor(parent)
        )
    return False


def _has_comment_ancestor(el: Any) -> bool:
    return any(any("comment" in t.lower() for t in _tokens(anc)) for anc in el.iterancestors())


def _text_of(el: Any, skip: set[Any]) -> str:
    """Text of ``el`` with block structure as newlines, skipping elements in ``skip`` and noise tags."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node in skip or not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
            if node.tail and node is not el:
                parts.append(node.tail)
            return
        if node.tag in ("p", "div", "br", "li", "blockquote", "article", "section", "footer", "header", "pre"):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tag in ("p", "div", "li", "blockquote", "article", "section", "pre"):
            parts.append("\n")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    raw = "".join(parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _extract_markup_comments(tree: Any) -> tuple[list[Comment], list[Any]]:
    """Comments from comment markup, and the elements to remove before body extraction."""
    individual = [el for el in tree.iter() if isinstance(el.tag, str) and _is_individual(el)]
    ind_set = set(individual)
    comments: list[Comment] = []
    for el in individual:
        nested = {d for d in el.iterdescendants() if d in ind_set}
        inner = set()
        for d in nested:
            inner.add(d)
        # the elements that belong to this comment and not to a nested one
        own = [
            d
            for d in el.iterdescendants()
            if isinstance(d.tag, str) and not any(a in nested for a in d.iterancestors())
        ]
        own = [d for d in own if d not in nested]
        author_el = None
        for d in own:
            toks = _tokens(d) + [(d.get("itemprop") or "")]
            if d.tag == "cite" or any(_AUTHOR_TOKEN.fullmatch(t) for t in toks if t):
                author_el = d
                fn = [x for x in d.iterdescendants() if isinstance(x.tag, str) and "fn" in _tokens(x)]
                if fn:
                    author_el = fn[0]
                break
        author = None
        if author_el is not None:
            author = _clean_author(_text_of(author_el, set()).split("\n")[0]) if _text_of(author_el, set()) else None
        content_el = None
        for d in own:
            toks = _tokens(d) + [(d.get("itemprop") or "")]
            if any(_CONTENT_TOKEN.fullmatch(t) for t in toks if t) and (
                author_el is None or author_el not in set(d.iterdescendants())
            ):
                content_el = d
                break
        if content_el is not None:
            body = _text_of(content_el, nested)
        else:
            skip = set(nested)
            for d in own:
                if d.tag in ("footer", "header", "cite", "time") or any(_NOISE_TOKEN.fullmatch(t) for t in _tokens(d)):
                    skip.add(d)
            if author_el is not None:
                skip.add(author_el)
            body = _text_of(el, skip)
        body = "\n".join(ln for ln in body.split("\n") if not load_cues().widget.fullmatch(ln))
        if body.strip():
            comments.append(Comment(text=body.strip(), author=author))
    removable: list[Any] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _NEVER_REMOVE:
            continue
        if el in ind_set or any(_CONTAINER_TOKEN.fullmatch(t) for t in _tokens(el)):
            removable.append(el)
    # keep only outermost
    rem_set = set(removable)
    outer = [el for el in removable if not any(a in rem_set for a in el.iterancestors())]
    return comments, outer


def _parse_html(html: str) -> Any:
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except ValueError:  # a str with an XML encoding declaration
        return lxml.html.fromstring(html.encode("utf-8"))


def _parse_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def clean_html(
    html: str,
    *,
    doc_id: str,
    url: str | None = None,
    origin: str | None = None,
    source: str | None = None,
    title: str | None = None,
    published: date | None = None,
) -> Document:
    """Build a Document from HTML.

    Comments are read from comment markup (elements classed/id'd "comment", with the author
    from ``.fn``/``.author``/``.comment-author``/``<cite>``), and those elements are removed before
    trafilatura extracts the body, so comments never reach ``Document.text``.  When the markup
    has no recognisable comments, trafilatura's own comment extraction is used (authors read
    from its text with the plain-text rules).  The body text is also passed through
    :func:`split_comments`, which cuts unmarked comment threads off its end.

    ``title``/``published``/``source`` given here win over the page's metadata (they come from the
    caller's own metadata, e.g. a JSONL record); otherwise trafilatura's metadata is used, with
    ``source`` falling back to the site name.  Raises DocumentError when no body text is found.
    """
    import trafilatura
    from lxml import etree

    name = origin or doc_id
    if not html.strip():
        raise DocumentError(name, "empty document")
    try:
        tree = _parse_html(html)
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(name, f"unparsable HTML ({type(e).__name__})") from None
    comments, remove = _extract_markup_comments(tree)
    for el in remove:
        parent = el.getparent()
        if parent is not None:
            tail = el.tail
            parent.remove(el)
            if tail and tail.strip():
                prev = parent[-1] if len(parent) else None
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
    try:
        res = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=not comments,
            with_metadata=True,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as e:  # trafilatura raises assorted errors on pathological trees
        raise DocumentError(name, f"HTML extraction failed ({type(e).__name__})") from None
    body = (getattr(res, "text", None) or "").strip() if res is not None else ""
    if not body:
        raise DocumentError(name, "no article text found in HTML")
    if not comments and res is not None and getattr(res, "comments", None):
        ctext: str = res.comments
        cues = load_cues()
        clines = _lines(ctext, cues)
        parsed = _parse_section(ctext, clines, 0, in_comments=True)
        comments = [Comment(text=c.text, author=c.author) for c in parsed] or [
            Comment(text=ln.strip()) for ln in ctext.splitlines() if ln.strip()
        ]
    body_end, tail_comments = split_comments(body)
    comments.extend(tail_comments)
    meta_title = getattr(res, "title", None)
    return Document(
        doc_id=doc_id,
        text=body,
        body_start=0,
        body_end=body_end,
        comments=comments,
        title=title or meta_title or None,
        published=published or _parse_date(getattr(res, "date", None)),
        source=source or getattr(res, "sitename", None) or None,
        url=url or getattr(res, "url", None) or None,
        origin=origin,
    )
