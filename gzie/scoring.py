"""Precision, recall and F1 over sets of items: the one scoring stack of gzie.

The pipeline's scorers (gzie.relations_scorer.v1, gzie.facts_scorer.v1) and `gzie evaluate`
both reduce documents to sets of items (entities, relations, facts) and score them here.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def score_sets(pairs: Iterable[tuple[set, set]], key: Callable[[tuple], str]) -> dict:
    """Micro P/R/F over (predicted, gold) item sets, plus the same per key(item)."""
    counts: dict[str, Counter] = {}
    total = Counter()
    for predicted, gold in pairs:
        for item in predicted | gold:
            outcome = "tp" if item in predicted and item in gold else ("fp" if item in predicted else "fn")
            total[outcome] += 1
            counts.setdefault(key(item), Counter())[outcome] += 1
    return {"micro": prf(total["tp"], total["fp"], total["fn"]),
            "per_type": {k: prf(c["tp"], c["fp"], c["fn"]) for k, c in sorted(counts.items())}}


def entity_items(spans: Iterable[dict]) -> set:
    """(start, end, label) of span records."""
    return {(s["start"], s["end"], s["label"]) for s in spans}


def relation_items(relations: Iterable[dict]) -> set:
    """((head start, end), (child start, end), label) of relations given by character offsets."""
    return {(tuple(r["head"]), tuple(r["child"]), r["label"]) for r in relations}


def score_overlapping(pairs: Iterable[tuple[set, set]]) -> dict:
    """Lenient P/R/F over (start, end, label) items: a predicted item counts when it overlaps a gold
    item of the same label, and a gold item is found when a predicted one overlaps it."""
    total = [0, 0, 0, 0]  # predicted hit, predicted miss, gold hit, gold miss
    per: dict[str, list[int]] = {}
    for predicted, gold in pairs:
        for items, others, offset in ((predicted, gold, 0), (gold, predicted, 2)):
            for s, e, label in items:
                hit = any(label == ol and s < oe and os < e for os, oe, ol in others)
                slot = offset + (0 if hit else 1)
                total[slot] += 1
                per.setdefault(label, [0, 0, 0, 0])[slot] += 1

    def lenient(tp_pred: int, false_pos: int, tp_gold: int, false_neg: int) -> dict:
        p = tp_pred / (tp_pred + false_pos) if tp_pred + false_pos else 0.0
        r = tp_gold / (tp_gold + false_neg) if tp_gold + false_neg else 0.0
        return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}

    return {"micro": lenient(*total), "per_type": {k: lenient(*v) for k, v in sorted(per.items())}}
