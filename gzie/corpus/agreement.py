"""Agreement between two annotations of the same documents: span and relation F1, by label.

One annotation is taken as reference and the other as prediction; F1 is symmetric, so the choice
does not matter. Documents are matched by id, and their texts must be the same.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CorpusError, Errors
from ..scoring import entity_items, relation_items, score_sets
from .io import read_records


def _relation_offsets(record: dict) -> list[dict]:
    spans = record["spans"]
    return [{"head": [spans[r["head"]]["start"], spans[r["head"]]["end"]],
             "child": [spans[r["child"]]["start"], spans[r["child"]]["end"]], "label": r["label"]}
            for r in record["relations"]]


def agreement(first: str | Path, second: str | Path) -> dict:
    """{"documents", "spans": {micro, per_type}, "relations": {micro, per_type}} over the documents both
    files annotate."""
    a = {r["id"]: r for r in read_records(first)}
    b = {r["id"]: r for r in read_records(second)}
    shared = sorted(set(a) & set(b))
    if not shared:
        raise CorpusError(Errors.E042.format(path=f"{first} and {second} (no document in both)"))
    for doc_id in shared:
        if a[doc_id]["text"] != b[doc_id]["text"]:
            raise CorpusError(Errors.E041.format(problem=f"{doc_id}: the two annotations have different texts"))
    spans = score_sets(((entity_items(b[i]["spans"]), entity_items(a[i]["spans"])) for i in shared),
                       key=lambda item: item[2])
    relations = score_sets(((relation_items(_relation_offsets(b[i])), relation_items(_relation_offsets(a[i])))
                            for i in shared), key=lambda item: item[2])
    return {"documents": len(shared), "spans": spans, "relations": relations}


def format_agreement(result: dict) -> str:
    lines = [f"{result['documents']} documents annotated twice"]
    for kind in ("spans", "relations"):
        micro = result[kind]["micro"]
        lines.append(f"{kind}: F {micro['f'] * 100:.1f} (P {micro['p'] * 100:.1f}, R {micro['r'] * 100:.1f})")
        for label, s in result[kind]["per_type"].items():
            lines.append(f"  {label:<12} F {s['f'] * 100:5.1f}")
    return "\n".join(lines)
