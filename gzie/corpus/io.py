"""Reading and writing corpus JSONL files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..errors import CorpusError, Errors, OutputError
from ..fileio import atomic_open
from ..inputs import display_path
from .validate import corpus_files, read_jsonl_checked, validate_record


def read_records(paths: str | Path | Iterable[str | Path]) -> list[dict]:
    """All records of the corpus files (folders expand to their *.jsonl); raises CorpusError on bad JSON."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    records = []
    for path in corpus_files(paths):
        if not path.exists():
            raise CorpusError(Errors.E040.format(path=path))
        rows, problems = read_jsonl_checked(path)
        for number, record in rows:
            problems.extend(validate_record(record, str(path), number, readable_only=True))
        if problems:
            more = f" (and {len(problems) - 1} more; gzie corpus validate lists them)" if len(problems) > 1 else ""
            raise CorpusError(Errors.E041.format(problem=f"{problems[0]}{more}"))
        records.extend(record for _, record in rows)
    return records


def write_records(records: Iterable[dict], path: str | Path) -> int:
    path = Path(path)
    count = 0
    try:
        with atomic_open(path) as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    except OSError as err:  # a full disk, a read-only folder: the file stays as it was
        raise OutputError(Errors.E034.format(path=display_path(path), reason=err.strerror or err)) from None
    return count


def load_hf_dataset(paths: str | Path | Iterable[str | Path]):
    """The corpus as a datasets.Dataset, loaded offline from local JSONL files."""
    from datasets import load_dataset

    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = [str(p) for p in corpus_files(paths)]
    return load_dataset("json", data_files=files, split="train")
