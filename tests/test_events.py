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
