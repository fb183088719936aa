"""Fatalities, by ACLED's conservative rules.

- An explicit total ("2 fatalities", "Fatalities coded as 4") wins.
- Otherwise kill statements in the event's sentences are added up: "29 ISIS members were reportedly
  killed", "killing two soldiers and a civilian", "a man was shot dead", "one person died".
- Vague quantities follow ACLED: "dozens" 12, "tens" 10, "hundreds" 100, "several" 3; "many" counts 0.
- Injuries, arrests and abductions are not fatalities; "no casualties" / "no fatalities" gives 0.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from warcoder import knowledge


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return knowledge.load_yaml("quantities.yaml")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    s = _spec()
    words = sorted(list(s["numbers"]) + list(s["vague"]), key=len, reverse=True)
    num = rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+|(?:{'|'.join(words)})(?:[\s-]+(?:{'|'.join(words)}))?)"
    noun = s["people_nouns"]
    killed = (
        r"(?:killed|dead|died|slain|found dead|shot dead|shot to death|stabbed to death|beaten to death|hacked to death"
        r"|shot and killed|murdered|executed|beheaded|assassinated|lost their lives"
        r"|lost his life|lost her life|perished|were killed|was killed|fatalities|fatality|deaths?|bodies)"
    )
    upto = r"(?:at least|more than|over|about|around|approximately|nearly|some|up to|a total of)?\s*"
    return (  # the first three are explicit totals; the others are added up
        # explicit totals
        re.compile(rf"\bfatalities (?:were )?coded as {num}", re.I),
        re.compile(rf"\bfatalities (?:are |were )?split (?:across|between) \w+ events \({num}\)", re.I),
        re.compile(rf"(?<![\w.]){upto}{num}\s+(?:\w+\s+)?fatalit(?:y|ies)\b", re.I),
        # "5 FC personnel and 1 officer were killed", "One Mayi Mayi was killed": a number and any short
        # noun phrase right before the passive verb
        re.compile(
            rf"(?<![\w.]){upto}{num}\s+(?:[\w'-]+\s+){{1,3}}(?:of (?:the )?(?:[\w'-]+\s+){{1,2}})?"
            rf"(?:(?:and|as well as)\s+(?P<n2>\d+|a|an|one|two|three|four"
            rf"|five)\s+(?:[\w'-]+\s+){{1,3}})?(?:were|was|have been|had been|being)\s+(?:(?:\w+ly|also)\s+)?"
            rf"(?:killed|shot dead|shot to death|stabbed to death|beaten to death|executed|murdered|assassinated)\b",
            re.I,
        ),
        # "29 ISIS members were reportedly killed", "two soldiers died", "3 killed"
        re.compile(
            rf"(?<![\w.]){upto}{num}\s+(?:(?:[\w'-]+\s+){{0,3}}{noun}\s+)?"
            rf"(?:(?:were|was|have been|had been|are|got|being)\s+)?(?:(?:\w+ly|also)\s+)?{killed}\b",
            re.I,
        ),
        # "killing two soldiers", "killed 3 civilians", "killed a man"
        re.compile(
            rf"\b(?:killing|killed|kills|murdering|murdered|executed|executing|beheaded|assassinated|assassinating"
            rf"|slaying|left|shot dead"
            rf"|shooting dead|gunned down|gunning down|shot and killed)\s+{upto}{num}"
            rf"\s+(?:[\w'-]+\s+){{0,3}}?{noun}(?!\s+(?:injured|wounded))",
            re.I,
        ),
        # "nine members of the regime forces and allied militiamen were killed", "four of its members were martyred":
        # a figure and a people noun, then the rest of the subject (no comma, no reporting verb), then the verb
        re.compile(
            rf"(?<![\w.]){upto}{num}\s+(?:of\s+(?:its|their|his|her|the)\s+)?(?:[\w'-]+\s+){{0,2}}?{noun}\b"
            rf"(?:(?!\b(?:said|says|say|told|claimed|reported|added|and (?:\w+ )?(?:were|was))\b)[^.;,!?]){{0,90}}?"
            rf"\b(?:were|was|have been|had been)\s+(?:(?:\w+ly|also)\s+)?[\"“]?"
            rf"(?:killed|martyred|shot dead|executed)\b",
            re.I,
        ),
        # "two soldiers were among the dead", "a child was among those killed"
        re.compile(
            rf"(?<![\w.]){upto}{num}\s+(?:[\w'-]+\s+){{0,3}}?{noun}(?:\s+and\s+(?P<n2>\d+|a|an|one|two|three|four|five|six"
            rf"|seven|eight|nine|ten)\s+(?:[\w'-]+\s+){{0,2}}?{noun})?\s+(?:were|was)\s+(?:also\s+)?among\s+"
            rf"(?:the dead|the victims|the fatalities|those (?:killed|who died))\b",
            re.I,
        ),
        # "the death of 3 people", "the bodies of two men"
        re.compile(rf"\b(?:deaths? of|bodies of|body of){upto}\s*{num}\s+(?:[\w'-]+\s+){{0,2}}?{noun}", re.I),
    )


_NONE = re.compile(
    r"\bno (?:\w+ )?(?:fatalities|casualties|deaths|one was killed|injuries or fatalities)\b"
    r"|\bfatalities (?:were )?not reported\b|\bunknown number of (?:fatalities|dead)\b",
    re.I,
)


_YEAR = re.compile(
    r"((?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?,?)\s+((?:19|20)\d\d)\b",
    re.I,
)


def to_int(token: str) -> int | None:
    s = _spec()
    t = token.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    total = 0
    for part in re.split(r"[\s-]+", t):
        if part in s["numbers"]:
            total += s["numbers"][part]
        elif part in s["vague"]:
            total += s["vague"][part]
        else:
            return None
    return total


_YEAR_BEFORE = re.compile(r"\b(?:in|since|of|by|until|from|during|before|after)\s*$", re.I)


def _a_year(text: str, m: re.Match[str]) -> bool:
    """Is the figure a year ("in 2019 the group's leaders were killed")?"""
    n = m["n"]
    return len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2100 and bool(_YEAR_BEFORE.search(text[: m.start("n")]))


def count(text: str) -> int:
    """Fatalities stated in text (an event's sentences)."""
    pats = _patterns()
    text = _YEAR.sub(lambda m: m.group(1) + " " + "y" * len(m.group(2)), text)  # "9 May 2020, 2 ..." is not 2020
    for rx in pats[:3]:
        m = rx.search(text)
        if m:
            n = to_int(m["n"])
            if n is not None:
                return n
    total = 0
    seen: list[tuple[int, int]] = []
    for rx in pats[3:]:
        for m in rx.finditer(text):
            if any(not (m.end() <= a or m.start() >= b) for a, b in seen):
                continue
            n = to_int(m["n"])
            if n is None or _a_year(text, m):
                continue
            # "two others injured" etc. are not deaths; guard against "killed ... injured"
            tail = text[m.end("n") : m.end()]
            if re.search(r"injur|wound", tail, re.I):
                continue
            seen.append((m.start(), m.end()))
            total += n
            if "n2" in rx.groupindex and m["n2"]:
                total += to_int(m["n2"]) or 0
    if total == 0 and _NONE.search(text):
        return 0
    if total == 0 and re.search(
        r"\b(?:a|one) (?:\w+ )?(?:man|woman|person|child|boy|girl|soldier|civilian|officer|policeman)\b[^.]{0,40}"
        r"\b(?:was|were) (?:killed|shot dead|murdered|assassinated|found dead|shot to death|stabbed to death"
        r"|beaten to death"
        r"|hacked to death|lynched|burned alive)\b"
        r"|\b(?:killed|killing|lynched|lynching|murdered|assassinated|shot dead|gunned down) (?:a|one|the) \w+"
        r"|\b(?:body|corpse) of (?:a|an) \w+",
        text,
        re.I,
    ):
        return 1
    return total


_PARTIAL = re.compile(
    r"\bamong (?:the dead|the victims|the fatalities|those (?:killed|who died))\b|\bbod(?:y|ies) of\b", re.I
)


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    s = _spec()
    return re.compile(s["estimate_cues"], re.I), re.compile(s["additive_cues"], re.I)


def count_parts(texts: list[str]) -> tuple[int, int, int]:
    """Fatalities of one event told over several sentences, as (fatalities, low, high).

    When a later sentence gives another figure for the same deaths (it cites a source or a toll, or updates
    it, and does not tell of other people), the figures are estimates of one toll: ACLED's figure is the
    lowest, and low/high give the range.  A figure for some of the dead ("four children were among the
    dead", "the bodies of ...") is a floor under the toll, never added to it.  Otherwise the sentences'
    figures add up, as ``count`` adds a text's statements."""
    whole = count(" ".join(texts))
    if len(texts) < 2:  # one sentence: nothing to compare (most events)
        return whole, whole, whole
    if any(rx.search(t) for rx in _patterns()[:3] for t in texts):  # an explicit total
        return whole, whole, whole
    figures = [(count(t), t) for t in texts]
    stated = [(n, t) for n, t in figures if n > 0]
    if len(stated) < 2:
        return whole, whole, whole
    # a figure for some of the dead ("four children were among the dead", "the bodies of a woman and her sons")
    # says the toll is at least that much; it neither adds to the toll nor competes with it as an estimate
    partial = [bool(_PARTIAL.search(t)) for _, t in stated]
    totals = [nt for nt, p in zip(stated, partial, strict=True) if not p]
    floor = max((n for (n, _), p in zip(stated, partial, strict=True) if p), default=0)
    if not totals:
        return whole, whole, whole
    estimate, additive = _cues()
    if len(totals) == 1 or all(estimate.search(t) and not additive.search(t) for _, t in totals[1:]):
        ns = [n for n, _ in totals]
        low = max(min(ns), floor)
        return low, low, max(max(ns), low)
    n = max(count(" ".join(t for _, t in totals)), floor)
    return n, n, n


def split(total: int, parts: int) -> list[int]:
    """Split a total across events as ACLED does: evenly, the remainder to the first ones."""
    if parts <= 1:
        return [total]
    base, rem = divmod(total, parts)
    return [base + (1 if i < rem else 0) for i in range(parts)]
