"""`warcoder gazetteer add|download|list`: manage the gazetteer sources (see gazetteer.sources)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def gazetteer() -> None:
    """Add GeoNames dumps or CSV villages to the gazetteer, download country dumps, list sources."""


def _recompile() -> None:
    from .gazetteer import Gazetteer

    g = Gazetteer.load()
    click.echo(f"index compiled: {len(g)} places", err=True)


@gazetteer.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--no-compile", is_flag=True, help="Do not rebuild the index now (the next run will).")
def add(files: tuple[str, ...], no_compile: bool) -> None:
    """Add GeoNames dumps (SY.txt, SY.zip, allCountries.zip, alternateNamesV2.txt) or CSV files
    (name,latitude,longitude,country,admin1,aliases)."""
    from .gazetteer.sources import SourceError, add_source

    failed = 0
    for f in files:
        try:
            for s in add_source(f):
                click.echo(f"added {s.name}: {s.kind}, {s.rows} rows", err=True)
        except SourceError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
    if not no_compile and failed < len(files):
        _recompile()
    sys.exit(1 if failed else 0)


@gazetteer.command("download")
@click.argument("codes", nargs=-1, required=True)
@click.option("--base-url", help="Where the dumps are (default: GeoNames' export/dump, or $WARCODER_GEONAMES_URL).")
@click.option("--no-compile", is_flag=True, help="Do not rebuild the index now (the next run will).")
def download(codes: tuple[str, ...], base_url: str | None, no_compile: bool) -> None:
    """Download GeoNames country dumps (SY IQ UA ... or allCountries) and add them. Needs internet."""
    from .gazetteer.sources import SourceError
    from .gazetteer.sources import download as fetch

    try:
        for s in fetch(list(codes), base_url):
            click.echo(f"added {s.name}: {s.kind}, {s.rows} rows (from {s.original})", err=True)
    except SourceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not no_compile:
        _recompile()


@gazetteer.command("list")
@click.option("--index", "index", type=click.Path(dir_okay=False), help="Show this index file (default: the cache's).")
def list_(index: str | None) -> None:
    """Show the built-in and added sources, with counts and dates.  The compiled index follows the
    sources: after `add` or `download` it is recompiled the next time it is used."""
    from .gazetteer import Gazetteer, IndexFormatError
    from .gazetteer.sources import list_sources, sources_dir

    try:
        g = Gazetteer.load(path=Path(index) if index else None)
    except IndexFormatError as exc:  # never read, never replaced
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    counts: dict[str, int] = {}
    for i in range(len(g)):
        s = g.place(i).source
        counts[s] = counts.get(s, 0) + 1
    click.echo(f"compiled index: {g.path} ({len(g)} places)")
    click.echo("built-in sources (places by origin):")
    for name, n in sorted(counts.items()):
        click.echo(f"  {name:22s} {n:8d}")
    added = list_sources()
    click.echo(f"added sources ({sources_dir()}):" if added else "added sources: none")
    for s in added:
        click.echo(f"  {s.name:40s} {s.kind:15s} {s.rows:8d} rows  added {s.added}  from {s.original}")
