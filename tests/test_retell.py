"""One happening, one event, inside an article (issue 18): retellings merged, the lowest figure kept with its
range, and the article's events ranked.  Sentences written for these tests."""

from __future__ import annotations

from warcoder import fatalities
from warcoder.coding.rank import rank_events
from warcoder.coding.retell import merge_retellings, same_happening
from warcoder.model import Event, Span


def ev(**kw: object) -> Event:
    base: dict[str, object] = dict(
        event_id="x",
        doc_id="d",
        event_date="2024-05-09",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Syria (2000-)",
        country="Syria",
        admin1="Idlib",
        location="Ariha",
        latitude=35.81,
        longitude=36.61,
        geo_precision=1,
        evidence=[Span(0, 10, "first")],
    )
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def test_a_retelling_with_another_figure_is_one_event_with_the_lowest_figure() -> None:
    a = ev(fatalities=23, evidence=[Span(0, 10, "lead")])
    b = ev(fatalities=43, evidence=[Span(50, 60, "later")], actor1="Unidentified Armed Group (Syria)")
    (one,) = merge_retellings([a, b])
    assert (one.fatalities, one.fatalities_low, one.fatalities_high) == (23, 23, 43)
    assert one.actor1 == "Military Forces of Syria (2000-)"  # the first telling's
    assert [s.text for s in one.evidence] == ["lead", "later"]


def test_a_figure_of_zero_states_nothing() -> None:
    (one,) = merge_retellings([ev(fatalities=0), ev(fatalities=7, evidence=[Span(40, 50, "b")])])
    assert one.fatalities == 7


def test_other_day_place_type_or_named_actor_is_another_event() -> None:
    a = ev()
    assert not same_happening(a, ev(event_date="2024-05-08"))
    assert not same_happening(a, ev(location="Aleppo", admin1="Aleppo", latitude=36.2, longitude=37.16))
    assert not same_happening(a, ev(sub_event_type="Shelling/artillery/missile attack"))
    assert not same_happening(a, ev(actor1="Military Forces of Russia (2000-)"))
    assert len(merge_retellings([a, ev(event_date="2024-05-08")])) == 2


def test_a_province_holds_its_town_and_a_country_holds_both() -> None:
    prov = ev(location="Idlib", admin1="Idlib", geo_precision=3, latitude=35.93, longitude=36.63)
    country = ev(location="", admin1="", geo_precision=3, latitude=None, longitude=None)
    assert same_happening(ev(), prov)
    assert same_happening(country, ev())
    (one,) = merge_retellings([prov, ev(evidence=[Span(30, 40, "town")])])
    assert one.location == "Ariha" and one.geo_precision == 1


def test_people_killed_in_the_strike_are_the_strike() -> None:
    strike = ev(fatalities=0)
    killed = ev(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        fatalities=9,
        actor1="Unidentified Armed Group (Syria)",
        evidence=[Span(30, 40, "b")],
    )
    (one,) = merge_retellings([killed, strike])
    assert one.sub_event_type == "Air/drone strike" and one.fatalities == 9


def test_estimates_of_one_toll_give_the_lowest_and_a_range() -> None:
    texts = [
        "An air strike on the market killed 23 people, the health ministry said.",
        "The Syrian Observatory for Human Rights put the toll at 43.",
        "A hospital director told reporters that 50 bodies had been brought in.",
    ]
    assert fatalities.count_parts(texts) == (23, 23, 50)


def test_other_people_killed_add_up() -> None:
    texts = ["Shelling killed two soldiers in the village.", "Three civilians were also killed, residents said."]
    assert fatalities.count_parts(texts)[0] == 5
    assert fatalities.count_parts(["Total fatalities coded as 13.", "Also 3 soldiers were killed."])[0] == 13


def test_the_main_event_is_the_headline_and_lead() -> None:
    side = ev(location="Aleppo", admin1="Aleppo", fatalities=2, evidence=[Span(900, 950, "x")])
    main = ev(fatalities=12, evidence=[Span(100, 150, "a"), Span(400, 450, "b")])
    ranked = rank_events([side, main], headline="Air strike kills 12 in Ariha", lead_end=200)
    assert [e.article_rank for e in ranked] == [2, 1]
    # without a headline, the lead and the first told win ties
    a, b = rank_events([ev(evidence=[Span(0, 5, "a")]), ev(evidence=[Span(10, 15, "b")])], "", 0)
    assert (a.article_rank, b.article_rank) == (1, 2)


def test_the_coder_codes_one_strike_told_twice_as_one_event() -> None:
    from warcoder.engine import shared_coder

    text = (
        "Strike on Ariha market\n\n"
        "An air strike by Syrian government forces on a market in Ariha killed 23 civilians on Thursday, the"
        " civil defence said.\n\n"
        "Rescuers worked through the night.\n\n"
        "The Syrian Observatory for Human Rights said 43 people were killed in the air strike on Ariha on"
        " Thursday, among them 11 children."
    )
    events = shared_coder().code(text, report_date="2024-05-10", doc_id="t")
    strikes = [e for e in events if e.location == "Ariha"]
    assert len(strikes) == 1, [(e.sub_event_type, e.location, e.fatalities) for e in events]
    assert (strikes[0].fatalities, strikes[0].fatalities_low, strikes[0].fatalities_high) == (23, 23, 43)
    assert strikes[0].article_rank == 1


def test_the_target_of_one_event_acting_in_another_is_two_happenings() -> None:
    bomb = ev(
        sub_event_type="Remote explosive/landmine/IED",
        actor1="Unidentified Armed Group (Syria)",
        actor2="Military Forces of Syria (2000-)",
    )
    demolition = ev(
        sub_event_type="Remote explosive/landmine/IED",
        actor1="Military Forces of Syria (2000-)",
        evidence=[Span(40, 50, "b")],
    )
    assert not same_happening(bomb, demolition)


def test_houses_blown_up_are_property_destruction_and_a_monitors_seat_is_no_scene() -> None:
    from warcoder.engine import shared_coder

    coder = shared_coder()
    (ev1,) = coder.code("Syrian army engineers blew up two houses in Tafas on Tuesday.", report_date="2022-06-08")
    assert ev1.sub_event_type == "Looting/property destruction"
    (ev2,) = coder.code(
        "The Britain-based Syrian Observatory for Human Rights said an air strike killed seven people in Ariha"
        " on Tuesday.",
        report_date="2022-06-08",
    )
    assert ev2.country == "Syria" and ev2.location == "Ariha"
    evs = coder.code(
        "The state news agency SANA said a bomb exploded in Daraa on Tuesday, killing four soldiers.",
        report_date="2022-06-08",
    )
    assert [e.location for e in evs] == ["Dara"]


def test_a_store_written_before_the_new_columns_opens_and_takes_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    from warcoder.model import EVENT_COLS, Document
    from warcoder.store import EVENT_TYPES, Store

    added = ("fatalities_low", "fatalities_high", "article_rank", "typed_by", "model_prob")
    old = [c for c in EVENT_COLS if c not in added]
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE events (" + ", ".join(f"{c} {EVENT_TYPES[c]}" for c in old) + ")")
    con.execute("INSERT INTO events (event_id, doc_id, fatalities) VALUES ('e0', 'd0', 2)")
    con.close()
    with Store(path) as store:
        # a row written before the columns existed: no range, no rank, typed by the rules, no model probability
        assert store.con.execute(
            "SELECT fatalities_low, article_rank, typed_by, model_prob FROM events WHERE event_id = 'e0'"
        ).fetchone() == (0, 0, "rules", None)
        doc = Document("d1", "An air strike killed 23 in Ariha.")
        store.write_coded([(doc, [ev(doc_id="d1", event_id="e1", fatalities=23, fatalities_high=43, article_rank=1)])])
        row = store.con.execute(
            "SELECT fatalities, fatalities_low, fatalities_high, article_rank FROM events WHERE event_id = 'e1'"
        ).fetchone()
    assert row == (23, 0, 43, 1)


def test_a_battle_retold_with_its_sides_the_other_way_round_is_one_event() -> None:
    # "Houthi fighters attacked government positions in Sirwah ... Government troops repelled the assault"
    houthi, army = "Military Forces of Yemen (2017-) Houthi", "Military Forces of Yemen (2012-)"
    clash = dict(event_type="Battles", sub_event_type="Armed clash", country="Yemen", admin1="Marib", location="Sirwah")
    a = ev(actor1=houthi, actor2=army, fatalities=12, **clash)
    b = ev(actor1=army, actor2=houthi, fatalities=20, evidence=[Span(80, 90, "later")], **clash)
    (one,) = merge_retellings([a, b])
    assert (one.actor1, one.fatalities, one.fatalities_high) == (houthi, 12, 20)
    assert same_happening(a, ev(actor1=army, actor2="", **clash))  # the retelling names one side only
    # other sides, or an air strike whose target strikes back, stay apart
    assert not same_happening(a, ev(actor1=army, actor2="Southern Transitional Council", **clash))
    strike = ev(actor1=houthi, actor2=army)
    assert not same_happening(strike, ev(actor1=army, actor2=houthi))


def test_a_vague_place_holds_a_town_of_its_province_whatever_its_spelling() -> None:
    """ "Fighting west of the city of Marib killed 19 ... The clashes erupted in the Sirwah district": the lead's
    place is an area (precision 3) named by a town, spelt otherwise than the province it lies in."""
    clash = dict(event_type="Battles", sub_event_type="Armed clash", country="Yemen", admin1="Ma'rib")
    houthi, army = "Military Forces of Yemen (2017-) Houthi", "Military Forces of Yemen (2012-)"
    lead = ev(**clash, actor1=houthi, actor2=army, location="Marib", geo_precision=3, latitude=15.46, longitude=45.33)
    later = ev(**clash, actor1=army, actor2=houthi, location="Sirwah", geo_precision=2, latitude=15.45, longitude=45.02)
    (one,) = merge_retellings([lead, later])
    assert one.location == "Sirwah" and one.actor1 == houthi
    # the town itself is a place, not an area: two towns are two places however near
    town = ev(**clash, actor1=houthi, actor2=army, location="Marib", geo_precision=1, latitude=15.46, longitude=45.33)
    assert not same_happening(town, later)
    # and an area holds only the places of its own province
    other = ev(**{**clash, "admin1": "Al Jawf"}, actor1=army, actor2=houthi, location="Al Hazm", geo_precision=1)
    assert not same_happening(lead, other)


def test_an_unidentified_side_in_either_role_does_not_make_two_happenings() -> None:
    """A claimed bomb (actor1 the claimant, its target unknown) and a monitor's telling of the same blast (an
    unidentified attacker, the target named) are one event; a named side acting in one and hit in the other are
    two."""
    bomb = dict(event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED")
    unknown = "Unidentified Armed Group (Syria)"
    lead = ev(
        **bomb,
        actor1="Islamic State (Syria)",
        actor2=unknown,
        location="Deir ez-Zor",
        admin1="Deir ez-Zor",
        geo_precision=3,
    )
    later = ev(
        **bomb,
        actor1=unknown,
        actor2="QSD: Syrian Democratic Forces",
        location="Shahil",
        admin1="Deir ez-Zor",
        geo_precision=2,
        evidence=[Span(40, 60, "later")],
    )
    (one,) = merge_retellings([lead, later])
    # the side hit is the one a telling names
    assert (one.actor1, one.actor2, one.location) == (
        "Islamic State (Syria)",
        "QSD: Syrian Democratic Forces",
        "Shahil",
    )
    sdf_acts = ev(
        **bomb,
        actor1="QSD: Syrian Democratic Forces",
        actor2="Islamic State (Syria)",
        location="Shahil",
        admin1="Deir ez-Zor",
        geo_precision=2,
    )
    assert not same_happening(
        ev(
            **bomb,
            actor1="Islamic State (Syria)",
            actor2="QSD: Syrian Democratic Forces",
            location="Shahil",
            admin1="Deir ez-Zor",
            geo_precision=2,
        ),
        sdf_acts,
    )
