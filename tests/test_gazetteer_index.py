"""The gazetteer index file: our own format of JSON and mapped arrays, never a pickle (issue 20)."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from warcoder.gazetteer import Gazetteer, IndexFormatError, cached_index, fileformat, sources_hash

GAZ_SRC = Path(__file__).resolve().parent.parent / "src" / "warcoder" / "gazetteer"
NAMES = ["Aleppo", "Mosul", "Kyiv", "Sanaa", "Al-Hasakah", "Donetsk", "Idlib", "Kharkiv", "Raqqa", "Nowhere Zzyzx"]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("WARCODER_CACHE")
    return Path(env) if env else tmp_path_factory.mktemp("gazcache")


@pytest.fixture(scope="module")
def gaz(cache_dir: Path) -> Gazetteer:
    return Gazetteer.load(cache_dir=cache_dir)


class _Bomb:
    """Unpickling this touches a file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "unpickled"))  # type: ignore[return-value]


def test_round_trip_gives_equal_lookups(gaz: Gazetteer, tmp_path: Path) -> None:
    copy = tmp_path / "copy.index"
    copy.write_bytes(Path(gaz.path).read_bytes())  # type: ignore[arg-type]
    again = Gazetteer.load(path=copy)
    assert again.path == copy and len(again) == len(gaz)
    for name in NAMES:
        assert again.lookup(name, weak=True) == gaz.lookup(name, weak=True)
    for i in range(0, len(gaz), 997):
        assert again.place(i) == gaz.place(i) and again.names[i] == gaz.names[i]
    assert again.names[-1] == gaz.names[len(gaz) - 1]


def test_write_and_open_keep_every_array_and_table(tmp_path: Path) -> None:
    arrays = {
        "a": np.arange(10, dtype=np.int64),
        "b": np.array([1.5, float("nan")], dtype=np.float32),
        "c": np.frombuffer("Hama\u00e9".encode(), dtype=np.uint8),
        "empty": np.zeros(0, dtype=np.uint64),
    }
    meta = {"tabs": {"cc": ["", "SY"]}, "parent": [[3, "Idlib"]]}
    path = tmp_path / "t.index"
    with open(path, "wb") as f:
        fileformat.write_index(f, arrays, meta, "d1", "v1")
    got = fileformat.open_index(path)
    assert got is not None and got.digest == "d1" and got.version == "v1" and got.meta == meta
    for k, v in arrays.items():
        assert got.arrays[k].dtype == v.dtype and got.arrays[k].tobytes() == v.tobytes()
        assert not got.arrays[k].flags.writeable  # mapped read-only
    path.write_bytes(path.read_bytes()[:100])  # ours, truncated: rebuilt, not refused
    assert fileformat.open_index(path) is None


def test_the_index_file_is_not_a_pickle(gaz: Gazetteer, cache_dir: Path) -> None:
    path = cached_index(cache_dir, sources_hash())
    assert gaz.path == path
    head = path.read_bytes()[:64]
    assert head.startswith(fileformat.MAGIC) and not head.startswith(b"\x80")
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(path.read_bytes())
    for src in GAZ_SRC.glob("*.py"):  # no load path through pickle or np.load(allow_pickle=...)
        tree = ast.parse(src.read_text("utf-8"))
        mods = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {"pickle", "cPickle", "dill", "joblib"} & mods, src.name
        assert "np.load(" not in src.read_text("utf-8"), src.name


def test_a_pickle_or_random_file_is_refused_and_never_unpickled(gaz: Gazetteer, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    bomb = tmp_path / "bomb.pkl"
    bomb.write_bytes(pickle.dumps(_Bomb(marker)))
    noise = tmp_path / "noise.bin"
    noise.write_bytes(np.random.default_rng(3).bytes(4096))
    for f in (bomb, noise):
        before = f.read_bytes()
        with pytest.raises(IndexFormatError, match="not a warcoder gazetteer index"):
            Gazetteer.load(path=f)
        assert f.read_bytes() == before  # neither read nor replaced
    assert not marker.exists()


@pytest.mark.parametrize("command", [["places"], ["code", "--no-store", "--out", "-"]])
def test_cli_refuses_a_foreign_index_with_one_line(tmp_path: Path, command: list[str]) -> None:
    marker = tmp_path / "marker"
    bomb = tmp_path / "bomb.pkl"
    bomb.write_bytes(pickle.dumps(_Bomb(marker)))
    doc = tmp_path / "d.txt"
    doc.write_text("Shelling hit Aleppo on 3 May 2020, killing two civilians.", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "warcoder.cli", *command, str(doc), "--index", str(bomb)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bomb) in lines[0] and "not a warcoder gazetteer index" in lines[0]
    assert not marker.exists()
