"""Per-document time bound (issue 19): the look-ups that once scanned the whole document for each
sentence (its places, the earlier sentences of its paragraph) give what the scan gave."""

from __future__ import annotations

import random

from warcoder.coding.coder import earlier_in_paragraph
from warcoder.model import Location, Span
from warcoder.places.toponym import ResolvedPlaces


def _loc(start: int, end: int) -> Location:
    return Location("", f"L{start}", None, None, 1, span=Span(start, end, "x"))


def test_places_in_a_span_equal_the_scan() -> None:
    rng = random.Random(5)
    locs = []
    for _ in range(300):
        s = rng.randrange(0, 5000)
        locs.append(_loc(s, s + rng.randrange(1, 30)))
    locs.append(Location("", "no span", None, None, 3))
    res = ResolvedPlaces(None, locs)
    for _ in range(200):
        a = rng.randrange(0, 5000)
        b = a + rng.randrange(0, 400)
        want = [x for x in locs if x.span is not None and x.span.start >= a and x.span.end <= b]
        assert res.in_span(a, b) == want
    res.locations.append(_loc(10, 12))  # the list grows: the index follows
    assert res.locations[-1] in res.in_span(0, 20)


class _S:
    def __init__(self, start: int, end: int, paragraph: int) -> None:
        self.start, self.end, self.paragraph = start, end, paragraph


class _I:
    def __init__(self, sent: _S) -> None:
        self.sent = sent


def test_earlier_sentences_of_a_paragraph_equal_the_scan() -> None:
    rng = random.Random(2)
    infos, pos = [], 0
    for _ in range(200):
        n = rng.randrange(5, 80)
        infos.append(_I(_S(pos, pos + n, rng.choice([0, 0, 1, 2]) if pos else 0)))
        pos += n + 1
    earlier = earlier_in_paragraph(infos)  # type: ignore[arg-type]
    for info in infos:
        want = [i for i in infos if i.sent.paragraph == info.sent.paragraph and i.sent.end <= info.sent.start]
        assert earlier(info) == want  # type: ignore[arg-type]
