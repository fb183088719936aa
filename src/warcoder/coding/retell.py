"""One happening, one event, inside an article.

A news article tells its main event in the lead and again further down, often with another source's
figure ("the health ministry said 23 were killed ... a monitor put the toll at 43").  ACLED codes one event
per type, actors, place and day, and takes the most conservative credible fatality figure.  So the events
of one document that agree on the day and the sub-type, whose places are the same or one holds the other
(two towns are two places however near: "shelling hit Harasta and Arbin" is two events),
and whose actor1 are the same or one of them is unnamed (or, for a clash, whose sides are the same in the
other order: "government forces repelled a Houthi assault" retells "Houthi fighters attacked government
positions"), are one event:

- its evidence is the union of theirs, in text order;
- its fatalities are the lowest figure any of them states (a figure of 0 states nothing), and
  ``fatalities_low``/``fatalities_high`` give the range;
- its place is the most precise of theirs; its actor1 is the first telling's (an unnamed attacker in the
  lead is not named by another event's actor), its actor2 the first that names one.

An "Attack" (people killed) told of the same place and day as an explosion or air strike is that
explosion's toll: the codebook codes an air strike on civilians as the air strike.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..model import Event

_REMOTE = "Explosions/Remote violence"
_UNDATED_DAYS = 7


def _unnamed(actor: str) -> bool:
    return not actor or actor.startswith(("Unidentified", "Civilians", "Protesters", "Rioters"))


def _same_place(a: Event, b: Event) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    if a.location and a.location == b.location:
        return True
    return any(_holds(x, y) for x, y in ((a, b), (b, a)))


def _holds(outer: Event, inner: Event) -> bool:
    """Is ``outer`` coded to a province or a country that holds ``inner``'s place?"""
    if outer.geo_precision < 3 and outer.location:
        return False
    if not outer.location or outer.location == outer.country:
        return bool(outer.country) and outer.country == inner.country
    # a province, or an area named by a town ("west of the city of Marib", precision 3), holds the places of its
    # province, however the province is spelt
    return bool(outer.admin1) and outer.admin1 == inner.admin1 and outer.geo_precision >= 3


def _kinds_agree(a: Event, b: Event) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    pair = {a.event_type, b.event_type}
    return "Violence against civilians" in pair and _REMOTE in pair and "Attack" in (a.sub_event_type, b.sub_event_type)


def same_happening(a: Event, b: Event, undated: bool = False) -> bool:
    """Do ``a`` and ``b``, coded from one document, tell one happening?  ``undated``: one of them states no
    date of its own (it took the date told before it), so the days need only be within a week."""
    if a.event_date != b.event_date and not (undated and _days_apart(a, b) <= _UNDATED_DAYS):
        return False
    if not _kinds_agree(a, b):
        return False
    if a.sub_event_type == b.sub_event_type == "Armed clash" and _same_sides(a, b):
        return _same_place(a, b)  # a battle's two sides may be told in either order
    if a.actor1 != b.actor1 and not (_unnamed(a.actor1) or _unnamed(b.actor1)):
        return False
    if a.actor1 != b.actor1 and any(
        x == y and not _unnamed(x) for x, y in ((a.actor1, b.actor2), (b.actor1, a.actor2))
    ):
        return False  # the named side one event names as acting is the other's target: two happenings
    return _same_place(a, b)


def _same_sides(a: Event, b: Event) -> bool:
    """Do two clashes name the same sides, in either order: a named side in common, and no named side in one
    that the other lacks (an unnamed side agrees with any)?"""
    named_a = {x for x in (a.actor1, a.actor2) if not _unnamed(x)}
    named_b = {x for x in (b.actor1, b.actor2) if not _unnamed(x)}
    return bool(named_a & named_b) and (named_a <= named_b or named_b <= named_a)


def _days_apart(a: Event, b: Event) -> int:
    if not a.event_date or not b.event_date:
        return 0 if a.event_date == b.event_date else 10**6
    return abs((date.fromisoformat(a.event_date) - date.fromisoformat(b.event_date)).days)


def _combine(a: Event, b: Event) -> Event:
    base, other = (b, a) if a.sub_event_type == "Attack" and b.event_type == _REMOTE else (a, b)
    figures = [
        f
        for f in (a.fatalities, b.fatalities, a.fatalities_low, b.fatalities_low, a.fatalities_high, b.fatalities_high)
        if f
    ]
    place = other if other.geo_precision < base.geo_precision or (not base.location and other.location) else base
    # actor2: the first telling's, unless only a later one names that side
    side = other if other.actor2 and _unnamed(base.actor2) and not _unnamed(other.actor2) else base
    evidence = sorted({(s.start, s.end): s for s in [*a.evidence, *b.evidence]}.values(), key=lambda s: s.start)
    return replace(
        base,
        actor2=side.actor2 or other.actor2,
        assoc_actor_2=side.assoc_actor_2 or other.assoc_actor_2,
        inter2=side.inter2 or other.inter2,
        country=place.country,
        admin1=place.admin1,
        admin2=place.admin2,
        location=place.location,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=place.geo_precision,
        fatalities=min(figures) if figures else 0,
        fatalities_low=min(figures) if figures else 0,
        fatalities_high=max(figures) if figures else 0,
        evidence=evidence,
        hedged=a.hedged and b.hedged,
        confidence=max(a.confidence, b.confidence),
    )


def merge_retellings(events: list[Event], stated: list[bool] | None = None) -> list[Event]:
    """The events of one document with each happening told more than once made one event (in the order of
    their first telling).  ``stated[i]``: event i states its own date; a retelling that states none ("the
    strike on the market killed 43") joins the event it retells, whose date it keeps."""
    stated = stated if stated is not None else [True] * len(events)
    out: list[Event] = []
    dated: list[bool] = []
    for ev, has_date in zip(events, stated, strict=True):
        for k in range(len(out)):
            undated = not (has_date and dated[k])
            if (out[k].event_date == ev.event_date or undated) and same_happening(out[k], ev, undated):
                keep_date = out[k].event_date if dated[k] or not has_date else ev.event_date
                out[k] = replace(_combine(out[k], ev), event_date=keep_date)
                dated[k] = dated[k] or has_date
                break
        else:
            out.append(ev)
            dated.append(has_date)
    return out
