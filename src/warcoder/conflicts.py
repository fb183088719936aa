"""Knowledge per conflict: one file per country in ``data/conflicts/``.

An analyst who follows Yemen finds Yemen in ``data/conflicts/yemen.yaml``: the names of its state
forces and their regime years, its armed groups and their aliases, the words that name an actor
only in a report about Yemen, and the outlets that cover it. The loaders of the general tables read
these files and add them:

- ``actors.load_spec`` adds ``groups``, ``state_forces``, ``state_units``, ``equipment``,
  ``ambiguous_aliases`` and ``observers`` to ``data/actors.yaml``'s;
- ``actors.RegimeYears.load`` adds ``governments`` to ``data/governments.tsv``'s rows;
- ``merge.rules.SourceTable`` adds ``outlets`` to ``data/sources.tsv``'s (an analyst's own table
  still comes last and wins).

A file's keys:

``country``
    The country's name as in ``data/countries.tsv``. A group without a ``home`` gets this one.
``source``
    Where the knowledge comes from (free text).
``governments``
    ``{since: YYYY-MM-DD, year: "YYYY"}`` rows, as in ``governments.tsv``.
``state_forces``, ``state_units``
    ``{Country: {military|police|...: [aliases]}}`` as in ``actors.yaml``. A conflict file may name
    another state's forces (the Saudi-led coalition in ``yemen.yaml``).
``equipment``
    ``{Country: [aircraft and weapon names]}`` as in ``actors.yaml``: they name that state's forces.
``groups``
    Entries as in ``actors.yaml``'s ``groups``.
``observers``
    Names of monitors whose reports are about this country (a place hint, not an actor).
``ambiguous_aliases``
    ``{alias: target}``: what the alias names in a document about this country (a group's name, a
    role such as ``military``, or ``role:Country`` for another state's forces).
``outlets``
    Rows of ``sources.tsv`` as mappings; ``aliases`` and ``domains`` may be lists.

A file with an unknown key, a group named twice, or an alias claimed twice for one country is an
error that names the file.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from . import knowledge

KEYS = frozenset(
    {
        "country",
        "source",
        "governments",
        "state_forces",
        "state_units",
        "equipment",
        "groups",
        "ambiguous_aliases",
        "observers",
        "outlets",
    }
)
FOLDER = "conflicts"


class ConflictFileError(ValueError):
    """A conflict file that cannot be read as one."""


def file_names() -> list[str]:
    """The conflict files' paths relative to ``data/``, sorted."""
    folder = knowledge.data_file(FOLDER)
    if not folder.is_dir():
        return []
    return sorted(f"{FOLDER}/{p.name}" for p in folder.iterdir() if p.name.endswith(".yaml"))


def parse(name: str, raw: Any) -> dict[str, Any]:
    """One conflict file's content, checked."""
    if not isinstance(raw, dict) or not isinstance(raw.get("country"), str):
        raise ConflictFileError(f"{name}: a conflict file is a mapping with a 'country'")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise ConflictFileError(f"{name}: unknown key(s) {', '.join(unknown)}")
    for key in ("state_forces", "state_units", "equipment", "ambiguous_aliases"):
        if not isinstance(raw.get(key) or {}, dict):
            raise ConflictFileError(f"{name}: '{key}' must be a mapping")
    for key in ("governments", "groups", "observers", "outlets"):
        if not isinstance(raw.get(key) or [], list):
            raise ConflictFileError(f"{name}: '{key}' must be a list")
    return {**raw, "file": name}


@cache
def load_all() -> tuple[dict[str, Any], ...]:
    """Every conflict file, parsed once per process. Do not modify the result."""
    return tuple(parse(n, knowledge.load_yaml(n)) for n in file_names())


def add_to_actor_spec(spec: dict[str, Any], conflicts: tuple[dict[str, Any], ...] | None = None) -> dict[str, Any]:
    """``spec`` (actors.yaml, parsed) with the conflict files' actor knowledge added, in place."""
    conflicts = load_all() if conflicts is None else conflicts
    groups = spec.setdefault("groups", [])
    seen = {g["name"] for g in groups}
    for c in conflicts:
        for g in c.get("groups") or []:
            if g.get("name") in seen:
                raise ConflictFileError(f"{c['file']}: group {g.get('name')!r} is defined twice")
            seen.add(g["name"])
            groups.append({"home": c["country"], **g})  # a group's own home, if it names one, wins
        for key in ("state_forces", "state_units"):
            table = spec.setdefault(key, {})
            for country, roles in (c.get(key) or {}).items():
                for role, aliases in (roles or {}).items():
                    table.setdefault(country, {}).setdefault(role, []).extend(aliases)
        for country, items in (c.get("equipment") or {}).items():
            spec.setdefault("equipment", {}).setdefault(country, []).extend(items)
        observers = spec.setdefault("observers", {})
        for name in c.get("observers") or []:
            observers[name] = c["country"]
        ambiguous = spec.setdefault("ambiguous_aliases", {})
        for alias, target in (c.get("ambiguous_aliases") or {}).items():
            by_country = ambiguous.setdefault(alias, {})
            if c["country"] in by_country:
                raise ConflictFileError(f"{c['file']}: ambiguous alias {alias!r} is given twice for {c['country']}")
            by_country[c["country"]] = target
    return spec


def government_rows(conflicts: tuple[dict[str, Any], ...] | None = None) -> list[tuple[str, date, str]]:
    """The conflict files' regime-year rows: (country, since, year label)."""
    rows = []
    for c in load_all() if conflicts is None else conflicts:
        for g in c.get("governments") or []:
            since = g.get("since")
            try:
                day = since if isinstance(since, date) else date.fromisoformat(str(since))
            except ValueError as exc:
                raise ConflictFileError(f"{c['file']}: governments: bad date {since!r}") from exc
            rows.append((c["country"], day, str(g.get("year") or day.year)))
    return rows


def outlet_rows(conflicts: tuple[dict[str, Any], ...] | None = None) -> list[dict[str, str]]:
    """The conflict files' outlets as rows of the sources table (list values joined with '|')."""
    rows = []
    for c in load_all() if conflicts is None else conflicts:
        for o in c.get("outlets") or []:
            if not isinstance(o, dict) or not o.get("outlet"):
                raise ConflictFileError(f"{c['file']}: an outlet needs an 'outlet' name")
            rows.append({k: "|".join(v) if isinstance(v, list) else str(v or "") for k, v in o.items()})
    return rows
