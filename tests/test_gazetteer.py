"""Gazetteer: transliteration keys, lookups, countries, cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warcoder import gazetteer as gz
from warcoder.gazetteer import (
    Gazetteer,
    build,
    cache,
    country_by_code,
    country_by_name,
    fileformat,
    index,
    keys,
    normalize,
    skeleton,
)


@pytest.fixture(scope="session")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    cache = os.environ.get("WARCODER_CACHE")
    return Gazetteer.load(Path(cache) if cache else tmp_path_factory.mktemp("gazcache"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir Ezzor", "Deir ez-Zor"),
        ("Deir el-Zor", "Deir ez-Zor"),
        ("al-Bukamal", "Al Bukamal"),
        ("Albu Kamal", "Abu Kamal"),
        ("Hisyah", "Hisya"),
        ("al-Qusayr", "Al Qusayr"),
        ("Raqqah", "Raqqa"),
        ("Tartous", "Tartus"),
    ],
)
def test_strong_key_pairs(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Dayr az Zawr", "Deir ez-Zor"), ("al-Bukamal", "Abu Kamal"), ("Kharkiv", "Kharkov")],
)
def test_skeleton_pairs(a: str, b: str) -> None:
    assert skeleton(a) and skeleton(a) == skeleton(b)


def test_inner_prepositions_are_dropped() -> None:
    assert normalize("Soledad de Doblado") == normalize("Soledad Doblado")
    assert normalize("De Aar") != normalize("Aar")  # first or last: kept


def test_skeleton_refuses_short_keys() -> None:
    assert skeleton("Homs") == ""
    assert normalize("Homs") != normalize("Hama")


@pytest.mark.parametrize(
    ("name", "cc", "lat", "lon"),
    [
        ("Deir Ezzor", "SY", 35.33, 40.14),
        ("Dayr az Zawr", "SY", 35.33, 40.14),
        ("al-Bukamal", "SY", 34.45, 40.92),
        ("Abu Kamal", "SY", 34.45, 40.92),
        ("Hisyah", "SY", 34.41, 36.76),
        ("Kharkov", "UA", 49.98, 36.25),
        ("Jubaliyah", "SY", 35.336, 40.141),
        ("Jubaylah", "SY", 35.336, 40.141),
    ],
)
def test_lookup_variants(gaz: Gazetteer, name: str, cc: str, lat: float, lon: float) -> None:
    places = gaz.lookup(name)
    assert places, name
    assert any(p.country_code == cc and abs(p.latitude - lat) < 0.1 and abs(p.longitude - lon) < 0.1 for p in places)


def test_geonames_and_wof_merge_into_one_place(gaz: Gazetteer) -> None:
    # Deir ez-Zor is in GeoNames and WOF with the same geonameid: one populated place, WOF names merged
    ppl = [p for p in gaz.lookup("Deir ez-Zor") if p.feature_class == "P"]
    assert len({p.geonameid for p in ppl}) == len(ppl)
    assert any(p.source == "geonames+wof" for p in ppl)


def test_admin1_point_is_its_biggest_town_when_central(gaz: Gazetteer) -> None:
    # ACLED codes an event known only to its province at the provincial capital: Michoacan's point is Morelia,
    # its biggest town near the middle of its towns; Guerrero's biggest town (Acapulco, on the coast) lies far
    # off-centre, so Guerrero keeps the mean of its towns
    mich = next(p for p in gaz.lookup("Michoacan") if p.feature_code == "ADM1")
    assert gz.haversine(mich.latitude, mich.longitude, 19.70, -101.19) < 10
    gro = next(p for p in gaz.lookup("Guerrero") if p.feature_code == "ADM1" and p.country_code == "MX")
    assert gz.haversine(gro.latitude, gro.longitude, 16.86, -99.89) > 50


def test_compact_keys_read_a_name_written_together(gaz: Gazetteer) -> None:
    ids = gaz.compact_ids(normalize("Mirpurmathelo"))
    assert any(gaz.names[j] == "Mirpur Mathelo" for j in ids)
    assert gaz.compact_ids(normalize("Lapaz")) == []  # too short to be safe


def test_syria_admin_names_are_acled_style(gaz: Gazetteer) -> None:
    assert gaz.lookup("Homs")[0].admin1 == "Homs"
    assert gaz.lookup("Deir ez-Zor")[0].admin1 == "Deir ez-Zor"
    hasakah = [p for p in gaz.lookup("Al-Hasakah") if p.feature_class == "P"][0]
    assert hasakah.admin1 == "Al-Hasakeh"
    assert gaz.lookup("Luhansk")[0].country == "Ukraine"


def test_countries() -> None:
    assert country_by_name("Israeli").name == "Israel"  # type: ignore[union-attr]
    assert country_by_name("Congolese").name == "Democratic Republic of Congo"  # type: ignore[union-attr]
    assert country_by_name("Syrian").iso2 == "SY"  # type: ignore[union-attr]
    assert country_by_name("DRC").iso2 == "CD"  # type: ignore[union-attr]
    assert country_by_code("ru").name == "Russia"  # type: ignore[union-attr]
    assert country_by_name("Zzyzx") is None
    names = {c.name for c in gz.countries()}
    assert {"Syria", "United States", "United Kingdom", "Palestine", "Iran"} <= names


def test_cache_rebuild_and_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gazetteer.index"
    g1 = Gazetteer.load(path=path)
    assert path.exists() and len(g1) > 300_000

    def no_compile() -> dict:  # type: ignore[type-arg]
        raise AssertionError("a current index was compiled again")

    with monkeypatch.context() as m:  # a current index is loaded, not rebuilt (its load time: bench/places_speed.py)
        m.setattr(index, "compile_index", no_compile)
        g2 = Gazetteer.load(path=path)
    assert len(g2) == len(g1)
    # a stale index (different source digest) is rebuilt rather than trusted
    monkeypatch.setattr(cache, "CODE_VERSION", "test-stale")
    calls: list[int] = []
    real = index.compile_index

    def counting() -> dict:  # type: ignore[type-arg]
        calls.append(1)
        return real()

    monkeypatch.setattr(index, "compile_index", counting)
    Gazetteer.load(path=path, cache_dir=tmp_path / "cache")
    assert calls == [1]
    # ... and the compiled copy is kept in the cache, so that the next store copies it
    assert len(list((tmp_path / "cache").glob("gazetteer-*.index"))) == 1


def test_an_explicit_index_file_is_copied_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Gazetteer.load()  # the shared cache holds a current index (compiled once per session otherwise)

    def no_compile() -> dict:  # type: ignore[type-arg]
        raise AssertionError("a current index in the cache is copied, not compiled")

    monkeypatch.setattr(index, "compile_index", no_compile)
    beside = tmp_path / "events.gazetteer.index"
    g = Gazetteer.load(path=beside)
    assert g.path == beside and beside.exists() and len(g) > 300_000
    assert not list(tmp_path.glob("*.tmp*"))  # nothing half-written left behind
    # a damaged index of ours beside the store is replaced by the cache's copy (a file not of ours is refused:
    # tests/test_gazetteer_index.py)
    beside.write_bytes(fileformat.MAGIC + b"damaged")
    assert len(Gazetteer.load(path=beside)) == len(g)


def test_slavic_sk_endings_stay_apart_while_arabic_endings_merge() -> None:
    # a city, a feminine and a neuter adjective: different places (Luhansk, Stanytsia Luhanska, Luhanske)
    assert len({normalize("Donetsk"), normalize("Donetska"), normalize("Donetske")}) == 3
    assert normalize("Raqqah") == normalize("Raqqa") and normalize("Hameh") == normalize("Hama")


def test_hash_range_finds_what_binary_search_finds() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**64 - 1, size=5000, dtype=np.uint64)
    hashes = np.sort(np.concatenate([hashes, hashes[:300], hashes[:40], np.array([0, 2**64 - 1], dtype=np.uint64)]))
    starts = index.ints(build.buckets(hashes))
    probes = [int(h) for h in hashes[::7]] + [int(h) + 1 for h in hashes[::11] if h < 2**64 - 1] + [0, 12345]
    found = 0
    for h in probes:
        lo, hi = int(np.searchsorted(hashes, np.uint64(h))), int(np.searchsorted(hashes, np.uint64(h), "right"))
        got = index.hash_range(hashes, starts, h)
        assert got == (lo, hi) if hi > lo else got[0] == got[1]  # a missing hash: an empty range
        found += hi > lo
    assert found > 700


def test_spelling_rules_give_what_the_regexes_give() -> None:
    import re

    tr = gz.translit()
    rules = [(rx, r) for rx, r, _ in tr.token_regex] + list(tr.skeleton_regex)
    rules += [(re.compile(p), r) for p, r in [("^a|b", "x"), ("^(a)(b)?", "\\2\\1"), ("(.)\\1+", "\\1"), ("[]a]", "b")]]
    hows = {keys.fast_rule(rx, r)[0] for rx, r in rules}
    assert hows == {keys.RULE_SUB, keys.RULE_PLAIN, keys.RULE_ANCHORED, keys.RULE_COLLAPSE}
    assert keys.fast_rule(re.compile("^a|b"), "x")[0] == keys.RULE_SUB  # not anchored: "b" anywhere
    words = ["khoury", "shooshtar", "zhouqiao", "phoolpur", "boubou", "ezzor", "assuwayda", "albukamal", "raqqah"]
    words += ["yelenovka", "abubakr", "luhanska", "hameh", "aab", "ba", "a]a", "a\n\nb", "", "k", "ab"]
    for rx, r in rules:
        how, lit, rep, _ = keys.fast_rule(rx, r)
        for w in words:
            assert keys.apply_rule(how, lit, rep, rx, w) == rx.sub(r, w), (rx.pattern, w)
