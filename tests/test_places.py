"""Toponym spotting and resolution."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warcoder.gazetteer import Gazetteer, haversine
from warcoder.places import PlaceResolver, places_records

SEED = (
    "Government troops pushed through the Jubaliyah neighborhood of Deir Ezzor on Tuesday, a monitor said. "
    "Russian jets later hit militant depots close to the border town of al-Bukamal, while Kurdish-led fighters "
    "entered al-Bakaara, a village east of Deir Ezzor city. Israeli aircraft struck a warehouse in Hisyah, "
    "about 30km south of Homs city, and a Syrian missile fell east of al-Qusayr city."
)


@pytest.fixture(scope="session")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> PlaceResolver:
    cache = os.environ.get("WARCODER_CACHE")
    return PlaceResolver(Gazetteer.load(Path(cache) if cache else tmp_path_factory.mktemp("gazcache")))


def _loc(res, text: str):  # type: ignore[no-untyped-def]
    hits = [loc for loc in res.locations if loc.span and loc.span.text == text]
    assert hits, f"{text!r} not among {[loc.span.text for loc in res.locations if loc.span]}"
    return hits[0]


def test_seed_report(resolver: PlaceResolver) -> None:
    res = resolver.resolve(SEED)
    assert res.focus_country == "Syria"
    dez = _loc(res, "Deir Ezzor")
    assert dez.country == "Syria" and dez.admin1 == "Deir ez-Zor"
    assert haversine(dez.latitude, dez.longitude, 35.336, 40.141) < 5  # type: ignore[arg-type]
    bk = _loc(res, "al-Bukamal")
    assert haversine(bk.latitude, bk.longitude, 34.45, 40.92) < 10  # type: ignore[arg-type]
    assert _loc(res, "Hisyah").admin1 == "Homs"
    assert _loc(res, "al-Qusayr").geo_precision == 2  # "east of al-Qusayr"
    assert _loc(res, "al-Bakaara").country == "Syria"
    assert not [loc for loc in res.locations if loc.span and loc.span.text in ("Israeli", "Russian", "Syrian")]
    assert {c.name for _, c in res.demonyms} >= {"Israel", "Russia"}


def test_relative_offset_distance(resolver: PlaceResolver) -> None:
    res = resolver.resolve(SEED)
    homs = _loc(res, "Homs")
    assert homs.geo_precision == 2
    d = haversine(homs.latitude, homs.longitude, 34.727, 36.723)  # type: ignore[arg-type]
    assert 25 < d < 35
    assert homs.latitude < 34.727  # south


def test_neighbourhood_alias_and_fallback(resolver: PlaceResolver) -> None:
    res = resolver.resolve(SEED)
    jub = _loc(res, "Jubaliyah")
    assert jub.location.startswith("Deir ez-Zor - ") and jub.geo_precision == 2
    text = "Heavy clashes erupted in the Qusurzzz neighborhood of Deir Ezzor on Monday."
    res2 = resolver.resolve(text)
    nb = _loc(res2, "Qusurzzz")
    assert nb.location == "Deir ez-Zor - Qusurzzz" and nb.geo_precision == 2
    assert haversine(nb.latitude, nb.longitude, 35.336, 40.141) < 5  # type: ignore[arg-type]


def test_one_sense_per_document(resolver: PlaceResolver) -> None:
    text = "Troops entered Hamidiyah neighbourhood of Deir Ezzor. Later, fighting continued in Hamidiyah."
    res = resolver.resolve(text)
    locs = [loc for loc in res.locations if loc.span and loc.span.text == "Hamidiyah"]
    assert len(locs) == 2 and locs[0].location == locs[1].location


def test_parenthesised_admin_context(resolver: PlaceResolver) -> None:
    text = (
        "Clan fighters raided a police post outside Bar-Xawaale village (Kismaayo, Lower Juba) "
        "late on Saturday, residents said."
    )
    res = resolver.resolve(text)
    assert res.focus_country == "Somalia"
    kis = _loc(res, "Kismaayo")
    assert kis.admin1 == "Lower Juba"
    bar = _loc(res, "Bar-Xawaale")
    assert bar.geo_precision == 2 and bar.country == "Somalia"


def test_province_only_event_at_its_capital(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On 2 June 2021, unidentified gunmen shot dead a farmer somewhere in Michoacan state.")
    m = _loc(res, "Michoacan")
    assert m.geo_precision == 3
    assert haversine(m.latitude, m.longitude, 19.70, -101.19) < 10  # Morelia, not the middle of the state


def test_bracketed_admin_units_beat_the_actors_country_on_a_tie(resolver: PlaceResolver) -> None:
    # the actors hint at Nigeria, the brackets name a Nigerien town and region: the places win the tie
    res = resolver.resolve("On 3 July 2021, gunmen abducted two traders near Bosso (Bosso, Diffa).", hint_country="NG")
    b = _loc(res, "Bosso")
    assert b.country == "Niger" and b.geo_precision <= 2
    assert haversine(b.latitude, b.longitude, 13.70, 13.31) < 10


def test_town_in_the_province_of_the_district_town_named_with_it(resolver: PlaceResolver) -> None:
    # the gazetteer gives South Kinangop no district, and the province is misspelt: a town of the same province
    # as the district town in the brackets, 70 km from it, is still itself (not coded to the district town)
    res = resolver.resolve(
        "On 4 March 2021, herders clashed with farmers in South Kinangop village (Upper Gilgil, Nyandaroa)."
    )
    k = _loc(res, "South Kinangop")
    assert k.geo_precision == 1 and haversine(k.latitude, k.longitude, -0.73, 36.65) < 5


def test_persian_ezafe_joins_a_name(resolver: PlaceResolver) -> None:
    # "Mazar i Sharif" is one name (ezafe "i"), not "Mazar" and "Sharif"
    res = resolver.resolve("On 2 June 2021, a grenade exploded near Mazar i Sharif.")
    m = _loc(res, "Mazar i Sharif")
    assert m.country == "Afghanistan" and haversine(m.latitude, m.longitude, 36.71, 67.11) < 10


def test_a_name_with_an_admin_word_is_no_person(resolver: PlaceResolver) -> None:
    # "Kralpora Sopore" reads like a person's name, but "Sopore subdistrict" is a place
    res = resolver.resolve(
        "On 2 June 2021, residents of Kralpora Sopore gathered at a shrine; later stones were thrown at police in "
        "Sopore subdistrict (Baramulla district, J&K)."
    )
    s = _loc(res, "Sopore")
    assert s.country == "India" and s.geo_precision == 1


@pytest.mark.parametrize(
    ("text", "name", "lat", "lon"),
    [
        # the words of "Dera Ismail Khan" partly written together; "Shikarpur" written as two words
        ("On 5 June 2021, students protested in Dera Ismailkhan city (KP).", "Dera Ismailkhan", 31.83, 70.90),
        ("On 5 June 2021, police clashed with traders in Shikar Pur town (Sindh).", "Shikar Pur", 27.96, 68.64),
    ],
)
def test_a_name_with_its_spaces_dropped_or_added(
    resolver: PlaceResolver, text: str, name: str, lat: float, lon: float
) -> None:
    loc = _loc(resolver.resolve(text), name)
    assert loc.geo_precision == 1 and haversine(loc.latitude, loc.longitude, lat, lon) < 5


def test_a_district_named_with_another_province_is_no_town_of_the_first(resolver: PlaceResolver) -> None:
    # the gazetteer's only Jurm is a town of Badakhshan: "Jurm district, Takhar" names a district of Takhar
    res = resolver.resolve("On 2 June 2021, Taliban fighters overran a checkpoint in Jurm district, Takhar.")
    j = _loc(res, "Jurm")
    assert j.admin1 == "Takhar" and j.geo_precision >= 2


def test_a_name_without_its_inner_preposition(resolver: PlaceResolver) -> None:
    # "San Juan Rio" is San Juan del Rio (not a San Juan elsewhere and a "Rio")
    res = resolver.resolve("On 5 June 2021, gunmen killed a taxi driver in San Juan Rio, Queretaro.")
    s = _loc(res, "San Juan Rio")
    assert s.geo_precision == 1 and haversine(s.latitude, s.longitude, 20.39, -100.0) < 5


def test_comma_admin_context(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On 5 May 2020, gunmen killed two police officers in Cuauhtemoc municipality, Chihuahua.")
    c = _loc(res, "Cuauhtemoc")
    assert c.admin1 == "Chihuahua" and c.country == "Mexico"
    res = resolver.resolve("On 3 May 2020, forces shelled positions in the area of Sentianivka, Luhansk.")
    s = _loc(res, "Sentianivka")
    assert s.country == "Ukraine" and s.admin1 == "Luhansk" and s.geo_precision == 2
    assert _loc(res, "Luhansk").geo_precision == 3


def test_co_mention_disambiguation(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Police in Alexandria said the fire spread from a home near Pineville, Louisiana.")
    alex = _loc(res, "Alexandria")
    assert alex.admin1 == "Louisiana"
    res = resolver.resolve("Officials in Alexandria and Cairo said the Nile flooded.")
    assert _loc(res, "Alexandria").country == "Egypt"


def test_stop_word_noise(resolver: PlaceResolver) -> None:
    text = (
        "The Police said Part Six of the plan was approved. Army Forces of the Islamic State moved on Monday "
        "in March. I'm sure We're fine. President Lincoln met Mr. Jackson. Fighting erupted. "
        "Chiquita Raquel Henry, 19, was arrested; Henry left."
    )
    spotted = [t.text for t in resolver.spot(text)]
    assert spotted == [], spotted


def test_country_and_province_precision(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Fighting was reported in Idlib province and across Syria.")
    assert _loc(res, "Syria").geo_precision == 3
    assert _loc(res, "Syria").location == "Syria"
    idlib = _loc(res, "Idlib")
    assert idlib.geo_precision == 3 and idlib.admin1 == "Idleb"


def test_spot_offsets_and_cues(resolver: PlaceResolver) -> None:
    text = "A Kyiv-based monitor said shelling hit near Kharkiv and in the village of Sentianivka."
    tops = resolver.spot(text)
    by = {t.text: t for t in tops}
    assert by["Kyiv"].cue == "-based"
    assert by["Kharkiv"].cue == "near"
    assert by["Sentianivka"].cue == "village of"
    for t in tops:
        assert text[t.start : t.end] == t.text


def test_in_span_and_records(resolver: PlaceResolver) -> None:
    text = "Shelling hit Homs. Later, clashes were reported in Aleppo."
    res = resolver.resolve(text)
    first = res.in_span(0, text.index(".") + 1)
    assert [loc.span.text for loc in first if loc.span] == ["Homs"]
    recs = places_records("d1", text, resolver)
    assert [r["text"] for r in recs] == ["Homs", "Aleppo"]
    assert recs[0]["country"] == "Syria" and recs[0]["doc_id"] == "d1"
    assert {"start", "end", "latitude", "longitude", "geonameid", "feature_class", "admin1", "score"} <= set(recs[0])


def test_person_names_and_acronyms_are_not_places(resolver: PlaceResolver) -> None:
    text = (
        "Kelli Blackwell spoke first. Jones said the meeting ran late, and Jones left. "
        "Troops exchanged fire across the LoC while MPs debated."
    )
    assert [t.text for t in resolver.spot(text)] == []
    # a big city before "said" is metonymy, still a place
    res = resolver.resolve("Moscow said the talks in Geneva failed.")
    assert _loc(res, "Moscow").country == "Russia"


def test_dateline_and_state_abbreviation(resolver: PlaceResolver) -> None:
    text = "CHARLESTON, W.Va. -- A fire destroyed a warehouse on Monday."
    res = resolver.resolve(text)
    ch = _loc(res, "CHARLESTON")
    assert ch.admin1 == "West Virginia"
    assert _loc(res, "W.Va.").geo_precision == 3


def test_unknown_village_codes_to_named_district(resolver: PlaceResolver) -> None:
    text = "On 1 May 2020, militants kidnapped two civilians from Qwzxq village (Diinsoor, Bay)."
    res = resolver.resolve(text)
    v = _loc(res, "Qwzxq")
    assert v.country == "Somalia" and v.geo_precision == 2
    d = _loc(res, "Diinsoor")
    assert (v.latitude, v.longitude) == (d.latitude, d.longitude)


# ---------------------------------------------------------------- admin units, bracketed admin names


def test_admin_core_strips_generic_words() -> None:
    from warcoder.gazetteer import translit

    tr = translit()
    assert tr.admin_core("Departement du Nord") == "Nord"
    assert tr.admin_core("Departement de l'Isere") == "Isere"
    assert tr.admin_core("Provincia della Spezia") == "Spezia"
    assert tr.admin_core("Pulaski County") == "Pulaski"
    assert tr.admin_core("Nowshera District") == "Nowshera"
    assert tr.admin_core("Upper Bavaria") == "Upper Bavaria"


def test_us_county_is_an_admin2_unit(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Deputies searched a farm in Pulaski County, Kentucky, after the storm on Monday.")
    loc = _loc(res, "Pulaski County")
    assert loc.country == "United States" and loc.admin1 == "Kentucky"
    assert loc.geo_precision == 2
    assert haversine(loc.latitude, loc.longitude, 37.1, -84.6) < 40  # type: ignore[arg-type]


def test_district_word_prefers_the_admin2_unit(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Farmers blocked a highway in Satara district (Maharashtra) over crop prices.")
    loc = _loc(res, "Satara")
    assert loc.country == "India" and loc.geo_precision == 2


def test_bracketed_state_reading_that_contains_the_town_wins(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Traders shut their shops in Suleja (Tafa LGA, Niger) after a robbery on Friday.")
    assert res.focus_country == "Nigeria"
    assert _loc(res, "Suleja").country == "Nigeria"
    niger = _loc(res, "Niger")
    assert niger.country == "Nigeria" and niger.admin1 == "Niger"


def test_unknown_village_falls_back_to_bracketed_admin_unit(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Gunmen raided Zorroxkwa village (Kachia LGA, Kaduna) before dawn.")
    loc = _loc(res, "Zorroxkwa")
    assert loc.country == "Nigeria" and loc.admin1 == "Kaduna" and loc.geo_precision >= 2


def test_unknown_village_made_of_two_place_words(resolver: PlaceResolver) -> None:
    # two known one-word places side by side look like a person's name, unless admin names follow
    res = resolver.resolve("Herders attacked farmers at Bida Zaria (Chikun LGA, Kaduna) on Sunday.")
    loc = _loc(res, "Bida Zaria")
    assert loc.country == "Nigeria" and loc.admin1 == "Kaduna"


def test_common_word_admin1_last_in_brackets(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Armed men shot two farmers at Zorroxkwa (Jos South LGA, Plateau) on Sunday.")
    loc = _loc(res, "Zorroxkwa")
    assert loc.country == "Nigeria" and loc.admin1 == "Plateau"
    assert not resolver.resolve("The talks reached a plateau in May.").locations


def test_loose_spelling_of_a_bracketed_admin1(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Militants burned huts in Zorroxkwa village (Zorroxkwa, Galgaduud) last week.")
    loc = _loc(res, "Zorroxkwa")
    assert loc.country == "Somalia" and loc.admin1 == "Galguduud"


def test_french_admin1_name_keeps_the_town_at_home(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Students marched in Dschang town (Menoua, Ouest) against fees.")
    loc = _loc(res, "Dschang")
    assert loc.country == "Cameroon" and loc.geo_precision == 1
    assert _loc(res, "Ouest").country == "Cameroon"


def test_usual_spelling_of_afghan_province(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Two policemen were killed in Logar province on Monday.")
    loc = _loc(res, "Logar")
    assert loc.country == "Afghanistan" and loc.geo_precision == 3


def test_state_is_not_the_city_with_a_longer_name(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Hundreds of workers from Bihar walked home along the highway.")
    loc = _loc(res, "Bihar")
    assert loc.country == "India" and loc.geo_precision == 3


def test_repeat_of_own_name_in_brackets_is_skipped(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Police arrested smugglers in Sheikh Zuweid (Sheikh Zuweid, North Sinai) on Monday.")
    assert all(loc.country == "Egypt" for loc in res.locations)
    assert _loc(res, "North Sinai").geo_precision == 3


def test_context_with_connector_words(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On Monday, in Duque de Caxias, Rio de Janeiro, police seized rifles.")
    loc = _loc(res, "Duque de Caxias")
    assert loc.country == "Brazil" and loc.geo_precision == 1


def test_continent_demonyms_and_demonym_before_a_title(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Kenyan President Smith met European ministers and Africans living abroad.")
    dem = {sp.text: c for sp, c in res.demonyms}
    assert dem["Kenyan"].name == "Kenya"
    assert dem["European"].name == "Europe" and not dem["European"].iso2
    assert dem["Africans"].name == "Africa"
    assert res.focus_country == "Kenya"  # continents do not vote for a country
    assert not res.locations


def test_us_abbreviation_is_the_country(resolver: PlaceResolver) -> None:
    res = resolver.resolve("The US embassy closed on Monday.")
    loc = _loc(res, "US")
    assert loc.country == "United States" and loc.geo_precision == 3


def test_large_country_uses_the_geonames_country_point(resolver: PlaceResolver) -> None:
    loc = _loc(resolver.resolve("Exports from Russia fell in March."), "Russia")
    assert haversine(loc.latitude, loc.longitude, 60.0, 100.0) < 5  # type: ignore[arg-type]


def test_state_named_like_a_country_in_a_us_text(resolver: PlaceResolver) -> None:
    text = "Storms hit Atlanta and Savannah, Georgia, on Sunday; Alabama and Florida braced for more."
    loc = _loc(resolver.resolve(text), "Georgia")
    assert loc.country == "United States" and loc.admin1 == "Georgia"
    loc = _loc(resolver.resolve("Russian troops crossed into Georgia in 2008, Moscow said."), "Georgia")
    assert loc.country == "Georgia"


def test_country_name_beats_namesake_town(resolver: PlaceResolver) -> None:
    text = "Farmers in Iowa and Texas said China on Monday cut its soybean orders from the United States."
    assert _loc(resolver.resolve(text), "China").country == "China"


def test_ocean_and_demonym_inside_a_place_name(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Storms formed over the Atlantic while ships crossed the Indian Ocean.")
    loc = _loc(res, "Atlantic")
    assert loc.geo_precision == 3 and haversine(loc.latitude, loc.longitude, 10.0, -25.0) < 50  # type: ignore[arg-type]
    assert not [sp for sp, _ in res.demonyms if sp.text == "Indian"]


def test_portuguese_name_of_brazils_federal_district(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On Sunday, in Ceilandia, Distrito Federal, two men were shot.")
    assert _loc(res, "Distrito Federal").country == "Brazil"


def test_foreign_capital_without_cue_in_a_focused_text(resolver: PlaceResolver) -> None:
    text = (
        "Seoul and Busan reported heavy smog, and South Korea's minister in Incheon called for "
        "Beijing's cooperation on Monday."
    )
    assert _loc(resolver.resolve(text), "Beijing").country == "China"


def test_person_name_does_not_hide_a_big_city(resolver: PlaceResolver) -> None:
    text = "Mayor London Breed spoke on Monday. Flights from London to Dublin resumed."
    res = resolver.resolve(text)
    hits = [loc for loc in res.locations if loc.span and loc.span.text == "London"]
    assert len(hits) == 1 and hits[0].country == "United Kingdom"
    assert hits[0].span is not None and hits[0].span.start > text.index("Flights")


def test_eu_is_reported_with_the_continent_not_as_a_toponym(resolver: PlaceResolver) -> None:
    res = resolver.resolve("EU ministers met in Brussels; the European Union will decide in May.")
    dem = {sp.text: c.name for sp, c in res.demonyms}
    assert dem.get("EU") == "Europe" and dem.get("European Union") == "Europe"
    assert [loc.span.text for loc in res.locations if loc.span] == ["Brussels"]


def test_datelines_and_state_abbreviations(resolver: PlaceResolver) -> None:
    res = resolver.resolve("ALLENDALE, N.J. -- Parents met on Monday.")
    assert _loc(res, "N.J.").admin1 == "New Jersey"
    assert _loc(resolver.resolve("NEW DELHI: The court sat on Monday."), "NEW DELHI").country == "India"
    res = resolver.resolve("WASHINGTON (AP) — China vowed on Friday to fight back.")
    assert _loc(res, "WASHINGTON").country == "United States"  # "(AP)" names no place to fall back to


def test_capital_outvotes_a_namesake_region_abroad(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Hundreds marched to the parliament in Sofia on Saturday.")
    assert res.focus_country == "Bulgaria" and _loc(res, "Sofia").geo_precision == 1


def test_spanish_name_of_santiagos_region(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On Monday, in Nunoa, Metropolitana, students blocked a road.")
    assert _loc(res, "Metropolitana").country == "Chile"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Shelling was recorded near Zolote-3 overnight.", "Zolote"),  # a numbered part of a town
        ("Explosions were heard in Donetsk-Kirovskyi overnight.", "Donetsk"),  # a district of a town
        ("Shells hit the Donetsk Filtration Station on Monday.", "Donetsk"),  # a facility named after its town
        ("Kabul Airport was closed after the attack.", "Kabul"),
    ],
)
def test_parts_and_facilities_of_a_town_are_near_it(resolver: PlaceResolver, text: str, name: str) -> None:
    tops = resolver.spot(text)
    assert [t.text for t in tops] == [name]  # "Station", "Airport" or "Coke" are not places of their own
    res = resolver.resolve(text)
    assert res.locations and res.locations[0].geo_precision == 2


def test_a_pair_of_known_places_is_not_a_town_part(resolver: PlaceResolver) -> None:
    assert [t.text for t in resolver.spot("Winston-Salem police made arrests.")] == ["Winston-Salem"]
    assert "Aleppo" not in [t.text for t in resolver.spot("Traffic resumed on the Aleppo-Idlib road.")]


# ---------------------------------------------------------------- disambiguation priors (GeoWebNews/LGL issue)


def test_country_named_in_its_own_text_is_not_its_namesake_state(resolver: PlaceResolver) -> None:
    text = (
        "Officials in Oaxaca and Chiapas said Mexico would tighten checks on the southern border. "
        "Mexico has received thousands of asylum requests this year, Mexican authorities said."
    )
    mx = _loc(resolver.resolve(text), "Mexico")
    assert mx.geo_precision == 3 and mx.admin1 is None  # the country, not the State of Mexico


def test_ocean_beats_namesake_towns_of_the_focus_country(resolver: PlaceResolver) -> None:
    text = (
        "Forecasters in Miami and Houston expect a quiet season. Storms form when the tropical Atlantic is warm, "
        "and the Atlantic has been cooler than average off Florida and Texas this spring."
    )
    atl = _loc(resolver.resolve(text), "Atlantic")
    assert atl.country in ("", None) and atl.longitude < -10  # type: ignore[operator]


def test_world_city_named_exactly_keeps_its_reading(resolver: PlaceResolver) -> None:
    text = (
        "The Chicago company hired a consultant from Denver and another from London, "
        "where street art has been protected by the boroughs since 2015."
    )
    ldn = _loc(resolver.resolve(text), "London")
    assert ldn.country == "United Kingdom"


def test_sibling_list_is_not_place_and_admin_unit(resolver: PlaceResolver) -> None:
    text = "The firm has offices in Los Angeles, Miami, Seattle, and Boston."
    la = _loc(resolver.resolve(text), "Los Angeles")
    assert haversine(la.latitude, la.longitude, 34.05, -118.24) < 30  # type: ignore[arg-type]
    text = "The river water is shared among Tamil Nadu, Karnataka and Kerala, a tribunal ruled."
    res = resolver.resolve(text)
    tn, ka = _loc(res, "Tamil Nadu"), _loc(res, "Karnataka")
    assert haversine(tn.latitude, tn.longitude, ka.latitude, ka.longitude) > 150  # type: ignore[arg-type]


def test_village_with_admin_context_still_falls_back_abroad(resolver: PlaceResolver) -> None:
    # a foreign namesake town is no sibling of the named district: the village is placed in the district
    text = "On 5 May, gunmen attacked a gendarmerie post in Mandoli (Bandiagara, Mopti) and killed one man."
    loc = _loc(resolver.resolve(text), "Mandoli")
    assert loc.country == "Mali"


def test_state_is_pulled_by_a_town_inside_it(resolver: PlaceResolver) -> None:
    text = (
        "A survivor of the school shooting in Parkland, Florida The debate goes on. Students from Parkland "
        "marched in Tallahassee, and Florida lawmakers met them."
    )
    fl = _loc(resolver.resolve(text), "Florida")
    assert fl.geo_precision == 3 and fl.admin1 == "Florida"


def test_name_listed_beside_states_is_a_state(resolver: PlaceResolver) -> None:
    text = "Firms are moving from California or Washington to cheaper states such as Utah, Colorado, and Idaho."
    res = resolver.resolve(text)
    wa = _loc(res, "Washington")
    assert wa.geo_precision == 3 and wa.admin1 == "Washington"
    ut = _loc(res, "Utah")
    assert ut.geo_precision == 3 and ut.admin1 == "Utah"


def test_nation_demonym_is_placed_at_its_nation(resolver: PlaceResolver) -> None:
    text = "The attack took place in the quiet English city of Salisbury, police in Wiltshire said."
    res = resolver.resolve(text)
    eng = [c for sp, c in res.demonyms if sp.text == "English"]
    assert eng and eng[0].iso2 == "GB"
    assert haversine(eng[0].latitude, eng[0].longitude, 52.5, -1.2) < 200  # England, not the UK's centre


def test_latin_america_is_a_region_not_the_united_states(resolver: PlaceResolver) -> None:
    text = "After college she spent a year travelling throughout Latin America and studying Portuguese in Boston."
    res = resolver.resolve(text)
    la = [loc for loc in res.locations if loc.span and "America" in loc.span.text]
    assert la and la[0].span is not None and la[0].span.text == "Latin America"
    assert la[0].latitude < 0  # type: ignore[operator]
    text = "Central American migrants waited at the border."
    assert not [c for _, c in resolver.resolve(text).demonyms if c.iso2 == "US"]


def test_region_name_shared_with_a_town_abroad_votes_less(resolver: PlaceResolver) -> None:
    text = (
        "A new FrontCounter office opens in Nelson next month, the minister said. People in Castlegar and "
        "Nelson will no longer drive for hours to renew permits."
    )
    nel = _loc(resolver.resolve(text), "Nelson")
    assert nel.country == "Canada"


def test_hamlet_needs_more_than_company_against_a_big_namesake(resolver: PlaceResolver) -> None:
    text = (
        "Lottery officials in Morris County and New York said the winner bought the ticket at a shop in "
        "New Jersey. Last year a man in Florida won $451 million."
    )
    fl = _loc(resolver.resolve(text), "Florida")
    assert fl.geo_precision == 3 and fl.admin1 == "Florida"


def test_an_admin_word_after_a_name_makes_it_no_person(resolver: PlaceResolver) -> None:
    # "Gwoza LGA": a capitalised word after a name usually means a person ("Raquel Henry"), not "LGA"
    res = resolver.resolve("Gunmen raided Wulgo village (Gwoza LGA, Borno) before dawn.")
    gwoza, wulgo = _loc(res, "Gwoza"), _loc(res, "Wulgo")
    assert gwoza.country == "Nigeria"
    # the unknown village is coded to the named district's town, not to the province centre
    assert (wulgo.latitude, wulgo.longitude) == (gwoza.latitude, gwoza.longitude) and wulgo.geo_precision == 2
    res = resolver.resolve("Protesters blocked a road in Bogra Sadar Upazila (Bogra, Rajshahi) on Monday.")
    assert _loc(res, "Bogra").country == "Bangladesh"  # "Bogra Sadar Upazila" does not make Bogra a person


def test_a_spelling_variant_of_a_town_inside_the_named_province(resolver: PlaceResolver) -> None:
    # Cyrillic iotated vowels are romanised with or without their glide: Yasynuvata, Iasynuvata, Enakievo
    for text, name in (("Iasynuvata", "Yasynuvata"), ("Enakievo", "Yenakiyeve")):
        res = resolver.resolve(f"Shells hit {text}, Donetsk, overnight.")
        loc = _loc(res, text)
        assert (loc.location, loc.admin1, loc.geo_precision) == (name, "Donetsk", 1)


def test_a_town_close_to_the_district_named_with_it_stays(resolver: PlaceResolver) -> None:
    # the gazetteer gives Rawalakot no district, so "Hajira district" does not contain it by name; it lies
    # 12 km away, so it is in that district, and is not moved onto the district's town
    res = resolver.resolve("Militants attacked a checkpoint in Rawalakot tehsil, Hajira district, Azad Kashmir.")
    loc = _loc(res, "Rawalakot")
    assert (loc.location, loc.geo_precision) == ("Rawalakot", 1)
    assert abs(loc.latitude - _loc(res, "Hajira").latitude) > 0.05


def test_a_district_read_outside_its_own_bracketed_province_is_no_context(resolver: PlaceResolver) -> None:
    # "Ado" alone is Ado-Ekiti (Ekiti); in "(Ado LGA, Benue)" it must not place the village in Ekiti
    res = resolver.resolve("Gunmen attacked Agila Ehaje village (Ado LGA, Benue) at night.")
    loc = _loc(res, "Agila Ehaje")
    assert (loc.country, loc.admin1) == ("Nigeria", "Benue")


def test_a_province_last_in_brackets_sets_the_focus(resolver: PlaceResolver) -> None:
    # "Kech" only reads as a German town (Ketsch); "Balochistan" at the end of the brackets is the stronger clue
    res = resolver.resolve("An IED hit a patrol in Zorroxkwa (Kech, Balochistan).")
    assert res.focus_country == "Pakistan"
    assert _loc(res, "Zorroxkwa").country == "Pakistan"


def test_a_loose_spelling_of_one_countrys_villages_when_nothing_else_is_named(resolver: PlaceResolver) -> None:
    res = resolver.resolve("On 3 March 2020, monitors observed 4 explosions near Iasynivka.")
    loc = _loc(res, "Iasynivka")
    assert (loc.location, loc.country, loc.geo_precision) == ("Yasynivka", "Ukraine", 2)
    # not when the text is about another country
    res = resolver.resolve("On 3 March 2020, monitors in Vienna, Austria, observed 4 explosions near Iasynivka.")
    assert "Iasynivka" not in [loc.span.text for loc in res.locations if loc.span]


def test_a_district_named_as_the_place_is_at_its_seat_and_in_brackets_at_its_centre(resolver: PlaceResolver) -> None:
    gaz = resolver.gaz
    seat = next(p for p in gaz.lookup("Barmer") if p.feature_class == "P")
    unit = next(p for p in gaz.lookup("Barmer") if p.feature_code == "ADM2")
    assert haversine(seat.latitude, seat.longitude, unit.latitude, unit.longitude) > 25
    loc = _loc(resolver.resolve("Workers blocked a highway in Barmer district (Rajasthan) on Monday."), "Barmer")
    assert loc.geo_precision == 2 and haversine(loc.latitude, loc.longitude, seat.latitude, seat.longitude) < 0.1
    # a district given after an unknown place stands for somewhere inside it: its centre
    res = resolver.resolve("Workers protested at Zorroxkwa tea estate (Barmer district, Rajasthan) on Monday.")
    loc = _loc(res, "Barmer")
    assert haversine(loc.latitude, loc.longitude, unit.latitude, unit.longitude) < 0.1


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1", "capital"),
    [
        # DR Congo's 2015 provinces, not the old Orientale province hundreds of km away
        (
            "Militiamen looted shops across Ituri province on Sunday.",
            "Ituri",
            "Democratic Republic of Congo",
            "Ituri",
            "Bunia",
        ),
        (
            "Soldiers clashed with militiamen in Tshopo province.",
            "Tshopo",
            "Democratic Republic of Congo",
            "Tshopo",
            "Kisangani",
        ),
        # Ghana's regions created in 2019
        ("Herders were attacked in the Savannah Region overnight.", "Savannah Region", "Ghana", "Savannah", "Damongo"),
        # Libya's shabiyat in the spelling of Libya's own admin boundaries
        ("Shells fell across Aljfara on Monday.", "Aljfara", "Libya", "Aljfara", "Al 'Aziziyah"),
        # Myanmar's states under their older English names
        ("Fighting spread in Karen State last week.", "Karen State", "Myanmar", "Kayin", "Hpa-An"),
    ],
)
def test_current_admin1_names_are_placed_at_their_capitals(
    resolver: PlaceResolver, text: str, name: str, country: str, admin1: str, capital: str
) -> None:
    loc = _loc(resolver.resolve(text), name)
    assert (loc.country, loc.admin1, loc.geo_precision) == (country, admin1, 3)
    town = max(
        (p for p in resolver.gaz.lookup(capital) if p.feature_class == "P" and p.country == country),
        key=lambda p: p.population or 0,
    )
    assert haversine(loc.latitude, loc.longitude, town.latitude, town.longitude) < 1


def test_towns_of_a_split_province_carry_its_current_name(resolver: PlaceResolver) -> None:
    # Valdivia lies in Los Rios (split from Los Lagos in 2007): the brackets confirm it rather than Ecuador's Los Rios
    loc = _loc(resolver.resolve("Taxi drivers protested in Valdivia (Los Rios) on Monday."), "Valdivia")
    assert (loc.country, loc.admin1, loc.geo_precision) == ("Chile", "Los Rios", 1)
    # a former name stays known: Brong-Ahafo's capital region is now Bono
    loc = _loc(resolver.resolve("Farmers protested across Brong-Ahafo region."), "Brong-Ahafo")
    assert (loc.country, loc.admin1) == ("Ghana", "Bono")


def test_a_bracketed_unit_of_another_country_than_the_province_after_it_is_no_context(
    resolver: PlaceResolver,
) -> None:
    # "Nelson" alone is a New Zealand province, "Mandela" a Ghanaian town: inside "(..., Eastern Cape)" they are not
    res = resolver.resolve("Nurses protested outside a clinic in Zorroxkwa (Nelson Mandela Bay, Eastern Cape).")
    loc = _loc(res, "Zorroxkwa")
    assert (loc.country, loc.admin1) == ("South Africa", "Eastern Cape")
    # a province name that several countries use ("Central") rules nothing out
    res = resolver.resolve("Vigilantes attacked workers in Zorroxkwa (Nkhotakota, Central) at night.")
    assert _loc(res, "Zorroxkwa").country == "Malawi"


def test_a_neighbourhood_named_with_colonia_is_no_other_town(resolver: PlaceResolver) -> None:
    # "Colonia" alone reads as the town La Colonia, and the name after it as any namesake town
    res = resolver.resolve("In Apodaca, Nuevo Leon, armed men shot a man in Colonia Los Pinos on Monday.")
    spans = [loc.span.text for loc in res.locations if loc.span]
    assert "Apodaca" in spans and not {"Colonia", "Los Pinos", "Pinos"} & set(spans)
    assert _loc(res, "Apodaca").country == "Mexico"
    # a town whose own name starts with the word stays a town
    res = resolver.resolve("Protesters marched through Colonia del Sacramento on Monday.")
    assert _loc(res, "Colonia del Sacramento").country == "Uruguay"
    # with no other place named, the neighbourhood's readings are kept as the only clue to the country
    res = resolver.resolve("A body was found in Colonia Los Pinos on Monday.")
    assert res.locations


@pytest.mark.parametrize(
    "text, want",
    [
        # a common word read as a small foreign town through a spelling rule ("Bus" -> Bous, Germany)
        ("Bus drivers protested over unpaid wages in Abidjan on Monday.", ["Abidjan"]),
        # a district the gazetteer lacks is not a foreign town of a similar spelling
        ("A bomb hit a police van in Balochistan's Kech district on Friday.", ["Balochistan"]),
        # nor is a village read through a foreign city's alternate name, even when it is the only place named
        ("Malian soldiers and JNIM fighters clashed near Boni on Wednesday.", []),
        # an exact name abroad is still kept when the text names no place of its own country
        ("Turkish drones struck PKK positions in Sinjar on Monday.", ["Sinjar"]),
    ],
)
def test_a_loose_reading_abroad_is_not_a_place(resolver: PlaceResolver, text: str, want: list[str]) -> None:
    assert [loc.location for loc in resolver.resolve(text).locations] == want


def test_country_name_ending_a_listed_village_is_not_the_country(resolver: PlaceResolver) -> None:
    text = (
        "Herders clashed in the areas of Abu Karinka, Hajir Togo, Umm Kuja and other villages of Katayla "
        "(South Darfur state)."
    )
    res = resolver.resolve(text)
    assert all(loc.country == "Sudan" for loc in res.locations)
    assert any(loc.admin1 == "Southern Darfur" for loc in res.locations)
    # a qualified country in a list is still the country
    res = resolver.resolve("Troops moved to Niger, Northern Mali, and Chad.")
    assert [loc.location for loc in res.locations] == ["Niger", "Mali", "Chad"]


@pytest.mark.parametrize(
    "text, admin1",
    [
        ("Gunmen attacked farmers in an unnamed village (North Darfur state).", "Northern Darfur"),
        ("Unknown attackers stole cattle in the area (South Kordofan state).", "Southern Kordofan"),
        ("Residents protested in El Obeid, North Kordofan.", "Shamal Kurdufan"),
    ],
)
def test_sudan_state_short_names(resolver: PlaceResolver, text: str, admin1: str) -> None:
    res = resolver.resolve(text)
    assert res.locations and all(loc.country == "Sudan" for loc in res.locations)
    assert admin1 in {loc.admin1 for loc in res.locations}


def test_city_district_code_reads_the_city(resolver: PlaceResolver) -> None:
    # "Athens-Central Athens": a city and one of its districts; the common word is no town of its own
    res = resolver.resolve("Teachers rallied outside parliament [coded to Athens-Central Athens] on Monday.")
    assert {loc.location for loc in res.locations} == {"Athens"}
    assert all(loc.country == "Greece" for loc in res.locations)


def test_a_town_abroad_before_a_one_country_district_in_brackets(resolver: PlaceResolver) -> None:
    # "Pobe-Mengao" reads as Pobe (Benin); the Burkinabe province named after it in the same brackets rules that out
    res = resolver.resolve("Gunmen attacked a market in Kelbo (Pobe-Mengao, Soum) on Sunday.")
    assert _loc(res, "Kelbo").country == "Burkina Faso"


def test_a_unique_town_named_with_a_wrong_province_stays_the_town(resolver: PlaceResolver) -> None:
    # Larkana is in Sindh: a city of its size, the only one of its name in Pakistan, is not moved to Punjab
    res = resolver.resolve("Traders protested in Larkana city (Larkana, Punjab) on Monday.")
    loc = _loc(res, "Larkana")
    assert loc.admin1 == "Sindh" and loc.geo_precision == 1
    # a small namesake of a town elsewhere is still coded to the province named with it
    res = resolver.resolve("Gunmen attacked a shop in Ado (Ado LGA, Benue).")
    assert _loc(res, "Ado").admin1 == "Benue"


@pytest.mark.parametrize(
    "text, admin1",
    [
        ("Troops exchanged fire across the border near a village (Poonch district, J&K).", "Kashmir"),
        ("A mob pelted stones at the police in Shamli (UP) on Monday.", "Uttar Pradesh"),
        ("Militants attacked a check post in a village (North Waziristan, KPK).", "Khyber Pakhtunkhwa"),
    ],
)
def test_province_short_forms_in_brackets(resolver: PlaceResolver, text: str, admin1: str) -> None:
    res = resolver.resolve(text)
    assert admin1 in {loc.admin1 for loc in res.locations}


def test_acronyms_in_brackets_are_no_province(resolver: PlaceResolver) -> None:
    # "UPP" (a police unit) is not Uttar Pradesh through the key it shares with "UP"; "(AP)" is the news agency
    for text in (
        "Officers of the Pacifying Police Unit (UPP) were attacked in Rio de Janeiro.",
        "WASHINGTON (AP) - The senate voted on Monday.",
    ):
        assert all(
            loc.country == "United States" or loc.country == "Brazil" for loc in resolver.resolve(text).locations
        )


def test_metros_missing_from_the_sources(resolver: PlaceResolver) -> None:
    # hand-added places (place_aliases.csv): a metropolitan municipality and a big city the sources lack
    res = resolver.resolve("Nurses demonstrated outside a clinic in Zwide (Nelson Mandela Bay, Eastern Cape).")
    nmb = _loc(res, "Nelson Mandela Bay")
    assert nmb.country == "South Africa" and haversine(nmb.latitude, nmb.longitude, -33.96, 25.60) < 10  # type: ignore[arg-type]
    res = resolver.resolve("Residents blocked a road in El Alto, La Paz, on Friday.")
    alto = _loc(res, "El Alto")
    assert alto.country == "Bolivia" and haversine(alto.latitude, alto.longitude, -16.50, -68.17) < 10  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, country",
    [
        ("Workers protested in a village of Chui region on Monday.", "Kyrgyzstan"),
        ("Miners went on strike in a village of Karaganda region.", "Kazakhstan"),
    ],
)
def test_central_asian_region_spellings(resolver: PlaceResolver, text: str, country: str) -> None:
    res = resolver.resolve(text)
    assert res.locations and all(loc.country == country for loc in res.locations)


def test_a_name_that_also_names_a_state_is_the_town_in_that_state(resolver: PlaceResolver) -> None:
    # "X, X state": Mexico has a town named Merida but no Merida state, Venezuela has both; a village known
    # only in Mexico must not drag the town abroad
    res = resolver.resolve("Neighbours banged pots in Agiabampo, Merida, Merida state, over water cuts.")
    merida = _loc(res, "Merida")
    assert merida.country == "Venezuela" and merida.admin1 == "Merida"
    # without the state word the Mexican reading stays open
    res = resolver.resolve("On Monday, in Komchen, Merida, Yucatan, police arrested two men.")
    assert _loc(res, "Merida").country == "Mexico"


@pytest.mark.parametrize(
    "text, name, point",
    [
        ("Journalists rallied outside the press club in Sujawal city (Sujawal, Sindh).", "Sujawal", (24.61, 68.07)),
        ("Farmers protested in Mithi town (Tharparkar, Sindh) over water.", "Tharparkar", (24.74, 69.80)),
        ("Women protested in Shahdadkot town (Qambar Shahdadkot, Sindh).", "Shahdadkot", (27.85, 67.91)),
        ("Shells hit houses near Paletwa (Mindat District, Chin State) on Sunday.", "Paletwa", (21.30, 92.85)),
    ],
)
def test_districts_and_towns_missing_from_the_sources(
    resolver: PlaceResolver, text: str, name: str, point: tuple[float, float]
) -> None:
    # hand-added districts (headquarters point) and towns (place_aliases.csv); a district named in the
    # brackets no longer hides the town before it
    loc = _loc(resolver.resolve(text), name)
    assert haversine(loc.latitude, loc.longitude, *point) < 10  # type: ignore[arg-type]


def test_mexican_ciudad_towns_go_by_the_bare_name(resolver: PlaceResolver) -> None:
    # GeoNames names the seat "Ciudad Benito Juárez"; reports say "Benito Juarez, Nuevo Leon"
    loc = _loc(resolver.resolve("Gunmen shot a trader in Benito Juarez, Nuevo Leon, on Sunday."), "Benito Juarez")
    assert loc.admin1 == "Nuevo Leon" and haversine(loc.latitude, loc.longitude, 25.65, -100.09) < 15  # type: ignore[arg-type]
    # a one-word rest is no name of its own: "Ciudad Real" stays the Spanish city
    loc = _loc(resolver.resolve("A man was arrested in Ciudad Real, Spain."), "Ciudad Real")
    assert loc.country == "Spain"


def test_a_town_of_the_people_named_is_kept_when_the_focus_is_their_neighbour(resolver: PlaceResolver) -> None:
    # "Israeli" twice makes Israel the focus; the Palestinian town read through a spelling rule still stands
    res = resolver.resolve(
        "Palestinian students threw stones at Israeli soldiers at the southern entrance of Al Bireh. "
        "Israeli soldiers answered with tear gas."
    )
    loc = _loc(res, "Al Bireh")
    assert loc.country == "Palestine"


def test_focus_votes_prefer_the_town_read_by_its_own_name(resolver: PlaceResolver) -> None:
    # Talas (Turkey) carries "Tafas" among its alternate names and is a little bigger than Syria's Tafas
    res = resolver.resolve("Gunmen killed a farmer in the town of Tafas in the western Daraa countryside.")
    assert res.focus_country == "Syria"
    assert _loc(res, "Tafas").country == "Syria"


def test_arabic_governorates_by_their_english_names(resolver: PlaceResolver) -> None:
    # GeoNames calls them "Muhafazat al Hudaydah" and "Arbil"; the text calls them Al Hudaydah and Erbil
    res = resolver.resolve("A mine exploded in Hays district, Al Hudaydah, wounding a shepherd.")
    hays = _loc(res, "Hays")
    assert hays.country == "Yemen"
    res = resolver.resolve("Iranian artillery shelled farmland near Sidakan, Erbil.")
    sid = _loc(res, "Sidakan")
    assert sid.country == "Iraq" and haversine(sid.latitude, sid.longitude, 36.80, 44.67) < 25  # type: ignore[arg-type]


def test_a_compass_word_before_a_province_named_after_its_capital(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Jets struck the outskirts of Maarat al-Numan in southern Idlib.")
    assert _loc(res, "Idlib").geo_precision == 3
    res = resolver.resolve("Shots were heard in northern Baghdad.")  # a big city: its part, not the province
    assert _loc(res, "Baghdad").geo_precision == 1


def test_a_leaders_government_is_no_place(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Fighters loyal to the Hadi government clashed with Houthi forces in Al Kasarah, Marib.")
    assert all(loc.span is None or loc.span.text != "Hadi" for loc in res.locations)
    assert _loc(res, "Al Kasarah").country == "Yemen"


def test_ain_and_ayn_are_one_arabic_word(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Turkish-backed factions shelled the town of Ain Issa, north of Raqqa.")
    loc = _loc(res, "Ain Issa")
    assert loc.country == "Syria" and loc.admin1 == "Raqqa"


def test_a_camp_in_the_land_of_a_people_the_text_names(resolver: PlaceResolver) -> None:
    res = resolver.resolve(
        "Palestinian gunmen fired at Israeli troops during a raid in Jenin camp. The Israeli troops fired back."
    )
    assert _loc(res, "Jenin").country == "Palestine"  # not Jenin, Poland (its primary name)


def test_a_party_whose_members_act_is_not_a_place(resolver: PlaceResolver) -> None:
    text = (
        "Some 300 members of Svoboda and supporters of Batkivshchyna rallied outside the regional council in "
        "Poltava, while activists of the National Corps blocked a road near Kremenchuk."
    )
    spotted = [t.text for t in resolver.spot(text)]
    assert spotted == ["Poltava", "Kremenchuk"], spotted
    text = "About 40 members of Right Sector, Svoboda and local traders picketed the town hall in Uman."
    spotted = [t.text for t in resolver.spot(text)]
    assert spotted == ["Uman"], spotted


def test_corps_is_a_military_unit_not_a_town(resolver: PlaceResolver) -> None:
    for text in (
        "Soldiers of the 5th Corps shelled positions near Kherson.",
        "The rally was organised by National Corps in Kherson.",
    ):
        spotted = [t.text for t in resolver.spot(text)]
        assert spotted == ["Kherson"], spotted


def test_a_village_named_after_a_city_is_not_the_city(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Monitors heard bursts of heavy machine-gun fire near Luhanske on Tuesday.")
    loc = _loc(res, "Luhanske")
    assert loc.location == "Luhanske" and loc.admin1 == "Donetsk", loc


def test_a_district_of_a_city_is_not_a_far_namesake(resolver: PlaceResolver) -> None:
    res = resolver.resolve("Pensioners rallied in the Shevchenkivskyi district of Lviv on Monday.")
    loc = _loc(res, "Shevchenkivskyi")
    assert loc.latitude is not None and loc.longitude is not None
    assert abs(loc.latitude - 49.84) < 0.2 and abs(loc.longitude - 24.03) < 0.3, loc  # Lviv, not Kyiv's district
    res = resolver.resolve("Shelling hit Darayya district of Damascus.")  # a real suburb within reach stays
    assert _loc(res, "Darayya").location == "Darayya"


def test_a_unit_named_after_a_place_and_a_mine_are_not_places(resolver: PlaceResolver) -> None:
    text = "On Monday veterans of the Azov Battalion marched in Odesa; sappers cleared a Mine near Zolote."
    spotted = [t.text for t in resolver.spot(text)]
    assert spotted == ["Odesa", "Zolote"], spotted


def test_members_of_a_town_body_are_of_the_town(resolver: PlaceResolver) -> None:
    for text in (
        "On Sunday, members of Kafr Nabl council protested against the new levy.",
        "On Sunday, members of the Saraqib police were wounded by a roadside bomb.",
        "On Sunday, activists of Kafr Nabl protested against the new levy.",
    ):
        spotted = [t.text for t in resolver.spot(text)]
        assert len(spotted) == 1 and spotted[0] in ("Kafr Nabl", "Saraqib"), (text, spotted)


def test_spotted_candidates_are_the_places_of_their_readings(resolver: PlaceResolver) -> None:
    """Candidate places are made when first asked for: the first 50 readings, as places of the gazetteer."""
    text = "Shelling hit Washington and Homs on Monday."
    tops = {tp.text: tp for tp in resolver.spot(text)}
    wash, homs = tops["Washington"], tops["Homs"]
    assert len(wash.ids) > 50  # a name of many places: only the first 50 are made
    assert [p.geonameid for p in wash.candidates] == [resolver.gaz.place(j).geonameid for j in wash.ids[:50]]
    assert wash.candidates is wash.candidates  # made once
    assert "SY" in {p.country_code for p in homs.candidates}
    assert all(p.name for p in homs.candidates) and len(homs.candidates) == min(50, len(homs.ids))


def test_sector_word_keeps_the_bracketed_admin_names(resolver: PlaceResolver) -> None:
    # "X sector area (District, State)": the brackets name X's units, so X is not a namesake in another state
    res = resolver.resolve("Troops traded mortar fire in Rampur sector area (Kupwara district, J&K) on Monday.")
    loc = _loc(res, "Rampur")
    assert loc.country == "India" and loc.admin1 == "Kashmir"
    assert haversine(loc.latitude, loc.longitude, 34.5, 74.2) < 80  # type: ignore[arg-type]


def test_loose_spelling_inside_a_province_the_text_names(resolver: PlaceResolver) -> None:
    # the comma chain gives the town only its district; the state named after it still backs the loose reading
    text = "Shelling damaged two houses in Buthidong Township, Maungdaw District, Rakhine State, on Sunday."
    loc = _loc(resolver.resolve(text), "Buthidong")
    assert loc.country == "Myanmar" and loc.admin1 == "Rakhine" and loc.geo_precision == 1


def test_a_town_is_read_by_the_short_form_of_its_full_name(resolver: PlaceResolver) -> None:
    # "Parral" is Hidalgo del Parral (100,000 people), not a smaller village called El Parral in another state
    res = resolver.resolve("Gunmen killed two Mexican police officers in Parral on Sunday.")
    loc = _loc(res, "Parral")
    assert loc.country == "Mexico" and loc.admin1 == "Chihuahua"


@pytest.mark.parametrize(
    "text, name, admin1",
    [
        ("Armed men shot a shopkeeper in Santiago de Tuxtla, Veracruz, on Friday.", "Santiago de Tuxtla", "Veracruz"),
        (
            "Armed men shot a shopkeeper in San Juan Guadalupe on Friday, police said.",
            "San Juan Guadalupe",
            "Durango",
        ),
    ],
)
def test_spanish_de_dropped_or_added(resolver: PlaceResolver, text: str, name: str, admin1: str) -> None:
    loc = _loc(resolver.resolve(text), name)
    assert loc.country == "Mexico" and loc.admin1 == admin1 and loc.geo_precision == 1


def test_a_town_named_by_its_short_form_stays_itself_beside_a_wrong_province(resolver: PlaceResolver) -> None:
    # Ciudad Mante is in Tamaulipas; a report naming it with a neighbouring state still means that town
    res = resolver.resolve("Armed men shot a bus driver in Mante, Nuevo Leon, on Friday.")
    loc = _loc(res, "Mante")
    assert loc.country == "Mexico" and loc.admin1 == "Tamaulipas" and loc.geo_precision == 1


def test_villages_of_unknown_size_abroad_do_not_set_the_focus(resolver: PlaceResolver) -> None:
    # "Al Manshiya" names villages of unknown population in three countries: no vote for any of them
    res = resolver.resolve("About forty residents of Al Manshiya village rallied in Sousse on Sunday over water cuts.")
    assert res.focus_country == "Tunisia"


def test_a_country_named_only_as_an_origin_does_not_set_the_focus(resolver: PlaceResolver) -> None:
    res = resolver.resolve(
        "Villagers blocked a road in Sidirokastro to stop buses carrying 90 asylum seekers from Iraq."
    )
    assert res.focus_country == "Greece"
    assert _loc(res, "Sidirokastro").country == "Greece"


@pytest.mark.parametrize(
    "text, name, lat, lon",
    [
        # the brackets after "Police Station limits" name the station's district and state
        ("Maoists torched two trucks near Manpur Police Station limits (Kanker, Chhattisgarh).", "Manpur", 20.3, 81.5),
        # "X village of Y area (District, State)": Y is unknown, its brackets are X's too
        (
            "Police seized 20 bombs in Lalpur village of Tamluk area (East Midnapore district, West Bengal).",
            "Lalpur",
            22.4,
            87.3,
        ),
        # "X area of Y district, Z": X lies in Y, not in a namesake's province
        (
            "Taliban fighters attacked a checkpost in the Yangi Kala area of Almar district, Faryab.",
            "Yangi Kala",
            35.8,
            64.5,
        ),
    ],
)
def test_admin_names_given_further_along_a_chain(
    resolver: PlaceResolver, text: str, name: str, lat: float, lon: float
) -> None:
    loc = _loc(resolver.resolve(text), name)
    assert haversine(loc.latitude, loc.longitude, lat, lon) < 40  # type: ignore[arg-type]


def test_a_town_in_neither_named_unit_is_not_kept_as_its_namesake(resolver: PlaceResolver) -> None:
    # Mali's only "Bamba" is in Gao; one named with a district and a region of Mopti is another village
    loc = _loc(resolver.resolve("Gunmen shot a trader in Bamba village (Bandiagara, Mopti) on Tuesday."), "Bamba")
    assert loc.admin1 == "Mopti" and loc.geo_precision == 2


def test_english_name_modifiers_make_other_towns(resolver: PlaceResolver) -> None:
    # "West Torrington" is not the long form of "Torrington"
    res = resolver.resolve("Police answered a burglary call in Torrington, Connecticut, on Friday night.")
    assert _loc(res, "Torrington").location == "Torrington"


def test_the_focus_vote_goes_to_a_town_of_that_name_not_to_one_it_is_an_alternate_name_of(
    resolver: PlaceResolver,
) -> None:
    # "Dowa" is also an alternate name of a larger Chinese town; the Malawian town is called Dowa
    res = resolver.resolve("Members of Liga Obrera rallied outside the town hall in Dowa on Monday.")
    assert _loc(res, "Dowa").country == "Malawi"


def test_first_word_of_a_district_name_is_not_a_town_elsewhere(resolver: PlaceResolver) -> None:
    # "Khas Kunar district": not the town of Khash in Nimruz followed by the Kunar unit
    res = resolver.resolve("A roadside bomb hit a police car in the bazaar of Khas Kunar district, Kunar, on Sunday.")
    assert {loc.admin1 for loc in res.locations} == {"Konar"}
    # a town followed by its own state keeps its reading
    res = resolver.resolve("Troops arrived in Maiduguri Borno State on Friday.")
    assert _loc(res, "Maiduguri").geo_precision == 1


def test_the_word_for_a_province_tells_whose_province_it_is(resolver: PlaceResolver) -> None:
    # Venezuela's units are states, Colombia's departments
    res = resolver.resolve("Farmers blocked a road in Bolivar state on Monday.")
    assert _loc(res, "Bolivar").country == "Venezuela"


def test_a_generic_opening_word_does_not_hide_the_whole_name(resolver: PlaceResolver) -> None:
    # "Tal" alone names villages; "Tal Tamer" is a spelling of Tall Tamr, read before "Tal" is taken
    res = resolver.resolve("Turkish artillery hit farmland near Tal Tamer, Al-Hasakeh.")
    loc = _loc(res, "Tal Tamer")
    assert loc.country == "Syria" and loc.admin1 == "Al-Hasakeh"


def test_a_sentence_opening_word_read_only_as_an_alternate_name_is_no_place(resolver: PlaceResolver) -> None:
    # "Farmers" is an alternate name of Milan (US); opening a sentence, it is the word
    res = resolver.resolve("Farmers protested outside the district office. Kolhapur saw more protests.")
    assert [loc.span.text for loc in res.locations if loc.span] == ["Kolhapur"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # "the province of X" names the province, as "X province" does (sentences written for this test)
        ("Two fighters were killed on the outskirts of Qamishli, in the northeastern province of Hasakah.", "Hasakah"),
        ("Clashes broke out in the governorate of Idlib on Monday.", "Idlib"),
        ("Shelling hit villages in the southern region of Kherson overnight.", "Kherson"),
    ],
)
def test_the_province_of_a_name_is_the_province(resolver: PlaceResolver, text: str, name: str) -> None:
    loc = _loc(resolver.resolve(text), name)
    assert loc.geo_precision == 3, (loc.location, loc.admin1, loc.geo_precision)
