from datetime import date

import pytest

from warcoder.actors import ActorMatcher, RegimeYears, load_spec


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
