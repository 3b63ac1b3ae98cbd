"""spaCy corpus reader for gzie's JSONL corpus format."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from spacy.language import Language
from spacy.training import Example

from ..corpus.convert import record_to_doc
from ..corpus.io import read_records


def records_to_examples(records: list[dict], nlp: Language) -> Iterator[Example]:
    for record in records:
        reference = record_to_doc(record, nlp.make_doc)
        predicted = nlp.make_doc(record["text"])
        predicted._.id, predicted._.date, predicted._.meta = reference._.id, reference._.date, reference._.meta
        yield Example(predicted, reference)


def make_jsonl_corpus(path: Path, limit: int = 0) -> Callable[[Language], Iterator[Example]]:
    """Registered as gzie.JsonlCorpus.v1 (entry point spacy_readers). path: a file or folder of JSONL."""

    def read(nlp: Language) -> Iterator[Example]:
        records = read_records(path)
        if limit:
            records = records[:limit]
        yield from records_to_examples(records, nlp)

    return read
