"""Typing an event: the trigger rules' classification of a cluster (data/triggers.yaml, events.EventTyper), and
the re-typing that the trigger rules cannot see: who the target was, and whether the agent was a crowd."""

from __future__ import annotations

import re

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
    """The trigger rules' type, overridden by what they cannot see: an attack on an armed target is a clash, a
    crowd's violence is a riot, a named armed group's infighting is a battle."""
    if (
        cls.sub_event_type == "Attack"
        and not typer.macros["NOT_COMBATANT"].search(text)  # unarmed, off-duty or former: civilians
        and (armed_patient(cl, agent) or typer.macros["ARMED_VICTIM"].search(text))
    ):
        cls = Classification("Armed clash", "Battles", cls.score, cls.rule + ">armed-target")
    if (
        cls.sub_event_type in ("Armed clash", "Attack")
        and agent is not None
        and not agent.named
        and agent.role in ("protesters", "rioters", "civilians")
        and _CROWD.search(agent.text)
        and not re.search(r"\b(?:armed|gunm[ae]n|militi\w*|assailants|unidentified|unknown)\b", agent.text, re.I)
        and not typer.macros["SHELL"].search(text)
        and not typer.macros["PROTEST"].search(text)
        and not typer.macros["FIREARM"].search(text)
    ):
        # violence by an unorganised crowd is a riot, not a battle (ACLED)
        cls = Classification("Mob violence", "Riots", cls.score, cls.rule + ">crowd-agent")
    if (
        cls.sub_event_type == "Mob violence"
        and any(a.named and a.kind == "rebel" and not _CROWD_OF_GROUP.search(a.text) for a in cl.main.actors)
        and not typer.macros["PROTEST"].search(text)
    ):
        # a named armed group's factions fighting each other are in a battle, not a mob
        cls = Classification("Armed clash", "Battles", cls.score, cls.rule + ">armed-agent")
    return cls
