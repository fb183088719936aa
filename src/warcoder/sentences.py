"""Sentence and paragraph splitting that keeps exact character offsets.

A rule-based splitter (no model): paragraphs are separated by blank lines (or single newlines
followed by an indented/short line), sentences end at ., ! or ? followed by whitespace and an
upper-case letter, a digit or a quote, unless the word before the stop is a known abbreviation
("Gen.", "U.S.", "Lt.", "No.", initials).  Offsets always index into the document text.
"""

from __future__ import annotations

import re

from .model import Sentence

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cpt",
    "sgt",
    "st",
    "sen",
    "rep",
    "gov",
    "pres",
    "no",
    "nos",
    "vs",
    "etc",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "km",
    "mt",
    "ft",
    "jr",
    "sr",
    "prof",
    "brig",
    "adm",
    "cmdr",
    "cdr",
    "insp",
    "supt",
    "dist",
    "div",
    "est",
    "co",
    "corp",
    "inc",
    "ltd",
    "rev",
}

_PARA = re.compile(r"\n[ \t]*\n+|\r\n[ \t]*\r\n+")
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph in text[start:end]."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    for m in _PARA.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [_strip(text, s, e) for s, e in out if text[s:e].strip()]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def split(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of text[start:end], each with its paragraph number and exact offsets."""
    out: list[Sentence] = []
    for pno, (ps, pe) in enumerate(paragraphs(text, start, end)):
        # single newlines inside a paragraph also end a sentence when the line has no final stop
        # and the next starts upper-case (headlines, lists)
        s = ps
        for m in _END.finditer(text, ps, pe):
            word = re.search(r"([A-Za-z.]+)\.*[\"'”’)\]]*$", text[s : m.end()])
            w = word.group(1).lower().rstrip(".") if word else ""
            if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                continue
            a, b = _strip(text, s, m.end())
            if b > a:
                out.extend(_lines(text, a, b, pno))
            s = m.end()
        a, b = _strip(text, s, pe)
        if b > a:
            out.extend(_lines(text, a, b, pno))
    return out


def _lines(text: str, a: int, b: int, pno: int) -> list[Sentence]:
    """Break a sentence further at newlines that end a line with no stop (headlines, list items)."""
    res: list[Sentence] = []
    s = a
    for m in re.finditer(r"\n", text[a:b]):
        i = a + m.start()
        prev = text[s:i].rstrip()
        nxt = text[i + 1 : b].lstrip()
        if prev and not prev.endswith((",", ";", ":", "-", "–")) and nxt[:1].isupper():
            x, y = _strip(text, s, i)
            if y > x:
                res.append(Sentence(x, y, text[x:y], pno))
            s = i + 1
    x, y = _strip(text, s, b)
    if y > x:
        res.append(Sentence(x, y, text[x:y], pno))
    return res
