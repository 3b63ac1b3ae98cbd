"""Fact records: one per figure, assembled from entities, relations and the normalizers.

A fact is an INDICATOR with a value and/or a change, the period it covers and the zone it is
about. When an indicator has no IN_PERIOD relation, the last period stated earlier in the same
paragraph carries to it; when it has no IN_ZONE relation, the last zone stated earlier in the
document does. Comparison periods (去年同期) never carry.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Iterable

from .normalize import resolve_period, resolve_value
from .text import Entity, change_cue_before, change_signs, cue_re, cue_words, sentence_index, sentence_starts

DOC_NUMBER_RE = re.compile(r"^[》\s（(]*([\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号)")


def _parse_date(date: str | None) -> dt.date | None:
    return dt.date.fromisoformat(date) if date else None


def _is_comparison(period: Entity) -> bool:
    return "同期" in period.text or period.text in cue_words("comparison_base")


class _LastBeforeIndex:
    """The last entity of `label` ending at or before an offset and starting at or after a lower
    bound, by bisection (O(log n) per query, so long documents do not take quadratic time).
    Comparison periods never count. Entities never overlap, so sorted by end they are sorted by
    start too."""

    def __init__(self, entities: list[Entity], label: str):
        kept = (e for e in entities if e.label == label and not (label == "PERIOD" and _is_comparison(e)))
        self.candidates = sorted(kept, key=lambda e: (e.end, e.start))
        self.ends = [e.end for e in self.candidates]

    def __call__(self, offset: int, lower: int) -> Entity | None:
        k = bisect.bisect_right(self.ends, offset)
        if k and self.candidates[k - 1].start >= lower:
            return self.candidates[k - 1]
        return None


def _change_text(text: str, value: Entity) -> str:
    cue = change_cue_before(text, value.start)
    if not cue:
        return value.text
    cue_start = text.rfind(cue, max(0, value.start - 10), value.start)
    found = cue_re("change_prefix", "$").search(text[max(0, cue_start - 7):cue_start])
    prefix = found.group(0) if found else ""
    return prefix + text[cue_start:value.end]


def _signed_change(text: str, value: Entity) -> tuple[float | None, str | None]:
    resolution = resolve_value(value.text)
    if resolution is None or resolution.number is None:
        return None, None
    number = resolution.number
    if resolution.unit == "百分点":
        number = number / 100  # a change in percentage points, as a fraction like the percents
    cue = change_cue_before(text, value.start)
    sign = change_signs().get(cue, 1) if cue else 1
    return sign * number, resolution.unit


def _period_record(period: Entity | None, ref: dt.date | None) -> dict | None:
    if period is None:
        return None
    resolution = resolve_period(period.text, ref)
    record = {"text": period.text, "start": None, "end": None}
    if resolution is not None:
        record.update(start=resolution.start, end=resolution.end)
    return record


def assemble_facts(text: str, entities: list[Entity], relations: Iterable[dict], date: str | None) -> list[dict]:
    ref = _parse_date(date)
    by_offsets = {(e.start, e.end): e for e in entities}
    links: dict[tuple[int, int], dict[str, list[Entity]]] = {}
    for rel in relations:
        head, child = by_offsets.get(tuple(rel["head"])), by_offsets.get(tuple(rel["child"]))
        if head is not None and child is not None:
            links.setdefault((head.start, head.end), {}).setdefault(rel["label"], []).append(child)
    starts = sentence_starts(text)
    last_period, last_zone = _LastBeforeIndex(entities, "PERIOD"), _LastBeforeIndex(entities, "ZONE")
    facts = []
    for indicator in (e for e in entities if e.label == "INDICATOR"):
        linked = links.get((indicator.start, indicator.end), {})
        values = sorted(linked.get("HAS_VALUE", []), key=lambda e: e.start)
        changes = sorted(linked.get("HAS_CHANGE", []), key=lambda e: e.start)
        if not values and not changes:
            continue
        paragraph_start = text.rfind("\n", 0, indicator.start) + 1
        periods = linked.get("IN_PERIOD") or [last_period(indicator.start, paragraph_start)]
        zones = linked.get("IN_ZONE") or [last_zone(indicator.start, 0)]
        period, zone = periods[0], zones[0]
        count = max(len(values), len(changes))
        for k in range(count):
            value = values[k] if k < len(values) else None
            change = changes[k] if k < len(changes) else None
            fact = {"indicator": indicator.text, "value": None, "unit": None, "kind": None, "qualifier": None,
                    "value_text": None, "change": None, "change_unit": None, "change_text": None,
                    "period": _period_record(period, ref), "zone": zone.text if zone else None}
            if value is not None:
                resolution = resolve_value(value.text)
                fact["value_text"] = value.text
                if resolution is not None:
                    fact.update(value=resolution.number, unit=resolution.unit, kind=resolution.kind,
                                qualifier=resolution.qualifier)
            if change is not None:
                fact["change"], fact["change_unit"] = _signed_change(text, change)
                fact["change_text"] = _change_text(text, change)
            parts = [e for e in (indicator, value, change) if e is not None]
            fact["start"] = min(e.start for e in parts)
            fact["end"] = max(e.end for e in parts)
            s = sentence_index(starts, indicator.start)
            sentence_end = starts[s + 1] if s + 1 < len(starts) else len(text)
            fact["sentence"] = text[starts[s]:sentence_end].strip()
            fact["_key"] = _fact_key(indicator, value, change, period)
            facts.append(fact)
    return facts


def _fact_key(indicator: Entity, value: Entity | None, change: Entity | None, period: Entity | None) -> str:
    """Identity of a fact for scoring: indicator, value and change by position, period by text."""

    def where(e: Entity | None) -> str:
        return f"{e.start}:{e.end}" if e is not None else "-"

    return "|".join([where(indicator), where(value), where(change), period.text if period is not None else "-"])


def fact_keys(facts: Iterable[dict]) -> set[str]:
    return {f["_key"] for f in facts}


def public_fact(fact: dict) -> dict:
    return {k: v for k, v in fact.items() if not k.startswith("_")}


def assemble_policies(text: str, entities: list[Entity], relations: Iterable[dict]) -> list[dict]:
    issuers: dict[tuple[int, int], list[str]] = {}
    by_offsets = {(e.start, e.end): e for e in entities}
    for rel in relations:
        if rel["label"] == "ISSUED_BY" and tuple(rel["child"]) in by_offsets:
            issuers.setdefault(tuple(rel["head"]), []).append(by_offsets[tuple(rel["child"])].text)
    policies = []
    for policy in (e for e in entities if e.label == "POLICY"):
        match = DOC_NUMBER_RE.match(text[policy.end:policy.end + 30])
        policies.append({"title": policy.text, "issuers": issuers.get((policy.start, policy.end), []),
                         "doc_number": match.group(1) if match else None,
                         "start": policy.start, "end": policy.end})
    return policies
