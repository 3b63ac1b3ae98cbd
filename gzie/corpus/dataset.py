"""The corpus as a Hugging Face ``datasets.DatasetDict`` with typed features, and back.

    corpus = load_corpus("corpora/")        # DatasetDict: train, dev, test (and other splits found)
    corpus["train"].features["spans"]       # start, end and a ClassLabel over the entity labels
    corpus.save_to_disk("gzie-corpus")      # `gzie train CONFIG --train gzie-corpus` reads it back

Every corpus record converts to a row and back without loss: spans and relations keep their order,
labels become class indexes and come back as names, and metadata beyond date, source, region and
genre travels as JSON in ``meta_extra``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..errors import CorpusError, Errors
from ..schema import ENTITY_LABELS, RELATION_LABELS
from .io import read_records, write_records
from .validate import corpus_files

META_KEYS = ("date", "source", "region", "genre")
SPLITS = ("train", "dev", "test")


def corpus_features():
    """The typed features of a corpus row."""
    from datasets import ClassLabel, Features, List, Value

    return Features({
        "id": Value("string"),
        "text": Value("string"),
        "meta": {key: Value("string") for key in META_KEYS},
        "meta_extra": Value("string"),
        "spans": List({"start": Value("int32"), "end": Value("int32"), "label": ClassLabel(names=list(ENTITY_LABELS))}),
        "relations": List({"head": Value("int32"), "child": Value("int32"),
                           "label": ClassLabel(names=list(RELATION_LABELS))}),
    })


def record_to_row(record: dict) -> dict:
    meta = dict(record.get("meta") or {})
    extra = {key: value for key, value in meta.items() if key not in META_KEYS}
    return {
        "id": record.get("id"),
        "text": record["text"],
        "meta": {key: meta.get(key) for key in META_KEYS},
        "meta_extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
        "spans": [{"start": s["start"], "end": s["end"], "label": ENTITY_LABELS.index(s["label"])}
                  for s in record.get("spans", [])],
        "relations": [{"head": r["head"], "child": r["child"], "label": RELATION_LABELS.index(r["label"])}
                      for r in record.get("relations", [])],
    }


def row_to_record(row: dict) -> dict:
    meta = dict(row["meta"])
    if row.get("meta_extra"):
        meta.update(json.loads(row["meta_extra"]))
    return {
        "id": row["id"],
        "text": row["text"],
        "meta": meta,
        "spans": [{"start": s["start"], "end": s["end"], "label": ENTITY_LABELS[s["label"]]} for s in row["spans"]],
        "relations": [{"head": r["head"], "child": r["child"], "label": RELATION_LABELS[r["label"]]}
                      for r in row["relations"]],
    }


def records_to_dataset(records: Iterable[dict]):
    from datasets import Dataset

    return Dataset.from_list([record_to_row(r) for r in records], features=corpus_features())


def dataset_to_records(dataset) -> list[dict]:
    return [row_to_record(row) for row in dataset]


def load_corpus(path: str | Path):
    """A corpus folder (train.jsonl, dev.jsonl, test.jsonl, … one split per file), one JSONL file
    (split "train"), or a DatasetDict saved with save_to_disk, as a DatasetDict."""
    from datasets import DatasetDict, load_from_disk

    path = Path(path)
    if is_saved_dataset(path):
        loaded = load_from_disk(str(path))
        return loaded if isinstance(loaded, DatasetDict) else DatasetDict({"train": loaded})
    files = corpus_files([path])
    if not files or not all(f.exists() for f in files):
        raise CorpusError(Errors.E040.format(path=path))
    if path.is_dir():
        splits = {f.stem: read_records(f) for f in files}
    else:
        splits = {"train": read_records(path)}
    return DatasetDict({name: records_to_dataset(records) for name, records in splits.items()})


def is_saved_dataset(path: str | Path) -> bool:
    """Whether `path` is a folder written by Dataset.save_to_disk or DatasetDict.save_to_disk."""
    path = Path(path)
    return path.is_dir() and ((path / "dataset_dict.json").is_file() or (path / "dataset_info.json").is_file())


def export_splits(dataset_dir: str | Path, folder: str | Path) -> dict[str, Path]:
    """Write the splits of a saved DatasetDict as corpus JSONL files in `folder`; {split: path}."""
    corpus = load_corpus(dataset_dir)
    missing = sorted({"id", "text", "spans", "relations"} - set(next(iter(corpus.values())).column_names))
    if missing:
        raise CorpusError(Errors.E044.format(path=dataset_dir, detail=", ".join(missing)))
    out = {}
    for name, split in corpus.items():
        out[name] = Path(folder) / f"{name}.jsonl"
        write_records(dataset_to_records(split), out[name])
    return out
