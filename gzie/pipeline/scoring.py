"""Scorers for relations and facts: precision, recall and F1 over exact matches."""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from spacy.training import Example

from ..extensions import doc_relations
from ..schema import RELATION_LABELS


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


def relation_items(doc) -> set:
    return {(tuple(r["head"]), tuple(r["child"]), r["label"]) for r in doc_relations(doc)}


def score_relations(examples: Iterable[Example], **kwargs) -> dict:
    result = score_sets(((relation_items(eg.predicted), relation_items(eg.reference)) for eg in examples),
                        key=lambda item: item[2])
    scores = {"rel_micro_p": result["micro"]["p"], "rel_micro_r": result["micro"]["r"],
              "rel_micro_f": result["micro"]["f"]}
    scores["rel_per_type"] = {label: {k: v for k, v in result["per_type"].get(label, prf(0, 0, 0)).items()
                                      if k in "prf"} for label in RELATION_LABELS}
    return scores


def make_relations_scorer() -> Callable[..., dict]:
    """Registered as gzie.relations_scorer.v1 (entry point spacy_scorers)."""
    return score_relations
