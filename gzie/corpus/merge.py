"""Adding newly annotated documents to a corpus split without duplicating texts or ids."""

from __future__ import annotations

from pathlib import Path

from .io import read_records, write_records
from .validate import corpus_files


def text_key(text: str) -> str:
    return "".join(text.split())


def merge_records(new: list[dict], split: str | Path, corpus: str | Path | None = None) -> dict:
    """Append `new` records to the split file, skipping texts or ids already anywhere in `corpus`
    (default: the split's folder). Returns counts and the skipped ids."""
    split = Path(split)
    corpus = Path(corpus) if corpus else split.parent
    existing = [r for path in corpus_files([corpus]) if path.exists() for r in read_records(path)]
    texts = {text_key(r["text"]) for r in existing}
    ids = {r.get("id") for r in existing}
    current = read_records(split) if split.exists() else []
    added, skipped = [], []
    for record in new:
        key = text_key(record["text"])
        if key in texts or record.get("id") in ids:
            skipped.append(record.get("id"))
            continue
        texts.add(key)
        ids.add(record.get("id"))
        added.append(record)
    write_records(current + added, split)
    return {"added": len(added), "skipped": skipped, "total": len(current) + len(added)}
