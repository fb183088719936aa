"""Turning a chosen reading into a ``model.Location``: relative locations ("30km south of Homs"),
neighbourhoods, seats of admin units."""

from __future__ import annotations

import re
from collections import Counter

from warcoder.geo import destination
from warcoder.model import Location, Place
from warcoder.places.lexicon import (
    ANGLO,
    COMPASS,
)
from warcoder.places.toponym import (
    Toponym,
    ascii_name,
)


class LocateMixin:
    """Building the ``Location`` of a resolved toponym (a part of ``PlaceResolver``)."""

    def _full_name_of(self, t: Toponym, j: int) -> bool:
        """Is place ``j``'s own name the written name with more words ("Cintalapa de Figueroa", "Ciudad Lazaro
        Cardenas" for "Cintalapa", "Lazaro Cardenas")? Its short name is as much its own as a hamlet's name."""
        if self.gaz.cc_list[j] in ANGLO:
            return False  # in English place names "North Branch", "Polk City", "Manhattan Beach" are other towns
        key = self.tr.normalize(t.text)
        name = self.tr.normalize(self.gaz.names[j])
        if name.startswith(key + " "):
            return True
        return name.endswith(" " + key) and name.split(" ", 1)[0] not in COMPASS  # not "West Torrington"

    def _location(
        self, t: Toponym, j: int, place: Place, chosen: list[int | None], ti: int, tops: list[Toponym]
    ) -> Location:
        gaz = self.gaz
        fcode = place.feature_code or ""
        name = ascii_name(place.name)
        lat, lon = place.latitude, place.longitude
        cue = t.cue or ""
        after = t.after or ""
        if fcode == "PCLI":
            prec = 3
            country = place.country
        else:
            country = place.country
            prec = 1
            if fcode in ("ADM1",) or fcode == "RGN" or fcode == "CONT":
                prec = 3
            elif fcode in ("ADM2", "ADM3"):
                prec = 2
                # a district named as the place of an event is coded at its eponymous seat ("in Balangir district");
                # one named in brackets after an unknown place keeps its centre ("tea estate (Dibrugarh district)")
                seat = None if t.admin_position else self._seat(t, j)
                if seat is not None:
                    lat, lon = float(gaz.lat[seat]), float(gaz.lon[seat])
            if fcode == "PPLX":
                parent = gaz.parent.get(j) or place.admin2 or place.admin1
                if parent:
                    name = f"{ascii_name(parent)} - {name}"
                prec = 2
            if t.offset_km is not None and t.bearing is not None:
                lat, lon = destination(lat, lon, t.offset_km, t.bearing)
                lat, lon = round(lat, 5), round(lon, 5)
                prec = 2
            elif (
                cue.endswith(" of")
                and cue.split()[0] in COMPASS
                or cue
                in (
                    "near",
                    "nearby",
                    "outskirts of",
                    "vicinity of",
                    "outside",
                    "outside of",
                    "around",
                    "close to",
                    "environs of",
                    "countryside of",
                    "suburbs of",
                    "suburb of",
                    "edge of",
                    "periphery of",
                    "area of",
                    "surroundings of",
                )
                or after in ("countryside", "outskirts", "suburbs", "suburb")
                or re.fullmatch(r"-(?:\d+|[A-Z]\S*)", cue)  # "Zolote-5", "Donetsk-Kirovskyi": part of the town
            ):
                prec = max(prec, 2)
        admin1 = place.admin1 if fcode != "PCLI" else None
        return Location(
            country=country,
            location=name,
            latitude=lat,
            longitude=lon,
            geo_precision=prec,
            admin1=admin1,
            admin2=place.admin2,
            country_code=place.country_code,
            geonameid=place.geonameid,
        )

    def _seat(self, t: Toponym, j: int) -> int | None:
        """The town of the same name inside the admin2 unit ``j`` (among the readings of the name), if any."""
        gaz = self.gaz
        core = self.tr.normalize(self.tr.admin_core(gaz.names[j]))
        towns = [
            k
            for k in t.ids
            if gaz.fclass(k) == "P"
            and gaz.cc_list[k] == gaz.cc_list[j]
            and gaz.admin1_list[k] == gaz.admin1_list[j]
            and self.tr.normalize(gaz.names[k]) == core
            and gaz.distance_km(k, float(gaz.lat[j]), float(gaz.lon[j])) <= 100
        ]
        return max(towns, key=lambda k: int(gaz.pop[k])) if towns else None

    def _neighbourhood(
        self,
        t: Toponym,
        ti: int,
        tops: list[Toponym],
        chosen: list[int | None],
        city_counts: Counter[int],
        focus: str | None,
    ) -> Location | None:
        gaz = self.gaz
        city: int | None = None
        # "the X neighbourhood of Y": the next toponym, when it follows closely
        if ti + 1 < len(tops) and tops[ti + 1].start - t.end < 40 and chosen[ti + 1] is not None:
            nxt = chosen[ti + 1]
            if nxt is not None and gaz.fclass(nxt) == "P":
                city = nxt
        if city is None:
            ranked = [c for c, _ in city_counts.most_common() if not focus or gaz.cc_list[c] == focus]
            if ranked:
                city = ranked[0]
        if city is None:
            return None
        p = gaz.place(city)
        nb = re.sub(r"^(?:the\s+)", "", t.text, flags=re.I)
        return Location(
            country=p.country,
            location=f"{ascii_name(p.name)} - {ascii_name(nb)}",
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=2,
            admin1=p.admin1,
            admin2=p.admin2,
            country_code=p.country_code,
            geonameid=None,
        )
