"""What the coder knows about each sentence, and the groups of sentences (clusters) that make one event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .. import dates as dates_mod
from ..actors import ActorMention
from ..events import claim_clause, prior_event_clause
from ..model import Location, Sentence

_PRIOR_EVENT = prior_event_clause()
_CLAIM_BACK = claim_clause()


@dataclass
class SentInfo:
    sent: Sentence
    dates: list[dates_mod.DateMention]
    actors: list[ActorMention]
    locations: list[Location]
    candidate: bool
    trigger_pos: int  # offset of the first trigger word, -1 when none
    role: str = "lead"  # discourse.ROLES: only lead and elaboration sentences make or enrich events


@dataclass
class Cluster:
    main: SentInfo
    parts: list[SentInfo]
    when: date | None
    precision: int
    locations: list[Location]
    context: list[ActorMention] = field(default_factory=list)  # actors earlier in the same paragraph
    previous: list[ActorMention] = field(default_factory=list)  # actors of the sentence just before, same paragraph

    @property
    def text(self) -> str:
        return " ".join(p.sent.text for p in self.parts)

    @property
    def masked(self) -> str:
        """The text with named armed groups blanked, so that a name ("National Front for the Liberation
        of Syria") cannot trigger a sub-type."""
        return " ".join(mask(p) for p in self.parts)


def mask(info: SentInfo) -> str:
    """The sentence as typing sees it: named armed groups blanked, and the clause naming an earlier event
    that this one answered ("in response to rocket fire")."""
    s = info.sent.text
    for a in info.actors:
        if a.named and a.kind in ("rebel", "militia", "identity", "external") and a.template == a.text:
            i, j = a.start - info.sent.start, a.end - info.sent.start
            s = s[:i] + "X" * (j - i) + s[j:]
    return _PRIOR_EVENT.sub(lambda m: "X" * len(m.group(0)), s)


def blank_claims(s: str) -> str:
    """``s`` with its claims of responsibility for an event already reported blanked, offsets kept."""
    return _CLAIM_BACK.sub(lambda m: "X" * len(m.group(0)), s)


def family(a: ActorMention) -> str:
    return a.template.split("(")[0].strip().lower() + "|" + (a.country or "")


def same_places(a: list[Location], b: list[Location]) -> bool:
    def key(loc: Location) -> tuple[float, float]:
        return (round(loc.latitude or 0, 2), round(loc.longitude or 0, 2))

    return bool({key(x) for x in a} & {key(x) for x in b})


def contains_all(outer: list[Location], inner: list[Location]) -> bool:
    """Are all of ``outer`` whole countries that hold the places of ``inner`` ("in Providencia, Metropolitana,
    citizens marched ... Police forces of Chile dispersed them": the same place, not a new one)?"""
    return all(o.geo_precision == 3 and not o.admin1 and o.country for o in outer) and any(
        i.country == o.country and (i.geo_precision < 3 or i.admin1) for o in outer for i in inner
    )
