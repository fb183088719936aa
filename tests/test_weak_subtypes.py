"""News-style sentences of our own for the sub-types weakest on held-out snippets (issue 17): Middle East and
North Africa, written before the rules that handle them (tests/fixtures/weak_subtypes/news.tsv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "weak_subtypes" / "news.tsv"


def rows() -> list[tuple[str, str, str]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        lines = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    return [(r[0], r[1], r[2]) for r in lines[1:]]


def test_the_weak_sub_types_hold(coder) -> None:  # type: ignore[no-untyped-def]
    got = []
    for sub, _, text in rows():
        evs = coder.code(text, report_date="2024-05-10")
        got.append((sub, evs[0].sub_event_type if evs else None))
    right = sum(a == b for a, b in got)
    assert len(got) == 30
    # 24/30 when written (2026-12-08), before any rule for them; 25/30 with the handover rule.  "Other" stays
    # weak (sonic booms, drone sightings, shots in the air, parades): 1/5.
    assert right >= 25, [g for g in got if g[0] != g[1]]


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Rebel fighters handed over their heavy weapons and left Deraa al-Balad under a Russian-brokered "
            "surrender deal, and government forces moved in.",
            "Non-violent transfer of territory",
        ),
        (
            "Militants fired rockets at Sderot after rebels in Gaza surrendered their arms last year.",
            "Shelling/artillery/missile attack",
        ),  # fmt: skip
        ("UN monitors entered Hodeidah on Monday to oversee the ceasefire agreement.", "Agreement"),
    ],
)
def test_weapons_handed_over_and_forces_moving_in_under_a_deal(coder, text: str, sub: str) -> None:  # type: ignore[no-untyped-def]
    # sentences written for this test
    [ev, *_] = coder.code(text, report_date="2024-05-10")
    assert ev.sub_event_type == sub
