"""Actor roles: who acted in a sentence (the agent, or the initiator when the text says who started it), and
the event's two sides (actor1/actor2, their associated actors and inter codes), the ACLED way."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..actors import NON_STATE_ARMED, ActorMatcher, ActorMention
from ..events import Classification
from ..frontlines import FrontLines
from ..model import Location
from .clusters import Cluster, SentInfo

# soldiers named as such (not "security forces" or "authorities"): at a protest they are the military
_SOLDIERS = re.compile(r"\b(?:army|soldiers?|troops|military|gendarm\w*|marines|national guard|armed forces)\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$", re.I)
# "... were attacked by (suspected) X", "shells fired by LNA forces", "fired by Sudan's paramilitary RSF"
_BY_AGENT = re.compile(r"\bby\s+(?:[\w'’-]+\s+){0,3}$", re.I)
_BY_NOMINAL = re.compile(r"\bby\s+(?:[\w'’-]+\s+){0,2}$", re.I)
# "X repelled a Y attack" / "repulsed their attack" / "repelled an attack by Y": Y started the fighting
_REPEL = re.compile(
    r"\b(?:repel|repuls|fend|fended|beat|foil|thwart|fought|fight|push|pushed)\w*\s+(?:off\s+|back\s+)?"
    r"(?:(?P<det>an?|the|their|its|his|several|repeated|multiple|two|three)\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:attacks?|assaults?|offensives?|raids?|ambush(?:es)?|attempts?|advances?|incursions?|infiltrations?)\b",
    re.I,
)
# "in an encounter with Y", "clashes against Y": a side named after with/against is the other side
_WITH_SIDE = re.compile(r"\b(?:with|against)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_WHEN_AGENT = re.compile(r"\b(?:when|as)\s+(?:an?\s+|the\s+|suspected\s+|alleged\s+)?$", re.I)
# a relative clause about the event just named: "... encountered Y, in which two were killed"
_RELATIVE = re.compile(r"\b(?:in|during|after|following)\s+which\b", re.I)
_AFTER_NOUN = re.compile(r"^\s*(?:launched\s+|carried out\s+|mounted\s+)?(?:by|from|of)\s+(?:\w+\s+){0,2}$", re.I)
# "a Taliban-planted landmine", "a Houthi-fired missile": the hyphenated mention is the perpetrator
_PLANTED = re.compile(r"^-(?:planted|laid|placed|fired|launched|made|triggered|detonated|led)\b", re.I)
_SUPPORTED_BY = re.compile(
    r",?\s*(?:backed|supported|assisted|aided|helped|accompanied|reinforced|joined)\s+by\s+(?:\w+\s+){0,3}", re.I
)
_SUPPORTER = re.compile(_SUPPORTED_BY.pattern + "$", re.I)
_PROTESTERS = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|(?-i:march(?:ed|ers|es|ing)?)|sit-in|on strike|strikers|"
    r"hunger strike)\b",
    re.I,
)
_PAIR = re.compile(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?")  # "X and (the) Y"
# "Islamic State claimed responsibility (for the attack)": the claimant is the attack's actor (a named group
# before the claim, with no denial or "no group" between)
_CLAIM = re.compile(r"\b(?:claim(?:ed|s)|(?:has|have) claimed|took|(?:has|have) taken) (?:the )?responsibility\b", re.I)
_NOT_CLAIMED = re.compile(r"\b(?:no|not|nobody|never|denied|deny|denies)\b", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:[\w-]+(?:'s|’s)\s+)?$", re.I)  # "between (Yemen's) X and Y"


def initiator(info: SentInfo) -> ActorMention | None:
    """Who started it, when the text says so outright: "a Taliban-planted landmine", "the army repelled
    an attack by X", "... killed when troops repulsed their attack" (ACLED: actor1 is the initiator)."""
    text, off = info.sent.text, info.sent.start
    armed = [a for a in info.actors if a.kind != "civilians" or a.named]
    for a in armed:
        if _PLANTED.match(text[a.end - off :]):
            return a
    m = _REPEL.search(text)
    if m is None:
        return None
    s, e = m.start() + off, m.end() + off
    inside = [a for a in armed if s <= a.start and a.end <= e]
    if inside:
        return inside[0]
    after = [a for a in armed if a.start >= e and _AFTER_NOUN.match(text[m.end() : a.start - off])]
    if after:
        return after[0]
    if (m.group("det") or "").lower() in ("their", "its", "his"):
        earlier = [a for a in armed if a.end <= s]
        if len(earlier) >= 2:  # "X were killed when Y repulsed their attack": X attacked
            return earlier[0]
    return None


def agent_of(info: SentInfo) -> ActorMention | None:
    """The acting side of a sentence: the armed/named mention before the trigger, unless passive."""
    if info.trigger_pos < 0:
        return None
    text = info.sent.text
    rel = info.trigger_pos - info.sent.start
    before = [a for a in info.actors if a.start < info.trigger_pos]
    started = initiator(info)
    if started is not None:
        return started
    # "X encountered Y ..., in which two militants were killed": the trigger sits in a clause about what X did
    main_clause = [
        a
        for a in before
        if (a.kind != "civilians" or a.named) and _RELATIVE.search(text[a.end - info.sent.start : rel])
    ]
    if main_clause:
        return main_clause[0]
    if _PASSIVE.search(text[:rel]):
        after = [a for a in info.actors if a.start > info.trigger_pos]
        for a in after:
            if _BY_AGENT.search(text[: a.start - info.sent.start]):
                return a
        # "five soldiers were killed when Taliban fighters stormed ...": the actor of the when-clause
        for a in after:
            if (a.kind != "civilians" or a.named) and _WHEN_AGENT.search(text[: a.start - info.sent.start]):
                return a
        return None
    armed = [a for a in before if a.kind not in ("civilians",) or a.named]
    # "a clash between X and Y": X acts
    for a in info.actors:
        if a.kind != "civilians" and _BETWEEN.search(text[: a.start - info.sent.start]):
            return a
    if not armed:
        # nominal agents: "shells fired by LNA forces", "artillery fire by an unknown party"
        for a in info.actors:
            if a.kind != "civilians" and _BY_NOMINAL.search(text[: a.start - info.sent.start]):
                return a
        return before[-1] if before else None
    off = info.sent.start
    # "X, in an encounter with Y, killed ...": the side met "with" or "against" is not the one acting
    lead = [a for a in armed[1:] if not _WITH_SIDE.search(text[: a.start - off])]
    armed = armed[:1] + lead
    k = len(armed) - 1
    # "GNA and LNA forces clashed": the first of a coordinated pair acts
    # "Somali forces backed by clan militias retook ...": the supported side acts
    while k > 0 and (
        _PAIR.fullmatch(gap := text[armed[k - 1].end - off : armed[k].start - off]) or _SUPPORTED_BY.fullmatch(gap)
    ):
        k -= 1
    return armed[k]


def armed_patient(cl: Cluster, agent: ActorMention | None) -> bool:
    """An 'attack' whose target is an armed or state actor is an armed clash (ACLED)."""
    main = cl.main
    if main.trigger_pos < 0:
        return False
    armed = ("state", "rebel", "militia", "external", "unidentified")
    if _REPEL.search(main.sent.text) and any(a is not agent and a.kind in armed for a in main.actors):
        return True  # an attack that was repelled met armed resistance
    rel = main.trigger_pos - main.sent.start
    passive = bool(_PASSIVE.search(main.sent.text[:rel]))
    targets = [
        a
        for a in main.actors
        if a is not agent and ((a.start < main.trigger_pos) if passive else (a.start > main.trigger_pos))
    ]
    if not targets:
        return False
    first = targets[0]
    return first.kind in ("state", "rebel", "militia", "external", "unidentified") and first.role not in ("government",)


def same_police(text: str, actors: list[list[ActorMention]]) -> list[list[ActorMention]]:
    """After "the Military Police carried out an operation", a bare "the police" or "officers" is that same force,
    not a second one: it takes the name of the police force a military code gives (gendarmeries, military police)."""
    earlier: ActorMention | None = None
    out = []
    for sent in actors:
        row = []
        for a in sent:
            if a.role == "military" and not a.named and re.search(r"\bpolice\b", a.text, re.I):
                earlier = a
            elif (
                earlier is not None
                and a.role == "police"
                and not a.named
                and a.country in (None, earlier.country)
                and re.fullmatch(r"(?:the\s+)?(?:police|policem[ae]n|police officers?|officers?|cops)", a.text, re.I)
            ):
                a = replace(a, template=earlier.template, kind=earlier.kind, inter=earlier.inter, role=earlier.role)
            row.append(a)
        out.append(row)
    return out


Roles = tuple[str, str, int, str, str, int]
"""actor1, assoc_actor_1, inter1, actor2, assoc_actor_2, inter2"""


@dataclass
class _Naming:
    """How actors are named for one event: in its country, on its date."""

    matcher: ActorMatcher
    country: str | None
    when: date | None

    def nm(self, a: ActorMention | None) -> str:
        return a.name(self.country, self.when, self.matcher.years) if a else ""

    def generic(self, role: str) -> tuple[str, int]:
        tpl, kind, inter = self.matcher.generic_templates[role]
        probe = ActorMention(0, 0, "", tpl, kind, inter, role)
        return probe.name(self.country, self.when, self.matcher.years), inter

    def assoc(self, a: ActorMention | None, same: list[ActorMention]) -> str:
        units = []
        for m in same:
            if m.unit and m.unit not in units and a is not None and self.nm(m) == self.nm(a):
                units.append(m.unit)
        return "; ".join(units)

    def crowd_control(self, cands: list[ActorMention]) -> tuple[str, int] | None:
        """The state force facing a crowd.  Crowd control is police work (ACLED codes it so): "security
        forces" and "the authorities" at a protest are the police; soldiers are military only when named
        as such ("troops", "the army"), or when they are another state's ("Israeli forces")."""
        state = [a for a in cands if a.kind == "state" and a.role != "government"]  # what crowds protest at
        if not state:
            return None
        for a in state:
            if a.role == "police" or a.named or (a.country and a.country != self.country):
                return self.nm(a), a.inter
            if a.role == "military" and _SOLDIERS.search(a.text):
                return self.nm(a), a.inter
        return self.generic("police")


def roles(
    matcher: ActorMatcher,
    frontlines: FrontLines,
    cl: Cluster,
    cls: Classification,
    agent: ActorMention | None,
    country: str | None,
    when: date | None,
    loc: Location | None = None,
) -> Roles:
    """The event's two sides: crowd events (protests, riots) by their crowd, the others by who acted."""
    mentions = [a for p in cl.parts for a in p.actors]
    patients, supporters = _patients(cl, agent)
    et, sub = cls.event_type, cls.sub_event_type
    n = _Naming(matcher, country, when)
    # allies and supporters are not the other side (units of the agent's own forces still count for assoc)
    mentions = [a for a in mentions if a not in supporters or (agent is not None and n.nm(a) == n.nm(agent))]
    if et in ("Protests", "Riots"):
        return _crowd_roles(n, et, sub, mentions, patients)
    a1, assoc1, i1, agent, patients = _actor1(n, frontlines, cl, et, sub, agent, patients, mentions, supporters, loc)
    out = _actor2(n, cl, et, sub, agent, (a1, assoc1, i1), patients, mentions)
    if sub == "Change to group/activity" and out[3].startswith("Unidentified"):
        # a change to one group's activity names a second side only when it is part of it (ACLED codes such
        # events with no actor2): fighters or gunmen mentioned unnamed are not one
        return out[0], out[1], out[2], "", "", 0
    return out


def _patients(cl: Cluster, agent: ActorMention | None) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who the main sentence's act fell on, and who fought on the agent's side."""
    main = cl.main
    after = [a for a in main.actors if main.trigger_pos >= 0 and a.start > main.trigger_pos and a is not agent]
    before = [a for a in main.actors if a.start < max(main.trigger_pos, 0) and a is not agent]
    passive = agent is not None and agent.start >= main.trigger_pos
    patients = before if passive else after
    allies: list[ActorMention] = []
    if agent is not None and not passive:
        partners = [a for a in before if a.start > agent.start]
        if [a for a in after if a.kind != "civilians"]:
            allies = partners  # "X and Y shelled Z": Y fights on X's side
        else:
            patients = partners + patients  # "X and Y clashed": Y is the other side
    if agent is None and _PASSIVE.search(main.sent.text[: max(main.trigger_pos - main.sent.start, 0)]):
        patients = before
    # "troops backed by clan militias": the supporters fight on the agent's side
    supporters = allies + [a for a in patients if _SUPPORTER.search(main.sent.text[: a.start - main.sent.start])]
    patients = [a for a in patients if a not in supporters]
    return patients, supporters


def _crowd_roles(n: _Naming, et: str, sub: str, mentions: list[ActorMention], patients: list[ActorMention]) -> Roles:
    """Protests and riots: the crowd is actor1, the force that faced it actor2."""
    if et == "Protests":
        a1, i1 = n.generic("protesters")
        if sub == "Peaceful protest":
            return a1, "", i1, "", "", 0
        a2, i2 = n.crowd_control(mentions) or n.generic("police")
        return a1, "", i1, a2, "", i2
    a1, i1 = n.generic("rioters")
    if sub == "Mob violence":
        civ = [a for a in patients if a.kind == "civilians"]
        force = n.crowd_control(patients)
        if force:
            return a1, "", i1, force[0], "", force[1]
        a2, i2 = n.generic("civilians") if civ else ("", 0)
        return a1, "", i1, a2, "", i2
    force = n.crowd_control(mentions)
    if force:
        return a1, "", i1, force[0], "", force[1]
    return a1, "", i1, "", "", 0


def _actor1(
    n: _Naming,
    frontlines: FrontLines,
    cl: Cluster,
    et: str,
    sub: str,
    agent: ActorMention | None,
    patients: list[ActorMention],
    mentions: list[ActorMention],
    supporters: list[ActorMention],
    loc: Location | None,
) -> tuple[str, str, int, ActorMention | None, list[ActorMention]]:
    """actor1, its associated actors and inter code; and the agent and patients as they stand after it."""
    main = cl.main
    country, when = n.country, n.when
    claimant = _claimant(cl, patients)
    if agent is None and claimant is not None:
        agent = claimant  # a group that claims the event is its actor before anyone merely mentioned with it
    if agent is None or (agent.kind in ("civilians", "protesters", "rioters") and et != "Strategic developments"):

        def armed_in(actors: list[ActorMention]) -> list[ActorMention]:
            return [a for a in actors if a.kind not in ("civilians", "protesters", "rioters") and a not in patients]

        # "Police carried out an operation in X. A shoot-out broke out ...": a sentence that names no one
        # continues the actor of the sentence before it, ahead of anyone named later
        armed = armed_in(main.actors) or armed_in(cl.previous) or armed_in(mentions)
        agent = armed[0] if armed else None
    if claimant is not None and (agent is None or (agent.role == "unidentified" and not agent.named)):
        agent = claimant
    if (agent is None or (agent.role == "unidentified" and not agent.named)) and et in (
        "Battles",
        "Explosions/Remote violence",
    ):
        # unattributed fire along a known front line comes from the side not holding the ground
        hold = frontlines.holding(country, loc.latitude, loc.longitude, when) if loc else None
        if hold is not None and not n.matcher.gang_cue(cl.text, country):
            agent = ActorMention.side(hold.adversary)
            if et == "Battles" and not [a for a in patients if a.kind not in ("civilians",)]:
                patients = [ActorMention.side(hold.holder)]
    if agent is None:
        if sub == "Arrests":
            a1, i1 = n.generic("police")
        elif et in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
            # criminal violence: an unnamed perpetrator in a gang setting is a gang (ACLED)
            a1, i1 = n.generic("gang" if n.matcher.gang_cue(cl.text, country) else "unidentified")
        else:
            a1, i1 = "", 0
    else:
        a1, i1 = n.nm(agent), agent.inter
    assoc1 = n.assoc(agent, mentions) if agent else ""
    allied = [x for x in dict.fromkeys(n.nm(a) for a in supporters) if x and x != a1 and x not in assoc1]
    assoc1 = "; ".join(x for x in [assoc1, *allied] if x)  # ACLED lists allies as associated actors
    if not a1:
        a1, i1 = n.generic("gang" if n.matcher.gang_cue(cl.text, country) else "unidentified")
    elif agent is not None and agent.role == "unidentified" and n.matcher.gang_cue(cl.text, country):
        a1, i1 = n.generic("gang")
    return a1, assoc1, i1, agent, patients


def _claimant(cl: Cluster, patients: list[ActorMention]) -> ActorMention | None:
    """The named armed group that claimed the event, in any of its sentences."""
    for p in cl.parts:
        m = _CLAIM.search(p.sent.text)
        if m is None:
            continue
        at = p.sent.start + m.start()
        named = [a for a in p.actors if a.named and a.kind in NON_STATE_ARMED and a.end <= at and a not in patients]
        if named and not _NOT_CLAIMED.search(p.sent.text, named[-1].end - p.sent.start, m.start()):
            return named[-1]
    return None


def _actor2(
    n: _Naming,
    cl: Cluster,
    et: str,
    sub: str,
    agent: ActorMention | None,
    first: tuple[str, str, int],
    patients: list[ActorMention],
    mentions: list[ActorMention],
) -> Roles:
    """The other side, after actor1 (``first``: actor1, assoc_actor_1, inter1)."""
    a1, assoc1, i1 = first
    nm, generic = n.nm, n.generic
    other = [a for a in patients if nm(a) != a1]
    if not other:
        other = [
            a
            for a in mentions
            if nm(a) != a1 and a.kind not in ("protesters",) and (a.named or a.kind in ("state", "civilians"))
        ]
    if sub == "Arrests":  # people arrested are protesters only when the text says they protested
        other = [
            a
            for a in other
            if a.kind != "protesters" or a.named or _PROTESTERS.search(a.text) or _PROTESTERS.search(cl.text)
        ]
    if et == "Violence against civilians" or (sub == "Arrests" and not [a for a in other if a.kind != "civilians"]):
        a2, i2 = generic("civilians")
        return a1, assoc1, i1, a2, "", i2
    if et == "Battles":
        other = [a for a in other if a.kind not in ("civilians", "protesters")]
        if not other and agent is not None and agent.role == "clan":
            return a1, assoc1, i1, a1, "", i1  # clans fighting each other
        if not other:  # the adversary named earlier in the paragraph ("The ISIS-held area ...")
            other = [a for a in reversed(cl.context) if a.named and a.kind in NON_STATE_ARMED and nm(a) != a1]
    a2m = other[0] if other else None
    if a2m is None:
        return a1, assoc1, i1, "", "", 0
    if a2m.kind == "protesters" and not a2m.named and not _PROTESTERS.search(cl.text):
        a2, i2 = generic("civilians")  # "killing 39 people", "activists said": no protest, so civilians
        return a1, assoc1, i1, a2, "", i2
    return a1, assoc1, i1, nm(a2m), n.assoc(a2m, mentions), a2m.inter


def claimed(clusters: list[Cluster], cur: Cluster) -> Cluster:
    """The event a claim of responsibility is of: the latest told whose acting side is unknown (no actor, or an
    unidentified one), not a statement told in between ("the army said it defused a second bomb"); else the
    latest event."""
    for c in reversed(clusters):
        agent = agent_of(c.main)
        if agent is None or agent.kind == "unidentified" or agent.role == "unidentified":
            return c
    return cur
