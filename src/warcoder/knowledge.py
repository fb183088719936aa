"""One loader for the knowledge files in ``src/warcoder/data/``.

Triggers, actor dictionaries, transliteration rules, gazetteer tables, weights and thresholds are
data, not code. Every stage reads them through the functions here, so there is one way to find a
data file (as package data, so it works from a wheel or an editable install) and one way to parse
each kind of file:

- ``load_yaml(name)`` parses a YAML file anew (the caller may change what it gets);
- ``shared_yaml(name)`` parses it once per process; treat the result as read-only;
- ``read_lines(name)`` gives the non-blank, non-comment lines of a word list;
- ``read_tsv(name)`` gives the rows of a tab-separated table, without blank and ``#`` lines.

``name`` is a path relative to ``data/``, e.g. ``"triggers.yaml"`` or ``"gazetteer/sources.tsv"``.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any

import yaml


def data_file(name: str) -> Traversable:
    """The packaged data file ``data/<name>``."""
    node = resources.files("warcoder").joinpath("data")
    for part in name.split("/"):
        node = node.joinpath(part)
    return node


def read_text(name: str) -> str:
    """The text of ``data/<name>`` (UTF-8)."""
    return data_file(name).read_text(encoding="utf-8")


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents, parsed about ten
# times faster than the pure-Python loader, which took 0.4 s of every start-up on actors.yaml alone
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """YAML text parsed with the safe loader (no tags that build objects)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


def load_yaml(name: str) -> Any:
    """``data/<name>`` parsed as YAML, a fresh object on every call."""
    return parse_yaml(read_text(name))


@cache
def shared_yaml(name: str) -> Any:
    """``data/<name>`` parsed once per process. Do not modify the result."""
    return load_yaml(name)


def read_lines(name: str) -> list[str]:
    """The stripped lines of ``data/<name>``, without blank lines and lines starting with ``#``."""
    out = []
    for line in read_text(name).splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return out


def read_tsv(name: str) -> list[list[str]]:
    """The rows of the tab-separated ``data/<name>``, without blank lines and ``#`` comment lines."""
    text = read_text(name)
    lines = (ln for ln in text.splitlines() if ln and not ln.startswith("#"))
    return list(csv.reader(lines, delimiter="\t"))
