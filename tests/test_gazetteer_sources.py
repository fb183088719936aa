"""Adding gazetteer sources: GeoNames dumps, CSV villages, and downloads from a local HTTP server."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from warcoder.gazetteer import Gazetteer
from warcoder.gazetteer.sources import SourceError, add_source, download, list_sources
from warcoder.places import PlaceResolver

# Two made-up villages in GeoNames dump format (19 tab-separated columns), with ids not in cities500.
ROWS = [
    [
        "99000001",
        "Khirbat Zuwayr",
        "Khirbat Zuwayr",
        "Khirbet Zweir,Kherbet Zouair",
        "35.2601",
        "40.2702",
        "P",
        "PPL",
        "SY",
        "",
        "07",
        "",
        "",
        "",
        "150",
        "",
        "200",
        "Asia/Damascus",
        "2020-01-01",
    ],
    [
        "99000002",
        "Tall Qarmuz",
        "Tall Qarmuz",
        "Tell Qarmouz",
        "36.5000",
        "40.9000",
        "P",
        "PPL",
        "SY",
        "",
        "04",
        "",
        "",
        "",
        "0",
        "",
        "300",
        "Asia/Damascus",
        "2020-01-01",
    ],
]


def dump_text() -> str:
    return "".join("\t".join(r) + "\n" for r in ROWS)


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    src, cache = tmp_path / "sources", tmp_path / "cache"
    monkeypatch.setenv("WARCODER_GAZETTEER_DIR", str(src))
    monkeypatch.setenv("WARCODER_CACHE", str(cache))
    return src, cache


def test_add_geonames_dump_and_csv_then_resolve(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    src, cache = folders
    dump = tmp_path / "SY.txt"
    dump.write_text(dump_text(), encoding="utf-8")
    villages = tmp_path / "villages.csv"
    villages.write_text(
        "name,latitude,longitude,country,admin1,aliases\nQaryat Nuwayyir,34.9,40.6,SY,Deir ez-Zor,"
        "Nuwayyir Village|Nweir\n",
        encoding="utf-8",
    )
    (a,) = add_source(dump)
    (b,) = add_source(villages)
    assert (a.kind, a.rows, b.kind, b.rows) == ("geonames", 2, "csv", 1)
    assert [s.name for s in list_sources(src)] == [a.name, b.name]
    gaz = Gazetteer.load(cache_dir=cache)
    assert any(p.name == "Khirbat Zuwayr" for p in gaz.lookup("Khirbet Zweir"))
    res = PlaceResolver(gaz).resolve(
        "Fighting was reported in the village of Kherbet Zouair near Deir Ezzor, and in Nweir village."
    )
    got = {loc.span.text: loc for loc in res.locations if loc.span}
    assert abs(got["Kherbet Zouair"].latitude - 35.2601) < 1e-3  # type: ignore[operator]
    assert got["Nweir"].country == "Syria"


def test_bad_sources_are_refused(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not\ta\tgeonames\tdump\n", encoding="utf-8")
    with pytest.raises(SourceError, match="bad.txt"):
        add_source(bad)
    badcsv = tmp_path / "bad.csv"
    badcsv.write_text("name,latitude,longitude,country\nX,north,40,SY\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not numbers"):
        add_source(badcsv)
    assert list_sources() == []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("SY.txt", dump_text())
        z.writestr("readme.txt", "GeoNames readme")
    (root / "SY.zip").write_bytes(buf.getvalue())
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_from_a_local_server(server: str, folders: tuple[Path, Path]) -> None:
    (s,) = download(["sy"], base_url=server)
    assert s.rows == 2 and s.original.endswith("/SY.zip")
    with pytest.raises(SourceError, match="HTTP 404"):
        download(["IQ"], base_url=server)
    with pytest.raises(SourceError, match="two-letter"):
        download(["Syria"], base_url=server)
    with pytest.raises(SourceError, match="only http"):
        download(["SY"], base_url="ftp://127.0.0.1/")


def test_a_known_geonames_id_adds_names_to_the_same_place(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    _, cache = folders
    row = [
        "174448",
        "Albu Kamal",
        "Albu Kamal",
        "Bukamalistan Qadima",
        "34.45226",
        "40.91854",
        "P",
        "PPLA2",
        "SY",
        "",
        "07",
        "",
        "",
        "",
        "0",
        "",
        "180",
        "Asia/Damascus",
        "2020-01-01",
    ]
    dump = tmp_path / "one.txt"
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    before = len(Gazetteer.load(cache_dir=cache))
    add_source(dump)
    gaz = Gazetteer.load(cache_dir=cache)
    assert len(gaz) == before  # merged into the cities500 place, not added beside it
    (p,) = [p for p in gaz.lookup("Bukamalistan Qadima")]
    assert p.geonameid == 174448
