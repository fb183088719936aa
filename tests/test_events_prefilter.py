"""The trigger prefilter (issue 20): a macro it rules out for a text never matches that text, so the
events coded are the same as with every regex searched."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from warcoder import prefilter
from warcoder.events import EventTyper
from warcoder.prefilter import FOLD, Prefilter

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _starts(pattern: str) -> set[str] | None:
    return prefilter.literal_starts(prefilter.parse(pattern))[0]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bkill(?:ed|ing)\b", {"killed", "killing"}),
        (r"(?:Shot|gunned) down", {"shot down", "gunned down"}),
        (r"\bclash(?:es|ed)?\b", {"clash", "clashes", "clashed"}),  # with the optional part and without
        (r"(?:hand )?grenades?", {"hand grenade", "grenade"}),
        (r"\d+ killed", set("0123456789")),  # a digit, then any number of them: the literal ends there
        (r"\w+ killed", None),  # a match may start with any letter
        (r"(?<!not )protest(?=ers)", {"protest"}),  # look-arounds consume nothing
        (r"[Ss]hell(?:ed|ing)", {"shelled", "shelling"}),
    ],
)
def test_literal_starts_are_read_off_the_regex(pattern: str, literals: set[str] | None) -> None:
    assert _starts(pattern) == literals


def test_the_fold_table_covers_every_character_re_folds_onto_an_ascii_letter() -> None:
    expected = {}
    for c in string.ascii_lowercase:
        rx = re.compile(c, re.I)
        for cp in range(0x80, 0x10000):
            ch = chr(cp)
            if ch.lower() != c and rx.fullmatch(ch):
                expected[ord(ch)] = c
    assert {k: v for k, v in FOLD.items()} == expected


def test_a_folded_character_still_makes_its_macro_a_candidate() -> None:
    pf = Prefilter({"SHOT": r"\bshot dead", "NONE": r"\bbombed"})
    assert pf.candidates("He was \u017fhot dead.") == {"SHOT"}  # long s matches s under re.I
    assert pf.candidates("SHOT DEAD") == {"SHOT"} and pf.candidates("nothing here") == set()


def _sentences() -> list[str]:
    out = []
    for p in sorted(FIXTURES.rglob("*")):
        if p.suffix in (".txt", ".tsv", ".html", ".jsonl", ".json") and p.is_file():
            out += re.split(r"(?<=[.!?])\s+|\n", p.read_text(encoding="utf-8", errors="replace"))
    return [s for s in out if s.strip()]


def test_a_ruled_out_macro_never_matches() -> None:
    typer = EventTyper()
    sentences = _sentences()
    assert len(sentences) > 2000
    ruled_out = 0
    for s in sentences:
        cands = typer.prefilter.candidates(s)
        for name, rx in typer.macros.items():
            if name not in cands:
                ruled_out += 1
                assert rx.search(s) is None, (name, s)
    assert ruled_out > len(sentences) * len(typer.macros) // 2  # it does rule most searches out


def test_background_rules_through_the_prefilter_match_as_without_it() -> None:
    from warcoder.discourse import default_discourse

    d = default_discourse()
    found = 0
    for s in _sentences():
        plain = next((name for name, rule in d.background.items() if rule.search(s)), None)
        assert d.background_rule(s) == plain, s
        found += plain is not None
    assert found > 20


def test_the_literal_table_is_cached_and_a_damaged_cache_is_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARCODER_CACHE", str(tmp_path))
    patterns = {"KILL": r"\bkill(?:ed|ing)\b", "ANY": r"\w+ed\b"}
    first = prefilter.literal_table(patterns)
    assert first == {"KILL": ["killed", "killing"], "ANY": None}
    [cached] = list(tmp_path.glob("prefilter-*.json"))
    assert prefilter.literal_table(patterns) == first
    cached.write_text('{"KILL": [""], "ANY": null}')  # damaged: an empty literal would rule nothing out
    assert prefilter.literal_table(patterns) == first
    cached.write_text("not json")
    assert Prefilter(patterns).candidates("they killed") == {"KILL", "ANY"}
