"""The event's note: the neutral sentence ACLED writes for each event, from the sub-type's template
(data/taxonomy.yaml) with the event's date, actors and place, neutralised (data/neutral_language.yaml)."""

from __future__ import annotations

from datetime import date

from ..events import EventTyper
from ..model import Event


def note(typer: EventTyper, ev: Event) -> str:
    tpl = typer.templates[ev.sub_event_type]
    d = date.fromisoformat(ev.event_date) if ev.event_date else None
    a1 = ev.actor1 + (f" ({ev.assoc_actor_1})" if ev.assoc_actor_1 else "")
    where_admin = f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
    where = (
        f"in {ev.location}{where_admin}"
        if ev.location
        else (f"in {ev.country}" if ev.country else "at an unreported location")
    )
    a2 = ev.actor2
    vals = {
        "date": f"{d.day} {d.strftime('%B')} {d.year}" if d else "an unreported date",
        "a1": a1 or "an unidentified group",
        "a2": a2,
        "a2_or_unknown": a2 or "an unidentified armed group",
        "a2_or_civilians": a2 or "civilians",
        "a2_or_people": a2 or "people",
        "against": f" against {a2}" if a2 else "",
        "against_vs": f" against {a2}" if a2 else "",
        "from": f" from {a2}" if a2 else "",
        "with": f" with {a2}" if a2 else "",
        "by": f" attributed to {a1}" if a1 and not a1.startswith("Unidentified") else "",
        "where": where,
        "where_admin": where_admin,
        "location": ev.location or "an unreported location",
    }
    s = tpl.format(**vals)
    s = s[0].upper() + s[1:]
    if ev.hedged:
        s = s[:-1] + " (as reported)."
    if ev.fatalities:
        s += f" {ev.fatalities} {'fatality' if ev.fatalities == 1 else 'fatalities'}."
    # a group's proper name is not loaded language ("National Liberation Army"): the actor fields are
    # kept as they are, in the note too; only the note's own wording is neutralised
    names = {ev.actor1, ev.actor2, *ev.assoc_actor_1.split("; "), *ev.assoc_actor_2.split("; ")}
    kept = sorted((n for n in names if n), key=len, reverse=True)
    for i, n in enumerate(kept):
        s = s.replace(n, f"\x00{i}\x00")
    s = typer.neutralise(s)
    for i, n in enumerate(kept):
        s = s.replace(f"\x00{i}\x00", n)
    return s
