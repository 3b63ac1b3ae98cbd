"""Metrics over corpus records (prediction vs gold), shared by `gzie evaluate` and the tests."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..facts import assemble_facts, fact_keys
from ..normalize import resolve_period, resolve_value
from ..scoring import entity_items, relation_items, score_overlapping, score_sets
from ..text import Entity


def record_entities(record: dict) -> list[Entity]:
    text = record["text"]
    spans = sorted(record.get("spans", []), key=lambda s: (s["start"], s["end"]))
    return [Entity(s["start"], s["end"], s["label"], text[s["start"]:s["end"]]) for s in spans]


def record_relations(record: dict) -> list[dict]:
    """The record's relations with character offsets instead of span indexes."""
    spans = record.get("spans", [])
    return [{"head": [spans[r["head"]]["start"], spans[r["head"]]["end"]],
             "child": [spans[r["child"]]["start"], spans[r["child"]]["end"]], "label": r["label"]}
            for r in record.get("relations", [])]


def record_facts(record: dict) -> list[dict]:
    date = (record.get("meta") or {}).get("date") or record.get("date")
    return assemble_facts(record["text"], record_entities(record), record_relations(record), date)


def normalization_rates(records: Iterable[dict]) -> dict:
    """Share of gold VALUE spans resolved to a number and of PERIOD spans anchored to dates."""
    values = [0, 0]
    periods = [0, 0]
    for record in records:
        date = (record.get("meta") or {}).get("date")
        ref = dt.date.fromisoformat(date) if date else None
        for e in record_entities(record):
            if e.label == "VALUE":
                res = resolve_value(e.text)
                values[0] += res is not None and res.number is not None
                values[1] += 1
            elif e.label == "PERIOD":
                res = resolve_period(e.text, ref)
                periods[0] += res is not None and not res.relative
                periods[1] += 1
    return {"value_resolved": values[0] / values[1] if values[1] else 0.0,
            "period_resolved": periods[0] / periods[1] if periods[1] else 0.0,
            "n_values": values[1], "n_periods": periods[1]}


def score_records(pairs: list[tuple[dict, dict]]) -> dict:
    """Strict and lenient entity scores, relation and fact scores for (predicted, gold) record pairs."""
    entity_pairs = [(entity_items(p.get("spans", [])), entity_items(g.get("spans", []))) for p, g in pairs]
    entities = score_sets(entity_pairs, key=lambda item: item[2])
    relation_pairs = ((relation_items(record_relations(p)), relation_items(record_relations(g))) for p, g in pairs)
    relations = score_sets(relation_pairs, key=lambda item: item[2])
    facts = score_sets(((fact_keys(record_facts(p)), fact_keys(record_facts(g))) for p, g in pairs),
                       key=lambda item: "FACT")
    return {"entities": entities, "entities_lenient": score_overlapping(entity_pairs), "relations": relations,
            "facts": facts["micro"], "n_docs": len(pairs)}

