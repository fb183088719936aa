"""The optional extras: the core commands never import the web or feed stack, and `serve` / `watch`
without their extra say in one line what to install (exit 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

EXTRA_MODULES = ("fastapi", "starlette", "uvicorn", "pydantic", "feedparser")

# Runs the core commands in one process and prints the web / feed modules they loaded.
CORE_COMMANDS = """
import sys
from click.testing import CliRunner
import warcoder.cli

db, out, samples = sys.argv[1:4]
runs = [
    ["--help"],
    ["code", "--help"],
    ["code", samples, "--db", db, "-q"],
    ["merge", "--db", db],
    ["export", "--db", db, "--out", out],
]
for args in runs:
    res = CliRunner().invoke(warcoder.cli.main, args)
    assert res.exit_code == 0, (args, res.output, res.exception)
print(",".join(m for m in sys.argv[4:] if m in sys.modules))
"""


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def test_core_commands_import_no_web_or_feed_stack(tmp_path: Path) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "events.csv"
    res = python(CORE_COMMANDS, str(db), str(out), str(SAMPLES), *EXTRA_MODULES)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "", f"the core commands imported {res.stdout.strip()}"
    assert out.stat().st_size > 0


def without(module: str, *cli_args: str) -> str:
    """Python code that hides MODULE (as if its extra were not installed) and runs the CLI."""
    return f"import sys; sys.modules[{module!r}] = None; from warcoder.cli import main; main({list(cli_args)!r})"


WEB = "error: warcoder serve needs the web extra: pip install 'warcoder[web]'"
WATCH = "error: warcoder watch needs the watch extra: pip install 'warcoder[watch]'"


@pytest.mark.parametrize(
    ("module", "args", "line"),
    [
        ("fastapi", ["serve"], WEB),
        ("uvicorn", ["serve", "--allow-ingest"], WEB),
        ("pydantic", ["serve"], WEB),
        ("feedparser", ["watch", "--once", "http://127.0.0.1:9/feed"], WATCH),
    ],
)
def test_missing_extra_is_one_line_and_exit_1(tmp_path: Path, module: str, args: list[str], line: str) -> None:
    res = subprocess.run(
        [sys.executable, "-c", without(module, *args, "--db", str(tmp_path / "w.duckdb"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1, res.stderr
    assert res.stderr.strip() == line
    assert res.stdout == ""
    assert not (tmp_path / "w.duckdb").exists()


def test_other_import_errors_are_not_taken_for_a_missing_extra(tmp_path: Path) -> None:
    """Only the extra's own modules count: a broken module of ours is a traceback, not an install hint."""
    res = subprocess.run(
        [sys.executable, "-c", without("warcoder.web.app", "serve", "--db", str(tmp_path / "w.duckdb"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1
    assert "Traceback" in res.stderr and "warcoder.web.app" in res.stderr
    assert "pip install" not in res.stderr


def test_geopackage_without_the_geo_extra_says_what_to_install_before_coding(tmp_path: Path) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "events.gpkg"
    res = subprocess.run(
        [sys.executable, "-c", without("pyogrio", "code", str(SAMPLES), "--db", str(db), "--out", str(out))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2, res.stderr
    assert "gpkg output needs the geo extra: pip install 'warcoder[geo]'" in res.stderr
    assert not db.exists() and not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["train", "data.jsonl", "--out", "m"], ["code", "x.txt", "--model", "m"]])
def test_learning_without_the_learn_extra_is_one_line_and_exit_1(tmp_path: Path, command: list[str]) -> None:
    res = subprocess.run(
        [sys.executable, "-c", without("torch", *command)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert res.returncode == 1, res.stderr
    cmd = "train" if command[0] == "train" else "code --model"
    assert res.stderr.strip() == f"error: warcoder {cmd} needs the learn extra: pip install 'warcoder[learn]'"
    assert list(tmp_path.iterdir()) == []
