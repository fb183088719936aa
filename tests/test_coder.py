"""The whole pipeline on reports written for these tests (not the evaluation texts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warcoder import Coder, DocumentError, Event, to_frame
from warcoder.ingest import iter_documents
from warcoder.model import ACLED_COLUMNS

REPORT = """Frontline Digest – March 12, 2018: Army Presses On Near Palmyra

On March 11, the Syrian Arab Army and the Tiger Forces recaptured the villages of Arak and Al Sukhnah from ISIS after heavy fighting. 16 ISIS militants were reportedly killed in the clashes.

Yesterday, Russian warplanes carried out airstrikes on ISIS positions near Al Qaryatayn.

If the militants retreat further, the army will enter the desert. The army plans to attack Deir Ezzor next month.

The Tiger Forces are mainly equipped with old Soviet-made tanks.

Ahmad_77

Great work guys!!! You are heroes, I hope they finish them all soon.
"""


def by_type(events: list[Event], sub: str) -> list[Event]:
    return [e for e in events if e.sub_event_type == sub]


def test_report_with_comments(coder: Coder) -> None:
    events = coder.code(REPORT, doc_id="digest")
    body_end = REPORT.index("Ahmad_77")
    # nothing from the comments, nothing from plans, conditionals or background
    for e in events:
        assert e.evidence and all(s.end <= body_end for s in e.evidence)
        assert all(REPORT[s.start : s.end] == s.text for s in e.evidence)
        assert "plans to attack" not in " ".join(s.text for s in e.evidence)
        assert "equipped" not in " ".join(s.text for s in e.evidence)
    regain = by_type(events, "Government regains territory")
    assert len(regain) == 2, events  # one event per village
    assert {e.event_date for e in regain} == {"2018-03-11"}
    assert all(e.actor1 == "Military Forces of Syria (2000-)" for e in regain)
    assert all("Tiger Forces" in e.assoc_actor_1 for e in regain)
    assert all(e.actor2 == "Islamic State (Syria)" for e in regain)
    assert sum(e.fatalities for e in regain) == 16  # split across the two villages
    assert all(e.hedged for e in regain)  # "reportedly"
    air = by_type(events, "Air/drone strike")
    assert len(air) == 1
    assert air[0].event_date == "2018-03-11"  # "yesterday" against the dateline
    assert air[0].actor1 == "Military Forces of Russia (2000-)"
    assert air[0].country == "Syria" and air[0].latitude is not None
    assert len(events) == 3


def test_notes_are_neutral_acled_sentences(coder: Coder) -> None:
    text = "On 4 May 2020, the army liberated the village of Arak from the terrorists of ISIS."
    (ev,) = coder.code(text, report_date="2020-05-05", doc_id="n1")
    assert ev.notes.startswith("On 4 May 2020, ")
    assert "liberat" not in ev.notes.lower() and "terrorist" not in ev.notes.lower()
    assert "regained control" in ev.notes
    # a group's proper name is kept, in the note as in the actor field
    text = "On 2 May 2023, fighters of the Karen National Liberation Army attacked an army post near Myawaddy."
    (ev,) = coder.code(text, report_date="2023-05-03", doc_id="n2")
    assert "Karen National Liberation Army" in ev.actor1 and ev.actor1 in ev.notes


def test_relative_location_and_dates(coder: Coder) -> None:
    text = "Late on November 1, Israeli warplanes bombed an arms depot 30km south of Homs city."
    (ev,) = coder.code(text, report_date="2017-11-02", doc_id="rel")
    assert ev.event_date == "2017-11-01" and ev.time_precision == 1
    assert ev.actor1 == "Military Forces of Israel (2009-)"
    assert ev.geo_precision == 2
    # 30 km south of Homs (34.73 N, 36.72 E) is about 0.27 degrees of latitude further south
    assert ev.latitude is not None and ev.longitude is not None
    assert 34.40 < ev.latitude < 34.52 and 36.6 < ev.longitude < 36.85


def test_event_ids_are_stable_and_distinct(coder: Coder) -> None:
    a = coder.code(REPORT, doc_id="digest")
    b = coder.code(REPORT, doc_id="digest")
    assert [e.event_id for e in a] == [e.event_id for e in b]
    assert len({e.event_id for e in a}) == len(a)
    c = coder.code(REPORT, doc_id="other")
    assert not {e.event_id for e in a} & {e.event_id for e in c}


def test_no_event_in_plain_prose(coder: Coder) -> None:
    assert coder.code("The weather in Aleppo was mild and markets were busy.", report_date="2020-01-02") == []


def test_missing_report_date_warns(coder: Coder) -> None:
    doc = coder.make_document("Rebels shelled the town of Idlib.", doc_id="nodate")
    coder.code_document(doc)
    assert any("no report date" in w for w in doc.warnings)


def test_code_many_streams_results_and_errors(coder: Coder) -> None:
    docs = [
        {"id": "a", "text": "On 2 May 2020, police arrested 40 protesters in Nairobi.", "published": "2020-05-03"},
        {"id": "b", "text": "On 2 May 2020, gunmen killed two farmers in Kaduna.", "published": "2020-13-45"},
        {"id": "c", "text": "On 3 May 2020, workers protested in Lagos.", "published": "2020-05-04"},
    ]
    out = list(coder.code_many(docs))
    assert [r.ok for r in out] == [True, False, True]
    assert out[1].error is not None and "b" in str(out[1].error) and "2020-13-45" in str(out[1].error)
    assert out[2].events and out[2].events[0].sub_event_type == "Peaceful protest"
    assert out[2].events[0].actor1 == "Protesters (Nigeria)"


FRENCH = "Le 3 mai 2020, les rebelles ont bombardé la ville et les habitants ont fui vers le nord."


@pytest.mark.parametrize("text", ["", "  \n\t ", FRENCH], ids=["empty", "blank", "french"])
def test_code_rejects_what_the_cli_rejects(coder: Coder, tmp_path: Path, text: str) -> None:
    """One door: the Python API (and POST /api/documents) runs the checks ingest runs for the CLI."""
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    (cli,) = iter_documents([str(tmp_path / "x.txt")])
    assert isinstance(cli, DocumentError)
    with pytest.raises(DocumentError) as exc:
        coder.code(text, report_date="2020-05-04", doc_id="x")
    assert (exc.value.doc, exc.value.reason) == ("x", cli.reason)
    assert ("not English" if text == FRENCH else "empty document") in exc.value.reason
    (res,) = coder.code_many([{"id": "x", "text": text}])
    assert not res.ok and res.error is not None and res.error.reason == cli.reason


def test_html_input_is_cleaned(coder: Coder) -> None:
    html = (
        "<html><head><title>Blast</title></head><body><article><h1>Blast in Kabul</h1>"
        "<p>On 3 May 2020, a roadside bomb exploded in Kabul city, killing two civilians, police said. "
        "The police are investigating the explosion and no group has claimed it yet.</p></article>"
        "<div class='comments'><div class='comment'><span class='author'>Bob</span>"
        "<p>On 3 May 2020 militants attacked my village in Herat, I saw it!</p></div></div></body></html>"
    )
    events = coder.code(html, report_date="2020-05-04", doc_id="h")
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]
    assert events[0].fatalities == 2 and events[0].country == "Afghanistan"


def test_to_frame_has_acled_columns(coder: Coder) -> None:
    df = to_frame(coder.code(REPORT, doc_id="digest"))
    assert list(df.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert len(df) == 3 and df["year"].eq(2018).all()
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in df["event_date"])


@pytest.mark.parametrize(
    "text, actor1, actor2",
    [
        # the side whose attack was repelled started the fighting, whatever the sentence's subject
        (
            "On 9 May 2020, four Taliban fighters died when Afghan troops repulsed their attack on a checkpoint"
            " in Kunduz.",
            "Taliban",
            "Military Forces of Afghanistan (2014-)",
        ),
        (
            "Afghan soldiers repelled a Taliban assault on their outpost in Kunduz on 9 May 2020.",
            "Taliban",
            "Military Forces of Afghanistan (2014-)",
        ),
        (
            "On 9 May 2020, police in Kunduz fought off an attack by Taliban militants.",
            "Taliban",
            "Police Forces of Afghanistan (2014-)",
        ),
    ],
)
def test_the_attacker_of_a_repelled_attack_is_actor1(coder: Coder, text: str, actor1: str, actor2: str) -> None:
    ev = coder.code(text, report_date="2020-05-10")[0]
    assert (ev.sub_event_type, ev.actor1, ev.actor2) == ("Armed clash", actor1, actor2)


def test_a_group_named_in_a_compound_planted_the_device(coder: Coder) -> None:
    ev = coder.code(
        "On 7 May 2020, two soldiers were killed by a Taliban-planted landmine in Helmand.", report_date="2020-05-08"
    )[0]
    assert ev.sub_event_type == "Remote explosive/landmine/IED" and ev.actor1 == "Taliban"


def test_execution_marks_mean_a_gang_only_where_organised_crime_drives_killings(coder: Coder) -> None:
    text = "On 2 May 2020, two men were found dead near {} with their hands tied and signs of torture."
    mx = coder.code(text.format("Culiacan, Sinaloa"), report_date="2020-05-03")[0]
    sy = coder.code(text.format("Saraqib, Idlib"), report_date="2020-05-03")[0]
    assert mx.actor1 == "Unidentified Gang (Mexico)"
    assert sy.actor1 == "Unidentified Armed Group (Syria)"


@pytest.mark.parametrize(
    "text, actor1, actor2",
    [
        (
            "On 1 May 2020, suspected Islamist militants attacked a village near Mocimboa da Praia and killed 8 people.",
            "Islamist Militia (Mozambique)",
            "Civilians (Mozambique)",
        ),
        (
            "On 1 May 2020, a private security guard shot dead a man outside a supermarket in Durban.",
            "Private Security Forces (South Africa)",
            "Civilians (South Africa)",
        ),
        (
            "On 2 May 2020, fighting between rival clans near Galkayo left 5 people dead.",
            "Unidentified Clan Militia (Somalia)",
            "Unidentified Clan Militia (Somalia)",
        ),
        (
            "Somali troops backed by local clan militias recaptured the town of Jilib from al-Shabaab on 2 May 2020.",
            "Military Forces of Somalia (2017-)",
            "Al Shabaab",
        ),
    ],
)
def test_generic_kinds_of_armed_actor(coder: Coder, text: str, actor1: str, actor2: str) -> None:
    ev = coder.code(text, report_date="2020-05-03")[0]
    assert (ev.actor1, ev.actor2) == (actor1, actor2)


def test_state_forces_named_with_of_country(coder: Coder) -> None:
    ev = coder.code(
        "On 8 May 2020, the military forces of Armenia shelled positions of the armed forces of Azerbaijan near Tovuz.",
        report_date="2020-05-09",
    )[0]
    assert (ev.actor1, ev.actor2) == ("Military Forces of Armenia (2018-)", "Military Forces of Azerbaijan (2003-)")


def test_people_arrested_are_civilians_unless_they_protested(coder: Coder) -> None:
    ev = coder.code("On 3 May 2020, police arrested 12 people in a raid in Mombasa.", report_date="2020-05-04")[0]
    assert (ev.sub_event_type, ev.actor2) == ("Arrests", "Civilians (Kenya)")


def test_a_dateline_is_where_the_reporter_was_not_the_event(coder: Coder) -> None:
    text = (
        "AMMAN (Reuters) - Syrian warplanes struck a market in the town of Saraqib in Idlib province on Monday, "
        "killing 12 people, rescuers said."
    )
    ev = coder.code(text, report_date="2019-07-22")[0]
    assert (ev.location, ev.country, ev.actor2) == ("Saraqib", "Syria", "Civilians (Syria)")
    text = "Hama, SANA - Army units regained control of the village of Kafr Nabudah on Wednesday."
    ev = coder.code(text, report_date="2019-06-26")[0]
    assert ev.country == "Syria"  # the agency after the comma is not Yemen's capital


def test_an_ally_in_a_coordinated_attack_is_an_associated_actor_and_abbreviations_follow_the_country(
    coder: Coder,
) -> None:
    ev = coder.code(
        "On 6 May 2020, Turkish forces and the SNA shelled SDF positions near Ain Issa, Raqqa.",
        report_date="2020-05-07",
    )[0]
    assert (ev.actor1, ev.assoc_actor_1, ev.actor2) == (
        "Military Forces of Turkey (2016-)",
        "SNA: Syrian National Army",  # in Syria; in Somalia the SNA is the Somali National Army
        "QSD: Syrian Democratic Forces",
    )
    ev = coder.code("On 6 May 2020, SNA troops clashed with al-Shabaab near Jowhar.", report_date="2020-05-07")[0]
    assert ev.actor1 == "Military Forces of Somalia (2017-)"
    ev = coder.code("GNA and LNA forces clashed in Ayn Zarah, Tripoli, on 9 May 2020.", report_date="2020-05-10")[0]
    assert ev.actor2 == "Military Forces of Libya (2014-) Haftar Faction"  # "X and Y clashed": Y is the other side


def test_the_month_of_march_is_not_a_protest_and_a_place_abroad_is_kept_when_it_is_the_only_one(coder: Coder) -> None:
    ev = coder.code(
        "On 22 March 2021, SDF forces arrested 10 people during a raid in Diban.", report_date="2021-03-23"
    )[0]
    assert (ev.sub_event_type, ev.actor2) == ("Arrests", "Civilians (Syria)")
    ev = coder.code(
        "On 19 March 2021, Turkish drones struck a PKK position in Sinjar, killing 3 militants.",
        report_date="2021-03-20",
    )[0]
    assert (ev.location, ev.country) == ("Sinjar", "Iraq")  # the demonym points to Turkey, the place is in Iraq


def test_a_town_followed_by_its_province_is_one_place(coder: Coder) -> None:
    evs = coder.code("On 22 March 2021, gunmen killed two men in Tafas, Daraa.", report_date="2021-03-23")
    assert [e.location for e in evs] == ["Tafas"]
    evs = coder.code("Army shelling hit Harasta and Arbin on 22 March 2021.", report_date="2021-03-23")
    assert len(evs) == 2  # a real list of places is still one event per place


def test_where_people_came_from_is_not_the_event_place(coder: Coder) -> None:
    evs = coder.code(
        "On 3 June 2021, farmers from Puno blocked a highway in Juliaca over fuel prices.", report_date="2021-06-04"
    )
    assert [e.location for e in evs] == ["Juliaca"]
    # the only place named, with its units: the people's own town is where they marched
    evs = coder.code(
        "On 3 June 2021, residents of Juliaca (San Roman, Puno) marched over fuel prices.", report_date="2021-06-04"
    )
    assert [e.location for e in evs] == ["Juliaca"]


def test_a_sentence_naming_only_the_country_is_no_new_place(coder: Coder) -> None:
    text = (
        "On 3 June 2021, in Valparaiso, Valparaiso, dock workers marched over unpaid wages. "
        "Police forces of Chile dispersed the march with water cannon."
    )
    evs = coder.code(text, report_date="2021-06-04")
    assert evs and all(e.location == "Valparaiso" for e in evs)


@pytest.mark.parametrize(
    "text, sub",
    [
        # the interception is told in the next sentence, about "it"
        (
            "On 2 May 2021, militants fired a rocket at the town of Sderot. It was intercepted by air defences.",
            "Disrupted weapons use",
        ),
        # what the strike answered is not the strike's kind
        (
            "On 2 May 2021, Israeli warplanes struck Hamas targets in Khan Yunis in response to rocket fire.",
            "Air/drone strike",
        ),
        ("On 2 May 2021, the IDF struck Hamas sites in Khan Yunis.", "Air/drone strike"),
        # a raid in which people are detained and nobody is hurt
        ("On 2 May 2021, Israeli forces raided the village of Beit Ummar and detained four men.", "Arrests"),
        # a feud that becomes an armed clash is a battle, not a mob
        ("On 2 May 2021, a land dispute turned into an armed clash between two clans in Basra.", "Armed clash"),
        (
            "On 2 May 2021, Turkish troops established a new military point near Ariha.",
            "Headquarters or base established",
        ),
    ],
)
def test_sub_types_of_middle_east_phrasings(coder: Coder, text: str, sub: str) -> None:
    events = coder.code(text, doc_id="me", report_date="2021-05-03")
    assert [e.sub_event_type for e in events] == [sub]


def test_a_retaliation_clause_does_not_type_the_event_and_clans_are_clan_militias(coder: Coder) -> None:
    [e] = coder.code(
        "On 2 May 2021, Turkish troops shelled the village of Tal Rifaat in retaliation for an IED attack.",
        doc_id="ret",
        report_date="2021-05-03",
    )
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    [e] = coder.code(
        "On 2 May 2021, an armed clash broke out between two clans in Basra, killing two people.",
        doc_id="clan",
        report_date="2021-05-03",
    )
    assert e.actor1 == "Unidentified Clan Militia (Iraq)" and e.fatalities == 2
    # what someone was convicted of is not the event
    [e] = coder.code(
        "On 2 May 2021, the authorities executed a man convicted of taking part in the protests, in Shiraz.",
        doc_id="conv",
        report_date="2021-05-03",
    )
    assert e.sub_event_type == "Attack"


def test_factions_of_a_rebel_group_fighting_each_other_are_a_battle_not_a_mob(coder: Coder) -> None:
    [e] = coder.code(
        "On 7 June 2022, clashes broke out between two factions of the SNA in Jarablus. One fighter was killed.",
        doc_id="sna",
        report_date="2022-06-08",
    )
    assert e.sub_event_type == "Armed clash" and "SNA: Syrian National Army" in (e.actor1, e.actor2)
    # a crowd of a group's supporters is still a crowd
    [e] = coder.code(
        "On 7 June 2022, a brawl broke out between two groups of Hezbollah supporters in Baalbek.",
        doc_id="hzb",
        report_date="2022-06-08",
    )
    assert e.sub_event_type == "Mob violence"


@pytest.mark.parametrize(
    "text, sub",
    [
        ("On 4 May 2023, rebels battled government troops for hours near Kidal.", "Armed clash"),
        (
            "On 4 May 2023, gunmen seized three foreign nationals near Niamey and drove off.",
            "Abduction/forced disappearance",
        ),
        ("On 4 May 2023, armed factions clashed in Zawiya, with heavy gunfire heard.", "Armed clash"),
        (
            "On 4 May 2023, the village of Kalma was captured by rebel fighters after a night of fighting.",
            "Non-state actor overtakes territory",
        ),
        # a vigilante is not a vigil
        ("On 4 May 2023, residents in Goma beat two suspected thieves to death in a vigilante attack.", "Mob violence"),
        ("On 4 May 2023, mourners held a candlelight vigil in Nairobi for the victims.", "Peaceful protest"),
    ],
)
def test_news_phrasings_of_fights_abductions_captures_and_mobs(coder: Coder, text: str, sub: str) -> None:
    events = coder.code(text, doc_id="np", report_date="2023-05-05")
    assert [e.sub_event_type for e in events][:1] == [sub]


def test_a_sentence_naming_no_one_continues_the_actor_of_the_sentence_before(coder: Coder) -> None:
    text = (
        "On 3 May 2020, in Recife, Pernambuco, military police officers carried out an operation in a hillside "
        "neighbourhood. A shoot-out broke out and one suspect died. The federal police later seized two rifles."
    )
    ev = coder.code(text, report_date="2020-05-04")[0]
    assert ev.actor1.startswith("Military Forces of Brazil")


@pytest.mark.parametrize(
    "text, actor1",
    [
        (
            "On 3 May 2020, Kenyan troops during a patrol encountered Al Shabaab militants near Mandera, "
            "in which three militants were killed.",
            "Military Forces of Kenya (2013-)",
        ),
        (
            "On 3 May 2020, Egyptian troops, in an exchange of fire with Islamic State militants, killed four of "
            "them near Rafah.",
            "Military Forces of Egypt (2014-)",
        ),
    ],
)
def test_the_side_met_with_or_in_a_relative_clause_is_not_the_actor(coder: Coder, text: str, actor1: str) -> None:
    ev = coder.code(text, report_date="2020-05-04")[0]
    assert ev.actor1 == actor1


def test_only_marks_of_an_execution_not_of_any_concealed_killing_mean_a_gang(coder: Coder) -> None:
    text = "On 2 May 2020, a man was found dead near Saltillo, Coahuila. The body {}."
    mutilated = coder.code(text.format("was mutilated"), report_date="2020-05-03")[0]
    wrapped = coder.code(text.format("was wrapped in a blanket"), report_date="2020-05-03")[0]
    assert mutilated.actor1 == "Unidentified Gang (Mexico)"
    assert wrapped.actor1 == "Unidentified Armed Group (Mexico)"


def test_the_actor_of_a_when_clause_acts_in_a_passive_report(coder: Coder) -> None:
    text = (
        "On 3 May 2020, 11 soldiers and pro-government militia members were killed when a Taliban suicide bomber "
        "drove into an army base in Nahri Saraj district, Helmand."
    )
    ev = coder.code(text, report_date="2020-05-04")[0]
    assert ev.actor1 == "Taliban"


def test_the_police_after_a_military_police_force_is_that_force(coder: Coder) -> None:
    text = (
        "On 3 May 2020, in Recife, Pernambuco, the Military Police carried out an operation in a hillside community. "
        "The police exchanged fire with gunmen and one man died."
    )
    ev = coder.code(text, report_date="2020-05-04")[0]
    assert ev.actor1.startswith("Military Forces of Brazil")
    alone = coder.code(
        "On 3 May 2020, in Recife, Pernambuco, police exchanged fire with gunmen.", report_date="2020-05-04"
    )
    assert alone[0].actor1.startswith("Police Forces of Brazil")


@pytest.mark.parametrize(
    "text, actor2",
    [
        # crowd control is police work: "security forces" and "the authorities" at a protest are the police
        (
            "On 5 May 2021, security forces dispersed protesters with tear gas in Bamako.",
            "Police Forces of Mali (2020-)",
        ),
        ("On 5 May 2021, the authorities arrested 12 protesters in Minsk.", "Police Forces of Belarus (1994-)"),
        # soldiers named as such, and another state's forces, are military
        ("On 5 May 2021, soldiers fired tear gas at protesters in Bamako.", "Military Forces of Mali (2020-)"),
        (
            "On 5 May 2021, Israeli forces dispersed Palestinian protesters with tear gas in Kafr Qaddum.",
            "Military Forces of Israel (2009-)",
        ),
        # the government a crowd riots against is not a side in the riot
        ("On 5 May 2021, rioters burned tyres in Tunis against the government's price rises.", ""),
    ],
)
def test_the_force_facing_a_crowd(coder: Coder, text: str, actor2: str) -> None:
    [e] = coder.code(text, doc_id="crowd", report_date="2021-05-06")
    assert e.event_type in ("Protests", "Riots") and e.actor2 == actor2


def test_the_event_is_at_the_place_given_with_its_admin_units(coder: Coder) -> None:
    ev = coder.code(
        "On 2 June 2021, residents of Khanewal protested in Multan city (Multan, Punjab) against power cuts.",
        report_date="2021-06-03",
    )[0]
    assert ev.location == "Multan"  # where they protested, not where they came from
    ev = coder.code(
        "On 2 June 2021, a body was found on the road towards Silao in Leon municipality, Guanajuato.",
        report_date="2021-06-03",
    )[0]
    assert ev.location == "Leon"  # not the road's destination


def test_a_bracketed_district_when_the_sentence_names_only_countries(coder: Coder) -> None:
    ev = coder.code(
        "On 2 June 2021, military forces of India and Pakistan exchanged fire across the LoC in Zorroxkwa sector "
        "(Kupwara district, J&K).",
        report_date="2021-06-03",
    )[0]
    assert ev.country == "India" and ev.geo_precision <= 2 and ev.location != "India"


def test_a_district_named_after_its_town_is_the_unit_of_the_place_before_it(coder: Coder) -> None:
    ev = coder.code(
        "On 2 June 2021, clashes were reported in Pauktaw Township, Sittwe District, Rakhine State.",
        report_date="2021-06-03",
    )[0]
    assert ev.location == "Pauktaw" and ev.admin1 == "Rakhine"


def test_a_district_after_of_is_the_unit_of_the_place_before_it(coder: Coder) -> None:
    # "X subdivision of Y district (State)": the event is at X, not at the district named with its state
    ev = coder.code(
        "On 2 June 2021, two brothers were shot dead over a land dispute in Rajpura subdivision of Patiala "
        "district (Punjab).",
        report_date="2021-06-03",
    )[0]
    assert ev.location == "Rajpura" and ev.geo_precision == 1


def test_the_event_stays_in_the_focus_country_when_a_town_there_is_named(coder: Coder) -> None:
    # "Bayan" is also a town in China; the company's name must not move a protest out of Pakistan
    ev = coder.code(
        'On 2 June 2021, dozens of workers at "Bayan" company held a protest sit-in in Sukkur, Sindh.',
        report_date="2021-06-03",
    )[0]
    assert (ev.location, ev.country) == ("Sukkur", "Pakistan")


def test_a_bracketed_province_abroad_is_kept_when_the_actors_point_elsewhere(coder: Coder) -> None:
    # JNIM points to Mali, but the text names only a Burkinabe province: the event is placed there, not nowhere
    ev = coder.code(
        "On 2 June 2021, JNIM militants burned a school in Zorroxkwa (Zorroxkwa, Tapoa).", report_date="2021-06-03"
    )[0]
    assert ev.country == "Burkina Faso" and ev.latitude is not None and ev.admin1 == "Est"


def test_a_town_named_with_its_city_beats_a_namesake_abroad(coder: Coder) -> None:
    # "Corporation" and "Williams" name towns abroad; the place given with its admin units is the event's
    ev = coder.code(
        "On 2 June 2021, rickshaw drivers protested at the City Corporation office in Bogra city (Bogra).",
        report_date="2021-06-03",
    )[0]
    assert (ev.location, ev.country) == ("Bogra", "Bangladesh")


def test_an_event_in_a_province_created_by_a_split_is_placed_in_it(coder: Coder) -> None:
    text = "On 3 March 2021, armed men killed two civilians in Zorroxkwa village (Irumu, Ituri)."
    (ev,) = coder.code(text, report_date="2021-03-04", doc_id="ituri")
    assert ev.country == "Democratic Republic of Congo" and ev.admin1 == "Ituri"
    # within Ituri (Bunia is at 1.56 N, 30.25 E), not at the old Orientale province's centre far to the west
    assert ev.latitude is not None and ev.longitude is not None
    assert 0.5 < ev.latitude < 3.5 and 28.5 < ev.longitude < 31.5


def test_an_event_in_brackets_naming_a_foreign_namesake_stays_in_the_province_named_last(coder: Coder) -> None:
    text = (
        "On 3 March 2021, about 40 nurses protested outside a clinic in Zorroxkwa (Nelson Mandela Bay, Eastern Cape)."
    )
    (ev,) = coder.code(text, report_date="2021-03-04", doc_id="ecape")
    assert ev.country == "South Africa" and ev.admin1 == "Eastern Cape"


def test_a_place_in_the_clause_of_what_a_crowd_protests_about_is_not_the_event_place(coder: Coder) -> None:
    [e] = coder.code(
        "On 3 August 2023, protesters stormed the Danish embassy in Tehran, in protest against the burning of a "
        "Quran in Copenhagen.",
        doc_id="grv",
        report_date="2023-08-04",
    )
    assert (e.location, e.country) == ("Tehran", "Iran") and e.actor1 == "Rioters (Iran)"


def test_a_province_named_after_a_village_and_as_a_region_is_the_province(coder: Coder) -> None:
    text = (
        "Front update: shelling reported near Marinka\nMay 5, 2020\n\nOn May 4, the army fired mortars at the "
        "positions of the Donetsk People's Militia near Horlivka, Donetsk. One militia member was killed.\n\n"
        "On the same day, separatist forces attacked army positions near Marinka with small arms.\n\n"
        "Background\n\nThe front line in Donetsk region has been quiet for weeks."
    )
    events = coder.code(text, doc_id="dn", report_date="2020-05-05")
    assert [e.location for e in events] == ["Horlivka", "Maryinka"]  # the gazetteer spells it so


def test_near_a_village_of_a_province_named_after_its_capital(coder: Coder) -> None:
    # "near X, Homs": the province of X, not Homs city (which is the finer place by precision alone)
    evs = coder.code("On 2 June 2022, a shepherd was killed when a landmine exploded near Al-Sukhnah, Homs.")
    assert evs and evs[0].location == "As Sukhnah" and evs[0].geo_precision == 2


def test_type_names_in_the_coding_stages_are_taxonomy_names() -> None:
    """Every ACLED type or sub-type name the coding stages compare an event's type with is spelled as in
    data/taxonomy.yaml (and the re-typing rules of data/retype.yaml load against it)."""
    import ast
    from importlib import resources

    import yaml

    from warcoder.coding import retype
    from warcoder.events import EventTyper

    taxonomy = yaml.safe_load(resources.files("warcoder.data").joinpath("taxonomy.yaml").read_text("utf-8"))
    known = set(taxonomy) | {sub for subs in taxonomy.values() for sub in subs}

    def typed(node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in ("et", "sub")) or (
            isinstance(node, ast.Attribute) and node.attr in ("event_type", "sub_event_type")
        )

    used: set[str] = set()
    for path in resources.files("warcoder.coding").iterdir():
        if not path.name.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare) and typed(node.left):
                for comp in node.comparators:
                    consts = comp.elts if isinstance(comp, ast.Tuple) else [comp]
                    used |= {c.value for c in consts if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    assert len(used) >= 5 and used <= known, sorted(used - known)
    rules = retype.retype_rules(EventTyper())
    assert {to for _, to in rules.values()} <= known


def test_an_event_without_a_place_of_its_own_is_not_put_at_the_datelines_town(coder: Coder) -> None:
    # written for this test: the dateline names where the reporter filed from, not where the shooting was
    text = (
        "ADEN, Yemen, March 11 (Reuters) - Government forces and Houthi fighters clashed in the Sirwah district "
        "of Marib province on Wednesday, military officials said.\n\n"
        "Separately, gunmen shot dead a local official on Wednesday, police said."
    )
    evs = coder.code(text, report_date="2021-03-11")
    assert {e.location for e in evs} == {"Sirwah"}
    # with no other place in the report, the dateline's town is the best there is
    only = coder.code(
        "ADEN, Yemen, March 11 (Reuters) - Gunmen shot dead a local official on Wednesday.", report_date="2021-03-11"
    )
    assert [e.location for e in only] == ["Aden"]


def test_a_peaceful_protest_about_a_killing_has_no_fatalities_of_its_own(coder: Coder) -> None:
    # written for this test: the vigil is the event; the journalist's death is what it is about
    text = "On 3 May 2021, dozens of residents held a silent vigil in Sofia for a journalist who was killed by a drunk driver."
    [ev] = coder.code(text, report_date="2021-05-04")
    assert ev.sub_event_type == "Peaceful protest" and ev.fatalities == 0
    [shot] = coder.code("On 3 May 2021, police shot dead a protester at a rally in Sofia.", report_date="2021-05-04")
    assert shot.fatalities == 1


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Fighting between separatists and government forces in Aden's Crater district killed at least five "
            "people on Wednesday, weeks after the Riyadh Agreement was signed.",
            "Armed clash",
        ),
        (
            "Houthi fighters attacked government positions in Marib on Monday, two days after a truce was agreed.",
            "Armed clash",
        ),
        ("Clashes broke out in Tripoli on Friday despite a ceasefire signed last month.", "Armed clash"),
        (
            "Government forces shelled rebel-held villages near Kalemie on Sunday in violation of the truce, killing "
            "three civilians.",
            "Shelling/artillery/missile attack",
        ),
        ("The two sides signed a ceasefire agreement in Riyadh on Tuesday.", "Agreement"),
        (
            "The warring parties agreed on a humanitarian truce in Khartoum on Saturday after talks in Jeddah.",
            "Agreement",
        ),
    ],
)
def test_fighting_after_or_despite_a_truce_is_fighting(coder: Coder, text: str, sub: str) -> None:
    # sentences written for this test: an agreement named as the time or the frame of fighting is not the event
    evs = coder.code(text, report_date="2019-12-05")
    assert evs and evs[0].sub_event_type == sub


@pytest.mark.parametrize(
    ("text", "sub", "dead"),
    [
        # sentences written for this test: an agreement is signed, or a group surrenders; a message "signed" by a
        # gang, or one suspect giving himself up, is none
        ("On 4 May 2020, the Mayi Mayi armed group surrendered after meeting the governor in Goma.", "Agreement", 0),
        ("Two women were found dead along with a message signed by a cartel in Fresnillo.", "Attack", 2),
        ("Police said the suspect had surrendered to officers in Cebu on Monday after a shooting.", "Attack", 0),
        ("The two factions signed a ceasefire agreement in Benghazi on Tuesday.", "Agreement", 0),
    ],
)
def test_signed_and_surrendered_mean_an_agreement_only_for_an_accord_or_a_group(
    coder: Coder, text: str, sub: str, dead: int
) -> None:
    [ev] = coder.code(text, report_date="2020-05-10")
    assert (ev.sub_event_type, ev.fatalities) == (sub, dead)


def test_an_agreement_that_only_frames_the_past_is_not_the_event(coder: Coder) -> None:
    # written for this test
    text = (
        "On 7 May 2020, a drug suspect was shot dead by unidentified gunmen in Panglao. "
        "He had been released following a plea bargaining agreement."
    )
    evs = coder.code(text, report_date="2020-05-10")
    assert [(e.sub_event_type, e.fatalities) for e in evs] == [("Attack", 1)]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # "Village, Town": the town after the comma is where the village lies, not a second place (sentences written
        # for this test)
        (
            "On 13 May 2020, Israeli forces arrested three Palestinians during a raid in Beit Ummar, Hebron.",
            "Bayt Ummar",
        ),
        ("On 6 June 2020, Israeli settlers set fire to olive trees in Burin, Nablus.", "Burin"),
    ],
)
def test_a_town_named_after_a_village_and_a_comma_is_its_reference(coder: Coder, text: str, where: str) -> None:
    evs = coder.code(text, report_date="2020-06-07")
    assert [e.location for e in evs] == [where], [(e.sub_event_type, e.location) for e in evs]


def test_towns_listed_are_each_a_place(coder: Coder) -> None:
    evs = coder.code("On 6 June 2020, Israeli settlers set fire to olive trees in Burin, Madama and Asira al-Qibliya.")
    assert len({e.location for e in evs}) >= 2, [(e.sub_event_type, e.location) for e in evs]


def test_a_change_to_a_groups_activity_names_no_unidentified_other_side(coder: Coder) -> None:
    # a sentence written for this test
    (ev,) = coder.code(
        "On 14 June 2020, Houthi forces reinforced their positions in Sirwah district, Marib, with fighters and heavy weapons.",
        report_date="2020-06-15",
    )
    assert ev.sub_event_type == "Change to group/activity" and ev.actor2 == "", (ev.sub_event_type, ev.actor2)
