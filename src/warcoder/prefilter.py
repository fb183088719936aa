"""A prefilter for sets of regexes: which of them can match a text, from one Aho-Corasick pass over it.

Each regex's matches all contain one of a set of literal strings, read off its parsed form (the literals
a match starts with, those of every branch of an alternation, or those a later part starts with).  A
regex none of whose literals occurs in the text (lower-cased, with ``FOLD``) cannot match, so it need not
be searched.  The trigger macros (``events.EventTyper``) and the discourse rules (``discourse``) are
searched through one each; the results are the same as searching every regex, only faster.

``first_chars`` reads the characters a pattern's matches can start with, which ``events`` puts in a
lookahead before each trigger macro (the same speed-up inside one regex search).
"""

from __future__ import annotations

import re
from typing import Any

try:  # the regex parser (the same that compiles every pattern): the literals and first characters of a pattern
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # Python < 3.11
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

MIN_LITERAL = 1  # a macro whose matches may start with a shorter literal is always searched
REQUIRED_LITERAL = 3  # literals shorter than this are looked for elsewhere in the pattern first
MAX_LITERALS = 4000  # nor is a macro with more literal starts than this searched through the prefilter

# Characters that a case-insensitive regex matches with an ASCII letter although str.lower() does not give
# that letter (tests/test_events_prefilter.py checks this table against every character).
FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def parse(pattern: str) -> Any:
    """A regex source parsed as re compiles it, case-insensitively."""
    return _P.parse(pattern, re.I)


def first_chars(seq: Any) -> tuple[set[str] | None, bool]:
    """The characters a parsed regex sequence can start with (None: any) and whether it can match empty."""
    chars: set[str] = set()
    for op, av in seq:
        if op is _C.AT or op in (_C.ASSERT, _C.ASSERT_NOT):  # zero-width: no constraint
            continue
        sub: set[str] | None
        if op is _C.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is _C.IN:
            for o, a in av:
                if o is _C.LITERAL:
                    chars.add(chr(a))
                elif o is _C.RANGE and a[1] - a[0] < 300:
                    chars.update(chr(x) for x in range(a[0], a[1] + 1))
                elif o is _C.CATEGORY and a is _C.CATEGORY_DIGIT:
                    chars.update("0123456789")
                else:
                    return None, False
            return chars, False
        if op is _C.SUBPATTERN:
            sub, nullable = first_chars(av[-1])
        elif op is _C.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                s, n = first_chars(alt)
                if s is None:
                    return None, False
                sub |= s
                nullable = nullable or n
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            sub, nullable = first_chars(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not nullable:
            return chars, False
    return chars, True


def _class_chars(av: Any) -> set[str] | None:
    """The ASCII characters a character class ``[...]`` (or ``\\d``) stands for, None for anything wider."""
    out: set[str] = set()
    for o, a in av:
        if o is _C.LITERAL and a < 128:
            out.add(chr(a).lower())
        elif o is _C.RANGE and a[1] < 128 and a[1] - a[0] < 10:
            out.update(chr(x).lower() for x in range(a[0], a[1] + 1))
        elif o is _C.CATEGORY and a is _C.CATEGORY_DIGIT:
            out.update("0123456789")
        else:
            return None
    return out


def literal_starts(seq: Any) -> tuple[set[str] | None, bool]:
    """The lower-case literal strings that every match of a parsed regex sequence starts with (None: some
    match may start with anything), and whether the sequence is wholly literal (matching may go on after it).
    An optional part (``(?:hand )?grenade``) gives the literals with it and without it."""
    items = list(seq)
    cur = {""}
    for i, (op, av) in enumerate(items):
        if op is _C.AT or op in (_C.ASSERT, _C.ASSERT_NOT):  # zero-width
            continue
        part: set[str] | None
        if op is _C.LITERAL and av < 128:  # ASCII only: FOLD covers how re.I folds onto ASCII letters
            part, whole = {chr(av).lower()}, True
        elif op is _C.IN:
            part, whole = _class_chars(av), True
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            part, whole = set("0123456789"), True
        elif op is _C.SUBPATTERN:
            part, whole = literal_starts(av[-1])
        elif op is _C.BRANCH:
            alts = [literal_starts(alt) for alt in av[1]]
            if any(a is None for a, _ in alts):
                part, whole = None, False
            else:
                # a branch that is literal only in part ends every literal here (whole is then False)
                part, whole = set().union(*(a for a, _ in alts)), all(w for _, w in alts)  # type: ignore[arg-type]
        elif (op is _C.MAX_REPEAT or op is _C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            rest = items[i + 1 :]
            with_it, _ = literal_starts([*av[2], *rest])
            without, _ = literal_starts(rest) if rest else (None, False)
            if with_it is None or without is None:
                return (cur if cur != {""} else None), False
            out = {p + q for p in cur for q in with_it | without}
            return (out if len(out) <= MAX_LITERALS else None), False
        elif op is _C.MAX_REPEAT or op is _C.MIN_REPEAT:
            lo, hi, item = av
            inner, inner_whole = literal_starts(item) if lo >= 1 else (None, False)
            part, whole = inner, inner_whole and lo == hi == 1
        else:
            part, whole = None, False
        if part is None:
            return (cur if cur != {""} else None), False
        cur = {p + q for p in cur for q in part}
        if len(cur) > MAX_LITERALS:
            return None, False
        if not whole:
            return cur, False
    return cur, True


def required_literals(seq: Any, depth: int = 0) -> set[str] | None:
    """Literals one of which every match of a parsed sequence contains (not necessarily at its start), or None.

    The literals a match starts with, when they are long enough; else those of an alternation's every
    branch; else those that a later part of the sequence starts with (the match contains that part's)."""
    lits, _ = literal_starts(seq)
    if lits and min(len(x) for x in lits) >= REQUIRED_LITERAL:
        return lits
    items = list(seq)
    if depth > 6:
        return lits
    for i, (op, av) in enumerate(items):
        if op is _C.SUBPATTERN:
            inner = required_literals(av[-1], depth + 1)
        elif op is _C.BRANCH:
            alts = [required_literals(alt, depth + 1) for alt in av[1]]
            inner = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        elif (op is _C.MAX_REPEAT or op is _C.MIN_REPEAT) and av[0] >= 1:
            inner = required_literals(av[2], depth + 1)
        else:
            inner, _ = literal_starts(items[i:]) if i else (None, False)
        if inner and min(len(x) for x in inner) >= REQUIRED_LITERAL and len(inner) <= MAX_LITERALS:
            return inner
    return lits


TABLE_VERSION = 1  # raise when the way literals are read off a pattern changes: older cached tables are then unused


def literal_table(patterns: dict[str, str]) -> dict[str, list[str] | None]:
    """Each pattern's required literals, read from the cache (``$WARCODER_CACHE``, as the gazetteer index)
    when the same patterns were read before: working them out takes about 0.1 s of every start-up."""
    import hashlib
    import json
    import os

    from .gazetteer.paths import default_cache_dir

    key = hashlib.sha256(json.dumps([TABLE_VERSION, patterns], sort_keys=True).encode()).hexdigest()[:16]
    path = default_cache_dir() / f"prefilter-{key}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if (
            isinstance(cached, dict)
            and set(cached) == set(patterns)
            and all(
                v is None or (isinstance(v, list) and all(isinstance(x, str) and x for x in v)) for v in cached.values()
            )
        ):
            return cached
    except (OSError, ValueError):
        pass
    table: dict[str, list[str] | None] = {}
    for name, pattern in patterns.items():
        lits = required_literals(parse(pattern))
        table[name] = sorted(lits) if lits is not None else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(table), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only cache: work it out each time
        pass
    return table


class Prefilter:
    """Which of a set of named regexes can match a text, from one Aho-Corasick pass (pyahocorasick).

    A regex without literals (or with one shorter than MIN_LITERAL) is always a candidate."""

    def __init__(self, patterns: dict[str, str]) -> None:
        """``patterns``: name -> regex source, compiled case-insensitively by its user."""
        import ahocorasick

        always = set()
        by_literal: dict[str, set[str]] = {}
        for name, lits in literal_table(patterns).items():
            if not lits or min(len(x) for x in lits) < MIN_LITERAL:
                always.add(name)
                continue
            for lit in lits:
                by_literal.setdefault(lit, set()).add(name)
        self.always = frozenset(always)
        self._automaton = ahocorasick.Automaton()
        for lit, names in by_literal.items():
            self._automaton.add_word(lit, frozenset(names))
        if by_literal:
            self._automaton.make_automaton()
        self._empty = not by_literal

    def candidates(self, text: str) -> set[str]:
        found = set(self.always)
        if not self._empty:
            for _, names in self._automaton.iter(text.translate(FOLD).lower()):
                found |= names
        return found
