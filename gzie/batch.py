"""Extraction over many inputs, written incrementally to JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .api import extract_documents, load
from .dates import parse_iso_date
from .inputs import InputDocument, InputProblem, iter_inputs


def errors_path_for(output: Path) -> Path:
    return output.with_name(output.name.removesuffix(".jsonl") + ".errors.jsonl")


def extract_to_file(inputs: Iterable[str | Path], output: str | Path, *, date: str | None = None,
                    model: str | None = None, batch_size: int = 16) -> dict:
    """Extract every readable input into `output`; problems go to OUTPUT.errors.jsonl and the summary."""
    date = parse_iso_date(date)
    nlp = load(model)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    problems: list[InputProblem] = []
    documents = facts = 0

    def good_documents():
        for item in iter_inputs(inputs):
            if isinstance(item, InputProblem):
                problems.append(item)
                continue
            try:
                yield item.text, parse_iso_date(item.date) or date, item.id
            except ValueError as err:
                problems.append(InputProblem(item.id, str(err)))

    with output.open("w", encoding="utf-8") as handle:
        for record in extract_documents(nlp, good_documents(), batch_size=batch_size):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            documents += 1
            facts += len(record["facts"])
    errors_path = errors_path_for(output)
    if problems:
        with errors_path.open("w", encoding="utf-8") as handle:
            for problem in problems:
                handle.write(json.dumps({"input": problem.source, "error": problem.message}, ensure_ascii=False) + "\n")
    elif errors_path.exists():
        errors_path.unlink()
    return {"documents": documents, "facts": facts, "problems": [str(p) for p in problems]}


__all__ = ["extract_to_file", "InputDocument"]
