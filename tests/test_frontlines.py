from datetime import date

import pytest

from warcoder.frontlines import FrontLines

D = date(2020, 3, 3)


@pytest.fixture(scope="module")
def fronts(coder) -> FrontLines:  # type: ignore[no-untyped-def]
    return coder.frontlines


def test_every_listed_settlement_is_found_in_the_gazetteer(fronts: FrontLines) -> None:
    for f in fronts.fronts:
        assert f.unresolved == [], f"{f.name}: not in the gazetteer: {f.unresolved}"
        assert len(f.names) > 100 and set(f.sides) == {0, 1}


@pytest.mark.parametrize(
    "lat, lon, holder",
    [
        (48.139, 37.748, "Military Forces of"),  # Avdiivka
        (48.300, 38.050, "NAF"),  # Horlivka
        (48.632, 38.383, "Military Forces of"),  # Popasna
        (48.567, 39.317, "NAF"),  # Luhansk
    ],
)
def test_a_point_takes_the_side_of_the_nearest_listed_settlement(
    fronts: FrontLines, lat: float, lon: float, holder: str
) -> None:
    h = fronts.holding("Ukraine", lat, lon, D)
    assert h is not None and h.holder.startswith(holder)
    assert not h.adversary.startswith(holder)


def test_no_side_off_the_front_outside_its_period_or_country(fronts: FrontLines) -> None:
    assert fronts.holding("Ukraine", 50.45, 30.52, D) is None  # Kyiv, far from the front
    assert fronts.holding("Ukraine", 48.139, 37.748, date(2013, 6, 1)) is None  # before the war
    assert fronts.holding("Ukraine", 48.139, 37.748, date(2023, 6, 1)) is None  # the 2015-22 line has moved
    assert fronts.holding("Russia", 48.139, 37.748, D) is None
    assert fronts.holding("Ukraine", None, None, D) is None


@pytest.mark.parametrize(
    "text, actor1",
    [
        (
            "On 3 March 2020, monitors recorded 14 explosions of undetermined origin near Avdiivka.",
            "NAF: United Armed Forces of Novorossiya",
        ),
        (
            "Shells landed on the outskirts of Horlivka on 3 March 2020, the monitoring mission said.",
            "Military Forces of Ukraine (2019-)",
        ),
    ],
)
def test_unattributed_fire_comes_from_the_side_not_holding_the_ground(coder, text: str, actor1: str) -> None:  # type: ignore[no-untyped-def]
    evs = coder.code(text, report_date="2020-03-04")
    assert evs and evs[0].actor1 == actor1


def test_a_named_perpetrator_is_kept_and_other_wars_are_left_alone(coder) -> None:  # type: ignore[no-untyped-def]
    evs = coder.code("On 3 March 2020, separatist forces shelled Horlivka.", report_date="2020-03-04")
    assert evs[0].actor1 == "NAF: United Armed Forces of Novorossiya"
    evs = coder.code("On 3 March 2013, unknown gunmen opened fire near Avdiivka.", report_date="2013-03-04")
    assert evs[0].actor1 == "Unidentified Armed Group (Ukraine)"


def test_an_ambiguous_village_in_a_report_of_fighting_is_the_one_on_the_front(coder) -> None:  # type: ignore[no-untyped-def]
    # there are villages called Kruta Balka in the Poltava, Kharkiv and Donetsk regions
    ev = coder.code("On 3 March 2020, monitors heard 9 explosions near Kruta Balka.", report_date="2020-03-04")[0]
    assert ev.admin1 == "Donetsk"
    assert ev.actor1.startswith("Military Forces of Ukraine")  # the Donetsk one lies on the separatist side
    ev = coder.code(
        "On 3 March 2020, monitors heard 9 explosions near Kruta Balka in Poltava region.", report_date="2020-03-04"
    )[0]
    assert ev.admin1 == "Poltava"


def test_line_of_contact_distance_is_small_on_the_line_and_grows_behind_it(fronts: FrontLines) -> None:
    on = fronts.line_km("Ukraine", 48.139, 37.748, D)  # Avdiivka, facing Yasynuvata
    behind = fronts.line_km("Ukraine", 48.852, 37.605, D)  # Sloviansk, far behind the government's lines
    assert on is not None and behind is not None and on < 15 < behind
    assert fronts.line_km("Ukraine", 48.139, 37.748, date(2013, 6, 1)) is None
    assert fronts.line_km("Russia", 48.139, 37.748, D) is None


def test_a_village_named_in_several_districts_of_the_named_province_is_the_one_nearest_the_line(coder) -> None:  # type: ignore[no-untyped-def]
    # Donetsk oblast has several Mykolaivkas; naming the oblast does not say which: in a report of fighting it is
    # the one nearest the line of contact, not the one behind Sloviansk
    ev = coder.code(
        "On 3 March 2020, monitors heard 12 explosions near Mykolaivka, Donetsk.", report_date="2020-03-04"
    )[0]
    fl = coder.frontlines
    namesakes = [p for p in coder.gazetteer.lookup("Mykolaivka") if p.admin1 == "Donetsk"]
    assert len(namesakes) > 1 and ev.admin1 == "Donetsk"
    # (at least as near as the nearest of them: a spelling variant may lie nearer still)
    assert fl.line_km("Ukraine", ev.latitude, ev.longitude, D) <= min(
        fl.line_km("Ukraine", p.latitude, p.longitude, D) for p in namesakes
    )


def test_a_namesake_far_behind_the_lines_gives_way_to_a_spelling_variant_on_them(coder) -> None:  # type: ignore[no-untyped-def]
    # Znamianka is a town in Kirovohrad oblast, 400 km from the front; fire observed near "Znamianka" in 2020
    # is at the Luhansk village spelled Znamenka, unless the text names the oblast
    ev = coder.code("On 3 March 2020, monitors observed 3 explosions near Znamianka.", report_date="2020-03-04")[0]
    assert ev.admin1 == "Luhansk"
    assert coder.frontlines.line_km("Ukraine", ev.latitude, ev.longitude, D) < 30
    ev = coder.code(
        "On 3 March 2020, monitors observed 3 explosions near Znamianka in Kirovohrad region.",
        report_date="2020-03-04",
    )[0]
    assert ev.admin1 == "Kirovohrad"


def test_a_namesake_suburb_of_a_rebel_held_city_is_not_government_ground(fronts: FrontLines) -> None:
    # Luhansk city has a Katerynivka suburb; the government-held Katerynivka lies by Zolote, 50 km west
    h = fronts.holding("Ukraine", 48.556, 39.183, D)
    assert h is not None and h.holder.startswith("NAF")


def test_fire_near_a_village_named_like_a_city_suburb_is_placed_on_the_line(coder) -> None:  # type: ignore[no-untyped-def]
    evs = coder.code(
        "On 3 March 2020, monitors recorded 5 explosions of undetermined origin near Katerynivka, Luhansk.",
        report_date="2020-03-04",
    )
    assert evs and evs[0].latitude is not None and evs[0].longitude is not None
    assert 48.6 < evs[0].latitude < 48.75 and 38.35 < evs[0].longitude < 38.6  # by Zolote, not Luhansk city
