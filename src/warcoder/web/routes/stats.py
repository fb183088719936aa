"""``GET /api/stats``: counts by day, week, event type, actor, country and admin1 for a filter."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..db import DBDep
from ..params import FiltersDep

router = APIRouter()


@router.get("/api/stats", summary="Counts by day, week, event type, actor, country and admin1 for a filter")
def stats(
    edb: DBDep,
    filters: FiltersDep,
    top: Annotated[int, Query(ge=1, le=500, description="How many actors and admin1 units to list.")] = 20,
) -> dict[str, Any]:
    where, params = filters.where()
    with edb.cursor() as cur:
        row = cur.execute(
            f"SELECT count(*), coalesce(sum(e.fatalities), 0), min(e.event_date), max(e.event_date) "
            f"FROM events e {where}",
            params,
        ).fetchone()
        assert row is not None
        total, fatalities, first, last = row

        def q(sql: str, extra: list[Any] | None = None) -> list[tuple[Any, ...]]:
            return cur.execute(sql, params + (extra or [])).fetchall()

        by_day = q(f"SELECT e.event_date, count(*) FROM events e {where} GROUP BY 1 ORDER BY 1")
        by_week = q(
            f"SELECT CAST(date_trunc('week', e.event_date) AS DATE), count(*) FROM events e {where} "
            "GROUP BY 1 ORDER BY 1"
        )
        by_type = q(
            f"SELECT e.event_type, count(*), sum(e.fatalities) FROM events e {where} GROUP BY 1 ORDER BY 2 DESC, 1"
        )
        by_actor = q(
            "SELECT a, count(*) FROM (SELECT unnest(list_distinct(list_filter([e.actor1, e.actor2], "
            f"lambda x: x IS NOT NULL AND x <> ''))) AS a FROM events e {where}) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
            [top],
        )
        by_country = q(f"SELECT e.country, count(*) FROM events e {where} GROUP BY 1 ORDER BY 2 DESC, 1")
        by_admin1 = q(
            f"SELECT e.country, e.admin1, count(*) FROM events e {where} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
            [top],
        )
    return {
        "total": int(total),
        "fatalities": int(fatalities),
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "by_day": [{"date": d.isoformat(), "count": n} for d, n in by_day],
        "by_week": [{"week": d.isoformat(), "count": n} for d, n in by_week],
        "by_event_type": [{"event_type": t, "count": n, "fatalities": int(f or 0)} for t, n, f in by_type],
        "by_actor": [{"actor": a, "count": n} for a, n in by_actor],
        "by_country": [{"country": c, "count": n} for c, n in by_country],
        "by_admin1": [{"country": c, "admin1": a, "count": n} for c, a, n in by_admin1],
    }
