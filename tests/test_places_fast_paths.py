"""Shortcuts in spotting give what the plain regex search gives."""

from __future__ import annotations

from warcoder import places as pl


def test_members_of_shortcut_agrees_with_the_search() -> None:
    texts = [
        "Police arrested members of Svoboda in Kyiv.",
        "Supporters of the Azov movement marched.",
        "Members of National Corps, Svoboda and Right Sector rallied.",
        "members of the\nSaraqib police",
        "FOLLOWERS of  \t Hamas",
        "residents of Aleppo",
        "members of 12 Hamas",
        "the members of, Idlib",
        "members of" + " " * 130 + "Mosul",
        "In Aleppo, members of Kafr Nabl council",
    ]
    checked = 0
    for text in texts:
        for start in range(len(text) + 1):
            want = pl.MEMBERS_OF.search(text, max(0, start - 120), start)
            got = pl.members_of_before(text, start)
            assert (got is None) == (want is None), (text, start)
            assert got is None or got.span() == want.span()
            checked += want is not None
    assert checked >= 5
