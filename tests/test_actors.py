import csv
from datetime import date
from importlib import resources

import pytest

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
    return out


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
        ("Palestine", date(2020, 6, 1), "2007"),
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
