"""``GET /api/control``: who controls each place as of a date (GeoJSON), from the territory events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..db import DBDep
from ..params import DATE_RE, MAX_TEXT, clean_text, parse_date

router = APIRouter()


@router.get(
    "/api/control",
    summary="Who controls each place as of a date, from the territory events",
    responses={
        200: {
            "description": "A GeoJSON FeatureCollection, one feature per place: holder, since, the event that "
            "changed it, previous holder, confidence and status (held, contested or unknown). Places kept by "
            "name only (not in the gazetteer) have a null geometry."
        }
    },
)
def control(
    edb: DBDep,
    as_of: Annotated[
        str, Query(alias="date", description="Control as of this date, YYYY-MM-DD (inclusive).", pattern=DATE_RE)
    ],
    country: Annotated[
        str | None, Query(description="Only this country's places (case-insensitive).", max_length=MAX_TEXT)
    ] = None,
) -> dict[str, Any]:
    from ...control import control_at, control_feature, territory_events

    day = parse_date("date", as_of)
    assert day is not None
    where = clean_text("country", country)
    with edb.cursor() as cur:
        rows = control_at(territory_events(cur, where), day, where)
    return {
        "type": "FeatureCollection",
        "date": day.isoformat(),
        "country": where,
        "features": [control_feature(r) for r in rows],
    }
