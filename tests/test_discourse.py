"""The discourse layer (issue 18): each rule of data/discourse.yaml on sentences written for it, before the
rule; and through the Coder, that background, reactions and furniture make no event."""

from __future__ import annotations

from datetime import date

import pytest

from warcoder.discourse import SentenceFacts, default_discourse
from warcoder.model import Sentence

D = default_discourse()
R = date(2024, 5, 10)


@pytest.mark.parametrize(
    "text",
    [
        "The war, which began in 2011, has killed more than 300,000 people and displaced half the population.",
        "The conflict has displaced more than 10 million people, the UN says.",
        "Sudan's war has killed tens of thousands of people since April last year.",
        "More than 500,000 people have been killed in the war, according to monitors.",
        "Tens of thousands have died since the invasion began.",
        "Since the ceasefire collapsed on Monday, at least 80 people have died in the enclave.",
        "Israeli strikes have killed 80 people since Tuesday, the health ministry said.",
        "At least 40 civilians were killed in air strikes over the past week, the monitor said.",
        "The army carried out dozens of air strikes over the past week on rebel-held villages.",
        "Rebels have staged more than 100 attacks since January in the province.",
        "The conflict erupted in March 2011 with protests against the government.",
        "Sudan's war broke out in April 2023 between the army and the paramilitary RSF.",
        "It is the worst violence in the region since the start of the war.",
        "The overall death toll has passed 35,000.",
        "So far this year, 2,300 civilians have been killed or injured.",
        "Since then the province has been hit by near-daily assassinations and bombings.",
        "Over the past day, the enemy carried out 140 attacks on 25 villages in the region.",
        "Air defences shot down 40 of the 55 drones launched overnight, the air force said.",
        "Russian glide bombs had hit more than a dozen towns in the region.",
        "It was the latest in a series of bombings targeting the army in the south.",
        "Militiamen often burn villages after ambushes in the area, residents say.",
        "The port city has for years been the scene of tribal feuds.",
        "Idlib has suffered more air strikes than any other province this year.",
        "The truce brought a sharp drop in fighting across the north.",
        "Efforts to revive the peace talks have stalled since the summer.",
        "Reuters could not independently verify the accounts.",
        # counts over a period of what forces did, whatever they did
        "Iraqi forces have carried out 32 operations against militants in three provinces over the past two weeks.",
        "Government helicopters dropped dozens of barrel bombs on the city over the past week, the monitor said.",
        "The air force said it had destroyed more than 40 rebel vehicles over the past week.",
        "Troops have fired hundreds of rockets at the district in recent days.",
        # a place described by its position or by the people it shelters
        "Marib, which lies about 120 km east of the capital, hosts around a million displaced people.",
        "The town sits some 30 kilometres from the border and shelters tens of thousands of refugees.",
    ],
)
def test_background_rules(text: str) -> None:
    assert D.background_rule(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "A Russian missile strike on Kharkiv killed 12 people on Tuesday, officials said.",
        "Clashes have killed five soldiers in Idlib, a war monitor said on Monday.",
        "Fighting erupted on Tuesday in Omdurman between the army and the RSF.",
        "At least 12 people have been killed in fighting between the army and the RSF, medics said.",
        "The army carried out 30 air strikes on Idlib on Tuesday.",
        "Government forces shelled the town, killing three civilians.",
        # an accusation of one attack still tells it; a man accused of something is no accusation
        "The army accused the RSF of shelling the market in Omdurman on Sunday, killing 12 people.",
        "Gunmen abducted a man accused of spying for the army in the village.",
    ],
)
def test_news_is_not_background(text: str) -> None:
    assert D.background_rule(text) is None
    assert not D.is_reaction(text)


@pytest.mark.parametrize(
    "text",
    [
        "UN Secretary-General Antonio Guterres condemned the attack and called on all parties to respect the truce.",
        "The foreign ministry denounced the strike as a violation of international law.",
        "Washington urged both sides to exercise restraint.",
        "A Houthi spokesman said the attack would not go unanswered.",
        "The envoy urged the parties to respect the ceasefire agreement.",
        "Amnesty International demanded an independent investigation into the killings.",
        # general accusations and words said to a meeting
        'A rebel spokesman accused government forces of "daily violations" of the truce and said they would respond.',
        "The army accused the militia of repeatedly breaching the ceasefire around the city.",
        "The UN envoy told a closed meeting of the Security Council on Wednesday that the country faced civil war.",
    ],
)
def test_reactions(text: str) -> None:
    assert D.is_reaction(text)


def test_a_crowd_reacting_is_a_protest_not_a_reaction() -> None:
    assert not D.is_reaction("Hundreds of people protested in Taiz, condemning the killing of the journalist.")


ARTICLE = """Strike kills 12 in Idlib

IDLIB, Syria, May 10 (Wire) - An air strike on a market in Idlib killed 12 people on Thursday.

READ MORE: Israeli strikes kill 20 in Gaza

Photo: A man inspects the damage after the strike in Idlib (AFP)

Source: Al Jazeera and news agencies

Related News
Ukraine says it downed 30 drones
Protests spread in Sudan's capital

Follow us on Telegram for breaking news.

Rescuers searched the rubble for survivors."""


def test_furniture_lines_and_blocks() -> None:
    spans = D.furniture_spans(ARTICLE)
    lines = [ARTICLE[a:b] for a, b in spans]
    assert lines == [
        "READ MORE: Israeli strikes kill 20 in Gaza",
        "Photo: A man inspects the damage after the strike in Idlib (AFP)",
        "Source: Al Jazeera and news agencies",
        "Related News",
        "Ukraine says it downed 30 drones",
        "Protests spread in Sudan's capital",
        "Follow us on Telegram for breaking news.",
    ]


def test_a_related_block_ends_at_prose() -> None:
    text = "Related\nDrones hit Odesa port\nRussian forces shelled Kherson on Friday, killing two people."
    lines = [text[a:b] for a, b in D.furniture_spans(text)]
    assert lines == ["Related", "Drones hit Odesa port"]


def _facts(*items: tuple[str, date | None, bool]) -> list[SentenceFacts]:
    out, pos = [], 0
    for n, (t, d, cand) in enumerate(items):
        out.append(SentenceFacts(Sentence(pos, pos + len(t), t, n), d, cand))
        pos += len(t) + 2
    return out


def test_recalled_events_are_background_only_beside_newer_news() -> None:
    facts = _facts(
        ("Shelling killed three people in Kherson on Thursday.", date(2024, 5, 9), True),
        ("Earlier this month, a strike on the city killed 12.", None, True),
        ("In March 2022, Russian forces seized the city.", date(2022, 3, 1), True),
        ("In 2019, the group seized the town.", None, True),
        ("The group has claimed previous attacks on the road.", None, True),
    )
    assert D.roles("", facts, R) == ["lead", "background", "background", "background", "background"]
    # an article about an old event still reports it
    assert D.roles("", facts[1:3], R) == ["lead", "lead"]


def test_lead_and_elaboration() -> None:
    a = "An air strike killed 12 in Idlib on Thursday."
    b = "The White Helmets said the dead included four children."
    c = "Rescuers searched the rubble for survivors."
    facts = [
        SentenceFacts(Sentence(0, len(a), a, 0), date(2024, 5, 9), True),
        SentenceFacts(Sentence(50, 50 + len(b), b, 0), None, False),
        SentenceFacts(Sentence(120, 120 + len(c), c, 3), None, True),
    ]
    assert D.roles("", facts, R) == ["lead", "lead", "elaboration"]


def test_fatality_bounds() -> None:
    assert D.over_bound("Air/drone strike", 300_000, "Strikes have killed 300,000 people.")
    assert not D.over_bound("Air/drone strike", 40, "The strike killed 40 people.")
    assert not D.over_bound("Chemical weapon", 1400, "The sarin attack killed 1,400 people.")
    assert not D.over_bound("Air/drone strike", 450, "In a single strike on the hospital, 450 people were killed.")


def _coder():  # type: ignore[no-untyped-def]
    from warcoder.engine import shared_coder

    return shared_coder()


def test_coder_codes_the_news_and_not_the_background() -> None:
    text = (
        "Air strike kills 9 in Idlib\n\n"
        "An air strike by Syrian government forces on a market in Maarat al-Numan killed nine civilians on"
        " Thursday, rescuers said.\n\n"
        "READ MORE: Russian jets strike Aleppo countryside\n\n"
        "The war, which began in 2011 with protests against President Bashar al-Assad, has killed more than"
        " 500,000 people.\n\n"
        "Earlier this month, a strike on a hospital in Ariha killed 12 people.\n\n"
        "The UN envoy condemned the attack and called on all parties to respect the truce."
    )
    events = _coder().code(text, report_date="2024-05-10", doc_id="t")
    assert len(events) == 1, [(e.sub_event_type, e.evidence[0].text) for e in events]
    (ev,) = events
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.fatalities == 9
    assert ev.event_date == "2024-05-09"
    assert all(e.fatalities < 1000 for e in events)


def test_a_datelines_country_is_no_actor_and_a_missile_is_a_missile_attack() -> None:
    from warcoder.engine import shared_coder

    text = "KHERSON, Ukraine - Russian troops shelled the central market in Kherson on Tuesday, killing three people."
    (ev,) = shared_coder().code(text, report_date="2024-04-23", doc_id="t")
    assert ev.actor1 == "Military Forces of Russia (2000-)"
    text = "A Russian ballistic missile struck an apartment block in Dnipro on Wednesday, killing four people."
    (ev,) = shared_coder().code(text, report_date="2024-10-16", doc_id="t")
    assert ev.sub_event_type == "Shelling/artillery/missile attack"


def test_a_tally_of_clashes_is_background() -> None:
    assert D.background_rule("Ukraine's General Staff said 142 combat clashes had taken place along the front.")


def test_a_place_described_is_background() -> None:
    assert D.background_rule("Idlib, home to about three million people, is the last rebel bastion.")
    assert D.background_rule("Magway Region has become one of the main battlegrounds of the war.")


def test_a_standalone_short_line_after_the_lead_is_a_heading() -> None:
    text = (
        "Strike kills 9 in Idlib\n\nAn air strike killed nine people in Idlib on Thursday.\n\n"
        "Protests in Sweida enter second month\n\nRescuers searched the rubble.\n"
        "A hard-wrapped line without a stop\ncontinues here."
    )
    lines = [text[a:b] for a, b in D.furniture_spans(text)]
    assert lines == ["Protests in Sweida enter second month"]


def test_read_more_on_its_own_line_takes_the_headline_under_it() -> None:
    text = "Shelling killed two people in Kherson on Friday.\n\nRead more:\nJunta air strike hits church compound\n"
    assert [text[a:b] for a, b in D.furniture_spans(text)] == ["Read more:", "Junta air strike hits church compound"]


def test_reported_futures_and_conditions_make_no_event() -> None:
    from warcoder.engine import shared_coder

    coder = shared_coder()
    for text in (
        "The resistance forces said they would step up attacks on junta bases in the area.",
        "Mediators have said a ceasefire would only be possible if both sides withdrew from residential areas.",
        "The committee said it would hold another protest on Sunday.",
    ):
        assert coder.code(text, report_date="2024-05-10") == [], text


def test_the_attack_told_again_in_a_later_paragraph_is_the_same_event() -> None:
    from warcoder.engine import shared_coder

    text = (
        "ISIS attack kills PMF fighters\n\n"
        "Islamic State militants attacked a PMF post in al-Abbarah, north of Baqubah, on Monday night, killing"
        " three fighters.\n\n"
        "In a statement, the PMF said four of its members were killed in the attack."
    )
    events = shared_coder().code(text, report_date="2023-11-21", doc_id="t")
    assert len(events) == 1, [(e.sub_event_type, e.evidence[0].text) for e in events]
    assert events[0].fatalities == 3 and events[0].fatalities_high == 4


def test_a_claim_in_a_later_paragraph_names_the_attacker() -> None:
    from warcoder.engine import shared_coder

    text = (
        "Roadside bomb kills soldiers near Daquq\n\n"
        "A roadside bomb killed two Iraqi soldiers near Daquq, south of Kirkuk, on Monday, security sources said.\n\n"
        "The bomb struck an army patrol on a rural road.\n\n"
        "The Islamic State group claimed responsibility for the attack on Tuesday in a statement."
    )
    events = shared_coder().code(text, report_date="2020-12-08", doc_id="t")
    assert len(events) == 1, [(e.sub_event_type, e.evidence[0].text) for e in events]
    assert events[0].actor1 == "Islamic State (Iraq)" and events[0].event_date == "2020-12-07"


def test_no_group_claimed_it_and_did_not_claim_it_make_no_event() -> None:
    from warcoder.engine import shared_coder

    coder = shared_coder()
    assert coder.code("He blamed AQAP, but no group has so far claimed the attack.", report_date="2023-03-08") == []
    assert coder.code("The Houthis did not claim the attack.", report_date="2023-03-08") == []


def test_juntas_possessives_and_passive_agents() -> None:
    from warcoder.engine import shared_coder

    coder = shared_coder()
    (ev,) = coder.code(
        "A junta fighter jet bombed a market in Kanbalu on Saturday, killing 19.", report_date="2024-03-10"
    )
    assert ev.actor1 == "Military Forces of Myanmar (2021-)"
    (ev,) = coder.code(
        "Artillery shells fired by Sudan's paramilitary Rapid Support Forces hit a market in Omdurman on Tuesday.",
        report_date="2023-11-15",
    )
    assert ev.actor1 == "RSF: Rapid Support Forces"
    (ev,) = coder.code(
        "Heavy fighting between Yemen's Houthi movement and government forces west of Marib killed 19 fighters"
        " on Wednesday.",
        report_date="2021-03-11",
    )
    assert ev.actor1 == "Military Forces of Yemen (2017-) Houthi"


def test_reported_plans_make_no_event() -> None:
    from warcoder.engine import shared_coder

    coder = shared_coder()
    for text in (
        "Organisers said they planned to hold a general strike on Friday.",
        "The governor said the main road would remain closed for a week.",
        "The union said in a statement that it would stage another protest on Sunday.",
    ):
        assert coder.code(text, report_date="2024-05-10") == [], text


def test_a_claim_names_the_unclaimed_attack_told_before_it_not_the_last_statement() -> None:
    """Sentences written for this test: between the attack and its claim, a statement about the army's findings."""
    from warcoder.engine import shared_coder

    text = (
        "Roadside bomb kills soldiers near Tuz Khurmatu\n\n"
        "A roadside bomb killed three Iraqi soldiers near Tuz Khurmatu on Sunday, security sources said.\n\n"
        "Iraqi army engineers later defused a second bomb on the same road, the military said in a statement.\n\n"
        "The Islamic State group claimed the attack on Monday in a statement on its Amaq agency."
    )
    events = shared_coder().code(text, report_date="2021-05-10", doc_id="t")
    bombs = [e for e in events if e.fatalities == 3]
    assert len(bombs) == 1 and bombs[0].actor1 == "Islamic State (Iraq)", [(e.sub_event_type, e.actor1) for e in events]


@pytest.mark.parametrize(
    "second",
    [
        "The explosive device had been hidden in a culvert and was set off as the patrol passed, the military said.",
        "The drone struck the vehicle as it drove towards the border crossing, a security official said.",
        "The fighting lasted several hours and ended when reinforcements arrived, a commander said.",
    ],
)
def test_a_weapon_or_the_fighting_told_again_is_the_same_event(second: str) -> None:
    """Sentences written for this test: the lead, then a paragraph about its bomb, drone or fighting."""
    from warcoder.engine import shared_coder

    text = (
        "Two soldiers killed in attack near Tikrit\n\n"
        "An attack on an army patrol near Tikrit killed two soldiers on Monday, security sources said.\n\n" + second
    )
    events = shared_coder().code(text, report_date="2021-05-11", doc_id="t")
    assert len(events) == 1, [(e.sub_event_type, e.evidence[0].text[:40]) for e in events]
