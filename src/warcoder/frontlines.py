"""Known front lines: who held the ground where an unattributed attack landed (data/frontlines.yaml).

Along a stable front, fire observed near a settlement comes from the side that does not hold it.
A point is given the side of the nearest listed settlement within the front's radius, on a date
inside the front's period; anything else is left alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from warcoder import knowledge

from .gazetteer import Gazetteer, haversine, normalize
from .model import Place


@dataclass(frozen=True)
class Holding:
    """The side holding the ground at a point, and the side facing it."""

    holder: str  # actor template, e.g. "Military Forces of {country} ({year}-)"
    adversary: str
    settlement: str  # the nearest listed settlement
    distance_km: float
    front: str


@dataclass
class Front:
    name: str
    country: str
    start: date
    end: date
    radius_km: float
    actors: list[str]  # one per side
    names: list[str] = field(default_factory=list)  # resolved settlements
    sides: list[int] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    points: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    unresolved: list[str] = field(default_factory=list)


def load_spec() -> dict[str, Any]:
    return knowledge.load_yaml("frontlines.yaml") or {}


class FrontLines:
    def __init__(self, gazetteer: Gazetteer, spec: dict[str, Any] | None = None) -> None:
        spec = load_spec() if spec is None else spec
        self.fronts: list[Front] = [self._resolve(gazetteer, f) for f in spec.get("fronts") or []]

    @staticmethod
    def _resolve(gz: Gazetteer, f: dict[str, Any]) -> Front:
        front = Front(
            name=str(f["name"]),
            country=str(f["country"]),
            start=_day(f["from"]),
            end=_day(f["to"]),
            radius_km=float(f.get("radius_km", 9)),
            actors=[str(s["actor"]) for s in f["sides"]],
        )
        wanted: list[tuple[int, str, str, list[tuple[float, float]]]] = []
        for side, s in enumerate(f["sides"]):
            for admin1, names in (s.get("settlements") or {}).items():
                a1 = normalize(str(admin1))
                for name in names:
                    cands = [
                        (p.latitude, p.longitude)
                        for p in gz.lookup(str(name))
                        if p.country == front.country and normalize(p.admin1 or "") == a1 and p.feature_class == "P"
                    ]
                    if cands:
                        wanted.append((side, str(name), str(admin1), cands))
                    else:
                        front.unresolved.append(str(name))
        # an unambiguous name anchors the front; an ambiguous one is taken nearest to the anchors
        anchors = [c[0] for _, _, _, c in wanted if len(c) == 1]
        pts = []
        for side, name, admin1, cands in wanted:
            best = cands[0]
            if len(cands) > 1 and anchors:
                best = min(cands, key=lambda c: min(haversine(c[0], c[1], a[0], a[1]) for a in anchors))
            front.names.append(name)
            front.sides.append(side)
            front.admins.append(admin1)
            pts.append(best)
        front.points = np.array(pts, dtype=float).reshape(-1, 2)
        return front

    def _active(self, country: str | None, when: date | None) -> list[Front]:
        if not country or when is None:
            return []
        return [f for f in self.fronts if f.country == country and f.start <= when <= f.end and len(f.points)]

    def active(self, country: str | None, when: date | None) -> bool:
        """Whether any front of ``country`` is active on ``when``."""
        return bool(self._active(country, when))

    @staticmethod
    def _distances(f: Front, lat: float, lon: float) -> np.ndarray:
        # equirectangular distance is exact enough over a few tens of km
        dy = (f.points[:, 0] - lat) * 111.2
        dx = (f.points[:, 1] - lon) * 111.2 * math.cos(math.radians(lat))
        return np.asarray(np.hypot(dx, dy))

    @classmethod
    def _distance(cls, f: Front, lat: float, lon: float) -> float:
        return float(cls._distances(f, lat, lon).min())

    def near(self, country: str | None, lat: float, lon: float, when: date | None, factor: float = 2.0) -> bool:
        """Whether a point lies within `factor` radii of an active front."""
        return any(self._distance(f, lat, lon) <= f.radius_km * factor for f in self._active(country, when))

    def line_km(self, country: str | None, lat: float, lon: float, when: date | None) -> float | None:
        """How far a point lies from the line of contact of an active front: the sum of its distances to the
        nearest listed settlement of each side, which is about the gap between the sides on the line and grows
        behind either side's lines (None where no front runs)."""
        best: float | None = None
        for f in self._active(country, when):
            d = self._distances(f, lat, lon)
            sides = np.asarray(f.sides)
            if len(f.actors) == 2 and (sides == 0).any() and (sides == 1).any():
                v = float(d[sides == 0].min() + d[sides == 1].min())
            else:
                v = float(d.min())
            best = v if best is None else min(best, v)
        return best

    def on_front(
        self,
        gz: Gazetteer,
        name: str,
        country: str | None,
        when: date | None,
        admin1: str | None = None,
        weak: bool = False,
    ) -> Place | None:
        """The place called `name` (inside `admin1` when given; with `weak`, also spelling variants) that lies
        closest to the line of contact of an active front (for an ambiguous village name in a report of
        fighting), or None when none lies near it."""
        best: tuple[float, Place] | None = None
        for f in self._active(country, when):
            for p in gz.lookup(name, weak=weak):
                if p.country != f.country or p.feature_class != "P":
                    continue
                if admin1 and normalize(p.admin1 or "") != normalize(admin1):
                    continue
                if self._distance(f, p.latitude, p.longitude) > f.radius_km * 2:
                    continue
                d = self.line_km(country, p.latitude, p.longitude, when)
                if d is not None and (best is None or d < best[0]):
                    best = (d, p)
        return best[1] if best else None

    def settlements(
        self, when: date, country: str | None = None
    ) -> Iterator[tuple[Front, str, str, int, float, float]]:
        """Every listed settlement of the fronts active on a date: (front, name, admin1, side, lat, lon)."""
        for f in self.fronts:
            if not (f.start <= when <= f.end) or (country and f.country.lower() != country.lower()):
                continue
            for name, admin1, side, (lat, lon) in zip(f.names, f.admins, f.sides, f.points.tolist(), strict=True):
                yield f, name, admin1, side, lat, lon

    def holding(self, country: str | None, lat: float | None, lon: float | None, when: date | None) -> Holding | None:
        """The side holding the nearest listed settlement, or None when no front covers the point."""
        if not country or lat is None or lon is None or when is None:
            return None
        for f in self._active(country, when):
            if len(f.actors) != 2:
                continue
            d = self._distances(f, lat, lon)
            i = int(np.argmin(d))
            if d[i] > f.radius_km:
                continue
            side = f.sides[i]
            return Holding(f.actors[side], f.actors[1 - side], f.names[i], float(d[i]), f.name)
        return None


def _day(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))
