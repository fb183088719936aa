"""The country a document's outlet covers, as a prior for places named without their country (issue 17)."""

from __future__ import annotations

import pytest

from warcoder.actors import default_matcher
from warcoder.coding.outlets import OutletCountry
from warcoder.merge.rules import SourceTable


@pytest.fixture(scope="module")
def outlets() -> OutletCountry:
    return OutletCountry(SourceTable(), default_matcher().demonyms)


@pytest.mark.parametrize(
    "source, url, want",
    [
        ("Naharnet", None, "Lebanon"),  # the table's covers column
        (None, "https://www.naharnet.com/stories/en/1", "Lebanon"),  # by the URL's host
        ("Syrian Observatory for Human Rights", None, "Syria"),  # a monitor based abroad covers Syria
        ("National News Agency (Lebanon)", None, "Lebanon"),
        ("Yemeni Daily Herald", None, "Yemen"),  # not in the table: the country in its name
        ("Reuters", None, None),  # wire services cover the world
        ("Xinhua", None, None),  # state media of a country that is not the one reported on
        ("Naharnet; Reuters", None, "Lebanon"),  # the wire adds nothing
        ("Naharnet; Libya Observer", None, None),  # outlets that disagree give no prior
        ("Some Town Gazette", None, None),
        (None, None, None),
    ],
)
def test_outlet_country(outlets: OutletCountry, source: str | None, url: str | None, want: str | None) -> None:
    assert outlets.covers(source, url) == want


@pytest.mark.parametrize(
    "source, want",
    [("Naharnet", "Lebanon"), ("Libya Observer", "Libya"), ("Reuters", "Libya"), (None, "Libya")],
)
def test_a_bare_name_takes_the_outlets_country(coder, source: str | None, want: str) -> None:  # type: ignore[no-untyped-def]
    text = "Hundreds of people protested in Tripoli on Monday against rising prices."
    events = coder.code(text, report_date="2024-03-15", doc_id="t", source=source)
    assert events and events[0].country == want, [(e.location, e.country) for e in events]


def test_the_text_outweighs_the_outlet(coder) -> None:  # type: ignore[no-untyped-def]
    # a Lebanese outlet reporting on Syria: the text's own places decide
    text = "Regime forces shelled the town of Kafr Nabl in Idlib province (Syria) on Monday."
    events = coder.code(text, report_date="2024-03-15", doc_id="s", source="Naharnet")
    assert events and events[0].country == "Syria", [(e.location, e.country) for e in events]
