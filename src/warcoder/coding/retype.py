"""Typing an event: the trigger rules' classification of a cluster (data/triggers.yaml, events.EventTyper), and
the re-typing that the trigger rules cannot see: who the target was, and whether the agent was a crowd."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .. import knowledge
from ..actors import NON_STATE_ARMED, ActorMention
from ..events import Classification, EventTyper
from .clusters import Cluster, mask
from .roles import armed_patient

# a group's crowd, not its fighters ("Hezbollah supporters")
_CROWD_OF_GROUP = re.compile(r"\b(?:supporters|followers|sympathi[sz]ers|youths?|students|members|activists)\b", re.I)
_CROWD = re.compile(
    r"\b(?:mobs?|crowds?|rioters|residents|villagers|locals|inhabitants|nationals|people|community members|supporters|"
    r"youths|young men|neighbou?rs|relatives|family members|members|migrants|laborers|labourers|workers|refugees|fans|"
    r"students|party (?:members|workers|activists)|groups?)\b",
    re.I,
)


def classify(typer: EventTyper, cl: Cluster, text: str, agent: ActorMention | None) -> Classification | None:
    """The cluster's type (``text``: its masked text), None when it reports no event."""
    agent_kind = None
    if agent is not None:
        agent_kind = "state" if agent.kind == "state" else ("nonstate" if agent.kind in NON_STATE_ARMED else None)
    cls = typer.classify(text, agent_kind)
    first = typer.classify(mask(cl.main), agent_kind)
    if first is not None and cls is not None and cls.event_type != first.event_type and cls.score < first.score + 0.3:
        cls = first  # later sentences refine the event, they do not replace it
    if cls is None:
        return None
    return retype(typer, cl, text, agent, cls)


def retype(
    typer: EventTyper, cl: Cluster, text: str, agent: ActorMention | None, cls: Classification
) -> Classification:
    """The trigger rules' type, overridden by what they cannot see (data/retype.yaml, in its order): an attack
    on an armed target is a clash, a crowd's violence is a riot, a named armed group's infighting is a battle."""
    for tag, (sources, to) in retype_rules(typer).items():
        if cls.sub_event_type in sources and _TESTS[tag](typer, cl, text, agent):
            cls = Classification(to, typer.type_of[to], cls.score, cls.rule + ">" + tag)
    return cls


def _armed_target(typer: EventTyper, cl: Cluster, text: str, agent: ActorMention | None) -> bool:
    return not typer.macros["NOT_COMBATANT"].search(text) and bool(  # unarmed, off-duty or former: civilians
        armed_patient(cl, agent) or typer.macros["ARMED_VICTIM"].search(text)
    )


def _crowd_agent(typer: EventTyper, cl: Cluster, text: str, agent: ActorMention | None) -> bool:
    # violence by an unorganised crowd is a riot, not a battle (ACLED)
    return (
        agent is not None
        and not agent.named
        and agent.role in ("protesters", "rioters", "civilians")
        and bool(_CROWD.search(agent.text))
        and not re.search(r"\b(?:armed|gunm[ae]n|militi\w*|assailants|unidentified|unknown)\b", agent.text, re.I)
        and not typer.macros["SHELL"].search(text)
        and not typer.macros["PROTEST"].search(text)
        and not typer.macros["FIREARM"].search(text)
    )


def _armed_agent(typer: EventTyper, cl: Cluster, text: str, agent: ActorMention | None) -> bool:
    # a named armed group's factions fighting each other are in a battle, not a mob
    return any(
        a.named and a.kind == "rebel" and not _CROWD_OF_GROUP.search(a.text) for a in cl.main.actors
    ) and not typer.macros["PROTEST"].search(text)


_TESTS: dict[str, Callable[[EventTyper, Cluster, str, ActorMention | None], bool]] = {
    "armed-target": _armed_target,
    "crowd-agent": _crowd_agent,
    "armed-agent": _armed_agent,
}


@lru_cache(maxsize=4)
def retype_rules(typer: EventTyper) -> dict[str, tuple[frozenset[str], str]]:
    """data/retype.yaml, checked against the tests above and the typer's taxonomy."""
    spec = knowledge.load_yaml("retype.yaml")
    rules: dict[str, tuple[frozenset[str], str]] = {}
    for tag, rule in spec.items():
        sources, to = frozenset(rule["from"]), rule["to"]
        unknown = sorted(n for n in (*sources, to) if n not in typer.type_of)
        if tag not in _TESTS or unknown:
            raise ValueError(f"data/retype.yaml: {tag}: no such test or sub-type(s) {unknown}")
        rules[tag] = (sources, to)
    return rules
