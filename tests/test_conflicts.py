"""Knowledge per conflict (data/conflicts/*.yaml, warcoder.conflicts)."""

from __future__ import annotations

from datetime import date

import pytest

from warcoder import actors, conflicts
from warcoder.gazetteer import countries
from warcoder.merge.rules import SourceTable


def test_every_conflict_file_parses_and_names_a_known_country() -> None:
    names = {c.name for c in countries()}
    files = conflicts.load_all()
    assert files, "no conflict files found"
    for c in files:
        assert c["country"] in names, c["file"]
        assert c.get("source"), f"{c['file']}: say where the knowledge comes from"


def test_a_conflict_file_is_where_its_country_is_found() -> None:
    by_country = {c["country"]: c for c in conflicts.load_all()}
    yemen = by_country["Yemen"]
    spec = actors.load_spec()
    groups = {g["name"]: g for g in spec["groups"]}
    for g in yemen["groups"]:
        # a group without a home gets the file's country
        assert groups[g["name"]]["home"] == g.get("home", "Yemen")
    assert spec["ambiguous_aliases"]["separatists"]["Yemen"].startswith("STC")
    # the regime years and the outlets of the file reach their tables
    years = actors.RegimeYears.load()
    assert years.year("Yemen", date(2020, 5, 1)) == "2012"
    assert years.year("Yemen", date(2023, 1, 1)) == "2022"
    assert SourceTable().rate("Almasirah").covers == "Yemen"


def test_nothing_of_a_conflict_file_is_left_in_the_general_tables() -> None:
    from warcoder import knowledge

    general_countries = {r[0] for r in knowledge.read_tsv("governments.tsv")}
    raw = knowledge.load_yaml("actors.yaml")
    general_groups = {g["name"] for g in raw["groups"]}
    for c in conflicts.load_all():
        if c.get("governments"):
            assert c["country"] not in general_countries, f"{c['country']}: regime years in two places"
        for g in c.get("groups") or []:
            assert g["name"] not in general_groups, f"{g['name']}: in actors.yaml and {c['file']}"


def test_bad_conflict_files_are_refused_with_their_name() -> None:
    with pytest.raises(conflicts.ConflictFileError, match="x.yaml: unknown key"):
        conflicts.parse("x.yaml", {"country": "Yemen", "actors": []})
    with pytest.raises(conflicts.ConflictFileError, match="x.yaml: a conflict file is a mapping"):
        conflicts.parse("x.yaml", ["Yemen"])
    with pytest.raises(conflicts.ConflictFileError, match="'groups' must be a list"):
        conflicts.parse("x.yaml", {"country": "Yemen", "groups": {"a": 1}})
    bad_date = (conflicts.parse("x.yaml", {"country": "Yemen", "governments": [{"since": "2020-13-01"}]}),)
    with pytest.raises(conflicts.ConflictFileError, match="x.yaml: governments: bad date"):
        conflicts.government_rows(bad_date)


def test_a_group_or_an_alias_given_twice_is_an_error() -> None:
    one = conflicts.parse("a.yaml", {"country": "Yemen", "groups": [{"name": "G", "kind": "rebel", "inter": 2}]})
    two = conflicts.parse("b.yaml", {"country": "Oman", "groups": [{"name": "G", "kind": "rebel", "inter": 2}]})
    with pytest.raises(conflicts.ConflictFileError, match="b.yaml: group 'G' is defined twice"):
        conflicts.add_to_actor_spec({"groups": []}, (one, two))
    a = conflicts.parse("a.yaml", {"country": "Yemen", "ambiguous_aliases": {"rebels": "military"}})
    b = conflicts.parse("b.yaml", {"country": "Yemen", "ambiguous_aliases": {"rebels": "police"}})
    with pytest.raises(conflicts.ConflictFileError, match="b.yaml: ambiguous alias 'rebels' is given twice"):
        conflicts.add_to_actor_spec({}, (a, b))


def test_units_and_forces_of_several_files_add_up() -> None:
    a = conflicts.parse("a.yaml", {"country": "Yemen", "state_units": {"Saudi Arabia": {"military": ["X coalition"]}}})
    b = conflicts.parse("b.yaml", {"country": "Iraq", "state_units": {"Saudi Arabia": {"military": ["Y unit"]}}})
    spec = conflicts.add_to_actor_spec({"state_units": {"Saudi Arabia": {"military": ["Z"]}}}, (a, b))
    assert spec["state_units"]["Saudi Arabia"]["military"] == ["Z", "X coalition", "Y unit"]
    rows = conflicts.outlet_rows(
        (conflicts.parse("a.yaml", {"country": "Yemen", "outlets": [{"outlet": "O", "domains": ["a.ye", "b.ye"]}]}),)
    )
    assert rows == [{"outlet": "O", "domains": "a.ye|b.ye"}]


def _yemen_cases() -> list[tuple[str, str, str, str]]:
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "conflicts" / "yemen.tsv"
    rows = [ln.split("\t") for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return [tuple(r) for r in rows[1:]]  # type: ignore[misc]


@pytest.mark.parametrize(("report_date", "actor1", "actor2", "text"), _yemen_cases())
def test_yemen_actors_take_acled_names(report_date: str, actor1: str, actor2: str, text: str) -> None:
    from warcoder.engine import shared_coder

    events = shared_coder().code(text, report_date=report_date, doc_id="y")
    assert events, text
    ev = events[0]
    assert ev.actor1 == actor1, (ev.actor1, ev.actor2, text)
    if actor2:
        assert ev.actor2 == actor2, (ev.actor1, ev.actor2, text)


@pytest.mark.parametrize(
    ("country", "when", "year"),
    [
        # ACLED's published actor names: "Military Forces of Turkey (2016-)" (from the failed coup of July 2016)
        ("Turkey", date(2020, 5, 1), "2016"),
        ("Turkey", date(2015, 5, 1), "2002"),
        # Lebanon's regimes are its prime ministers' governments: Diab in 2020, Mikati from September 2021
        ("Lebanon", date(2020, 6, 1), "2020"),
        ("Lebanon", date(2023, 10, 20), "2021"),
        # the Palestinian Authority's forces date from 1994
        ("Palestine", date(2021, 5, 10), "1994"),
        ("Yemen", date(2020, 5, 1), "2012"),
        ("Syria", date(2020, 5, 1), "2000"),
    ],
)
def test_regime_years_of_the_conflict_countries(country: str, when: date, year: str) -> None:
    assert actors.RegimeYears.load().year(country, when) == year
