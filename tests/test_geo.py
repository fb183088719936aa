"""warcoder.geo: the one great-circle distance and offset point."""

from __future__ import annotations

import pytest

from warcoder import gazetteer
from warcoder.geo import EARTH_RADIUS_KM, destination, haversine_km


def test_haversine_known_distance() -> None:
    # Aleppo to Damascus, about 310 km
    assert haversine_km(36.2021, 37.1343, 33.5138, 36.2765) == pytest.approx(310, abs=5)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(EARTH_RADIUS_KM * 3.141592653589793)


def test_destination_is_at_its_distance() -> None:
    for bearing in (0.0, 45.0, 90.0, 200.0):
        lat, lon = destination(36.2, 37.16, 12.5, bearing)
        assert haversine_km(36.2, 37.16, lat, lon) == pytest.approx(12.5, rel=1e-9)
    lat, lon = destination(36.2, 37.16, 10.0, 90.0)
    assert lon > 37.16 and lat == pytest.approx(36.2, abs=0.01)


def test_gazetteer_uses_geo() -> None:
    assert gazetteer.haversine is haversine_km
