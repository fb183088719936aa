from datetime import date

import pytest

from warcoder.dates import find_dates, parse_iso, report_date

REF = date(2017, 11, 2)  # a Thursday


def first(text: str, ref: date | None = REF):
    found = find_dates(text, ref)
    assert found, f"no date found in {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text, want, prec",
    [
        ("On November 1, the army advanced.", date(2017, 11, 1), 1),
        ("Late on November 1, warplanes struck.", date(2017, 11, 1), 1),
        ("On 9 May 2020, gunmen attacked.", date(2020, 5, 9), 1),
        ("Around 1 May 2020 (week of), police detained", date(2020, 5, 1), 2),
        ("Around 30 April 2020 (end of month), planes", date(2020, 4, 30), 3),
        ("Yesterday, the SDF advanced.", date(2017, 11, 1), 1),
        ("On Wednesday, the SDF advanced.", date(2017, 11, 1), 1),
        ("On Thursday, the SDF advanced.", date(2017, 11, 2), 1),
        ("Over the last few days, ISIS has lost ground.", date(2017, 11, 2), 2),
        ("On 2017-10-30 a blast hit the market.", date(2017, 10, 30), 1),
    ],
)
def test_find_dates(text: str, want: date, prec: int) -> None:
    d = first(text)
    assert (d.date, d.precision) == (want, prec)


def test_year_inferred_so_event_is_not_after_report() -> None:
    # a December date in a January report belongs to the previous year
    assert first("On December 30, rockets hit the city.", date(2018, 1, 3)).date == date(2017, 12, 30)
    assert first("On November 3, rockets hit the city.", REF).date == date(2016, 11, 3)


def test_offsets_point_at_the_expression() -> None:
    text = "Late on November 1, Israeli warplanes bombed a factory."
    d = first(text)
    assert text[d.start : d.end] == "November 1"


def test_relative_dates_need_a_report_date() -> None:
    assert find_dates("Yesterday, the SDF advanced.", None) == []


def test_impossible_dates_are_ignored() -> None:
    assert find_dates("On February 30, 2017 nothing happened.", REF) == []


def test_report_date_from_title_and_dateline() -> None:
    assert report_date("Syria War Report – November 2, 2017: Government Forces", "") == REF
    assert report_date(None, "Donbas update\nMay 3, 2020\n\nOn May 2, ...") == date(2020, 5, 3)
    assert report_date(None, "No date anywhere here.") is None


@pytest.mark.parametrize("bad", ["2017-13-45", "2017-02-30", "yesterday", "02/11/2017", ""])
def test_parse_iso_rejects_invalid(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_iso(bad)


@pytest.mark.parametrize(
    "text,rest",
    [
        ("ADEN, March 11 (Reuters) - Heavy fighting killed 19 on Wednesday.", "Heavy fighting"),
        ("KHARKIV, Ukraine, May 3 (AP) — Russian drones struck the city.", "Russian drones"),
        ("September 21, 2024 (EL FASHER) – At least 23 civilians were killed.", "At least 23"),
        ("BEIRUT: Israeli jets struck the south.", "Israeli jets"),
        ("On 3 May 2020, in Buenos Aires, residents protested.", "On 3 May 2020"),
    ],
)
def test_dateline_end(text: str, rest: str) -> None:
    from warcoder.dates import dateline_end

    assert text[dateline_end(text, 0, len(text)) :].startswith(rest)


def test_a_datelines_date_is_not_the_events() -> None:
    """ "ADEN, March 11 (Reuters) - ... on Wednesday": the event is on Wednesday, March 10 (the coder reads
    dates after the dateline)."""
    from warcoder.engine import shared_coder

    text = "ADEN, March 11 (Reuters) - Houthi fighters shelled government positions in Marib on Wednesday, killing four soldiers."
    (ev,) = shared_coder().code(text, report_date="2021-03-11", doc_id="t")
    assert ev.event_date == "2021-03-10"


def test_the_day_of_a_statement_is_not_the_events() -> None:
    from warcoder.dates import event_dates

    ref = date(2024, 5, 14)  # a Tuesday
    t = "The ministry said on Monday that an air strike on Sunday killed 12."
    assert [d.date for d in event_dates(t, ref, 0, len(t))] == [date(2024, 5, 12)]
    t = "April 1 (Reuters) - Security forces opened fire on protesters on Wednesday."
    assert [d.date for d in event_dates(t, date(2021, 4, 1), 0, len(t))] == [date(2021, 3, 31)]
    t = "Russian drones struck Odesa on Monday, officials said."
    assert [d.date for d in event_dates(t, ref, 0, len(t))] == [date(2024, 5, 13)]
