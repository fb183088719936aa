"""The main event of an article: the events of one document ranked by how central they are.

Users ask for "the" event of an article.  News puts it first: in the headline and the lead, told most
often, usually the deadliest.  Each event scores (weights in ``data/discourse.yaml`` ``rank``):

- ``headline``: its place, or its fatality figure, is in the headline (or title);
- ``lead``: its first evidence sentence is in the lead (the article's first paragraph of news);
- ``mentions``: the sentences that tell it (its evidence), up to three;
- ``fatalities``: log(1 + fatalities);
- ``order``: a small penalty per event told before it, so that ties go to the first told.

``article_rank`` is 1 for the highest score, 2 for the next, and so on.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..knowledge import shared_yaml
from ..model import Event


def _weights() -> dict[str, float]:
    return {k: float(v) for k, v in shared_yaml("discourse.yaml")["rank"].items()}


def _in_headline(ev: Event, headline: str) -> bool:
    if not headline:
        return False
    h = headline.lower()
    names = [n for n in (ev.location, ev.admin2, ev.admin1) if n and n != ev.country]
    if any(re.search(rf"\b{re.escape(n.lower())}\b", h) for n in names):
        return True
    return ev.fatalities > 0 and re.search(rf"\b{ev.fatalities}\b", h) is not None


def rank_events(events: list[Event], headline: str, lead_end: int) -> list[Event]:
    """``events`` (in text order) with ``article_rank`` set; ``lead_end`` is the offset where the lead ends."""
    w = _weights()
    scores = []
    for i, ev in enumerate(events):
        first = ev.evidence[0].start if ev.evidence else lead_end
        scores.append(
            w["headline"] * _in_headline(ev, headline)
            + w["lead"] * (first < lead_end)
            + w["mentions"] * min(len(ev.evidence), 3)
            + w["fatalities"] * math.log1p(max(ev.fatalities, 0))
            - w["order"] * i
        )
    order = sorted(range(len(events)), key=lambda i: (-scores[i], i))
    ranks = {i: r + 1 for r, i in enumerate(order)}
    return [replace(ev, article_rank=ranks[i]) for i, ev in enumerate(events)]
