"""Linking an output record to the canonical names of gzie's data tables: state organs to their full
official names (gzie.agencies), zones to their canonical names and types (gzie.zones), indicators to
their ids (gzie.indicators). Finding is done before; this only reads spans and adds fields:

    AGENCY entities   canonical, level, region          policies   issuers_canonical
    ZONE entities     canonical, zone_type              facts      indicator_id, zone_canonical, zone_type
"""

from __future__ import annotations

import re

from .agencies import DocumentPlaces, link_agency
from .indicators import indicator_id
from .text import normalized_view
from .zones import canonical_zone

NO_AGENCY = {"canonical": None, "level": None, "region": None}


def link_record(record: dict, text: str, region: str | None = None, date: str | None = None) -> dict:
    """Add the canonical fields to the entities, facts and policies of an output record, in place.
    `region` (a province or city name, when the caller knows where the release is from) settles
    level words (省商务厅) and zone groups (全省开发区); without it the places the text names do."""
    view = normalized_view(text)
    places = DocumentPlaces(view, region)
    zones: dict[tuple[int, int], dict] = {}

    def province_at(offset: int) -> str | None:
        place = places.of_level("province", offset)
        return place.name if place is not None else region

    for entity in record["entities"]:  # zones first: a bare zone body (园区管委会) is the zone named
        start, end = entity["start"], entity["end"]
        if entity["label"] == "ZONE":
            zone = canonical_zone(view[start:end], province_at(start)) or {}
            zones[(start, end)] = zone
            entity.update(canonical=zone.get("canonical"), zone_type=zone.get("zone_type"))
            if zone.get("canonical"):
                places.zones.append((start, zone))
    for entity in record["entities"]:
        start, end = entity["start"], entity["end"]
        if entity["label"] == "AGENCY":
            entity.update(link_agency(view[start:end], places, start, date) or NO_AGENCY)
    for fact in record["facts"]:
        fact["indicator_id"] = _indicator_id_of(fact, view)
        zone = _zone_of_fact(fact, zones, view, province_at)
        fact["zone_canonical"], fact["zone_type"] = zone.get("canonical"), zone.get("zone_type")
    for policy in record["policies"]:
        policy["issuers_canonical"] = [
            (link_agency(normalized_view(name), places, policy["start"], date) or NO_AGENCY)["canonical"] or name
            for name in policy["issuers"]]
    return record


HAN_RE = re.compile(r"[\u3400-\u9fff]+")
UNSPECIFIED = "_unspecified"  # ids of generic names (项目, 投资): a name read with its context wins


def _indicator_id_of(fact: dict, view: str) -> str | None:
    """The indicator's id; a generic name (项目, 投资) is read with the verb or noun right before it
    in the clause (落地项目, 完成投资) when that names a listed measure."""
    found = indicator_id(fact["indicator"])
    span = (fact.get("spans") or {}).get("indicator")
    if (found is not None and not found.endswith(UNSPECIFIED)) or not span:
        return found
    start, end = span
    for size in (2, 3, 4):
        before = view[max(0, start - size):start]
        if len(before) == size and HAN_RE.fullmatch(before):
            wider = indicator_id(before + view[start:end])
            if wider is not None and not wider.endswith(UNSPECIFIED):
                return wider
    return found


def _zone_of_fact(fact: dict, zones: dict, view: str, province_at) -> dict:
    span = (fact.get("spans") or {}).get("zone")
    if span and tuple(span) in zones:
        return zones[tuple(span)]
    if not fact.get("zone"):
        return {}
    offset = span[0] if span else fact["start"]
    return canonical_zone(normalized_view(fact["zone"]), province_at(offset)) or {}
