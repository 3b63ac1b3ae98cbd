"""Pre-annotated tasks from raw news, and corpus records from finished annotation exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..api import load, make_input_doc
from ..corpus.convert import doc_to_record
from ..errors import ConfigError, CorpusError, Errors, Problem
from ..extensions import pipes_made_by
from ..fileio import atomic_write_text
from ..inputs import iter_inputs
from .formats import doccano_to_records, label_studio_to_records, record_to_doccano, record_to_label_studio

FORMATS = ("labelstudio", "doccano")
ORDERS = ("uncertainty", "input")


def document_uncertainty(nlp, doc) -> float:
    """How unsure the pipeline is about a document: relation uncertainty plus the share of rule
    spans the entity model disagrees with."""
    relation_pipes = pipes_made_by(nlp, "gzie_relations")
    relation_part = relation_pipes[0].uncertainty(doc) if relation_pipes else 0.0
    rule_spans = [span for rules in pipes_made_by(nlp, "gzie_rules") for span in doc.spans.get(rules.spans_key, [])]
    ents = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    disagreement = (sum((s.start_char, s.end_char, s.label_) not in ents for s in rule_spans) / len(rule_spans)
                    if len(rule_spans) else 0.0)
    return relation_part + disagreement


def pre_annotate(inputs: Iterable[str | Path], *, model: str | None = None, order: str = "uncertainty",
                 limit: int | None = None) -> tuple[list[tuple[dict, float]], list[Problem]]:
    """(record, uncertainty) pairs for the readable inputs, most uncertain first unless order="input"."""
    if order not in ORDERS:
        raise ConfigError(Errors.E048.format(option="--order", value=order, choices=", ".join(ORDERS)))
    nlp = load(model)
    problems, docs = [], []
    for item in iter_inputs(inputs):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            docs.append(make_input_doc(nlp, item.text, item.date, item.id))
    scored = []
    for doc in nlp.pipe(docs):
        record = doc_to_record(doc)
        scored.append((record, round(document_uncertainty(nlp, doc), 4)))
    if order == "uncertainty":
        scored.sort(key=lambda pair: -pair[1])
    return scored[:limit] if limit else scored, problems


def to_tasks(scored: list[tuple[dict, float]], fmt: str) -> list[dict]:
    if fmt == "labelstudio":
        return [record_to_label_studio(r, model_version=f"gzie-{__version__}", score=round(1 - u, 4))
                for r, u in scored]
    if fmt == "doccano":
        return [record_to_doccano(r) for r, _ in scored]
    raise ConfigError(Errors.E048.format(option="--format", value=fmt, choices=", ".join(FORMATS)))


def write_tasks(tasks: list[dict], path: str | Path, fmt: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "doccano":
        atomic_write_text(path, "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks))
    else:
        atomic_write_text(path, json.dumps(tasks, ensure_ascii=False, indent=1))


def read_export(path: str | Path, fmt: str) -> tuple[list[dict], list[Problem]]:
    """Corpus records from an exported file (Label Studio JSON or doccano JSONL)."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(Errors.E040.format(path=path))
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(Errors.E041.format(problem=f"{path}: cannot read as UTF-8 text ({err})")) from None
    if fmt == "labelstudio":
        try:
            tasks = json.loads(content)
        except json.JSONDecodeError as err:
            raise CorpusError(Errors.E041.format(problem=f"{path}:{err.lineno}: invalid JSON: {err.msg}")) from None
        except (ValueError, RecursionError):
            raise CorpusError(Errors.E041.format(problem=f"{path}: invalid JSON (a number too long or "
                                                         "nesting too deep)")) from None
        if not isinstance(tasks, list):
            raise CorpusError(Errors.E041.format(problem=f"{path}: a Label Studio export is a JSON list of tasks"))
        return label_studio_to_records(tasks)
    if fmt == "doccano":
        lines, problems = [], []
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                lines.append((number, json.loads(line)))
            except (ValueError, RecursionError):
                problems.append(Problem(f"{path}:{number}", "invalid JSON"))
        records, more = doccano_to_records(lines)
        return records, problems + more
    raise ConfigError(Errors.E048.format(option="--format", value=fmt, choices=", ".join(FORMATS)))
