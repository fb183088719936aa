"""The pieces of fast toponym spotting: token runs, the cheap look at the text before a name, the
per-token normalisation cache and the resolver's caches (which must never change an answer)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from warcoder.gazetteer import Gazetteer, Translit
from warcoder.places import (
    CONNECTORS,
    DIRECTIONAL,
    DIRECTIONAL_LAST,
    IN,
    IN_LAST,
    NEAR,
    NEAR_LAST,
    NEIGH_OF,
    NEIGH_OF_LAST,
    OFFSET,
    OFFSET_LAST,
    SENTENCE_START,
    TOKEN,
    VILLAGE_OF,
    VILLAGE_OF_LAST,
    PlaceResolver,
    Tok,
    before_shape,
    last_word,
    sentence_start,
)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    cache = os.environ.get("WARCODER_CACHE")
    return Gazetteer.load(Path(cache) if cache else tmp_path_factory.mktemp("gazcache"))


@pytest.fixture(scope="module")
def resolver(gaz: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gaz)


def _runs(r: PlaceResolver, text: str) -> list[list[tuple[str, bool, str | None]]]:
    out = []
    for run in r._runs(text, 0, len(text)):
        for t in run:
            assert text[t.start : t.end] == t.text  # offsets point at the token's text
        out.append([(t.text, t.cap, t.suffix) for t in run])
    return out


# ---------------------------------------------------------------- runs of capitalised tokens


def test_runs_join_connectors_and_drop_a_trailing_one(resolver: PlaceResolver) -> None:
    runs = _runs(resolver, "Fighters entered Deir ez-Zor near the Bay of Bengal. Talks in Moscow of the week")
    assert [[w for w, _, _ in r] for r in runs] == [
        ["Fighters"],
        ["Deir", "ez-Zor"],  # an article joined by a hyphen counts as capitalised
        ["Bay", "of", "Bengal"],
        ["Talks"],
        ["Moscow"],  # "of" before a lower-case word is not part of the run
    ]


def test_runs_break_on_lower_case_words_and_wider_gaps(resolver: PlaceResolver) -> None:
    assert _runs(resolver, "Deir  Ezzor") == [[("Deir", True, None)], [("Ezzor", True, None)]]
    assert _runs(resolver, "Deir,Ezzor") == [[("Deir", True, None)], [("Ezzor", True, None)]]
    assert _runs(resolver, "Homs city Hama") == [[("Homs", True, None)], [("Hama", True, None)]]
    assert _runs(resolver, "Don't Stop") == [[("Stop", True, None)]]  # a contraction is no name


def test_runs_possessives_suffixes_apostrophes_and_diacritics(resolver: PlaceResolver) -> None:
    assert _runs(resolver, "Syria's army") == [[("Syria", True, None)]]
    assert _runs(resolver, "Iran-backed militias") == [[("Iran", True, "-backed")]]
    assert _runs(resolver, "Ma'arat al-Nu'man was hit") == [[("Ma'arat", True, None), ("al-Nu'man", True, None)]]
    assert _runs(resolver, "near Ḥamāh") == [[("Ḥamāh", True, None)]]
    assert _runs(resolver, "U.S.-backed forces in Zolote-5") == [[("U.S.", True, None)], [("Zolote", True, "-5")]]


def _runs_one_token_at_a_time(r: PlaceResolver, text: str) -> list[list[tuple[int, int, str, bool, str | None]]]:
    """Reference for ``_runs``: every token of TOKEN made into a token object and looked at in turn."""
    runs: list[list[Tok]] = []
    cur: list[Tok] = []
    for m in TOKEN.finditer(text):
        shape = r._token_shape(m.group())
        if shape is None:
            continue
        t = Tok(m.start(), m.start() + shape[0], shape[1], shape[2], shape[3])
        joined = bool(cur) and text[cur[-1].end : t.start] == " " and cur[-1].suffix is None
        if t.cap:
            if cur and joined:
                cur.append(t)
            else:
                if cur:
                    runs.append(cur)
                cur = [t]
        elif cur and joined and t.text.lower() in CONNECTORS:
            cur.append(t)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and not run[-1].cap:
            run = run[:-1]
        if run:
            out.append([(t.start, t.end, t.text, t.cap, t.suffix) for t in run])
    return out


def test_runs_with_cached_token_shapes_match_the_plain_algorithm(resolver: PlaceResolver) -> None:
    """Runs built in the tokenising pass, from cached token shapes and without token objects for plain
    words, are those of the token-at-a-time algorithm, on random texts of awkward pieces (glued or not)."""
    pieces = [
        "the",
        "of",
        "al",
        "al-Bab",
        "al`x",
        "aʿb",
        "pro-Russian",
        "don't",
        "Syria's",
        "U.S.",
        "Mr.X.",
        "Iran-backed",
        "Zolote-5",
        "oF",
        "las",
        "la",
        "laS",
        "aſ",
        "ez-Zor",
        "5th",
        "x1",
        "ḥamāh",
        "Ḥamāh",
        "é",
        "über",
        "a'b",
        "a’b",
        "Deir",
        "Bay",
        "Bengal",
        "Homs",
        "and",
        "y",
        "Y",
        "upon",
        "de",
        "De",
        "la-Paz",
        "near",
        "ofx",
        "andes",
        "y2",
        "2020",
        "a",
        "the",
        "town",
        "Of",
    ]
    seps = ["", "", " ", " ", " ", "  ", ", ", ".", "\n", "(", ")", "-", "'", "’", "`", " - ", " -", "ʿ", "é "]
    rnd = random.Random(7)
    for _ in range(4000):
        text = "".join(rnd.choice(pieces) + rnd.choice(seps) for _ in range(rnd.randint(1, 12)))
        got = [[(t.start, t.end, t.text, t.cap, t.suffix) for t in run] for run in resolver._runs(text, 0, len(text))]
        assert got == _runs_one_token_at_a_time(resolver, text), text


def test_no_place_is_found_inside_a_word(resolver: PlaceResolver) -> None:
    text = "The Homsville fair, the Aleppos and Homs"
    spans = {(tp.start, tp.end) for tp in resolver.spot(text)}
    assert (4, 8) not in spans  # "Homs" inside "Homsville"
    assert (text.index("Aleppos"), text.index("Aleppos") + 6) not in spans
    assert (text.rindex("Homs"), len(text)) in spans


# ---------------------------------------------------------------- the text before a name


_ADMIN = re.compile(r"[\w)]\s*[,(]\s*$")
_CUES = (OFFSET, NEIGH_OF, DIRECTIONAL, NEAR, VILLAGE_OF, IN)


@pytest.mark.parametrize(
    ("before", "admin", "cue_word"),
    [
        ("about 30km south of ", False, True),
        ("fighting in ", False, True),
        ("the town of ", False, True),
        ("on the outskirts of the ", False, True),
        ("Kamianka, ", True, False),
        ("Kamianka,", True, False),
        ("village (", True, False),
        (" , ", False, False),
        ("within ", False, False),  # "in" inside a word is no cue
        ("said", False, False),  # no space before the name
    ],
)
def test_before_shape_examples(before: str, admin: bool, cue_word: bool) -> None:
    assert before_shape(before) == (admin, cue_word)


def test_before_shape_never_hides_a_cue() -> None:
    """Whenever a cue pattern matches the text before a name, the cheap check lets it be searched; the
    admin-position flag is exactly the pattern's answer."""
    words = [
        "of",
        "the",
        "near",
        "nearby",
        "outside",
        "around",
        "to",
        "in",
        "at",
        "from",
        "into",
        "across",
        "throughout",
        "Of",
        "IN",
        "city",
        "village",
        "town",
        "5",
        "km",
        "12.5",
        "kilometres",
        "miles",
        "north",
        "south-west",
        "east",
        "ern",
        "outskirts",
        "close",
        "x",
        "5in",
        "_to",
        "İn",
        "acroſs",
        "a",
        "é",
    ]
    words += ["neighbourhood", "quarter", "district", "vicinity", "ſ", "\u212a", "Near", "THE", "5of", "of5"]
    words += ["5 km north of", "10 miles south-east of the", "north of the city of", "outskirts of", "close to the"]
    words += ["neighbourhood of the city of", "village of", "in the", "outside of the town of", "12 km westERN of"]
    seps = ["", " ", "  ", ",", ", ", "(", " (", "\n", "\u00a0", ")"]
    gates = [
        (OFFSET, OFFSET_LAST),
        (NEIGH_OF, NEIGH_OF_LAST),
        (DIRECTIONAL, DIRECTIONAL_LAST),
        (NEAR, NEAR_LAST),
        (VILLAGE_OF, VILLAGE_OF_LAST),
        (IN, IN_LAST),
    ]
    hits: dict[str, int] = {}
    rnd = random.Random(4)
    for _ in range(20_000):
        before = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(0, 7)))[-80:]
        admin, cue_word = before_shape(before)
        assert admin == bool(_ADMIN.search(before)), before
        if any(p.search(before) for p in _CUES):
            assert cue_word, before
        for pat, last in gates:  # each pattern is searched only when the last word is one it can end with
            if pat.search(before):
                assert last.fullmatch(last_word(before)), (pat.pattern, before)
                hits[pat.pattern] = hits.get(pat.pattern, 0) + 1
    assert len(hits) == len(gates) and min(hits.values()) >= 50, hits


# ---------------------------------------------------------------- caches change no answer


def test_token_rules_cached_per_position() -> None:
    tr = Translit()
    # the doubled-article rule skips a name's first token: the cache must keep the two apart
    assert tr.normalize("Deir Ezzor") == "deir zor"
    assert tr.normalize("Ezzor Deir") == "ezor deir"
    assert tr.normalize("Abyad Attall") == "abyad tal"
    assert tr.normalize("Attall Abyad") == "atal abyad"


def _spotted(r: PlaceResolver, text: str) -> list[tuple[object, ...]]:
    return [(t.start, t.end, t.text, t.ids, t.primary, t.weak, t.cue, t.after, t.context) for t in r.spot(text)]


def test_spotting_is_the_same_with_cold_or_warm_caches(gaz: Gazetteer) -> None:
    texts = [
        "Clashes in Deir Ezzor and AL-BUKAMAL; Iran-backed fighters left Syria's east.",
        "DEIR EZZOR (Reuters) - Shelling hit al-Bukamal, Deir ez-Zor, and the Bay of Bengal was calm.",
        "Jones said Kelli Blackwell of Homs visited Donetsk Filtration Station near Zolote-5.",
    ]
    warm = PlaceResolver(gaz)
    first = [_spotted(warm, t) for t in texts]
    assert first[0] and first[1] and first[2]
    assert [_spotted(warm, t) for t in texts] == first
    cold = PlaceResolver(gaz)
    assert [_spotted(cold, t) for t in reversed(texts)] == list(reversed(first))


def test_sentence_start_equals_the_regex_on_the_whole_text_before() -> None:
    """The look back over white space only says what SENTENCE_START says on all the text before a name."""
    assert sentence_start("War. Fighting", 5) and sentence_start("Fighting", 0) and sentence_start("x\n  F", 4)
    assert not sentence_start("the Fighting", 4) and not sentence_start("   F", 3)
    pieces = ["a", "b.", "!", "?", "\n", " ", "  ", "\t", "\r", "\x0c", "\x1c", "\u00a0", "\u2003", ".", "x", "é"]
    rnd = random.Random(3)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        p = rnd.randint(0, len(text))
        assert sentence_start(text, p) == bool(SENTENCE_START.search(text[:p])), (text, p)


def test_weak_ids_cached_equal_uncached(gaz: Gazetteer) -> None:
    """Skeleton look-ups answered from the cache are those of the index, and callers get their own list."""
    keys = [gaz.translit.normalize(n) for n in ("Dolomytne", "Znamianka", "Elenovka", "Kramatorsk", "Qqxz")]
    first = [gaz.weak_ids(k) for k in keys]
    assert any(first) and not first[-1]
    first[0].append(-1)
    assert [gaz.weak_ids(k) for k in keys][0] == first[0][:-1]
    gaz._weak_cache.clear()
    assert [gaz.weak_ids(k) for k in keys] == [first[0][:-1], *first[1:]]
