"""Corpus records <-> spaCy Docs (entities in doc.ents, relations in doc._.relations)."""

from __future__ import annotations

from typing import Callable, Iterable

from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from ..extensions import char_span_expanded, ensure_extensions


def canonical_record(record: dict) -> dict:
    """The same annotation with spans sorted by position and relations by (head, child, label)."""
    order = sorted(range(len(record["spans"])), key=lambda i: (record["spans"][i]["start"], record["spans"][i]["end"]))
    new_index = {old: new for new, old in enumerate(order)}
    spans = [dict(record["spans"][i]) for i in order]
    relations = sorted(
        ({"head": new_index[r["head"]], "child": new_index[r["child"]], "label": r["label"]}
         for r in record["relations"]),
        key=lambda r: (r["head"], r["child"], r["label"]),
    )
    out = {key: value for key, value in record.items() if key not in ("spans", "relations")}
    out["spans"], out["relations"] = spans, relations
    return out


def record_to_doc(record: dict, make_doc: Callable[[str], Doc]) -> Doc:
    """Build a Doc with the record's spans as entities and its relations by character offsets."""
    ensure_extensions()
    doc = make_doc(record["text"])
    spans = record.get("spans", [])
    ents = [char_span_expanded(doc, s["start"], s["end"], s["label"]) for s in spans]
    doc.ents = filter_spans([e for e in ents if e is not None])
    relations = []
    for rel in record.get("relations", []):
        head, child = spans[rel["head"]], spans[rel["child"]]
        relations.append({"head": [head["start"], head["end"]], "child": [child["start"], child["end"]],
                          "label": rel["label"]})
    doc._.relations = relations
    doc._.id = record.get("id")
    meta = dict(record.get("meta") or {})
    doc._.meta = meta
    doc._.date = meta.get("date")
    return doc


def doc_to_record(doc: Doc) -> dict:
    """The corpus record of a Doc: spans from doc.ents, relations re-indexed into them."""
    spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
    index = {(s["start"], s["end"]): i for i, s in enumerate(spans)}
    relations = []
    for rel in doc._.relations or []:
        head, child = index.get(tuple(rel["head"])), index.get(tuple(rel["child"]))
        if head is not None and child is not None:
            relations.append({"head": head, "child": child, "label": rel["label"]})
    relations.sort(key=lambda r: (r["head"], r["child"], r["label"]))
    meta = dict(doc._.meta or {})
    if doc._.date and not meta.get("date"):
        meta["date"] = doc._.date
    return {"id": doc._.id, "text": doc.text, "meta": meta, "spans": spans, "relations": relations}


def records_to_docbin(records: Iterable[dict], make_doc: Callable[[str], Doc]) -> DocBin:
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(record_to_doc(record, make_doc))
    return docbin


def docbin_to_records(docbin: DocBin, vocab) -> list[dict]:
    ensure_extensions()
    return [doc_to_record(doc) for doc in docbin.get_docs(vocab)]
