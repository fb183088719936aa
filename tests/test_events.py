import pytest

from warcoder.events import EventTyper


@pytest.fixture(scope="module")
def typer() -> EventTyper:
    return EventTyper()


@pytest.mark.parametrize(
    "text, agent, want",
    [
        ("Israeli warplanes bombed a copper factory near Homs.", "state", "Air/drone strike"),
        ("Militants fired mortars at army positions.", "nonstate", "Shelling/artillery/missile attack"),
        ("Rebels fired small arms and mortars at the positions.", "nonstate", "Armed clash"),
        ("The two sides exchanged mortar fire in both directions overnight.", "nonstate", "Armed clash"),
        ("The army recaptured the town from the rebels.", "state", "Government regains territory"),
        ("The rebels captured the town from the army.", "nonstate", "Non-state actor overtakes territory"),
        (
            "The militia took control of the village without a fight after the army withdrew.",
            "nonstate",
            "Non-violent transfer of territory",
        ),
        ("Hundreds of teachers protested in front of the ministry.", None, "Peaceful protest"),
        ("Workers protested; police dispersed them with tear gas.", None, "Protest with intervention"),
        ("Demonstrators threw stones at the police during the protest.", None, "Violent demonstration"),
        ("An angry mob lynched a suspected thief.", None, "Mob violence"),
        ("Gunmen kidnapped two aid workers.", "nonstate", "Abduction/forced disappearance"),
        ("A roadside bomb struck a minibus.", None, "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at a checkpoint.", None, "Suicide bomb"),
        ("Police defused an IED planted on the road.", "state", "Disrupted weapons use"),
        ("The two sides signed a ceasefire agreement.", None, "Agreement"),
        ("Gunmen shot dead a shopkeeper.", "nonstate", "Attack"),
        ("Militants looted shops and burned houses.", "nonstate", "Looting/property destruction"),
        ("Militants threw a grenade at a shop.", "nonstate", "Grenade"),
        ("Soldiers raped a woman.", "state", "Sexual violence"),
        # bombs dropped from aircraft (sentences written for these cases)
        (
            "Russian forces dropped two guided aerial bombs on the town, killing two civilians and wounding four.",
            "state",
            "Air/drone strike",
        ),
        ("A glide bomb hit a residential building in the city centre on Friday.", None, "Air/drone strike"),
        ("The army dropped bombs on a crowded market, killing 12 people.", "state", "Air/drone strike"),
        # an exchange of fire of any arm is a clash; ground taken as the other side withdrew is no fight
        (
            "Houthi forces and pro-Hadi forces exchanged artillery fire in Qaniyah, Al Bayda.",
            "nonstate",
            "Armed clash",
        ),
        ("The two armies exchanged rocket fire across the border on Sunday.", "state", "Armed clash"),
        (
            "STC forces took control of Hadibu town after government forces withdrew.",
            "nonstate",
            "Non-violent transfer of territory",
        ),
        (
            "Rebels took control of the town as the army pulled out of it.",
            "nonstate",
            "Non-violent transfer of territory",
        ),
        # reinforcements are a change to the group's activity, their weapons no shelling (issue 17's list)
        (
            "Houthi forces reinforced their positions in Sirwah district with fighters and heavy weapons.",
            "nonstate",
            "Change to group/activity",
        ),
        ("The army rushed reinforcements and tanks to the outskirts of Samarra.", "state", "Change to group/activity"),
        (
            "Government forces reinforced their positions and shelled the village.",
            "state",
            "Shelling/artillery/missile attack",
        ),
    ],
)
def test_classify(typer: EventTyper, text: str, agent: str | None, want: str) -> None:
    c = typer.classify(text, agent)
    assert c is not None and c.sub_event_type == want, c


def test_event_type_follows_sub_type(typer: EventTyper) -> None:
    c = typer.classify("Israeli warplanes bombed a factory.", "state")
    assert c is not None and c.event_type == "Explosions/Remote violence"


def test_no_trigger_no_event(typer: EventTyper) -> None:
    assert typer.classify("The weather was mild and the market was busy.", None) is None
    assert not typer.is_candidate("The weather was mild and the market was busy.")


@pytest.mark.parametrize(
    "text, kind",
    [
        ("If the defence collapses, the group will have no chance to resist.", "conditional"),
        ("As soon as the city is taken, the army will focus on the river bank.", "conditional"),
        ("Soon, the SDF will start storming the town itself.", "future"),
        ("The rebels plan to attack the airport.", "future"),
        ("No hits were reported.", "negation"),
        ("The brigade is mainly armed with old Soviet-made air defence systems.", "background"),
    ],
)
def test_modality(typer: EventTyper, text: str, kind: str) -> None:
    assert typer.modality(text) == kind


def test_reported_events_are_not_modal(typer: EventTyper) -> None:
    assert typer.modality("On May 2, rebels shelled the town, which could be seen from the road.") is None
    assert typer.modality("Israeli warplanes bombed a copper factory.") is None


def test_hedges(typer: EventTyper) -> None:
    assert typer.hedged("29 fighters were reportedly killed.")
    assert typer.hedged("Local sources added that the factory was hit.")
    assert not typer.hedged("Police arrested three men.")


def test_neutral_language(typer: EventTyper) -> None:
    s = typer.neutralise("The army liberated the town from the terrorists; two martyrs.")
    assert "liberat" not in s and "terrorist" not in s and "martyr" not in s


def test_unknown_macro_is_rejected() -> None:
    spec = {
        "macros": {"A": "a"},
        "event_macros": ["A"],
        "rules": [{"sub": "Attack", "all": ["B"], "weight": 1}],
        "modality": {},
        "hedges": "x",
    }
    with pytest.raises(ValueError, match="unknown macro"):
        EventTyper(spec)


def test_negation_is_about_the_event_not_the_outcome(typer: EventTyper) -> None:
    # "no injuries were reported" does not deny the shooting
    assert typer.modality("Four gunmen opened fire outside a politician's house, no injuries were reported.") is None
    assert typer.modality("The army denied that it had shelled the village.") == "negation"


def test_future_words_only_as_verbs(typer: EventTyper) -> None:
    assert typer.modality("Demonstrators occupied the Ministry of Planning to demand food aid.") is None
    assert typer.modality("The rebels will attack the airport.") == "future"


def test_state_bombing_is_an_air_strike(typer: EventTyper) -> None:
    c = typer.classify("The military bombed insurgent bases in the forest.", "state")
    assert c is not None and c.sub_event_type == "Air/drone strike"
    c = typer.classify("Militants detonated a roadside bomb, bombing a bus.", "nonstate")
    assert c is not None and c.sub_event_type == "Remote explosive/landmine/IED"


def test_future_cue_after_a_reported_event(typer: EventTyper) -> None:
    # the future cue qualifies what the crowd opposed, not the protest itself
    assert typer.modality("Residents demonstrated against plans to open a quarantine centre in their school.") is None
    assert typer.modality("Supporters rallied behind a leader who will stand in the election.") is None
    # ... but a cue before any reported event still makes a forecast
    assert typer.modality("Unions plan to march on the ministry on Monday.") == "future"
    assert typer.modality("The rebels threatened to attack the airport.") == "future"


@pytest.mark.parametrize(
    "text, agent, want",
    [
        # violent demonstrators stay rioters even when the police then use lethal force
        ("Protesters set fire to a police post and officers shot two of them dead.", None, "Violent demonstration"),
        ("Traders barricaded the market road to protest against new taxes.", None, "Violent demonstration"),
        ("Stones were thrown at the police by students demonstrating over fees.", None, "Violent demonstration"),
        # peaceful demonstrators shot: excessive force
        (
            "Soldiers opened fire on a peaceful march, killing three demonstrators.",
            "state",
            "Excessive force against protesters",
        ),
        # crowds with sticks and stones and no demonstration are mobs; with firearms they are not
        ("Two families attacked each other with sticks over a land dispute.", None, "Mob violence"),
        ("Residents pelted stones at a police patrol enforcing the curfew.", None, "Mob violence"),
        ("Two clans clashed with guns over grazing land, killing four.", None, "Armed clash"),
        # fire returned / air support make a two-sided fight
        ("Militants threw a grenade at a checkpoint and the soldiers returned fire.", "nonstate", "Armed clash"),
        ("Commandos backed by airstrikes fought insurgents in the valley.", "state", "Armed clash"),
        # armed victims: battle; civilians: attack
        ("Gunmen shot dead two police officers at a checkpoint.", "nonstate", "Armed clash"),
        ("A teacher was killed by unidentified gunmen.", None, "Attack"),
        # a raid that kills armed opponents is not an arrest, nor a weapons seizure
        ("Police killed three bandits and arrested two others in a raid.", "state", "Armed clash"),
        ("Troops seized weapons after killing five militants.", "state", "Armed clash"),
        # a raid on a village hurts its people even when no one is reported killed
        ("Militiamen attacked the village and burned huts; no casualties were reported.", "nonstate", "Attack"),
        # kidnapping in the course of a clash
        ("Police clashed with kidnappers while freeing two hostages.", "state", "Armed clash"),
    ],
)
def test_codebook_definitions(typer: EventTyper, text: str, agent: str | None, want: str) -> None:
    c = typer.classify(text, agent)
    assert c is not None and c.sub_event_type == want, c


def test_off_duty_forces_are_civilians(typer: EventTyper) -> None:
    c = typer.classify("Gunmen shot dead an off-duty soldier outside a mosque.", "nonstate")
    assert c is not None and c.sub_event_type == "Attack", c
    c = typer.classify("Gunmen shot dead a soldier at a checkpoint.", "nonstate")
    assert c is not None and c.sub_event_type == "Armed clash", c


@pytest.mark.parametrize(
    "text, agent, want",
    [
        ("A prisoner was stabbed to death during a prison riot.", None, "Violent demonstration"),
        ("A man suspected of kidnapping a child was beaten up by residents.", None, "Mob violence"),
        ("Hundreds protested in the capital against the rape of a schoolgirl.", None, "Peaceful protest"),
        ("The front line town fell into the hands of the rebels.", None, "Non-state actor overtakes territory"),
        (
            "The district was back under government control after the militia withdrew in heavy fighting.",
            None,
            "Government regains territory",
        ),
        ("Police exhumed bodies from a mass grave.", None, "Other"),
        ("A bomb hidden in a cart went off in the market.", None, "Remote explosive/landmine/IED"),
    ],
)
def test_codebook_definitions_2(typer: EventTyper, text: str, agent: str | None, want: str) -> None:
    c = typer.classify(text, agent)
    assert c is not None and c.sub_event_type == want, c


def test_organisation_names_are_not_territory(typer: EventTyper) -> None:
    c = typer.classify("The Front for the Liberation of the Enclave announced it was disbanding.", None)
    assert c is not None and c.sub_event_type == "Change to group/activity", c


def test_seizures_and_foiled_devices_are_event_candidates(typer: EventTyper) -> None:
    # a sentence whose only cue is a seizure of illicit goods or a premature blast still reports an event
    assert typer.is_candidate("Police dismantled a cocaine laboratory near the border.")
    c = typer.classify("Two fighters died when the mine they were planting exploded prematurely.", "nonstate")
    assert c is not None and c.sub_event_type == "Disrupted weapons use", c
    c = typer.classify("The grenade failed to explode and nobody was hurt.", None)
    assert c is not None and c.sub_event_type == "Disrupted weapons use", c


def test_weapon_abbreviations_are_not_party_names(typer: EventTyper) -> None:
    assert not typer._hits("Police detained an APC opposition lawmaker in Freetown.")["SHELL"]
    assert not typer._hits("Members of the RPG party and the BMP union gathered in Stari Grad.")["SHELL"]
    assert typer._hits("The rebels destroyed two APCs and a BMP-2 with Grad rockets.")["SHELL"]


def test_first_character_prefilter_keeps_matches(typer: EventTyper) -> None:
    """The compiled triggers (behind a first-character lookahead) match exactly what the plain patterns match."""
    import re

    from warcoder.knowledge import shared_yaml

    spec = shared_yaml("triggers.yaml")
    texts = [
        "On 3 May, 12 soldiers were killed when 2 IEDs exploded near the base; rebels fired 120mm mortars.",
        "Police fired tear gas at protesters who blocked the road with burning tyres in Lagos.",
        "Two soldiers killed, three wounded as insurgents overran an outpost; an APC was destroyed.",
        "A mob lynched a suspected thief; villagers attacked each other with sticks.",
        "",
    ]
    for name, pattern in spec["macros"].items():
        plain = re.compile(pattern, re.I)
        for t in texts:
            a, b = plain.search(t), typer.macros[name].search(t)
            assert (a and a.span()) == (b and b.span()), (name, t)


@pytest.mark.parametrize(
    "text, agent, want",
    [
        # a body found: a killing by someone, however it is worded
        ("A severed human head was found in a cooler near the market.", None, "Attack"),
        ("Two men died and were found wrapped in blankets on a dirt road.", None, "Attack"),
        ("The body of a driver who had been bound and bore signs of torture was found in a canal.", None, "Attack"),
        ("A woman was found by the highway. The body showed gunshot wounds.", None, "Attack"),
        ("Paramilitary troopers baton charged vendors at the vegetable market.", "state", "Attack"),
        ("Gunmen stopped two lorries on the highway, firing shots at their tyres.", "nonstate", "Attack"),
        ("A policeman was wounded by a rebel-planted bomb near the bridge.", None, "Remote explosive/landmine/IED"),
        ("Residents banged pots and pans against the mayor during his visit.", None, "Peaceful protest"),
        ("Nurses demanded the payment of three months of wages outside the hospital.", None, "Peaceful protest"),
        ("Farmers staged a road blockade outside the district office against a new tax.", None, "Peaceful protest"),
        ("Dockers blocked the railway tracks near the port over a pay dispute.", None, "Peaceful protest"),
        ("Miners blocked the RN 3 near the quarry, denouncing unpaid bonuses.", None, "Peaceful protest"),
        ("Teachers marked the strike anniversary in the square and demanded better pay.", None, "Peaceful protest"),
    ],
)
def test_triggers_for_plain_wordings(typer: EventTyper, text: str, agent: str | None, want: str) -> None:
    c = typer.classify(text, agent)
    assert c is not None and c.sub_event_type == want, c


@pytest.mark.parametrize(
    "text",
    [
        "The minister demanded an explanation from the ambassador.",
        "The troops were firing at enemy positions across the river.",  # fire at positions is not an attack on people
        "Heavy rain left the market flooded and the road closed for a day.",
    ],
)
def test_plain_wordings_do_not_overreach(typer: EventTyper, text: str) -> None:
    c = typer.classify(text, None)
    assert c is None or c.sub_event_type not in ("Attack", "Peaceful protest"), c
