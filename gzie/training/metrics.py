"""Metrics over corpus records (prediction vs gold), shared by `gzie evaluate` and the tests."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..facts import assemble_facts, fact_keys
from ..normalize import resolve_period, resolve_value
from ..text import Entity
from ..pipeline.scoring import score_sets


def record_entities(record: dict) -> list[Entity]:
    text = record["text"]
    spans = sorted(record.get("spans", []), key=lambda s: (s["start"], s["end"]))
    return [Entity(s["start"], s["end"], s["label"], text[s["start"]:s["end"]]) for s in spans]


def entity_items(record: dict) -> set:
    return {(s["start"], s["end"], s["label"]) for s in record.get("spans", [])}


def relation_items(record: dict) -> set:
    spans = record.get("spans", [])
    return {((spans[r["head"]]["start"], spans[r["head"]]["end"]), (spans[r["child"]]["start"], spans[r["child"]]["end"]),
             r["label"]) for r in record.get("relations", [])}


def record_relations(record: dict) -> list[dict]:
    return [{"head": list(h), "child": list(c), "label": label} for h, c, label in relation_items(record)]


def record_facts(record: dict) -> list[dict]:
    date = (record.get("meta") or {}).get("date") or record.get("date")
    return assemble_facts(record["text"], record_entities(record), record_relations(record), date)


def lenient_entity_scores(pairs: list[tuple[dict, dict]]) -> dict:
    """Overlap matching: a predicted span counts when it overlaps a gold span of the same label."""
    tp_p = fp = tp_g = fn = 0
    per: dict[str, list[int]] = {}
    for pred, gold in pairs:
        p_items, g_items = entity_items(pred), entity_items(gold)
        for s, e, label in p_items:
            hit = any(label == gl and s < ge and gs < e for gs, ge, gl in g_items)
            tp_p += hit
            fp += not hit
            per.setdefault(label, [0, 0, 0, 0])[0 if hit else 1] += 1
        for s, e, label in g_items:
            hit = any(label == pl and s < pe and ps < e for ps, pe, pl in p_items)
            tp_g += hit
            fn += not hit
            per.setdefault(label, [0, 0, 0, 0])[2 if hit else 3] += 1

    def lenient(tp_pred: int, false_pos: int, tp_gold: int, false_neg: int) -> dict:
        p = tp_pred / (tp_pred + false_pos) if tp_pred + false_pos else 0.0
        r = tp_gold / (tp_gold + false_neg) if tp_gold + false_neg else 0.0
        return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}

    return {"micro": lenient(tp_p, fp, tp_g, fn), "per_type": {k: lenient(*v) for k, v in sorted(per.items())}}


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
    entities = score_sets(((entity_items(p), entity_items(g)) for p, g in pairs), key=lambda item: item[2])
    relations = score_sets(((relation_items(p), relation_items(g)) for p, g in pairs), key=lambda item: item[2])
    facts = score_sets(((fact_keys(record_facts(p)), fact_keys(record_facts(g))) for p, g in pairs),
                       key=lambda item: "FACT")
    return {"entities": entities, "entities_lenient": lenient_entity_scores(pairs), "relations": relations,
            "facts": facts["micro"], "n_docs": len(pairs)}

