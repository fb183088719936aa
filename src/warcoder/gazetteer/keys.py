"""Transliteration-tolerant keys of place names.

Two key levels:
- the *strong* key (``normalize``): lower-case, no diacritics/marks/articles, light spelling rules;
- the *weak* skeleton key (``skeleton``): consonant skeleton of the strong key, only for keys long
  enough to be safe, meant for capitalised text spans only.

The rules are data: ``data/translit.yaml``.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from unidecode import unidecode

from .. import knowledge

# a name's words written together are a loose key from this length ("kotdiji", "ceelbuur"; not "lapaz")
COMPACT_MIN_LEN = 6


class Translit:
    """Name normaliser driven by ``translit.yaml``."""

    def __init__(self, path: Path | None = None) -> None:
        cfg = knowledge.parse_yaml(path.read_text(encoding="utf-8")) if path else knowledge.load_yaml("translit.yaml")
        self.marks = re.compile("[" + re.escape("".join(cfg.get("marks", []))) + "]")
        self.articles = frozenset(cfg.get("articles", []))
        self.inner_particles = frozenset(cfg.get("inner_particles", []))
        self.name_openers = frozenset(cfg.get("name_openers", []))
        self.token_rewrites: dict[str, str] = dict(cfg.get("token_rewrites") or {})
        self.token_regex: list[tuple[re.Pattern[str], str, bool]] = [
            (re.compile(p), r, where == "not_first") for p, r, where in cfg.get("token_regex", [])
        ]
        self.skeleton_regex = [(re.compile(p), r) for p, r in cfg.get("skeleton_regex", [])]
        # the same rules, a plain string (no regex syntax, on either side) as (string, replacement, None): a
        # str.replace after an ``in`` test does what the regex does, several times as fast
        self._token_rules = [(*fast_rule(rx, r), nf) for rx, r, nf in self.token_regex]
        self._skeleton_rules = [fast_rule(rx, r) for rx, r in self.skeleton_regex]
        self.skeleton_min_len = int(cfg.get("skeleton_min_len", 4))
        aff = cfg.get("admin_affixes") or {}
        self._admin_prefix = re.compile(aff["prefix"], re.I) if aff.get("prefix") else None
        self._admin_suffix = re.compile(aff["suffix"], re.I) if aff.get("suffix") else None
        self._nonword = re.compile(r"[^a-z0-9]+")
        self._ascii_mark_chars = tuple(chr(i) for i in range(128) if self.marks.fullmatch(chr(i)))
        self._first_tokens: dict[str, str] = {}  # token -> _token(token, True)
        self._rest_tokens: dict[str, str] = {}  # token -> _token(token, False)
        self.normalize = lru_cache(maxsize=500_000)(self._normalize)  # type: ignore[method-assign]
        self.skeleton = lru_cache(maxsize=200_000)(self._skeleton)  # type: ignore[method-assign]
        self.admin_core = lru_cache(maxsize=100_000)(self._admin_core)  # type: ignore[method-assign]

    def _normalize(self, name: str) -> str:
        if name.isascii():  # unidecode leaves ASCII as it is: the marks go (a replace beats a translate table)
            s = name
            for c in self._ascii_mark_chars:
                if c in s:
                    s = s.replace(c, "")
            s = s.lower()
        else:
            s = self.marks.sub("", name)
            s = unidecode(s).lower()
            s = self.marks.sub("", s)
        toks = [t for t in self._nonword.split(s) if t]
        if not toks:
            return ""
        toks = [self.token_rewrites.get(t, t) for t in toks]
        if len(toks) > 1:
            kept = [t for t in toks if t not in self.articles]
            toks = kept or toks[-1:]
        if len(toks) > 2:
            toks = [t for k, t in enumerate(toks) if t not in self.inner_particles or k in (0, len(toks) - 1)]
        out = []
        first, rest = self._first_tokens, self._rest_tokens
        for i, t in enumerate(toks):
            seen = first if i == 0 else rest
            k = seen.get(t)
            if k is None:
                k = self._token(t, i == 0)
                if len(seen) >= 100_000:
                    seen.clear()
                seen[t] = k
            if k:
                out.append(k)
        return " ".join(out)

    def _token(self, t: str, first: bool) -> str:
        """One token after the spelling rules (some rules skip a name's first token)."""
        for how, lit, rep, rx, not_first in self._token_rules:
            if not (not_first and first):
                t = apply_rule(how, lit, rep, rx, t)
        return t

    def admin_core(self, name: str) -> str:  # replaced by a cached _admin_core in __init__
        return self._admin_core(name)

    def _admin_core(self, name: str) -> str:
        """An admin unit's name without its generic words: "Departement du Nord" -> "Nord",
        "Laurel County" -> "Laurel" (the name itself when nothing is left)."""
        s = name
        if self._admin_prefix is not None:
            s = self._admin_prefix.sub("", s)
        if self._admin_suffix is not None:
            s = self._admin_suffix.sub("", s)
        s = s.strip()
        return s or name

    def _skeleton(self, key: str) -> str:
        s = key.replace(" ", "")
        for how, lit, rep, rx in self._skeleton_rules:
            s = apply_rule(how, lit, rep, rx, s)
        return s if len(s) >= self.skeleton_min_len else ""


# how a spelling rule is applied: the same result as ``rx.sub(rep, s)`` every time, by the cheapest means
RULE_SUB, RULE_PLAIN, RULE_ANCHORED, RULE_COLLAPSE = range(4)
_COLLAPSE = r"(.)\1+"  # a repeated character once: "Raqqa" -> "Raqa"


def fast_rule(rx: re.Pattern[str], rep: str) -> tuple[int, str, str, re.Pattern[str]]:
    r"""A spelling rule (a regex and its replacement) as (how, plain string, replacement, regex).

    ``re.sub`` tries a pattern at every position of a token, which costs 2-4 us even where it cannot match:
    a plain string on both sides is a ``str.replace`` after an ``in`` test; a pattern anchored at the start
    (``^...``, no top-level ``|``) can only match there, once (``rx.match``); ``(.)\1+`` -> ``\1`` collapses
    runs of a character. Anything else stays a ``re.sub``."""
    p = rx.pattern
    if rx.flags != re.UNICODE:
        return RULE_SUB, "", rep, rx
    if p and re.escape(p) == p and "\\" not in rep:
        return RULE_PLAIN, p, rep, rx
    if p == _COLLAPSE and rep == "\\1":
        return RULE_COLLAPSE, "", rep, rx
    if p.startswith("^") and not _top_level_bar(p):
        return RULE_ANCHORED, "", rep, rx
    return RULE_SUB, "", rep, rx


def _top_level_bar(p: str) -> bool:
    """Whether a regex has an alternation ``|`` outside any group (``^a|b`` is not anchored)."""
    depth, k, in_class = 0, 0, False
    while k < len(p):
        c = p[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if p[k + 1 : k + 2] == "]" or p[k + 1 : k + 3] == "^]":  # "[]...]", "[^]...]"
                k += 2 if p[k + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        k += 1
    return False


def apply_rule(how: int, lit: str, rep: str, rx: re.Pattern[str], s: str) -> str:
    if how == RULE_PLAIN:
        return s.replace(lit, rep) if lit in s else s
    if how == RULE_ANCHORED:
        m = rx.match(s)
        return s if m is None else m.expand(rep) + s[m.end() :]
    if how == RULE_COLLAPSE and "\n" not in s:  # "." matches all but a newline
        return "".join([c for c, _ in groupby(s)])
    return rx.sub(rep, s)


_TRANSLIT: Translit | None = None


def translit() -> Translit:
    global _TRANSLIT
    if _TRANSLIT is None:
        _TRANSLIT = Translit()
    return _TRANSLIT


def normalize(name: str) -> str:
    """The strong key of a name: ``normalize("Deir ez-Zor") == normalize("Deir Ezzor")``."""
    return translit().normalize(name)


def skeleton(name: str) -> str:
    """The weak key of a name ("" when too short to be safe)."""
    return translit().skeleton(translit().normalize(name))


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


# --------------------------------------------------------------------------------------------
# countries
