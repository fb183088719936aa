import csv
import re
from datetime import date
from importlib import resources

import pytest

from warcoder import conflicts
from warcoder.actors import ActorMatcher, RegimeYears, load_spec
from warcoder.gazetteer import countries


@pytest.fixture(scope="module")
def matcher() -> ActorMatcher:
    return ActorMatcher(
        load_spec(),
        {"Israeli": "Israel", "Russian": "Russia", "Syrian": "Syria", "Ukrainian": "Ukraine", "Afghan": "Afghanistan"},
    )


def names(m: ActorMatcher, text: str, country: str = "Syria", when: date = date(2017, 11, 1)) -> list[str]:
    return [a.name(country, when, m.years) for a in m.find(text)]


@pytest.mark.parametrize(
    "text, want",
    [
        ("ISIS fighters withdrew", "Islamic State (Syria)"),
        ("ISIL attacked", "Islamic State (Syria)"),
        ("Daesh shelled the town", "Islamic State (Syria)"),
        ("the Syrian Arab Army advanced", "Military Forces of Syria (2000-)"),
        ("the SAA advanced", "Military Forces of Syria (2000-)"),
        ("the Tiger Forces advanced", "Military Forces of Syria (2000-)"),
        ("Israeli warplanes bombed a factory", "Military Forces of Israel (2009-)"),
        ("six Tu-22M3 strategic bombers struck", "Military Forces of Russia (2000-)"),
        ("the US-backed Syrian Democratic Forces seized", "QSD: Syrian Democratic Forces"),
        ("unknown gunmen opened fire", "Unidentified Armed Group (Syria)"),
        ("the Hamza Brigade attacked", "Hamza Brigade"),
        ("ISWAP fighters attacked", "Islamic State (West Africa)"),
        ("the Islamic State in the Greater Sahara attacked", "Islamic State (Greater Sahara)"),
    ],
)
def test_aliases_map_to_acled_names(matcher: ActorMatcher, text: str, want: str) -> None:
    assert names(matcher, text)[0] == want


def test_units_go_to_assoc_actor(matcher: ActorMatcher) -> None:
    units = [a.unit for a in matcher.find("the Tiger Forces and the Republican Guard advanced")]
    assert units == ["Tiger Forces", "Republican Guard"]
    assert [a.unit for a in matcher.find("the Syrian Arab Army advanced")] == [""]


def test_a_lone_capitalised_is_not_islamic_state(matcher: ActorMatcher) -> None:
    assert names(matcher, "This is what the army said") == ["Military Forces of Syria (2000-)"]


def test_generic_actors_take_the_event_country(matcher: ActorMatcher) -> None:
    assert (
        names(matcher, "police dispersed the crowd", "Kenya", date(2020, 5, 1))[0] == "Police Forces of Kenya (2013-)"
    )
    assert names(matcher, "protesters gathered", "India", date(2020, 5, 1))[0] == "Protesters (India)"


def test_regime_year_follows_the_event_date() -> None:
    years = RegimeYears.load()
    assert years.year("Ukraine", date(2019, 1, 1)) == "2014"
    assert years.year("Ukraine", date(2020, 5, 1)) == "2019"
    assert years.year("Atlantis", date(2020, 5, 1)) is None


def test_adjacent_generic_noun_joins_named_actor_but_not_across_a_verb(matcher: ActorMatcher) -> None:
    found = matcher.find("Al Shabaab militants attacked Jubaland security forces")
    assert [a.text for a in found] == ["Al Shabaab militants", "security forces"]


def test_ethnic_militias_and_gang_names(matcher: ActorMatcher) -> None:
    assert (
        names(matcher, "suspected Fulani militiamen attacked the village", "Mali")[0] == "Fulani Ethnic Militia (Mali)"
    )
    found = matcher.find("MS-13 members clashed with police agents")
    assert (
        found[0].text == "MS-13 members" and found[0].name("Honduras", None, matcher.years) == "MS-13: Mara Salvatrucha"
    )


def test_state_names_with_article() -> None:
    m = ActorMatcher(load_spec(), {})
    (a,) = [x for x in m.find("police arrested him") if x.role == "police"]
    assert a.name("Philippines", date(2020, 5, 1), m.years) == "Police Forces of the Philippines (2016-)"
    assert a.name("Kenya", date(2020, 5, 1), m.years) == "Police Forces of Kenya (2013-)"


def _government_rows() -> dict[str, list[tuple[str, str]]]:
    text = resources.files("warcoder.data").joinpath("governments.tsv").read_text("utf-8")
    out: dict[str, list[tuple[str, str]]] = {}
    for r in csv.reader((ln for ln in text.splitlines() if ln and not ln.startswith("#")), delimiter="\t"):
        assert len(r) == 3, r
        out.setdefault(r[0], []).append((r[1], r[2]))
    # the regime years of the countries with a conflict file live there (data/conflicts/)
    for country, since, label in conflicts.government_rows():
        out.setdefault(country, []).append((since.isoformat(), label))
    return {c: sorted(v) for c, v in out.items()}


def test_every_gazetteer_country_has_regime_rows_from_2010() -> None:
    rows = _government_rows()
    # Antarctica has no government; every other country / territory has the row in force on 2010-01-01
    missing = [c.name for c in countries() if c.name.strip() != "Antarctica" and c.name.strip() not in rows]
    assert missing == []
    late = [c for c, spans in rows.items() if date.fromisoformat(spans[0][0]) > date(2010, 1, 1)]
    # states born after 2010 start at independence
    assert set(late) <= {"South Sudan"}
    known = {c.name.strip() for c in countries()} | {"Somaliland"}
    assert sorted(set(rows) - known) == []


def test_regime_rows_are_sorted_valid_dates_with_plausible_labels() -> None:
    for country, spans in _government_rows().items():
        days = [date.fromisoformat(d) for d, _ in spans]
        assert days == sorted(days) and len(set(days)) == len(days), country
        for day, (_, label) in zip(days, spans, strict=True):
            assert label.isdigit() and len(label) == 4, (country, label)
            assert 1800 < int(label) <= day.year <= 2026, (country, day, label)


@pytest.mark.parametrize(
    "country, when, want",
    [
        ("Niger", date(2020, 6, 1), "2011"),
        ("Niger", date(2011, 3, 1), "2010"),
        ("Niger", date(2022, 6, 1), "2021"),
        ("Niger", date(2024, 6, 1), "2023"),
        ("Kenya", date(2020, 6, 1), "2013"),
        ("Brazil", date(2020, 6, 1), "2019"),
        ("Brazil", date(2012, 6, 1), "2011"),
        ("Thailand", date(2020, 6, 1), "2014"),
        ("Mali", date(2020, 10, 1), "2020"),
        ("Mali", date(2022, 6, 1), "2021"),
        ("Sudan", date(2018, 6, 1), "1989"),
        ("Sudan", date(2023, 6, 1), "2021"),
        ("Burkina Faso", date(2023, 6, 1), "2022"),
        ("Israel", date(2022, 8, 1), "2022"),
        ("Israel", date(2015, 8, 1), "2009"),
        ("India", date(2012, 6, 1), "2004"),
        ("Jordan", date(2020, 6, 1), "1999"),
        ("Democratic Republic of Congo", date(2015, 6, 1), "2001"),
        ("Puerto Rico", date(2018, 6, 1), "2017"),
        ("Western Sahara", date(2020, 6, 1), "1999"),
        ("Kosovo", date(2022, 6, 1), "2021"),
        ("Taiwan", date(2020, 6, 1), "2016"),
        ("Palestine", date(2020, 6, 1), "1994"),  # the Palestinian Authority, as ACLED names its forces
        ("United Kingdom", date(2023, 6, 1), "2022"),
    ],
)
def test_regime_year_spot_checks(country: str, when: date, want: str) -> None:
    assert RegimeYears.load().year(country, when) == want


def test_state_forces_of_newly_covered_countries_carry_a_year() -> None:
    m = ActorMatcher(load_spec(), {})
    (a,) = [x for x in m.find("police arrested him") if x.role == "police"]
    assert a.name("Niger", date(2020, 5, 1), m.years) == "Police Forces of Niger (2011-)"
    assert a.name("Senegal", date(2021, 3, 5), m.years) == "Police Forces of Senegal (2012-)"


@pytest.mark.parametrize(
    "text, country, want",
    [
        # Middle East
        ("Turkish-backed Syrian National Army factions shelled the village", "Syria", "SNA: Syrian National Army"),
        ("Hurras al-Din militants attacked a checkpoint", "Syria", "Hurras al Din"),
        ("Ahrar al-Sham fighters shelled the town", "Syria", "Ahrar al Sham"),
        ("Kataib Hezbollah fired rockets at the base", "Iraq", "Kataib Hezbollah"),
        ("the Peshmerga repelled an attack", "Iraq", "Military Forces of Iraq (2018-)"),
        ("AQAP militants stormed a checkpoint", "Yemen", "AQAP: Al Qaeda in the Arabian Peninsula"),
        ("Southern Transitional Council forces seized the port", "Yemen", "STC: Southern Transitional Council"),
        ("Palestinian Islamic Jihad fired rockets", "Palestine", "PIJ: Palestinian Islamic Jihad"),
        ("Israeli settlers attacked farmers", "Palestine", "Settlers (Israel)"),
        ("PJAK militants clashed with the IRGC", "Iran", "PJAK: Party of Free Life of Kurdistan"),
        ("Sinai Province claimed the attack", "Egypt", "Islamic State (Egypt)"),
        # South and South-East Asia
        ("Pakistani Taliban fighters attacked a post", "Pakistan", "TTP: Tehreek-i-Taliban Pakistan"),
        ("ISKP claimed the bombing", "Afghanistan", "Islamic State (Afghanistan)"),
        ("the Baloch Liberation Army claimed the attack", "Pakistan", "BLA: Baloch Liberation Army"),
        ("Naxalites triggered an IED", "India", "CPI (Maoist): Communist Party of India (Maoist)"),
        ("the Arakan Army attacked a police post", "Myanmar", "AA: Arakan Army"),
        ("BIFF gunmen ambushed soldiers", "Philippines", "BIFF: Bangsamoro Islamic Freedom Fighters"),
        # Africa
        ("Ambazonian separatists burned a school", "Cameroon", "Ambazonian Separatists"),
        (
            "SPLA-IO forces attacked the base",
            "South Sudan",
            "SPLM/A-IO: Sudan People's Liberation Movement/Army (In Opposition)",
        ),
        (
            "FDLR rebels looted the village",
            "Democratic Republic of Congo",
            "FDLR: Democratic Forces for the Liberation of Rwanda",
        ),
        ("anti-Balaka militiamen attacked", "Central African Republic", "Anti-Balaka"),
        ("the Oromo Liberation Army killed", "Ethiopia", "OLF-Shene: Oromo Liberation Front-Shene"),
        ("Katiba Macina fighters attacked", "Mali", "JNIM: Group for Support of Islam and Muslims"),
        # Latin America and Europe
        ("the ELN bombed a pipeline", "Colombia", "ELN: National Liberation Army"),
        ("Clan del Golfo members killed a farmer", "Colombia", "AGC: Gaitanist Self-Defense Forces of Colombia"),
        ("Comando Vermelho gunmen opened fire", "Brazil", "CV: Red Command"),
        ("the New IRA claimed the bomb", "United Kingdom", "New IRA: New Irish Republican Army"),
    ],
)
def test_named_groups_by_region(matcher: ActorMatcher, text: str, country: str, want: str) -> None:
    assert names(matcher, text, country, date(2020, 5, 1))[0] == want


@pytest.mark.parametrize(
    "text, country, want",
    [
        # abbreviations that collide are not aliases: SNA stays the Somali National Army, "JEM" in capitals is Sudan's
        ("the SNA retook the town", "Somalia", "Military Forces of Somalia (2017-)"),
        ("JEM fighters clashed", "Sudan", "JEM: Justice and Equality Movement"),
        ("JeM militants attacked", "India", "JeM: Jaish-e-Mohammed"),
        ("al-Qaeda in the Islamic Maghreb claimed it", "Mali", "AQIM: Al Qaeda in the Islamic Maghreb"),
        ("al-Qaeda claimed it", "Mali", "Al Qaeda"),
    ],
)
def test_colliding_abbreviations(matcher: ActorMatcher, text: str, country: str, want: str) -> None:
    assert names(matcher, text, country, date(2020, 5, 1))[0] == want


def test_bare_colliding_abbreviations_are_not_actors(matcher: ActorMatcher) -> None:
    # "KIA" is killed in action, "let" a verb, "AA" and "CPC" (China's Communist Party) anything; "PDF" is a file
    # outside Myanmar (test_pdf_elsewhere_is_a_file) and the People's Defense Force in a report about Myanmar
    assert names(matcher, "KIA AA let CPC", "Myanmar") == []
    found = matcher.for_country(matcher.find("KIA PDF AA let CPC"), "Thailand")
    assert [m.text for m in found] == []


def _alias_key(alias: str) -> str:
    # as the matcher files it: capitals of 2-6 characters case-sensitively, the rest folded
    return alias if re.fullmatch(r"[A-Z0-9-]{2,6}", alias) else re.sub(r"[\s-]+", " ", alias.lower())


def test_no_alias_names_two_actors() -> None:
    spec = load_spec()
    owner: dict[str, str] = {}
    clashes = []
    entries = [(g["name"], a) for g in spec["groups"] for a in g["aliases"]]
    for section in ("state_forces", "state_units"):
        for country, roles in (spec.get(section) or {}).items():
            entries += [(f"{section}:{country}", a) for aliases in roles.values() for a in aliases]
    for who, alias in entries:
        k = _alias_key(alias)
        if owner.setdefault(k, who) != who:
            clashes.append((alias, owner[k], who))
    assert clashes == []


def test_no_alias_is_a_common_word() -> None:
    spec = load_spec()
    text = resources.files("warcoder.data").joinpath("english_stopwords.txt").read_text("utf-8")
    common = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    # the generic nouns are coded by role; a group alias must not take one over
    common |= {w.lower() for role in spec["generic"].values() for w in role["words"]}
    # capitals ("IS") are matched case-sensitively, so only the folded aliases can hit a word
    bad = [
        a
        for g in spec["groups"]
        for a in g["aliases"]
        if not re.fullmatch(r"[A-Z0-9-]{2,6}", a) and a.lower() in common
    ]
    assert bad == []


def test_prefix_tree_alternation_matches_like_the_flat_one() -> None:
    from warcoder.actors import alternation, trie_alternation

    words = ["Mai Mai", "Mai-Mai militia", "Al Qaeda", "Al Qaeda in the Arabian Peninsula", "CPI (Maoist)", "Maoists"]
    flat = re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w])", re.I)
    tree = re.compile(rf"(?<![\w-])(?:{trie_alternation(words)})(?![\w])", re.I)
    text = (
        "Mai-Mai militia and mai mai fighters; al-Qaeda in the Arabian Peninsula and Al Qaeda in Iraq; "
        "CPI (Maoist) cadres and Maoists, not Maoistsx"
    )
    assert [m.group(0) for m in tree.finditer(text)] == [m.group(0) for m in flat.finditer(text)]
    assert [m.group(0) for m in tree.finditer(text)][:3] == [
        "Mai-Mai militia",
        "mai mai",
        "al-Qaeda in the Arabian Peninsula",
    ]


def test_a_named_group_keeps_its_home_when_a_noun_follows(matcher: ActorMatcher) -> None:
    ms = matcher.find("Soldiers beat back an assault by al-Shabaab fighters on their base.")
    group = [m for m in ms if m.template == "Al Shabaab"]
    assert group and group[0].text == "al-Shabaab fighters" and group[0].home == "Somalia"
    assert matcher.place_hint("Al Shabaab militants attacked a base.") == "Somalia"


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "troops killed five militants of Wilayat Sinai",
            ["Military Forces of Syria (2000-)", "Islamic State (Egypt)"],
        ),
        ("gunmen loyal to the Houthis stormed a village", ["Military Forces of Yemen (2017-) Houthi"]),
        ("members of the Taliban were detained", ["Taliban"]),
        ("fighters belonging to the SDF withdrew", ["QSD: Syrian Democratic Forces"]),
        # people "of" a place are not a group's members
        ("police arrested residents of Idlib", ["Police Forces of Syria (2000-)", "Protesters (Syria)"]),
    ],
)
def test_a_fighter_noun_owned_by_a_named_group_is_that_group(matcher: ActorMatcher, text: str, want: list[str]) -> None:
    assert names(matcher, text) == want


def test_coalition_in_yemen_and_unclaimed_aircraft(matcher: ActorMatcher) -> None:
    when = date(2021, 3, 10)
    # ACLED names the coalition's campaign by its operation, not by its members' forces
    assert names(matcher, "the Saudi-led coalition carried out air strikes", "Yemen", when) == [
        "Operation Restoring Hope"
    ]
    assert names(matcher, "an Israeli drone struck a car", "Palestine", when) == ["Military Forces of Israel (2009-)"]
    # a drone nobody claims is not the state's, and a suicide bomber is not an air force
    assert names(matcher, "an unidentified drone struck a car", "Syria", when) == ["Unidentified Armed Group (Syria)"]
    assert names(matcher, "a suicide bomber blew himself up", "Iraq", when) == ["Unidentified Armed Group (Iraq)"]


def test_a_strike_names_a_state_only_with_its_demonym(matcher: ActorMatcher) -> None:
    when = date(2022, 6, 17)
    assert (
        names(matcher, "a Russian drone strike killed two men", "Syria", when)[0] == "Military Forces of Russia (2000-)"
    )
    assert names(matcher, "a drone strike killed two men", "Syria", when) == ["Civilians (Syria)"]


def test_coalition_aircraft_are_saudi_in_yemen_only(matcher: ActorMatcher) -> None:
    when = date(2022, 6, 11)
    found = matcher.find("Coalition warplanes struck a camp.")
    assert [m.name("Yemen", when, matcher.years) for m in matcher.for_country(found, "Yemen")] == [
        "Operation Restoring Hope"
    ]
    assert [m.name("Iraq", when, matcher.years) for m in matcher.for_country(found, "Iraq")] == ["Coalition Forces"]


@pytest.mark.parametrize(
    "text, want",
    [
        ("Afghan police forces attacked the village", "Police Forces of Afghanistan (2014-)"),
        ("Afghan riot police fired tear gas", "Police Forces of Afghanistan (2014-)"),
        ("Afghan security forces raided the camp", "Military Forces of Afghanistan (2014-)"),
        ("Afghan special forces raided the camp", "Military Forces of Afghanistan (2014-)"),
    ],
)
def test_the_longest_generic_noun_after_a_demonym_wins(matcher: ActorMatcher, text: str, want: str) -> None:
    assert names(matcher, text, "Kenya", date(2020, 5, 1))[0] == want


def test_armed_individuals_are_an_unidentified_armed_group(matcher: ActorMatcher) -> None:
    got = names(matcher, "a trader was abducted by armed individuals", "Kenya", date(2020, 5, 1))
    assert got[-1] == "Unidentified Armed Group (Kenya)"


def test_two_groups_given_as_alternatives_are_one_actor_named_and_or(matcher: ActorMatcher) -> None:
    got = names(matcher, "suspected JNIM or ISGS militants burned a school", "Burkina Faso", date(2020, 5, 1))
    assert got == ["JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"]
    # the order of the text is kept, and a state actor beside a group is not merged with it
    got = names(matcher, "ISGS or JNIM fighters attacked", "Niger", date(2020, 5, 1))
    assert got == ["Islamic State (Greater Sahara) and/or JNIM: Group for Support of Islam and Muslims"]
    assert len(matcher.find("FAMa or JNIM fighters")) == 2


def test_boko_haram_without_a_faction_is_either_faction(matcher: ActorMatcher) -> None:
    both = "Islamic State (West Africa) and/or Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad"
    assert names(matcher, "Boko Haram fighters raided the village", "Nigeria", date(2020, 5, 1)) == [both]
    assert names(matcher, "ISWAP or Boko Haram gunmen raided the village", "Nigeria", date(2020, 5, 1)) == [both]
    assert names(matcher, "ISWAP fighters raided the village", "Nigeria", date(2020, 5, 1)) == [
        "Islamic State (West Africa)"
    ]
    assert names(matcher, "Shekau's faction raided the village", "Nigeria", date(2020, 5, 1)) == [
        "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad"
    ]


def test_two_ethnic_groups_named_together_are_two_militias(matcher: ActorMatcher) -> None:
    got = names(matcher, "Tiv and Jukun communal militias clashed near Wukari", "Nigeria", date(2020, 5, 1))
    assert got == ["Tiv Ethnic Militia (Nigeria)", "Jukun Ethnic Militia (Nigeria)"]


def test_prison_guards_and_unidentified_individuals(matcher: ActorMatcher) -> None:
    assert (
        names(matcher, "prison guards beat an inmate", "Kenya", date(2020, 5, 1))[0] == "Police Forces of Kenya (2013-)"
    )
    got = names(matcher, "unidentified individuals shot a trader", "Kenya", date(2020, 5, 1))
    assert got[0] == "Unidentified Armed Group (Kenya)"


def test_border_guards_are_police_and_rashtriya_rifles_are_the_indian_army(matcher: ActorMatcher) -> None:
    assert names(matcher, "border guards fired warning shots", "Kenya", date(2020, 5, 1))[0] == (
        "Police Forces of Kenya (2013-)"
    )
    assert names(matcher, "RR and CRPF personnel cordoned off the village", "India", date(2020, 5, 1))[:2] == [
        "Military Forces of India (2014-)",
        "Police Forces of India (2014-)",
    ]


@pytest.mark.parametrize(
    "text, country, want",
    [
        ("the SSPDF attacked rebel positions", "South Sudan", "Military Forces of South Sudan (2011-)"),
        ("Taliban Red Unit militants attacked a checkpoint", "Afghanistan", "Taliban - Red Unit"),
        ("Taliban militants attacked a checkpoint", "Afghanistan", "Taliban"),
        ("dahalo stole 40 cows", "Madagascar", "Dahalo Militia"),
    ],
)
def test_more_named_forces(matcher: ActorMatcher, text: str, country: str, want: str) -> None:
    assert names(matcher, text, country, date(2020, 5, 1))[0] == want


def test_two_sides_joined_by_and_are_not_one_actor(matcher: ActorMatcher) -> None:
    # a generic noun after a named group is that group ("Houthi forces"), but not across "and"
    assert names(matcher, "clashes between Houthi forces and government forces", "Yemen", date(2023, 8, 8)) == [
        "Military Forces of Yemen (2017-) Houthi",
        "Military Forces of Yemen (2022-)",
    ]
    assert names(matcher, "Fatah gunmen and Hamas fighters clashed", "Palestine", date(2023, 8, 8)) == [
        "Fatah Movement",
        "Hamas Movement",
    ]


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        (
            "ADEN, Yemen - Fighting between separatists and government forces in Aden's Crater district killed "
            "five people on Wednesday.",
            "STC: Southern Transitional Council",
        ),
        (
            "DONETSK, Ukraine - Separatist forces shelled Ukrainian positions near Avdiivka on Wednesday, killing "
            "two soldiers.",
            "NAF: United Armed Forces of Novorossiya",
        ),
        (
            "BAMENDA, Cameroon - Separatist fighters attacked a police post in Bamenda on Wednesday, killing two officers.",
            "Unidentified Armed Group (Cameroon)",
        ),
    ],
)
def test_separatists_are_named_by_the_country_of_the_report(coder, text: str, actor1: str) -> None:  # type: ignore[no-untyped-def]
    # sentences written for this test: "separatists" are Donbas's in Ukraine, the STC's in Yemen, and unnamed elsewhere
    [ev] = coder.code(text, report_date="2019-12-05")
    assert ev.actor1 == actor1


@pytest.mark.parametrize(
    "text, country, want",
    [
        # the speaking ministry is the source of the report, and "its forces" are its state's
        ("Turkey's defence ministry claimed its forces had captured the village", "Syria", "Military Forces of Turkey"),
        ("The Turkish defence ministry said its troops killed 12 YPG militants", "Syria", "Military Forces of Turkey"),
        ("Russia's defence ministry said its forces shelled the town", "Ukraine", "Military Forces of Russia"),
        # no country named: the forces are the event country's
        ("The defence ministry said its forces killed 12 militants", "Syria", "Military Forces of Syria"),
        # "their" after a plural subject that is not a state office is left alone
        ("Residents said their houses were shelled by government forces", "Syria", "Military Forces of Syria"),
    ],
)
def test_its_forces_belong_to_the_state_whose_office_speaks(text: str, country: str, want: str) -> None:
    from warcoder.actors import default_matcher

    found = [n for n in names(default_matcher(), text, country, date(2020, 5, 10)) if n.startswith("Military")]
    assert found and found[0].startswith(want), found


@pytest.mark.parametrize(
    "text, country, want",
    [
        # the arms of an army name its state's forces (sentences written for this test)
        (
            "Russian infantry backed by armoured vehicles attacked Ukrainian positions",
            "Ukraine",
            "Military Forces of Russia",
        ),
        ("Ukrainian units repelled the assault overnight", "Ukraine", "Military Forces of Ukraine"),
        ("Syrian special forces stormed the village", "Syria", "Military Forces of Syria"),
        ("Israeli armoured vehicles entered the camp", "Palestine", "Military Forces of Israel"),
    ],
)
def test_arms_of_an_army_name_its_forces(text: str, country: str, want: str) -> None:
    from warcoder.actors import default_matcher

    found = names(default_matcher(), text, country, date(2024, 5, 10))
    assert found and found[0].startswith(want), found


def test_units_alone_name_no_army() -> None:
    from warcoder.actors import default_matcher

    assert not [n for n in names(default_matcher(), "Rescue units arrived at the scene", "Syria") if "Military" in n]


@pytest.mark.parametrize(
    "text, want, unit",
    [
        # a government's units are its state's forces, the unit an associated actor (sentences written for this test)
        (
            "Drones hit a post manned by the government's 22nd Mechanized Brigade in Usayfirah.",
            "Military Forces of Yemen",
            "22nd Mechanized Brigade",
        ),
        (
            "Fighters attacked a checkpoint manned by the government's Presidential Protection Brigades.",
            "Military Forces of Yemen",
            "Presidential Protection Brigades",
        ),
        ("The government's forces repelled the attack.", "Military Forces of Yemen", ""),
    ],
)
def test_a_governments_units_are_its_forces(text: str, want: str, unit: str) -> None:
    from warcoder.actors import default_matcher

    m = default_matcher()
    found = [a for a in m.find(text) if a.role != "civilians"]
    named = [(a.name("Yemen", date(2022, 6, 1), m.years), a.unit) for a in found]
    assert any(n.startswith(want) and u == unit for n, u in named), named
    assert not any(n.startswith("Government of") for n, _ in named), named


def test_their_positions_are_the_subjects_own() -> None:
    from warcoder.actors import default_matcher

    # sentences written for this test
    got = names(default_matcher(), "Houthi forces reinforced their positions near the town", "Yemen", date(2020, 6, 14))
    assert got == ["Military Forces of Yemen (2017-) Houthi"], got
    got = names(
        default_matcher(), "Houthi forces attacked government positions near the town", "Yemen", date(2020, 6, 14)
    )
    assert got[-1].startswith("Military Forces of Yemen (2012-)"), got


@pytest.mark.parametrize(
    ("text", "country", "want"),
    [
        # "PDF" names the People's Defense Force only in a report about Myanmar (sentences written for this test)
        (
            "The PDF of Tamu township said its fighters ambushed a military convoy",
            "Myanmar",
            "PDF: People's Defense Force",
        ),
        ("Local PDF fighters attacked a police station in Kani township", "Myanmar", "PDF: People's Defense Force"),
        ("Several PDFs joined the assault on the town", "Myanmar", "PDF: People's Defense Force"),
    ],
)
def test_pdf_is_the_peoples_defense_force_in_myanmar(text: str, country: str, want: str) -> None:
    from warcoder.actors import default_matcher

    m = default_matcher()
    got = [a.name(country, date(2022, 3, 1), m.years) for a in m.for_country(m.find(text), country)]
    assert want in got, got


def test_pdf_elsewhere_is_a_file() -> None:
    from warcoder.actors import default_matcher

    m = default_matcher()
    got = [a.name("Syria", date(2022, 3, 1), m.years) for a in m.for_country(m.find("The report was a PDF"), "Syria")]
    assert not any("Defense" in g for g in got), got
