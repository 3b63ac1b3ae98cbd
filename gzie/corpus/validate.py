"""Checks that corpus files are well-formed; nothing is modified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..dates import ISO_DATE_RE
from ..errors import Problem
from ..schema import ENTITY_LABELS, RELATION_TYPES


def _check_spans(record: dict, problem, readable_only: bool = False) -> None:
    text = record.get("text")
    spans = record.get("spans", [])
    placed = []
    for index, span in enumerate(spans):
        if not isinstance(span, dict) or not {"start", "end", "label"} <= set(span):
            problem(f"span {index} needs start, end and label")
            continue
        start, end, label = span["start"], span["end"], span["label"]
        if not isinstance(label, str) or label not in ENTITY_LABELS:
            problem(f"span {index} has unknown label {label!r} (known: {', '.join(ENTITY_LABELS)})")
            continue
        if not (type(start) is int and type(end) is int) or not 0 <= start < end <= len(text):
            problem(f"span {index} offsets {start}..{end} are out of range for a text of {len(text)} characters")
            continue
        surface = text[start:end]
        if readable_only:
            continue
        if surface != surface.strip():
            problem(f"span {index} {surface!r} ({label}) starts or ends with whitespace")
        placed.append((start, end, label, index))
    placed.sort()
    for (s1, e1, l1, i1), (s2, e2, l2, i2) in zip(placed, placed[1:]):
        if (s1, e1) == (s2, e2):
            kind = "duplicate spans" if l1 == l2 else "the same characters carry two labels"
            problem(f"{kind}: {i1} and {i2} at {s1}..{e1} {text[s1:e1]!r}")
        elif s2 < e1:
            problem(f"spans {i1} ({l1}) and {i2} ({l2}) overlap: {text[s1:e1]!r} / {text[s2:e2]!r}")


def _check_relations(record: dict, problem) -> None:
    spans = record.get("spans", [])
    seen = set()
    for index, rel in enumerate(record.get("relations", [])):
        if not isinstance(rel, dict) or not {"head", "child", "label"} <= set(rel):
            problem(f"relation {index} needs head, child and label")
            continue
        head, child, label = rel["head"], rel["child"], rel["label"]
        if not isinstance(label, str) or label not in RELATION_TYPES:
            problem(f"relation {index} has unknown label {label!r}")
            continue
        bad = [name for name, ref in (("head", head), ("child", child))
               if type(ref) is not int or not 0 <= ref < len(spans) or not isinstance(spans[ref], dict)]
        if bad:
            problem(f"relation {index} ({label}) points to a missing span ({', '.join(bad)})")
            continue
        want_head, want_child = RELATION_TYPES[label]
        got_head, got_child = spans[head].get("label"), spans[child].get("label")
        if (got_head, got_child) != (want_head, want_child):
            problem(f"relation {index} {label} links {got_head}->{got_child}, expected {want_head}->{want_child}")
        key = (head, child, label)
        if key in seen:
            problem(f"relation {index} repeats {label} {head}->{child}")
        seen.add(key)


def validate_record(record: dict, source: str = "<records>", line: int | None = None,
                    readable_only: bool = False) -> list[Problem]:
    """Problems of one record, without cross-document checks. readable_only: only what keeps the
    corpus tools from reading it (not white space at span edges, overlaps or repeated spans)."""
    problems: list[Problem] = []
    doc_id = record.get("id") if isinstance(record, dict) else None

    def problem(message: str) -> None:
        problems.append(Problem(source, line=line, doc_id=doc_id, message=message))

    if not isinstance(record, dict):
        problem("a record must be a JSON object")
        return problems
    if not isinstance(doc_id, str) or not doc_id:
        problem("record has no id (a non-empty string)")
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        problem("record has no text")
        return problems
    if not isinstance(record.get("spans", []), list) or not isinstance(record.get("relations", []), list):
        problem("spans and relations must be lists")
        return problems
    if record.get("meta") is not None and not isinstance(record.get("meta"), dict):
        problem("meta must be a JSON object")
    elif isinstance(record.get("meta"), dict) and record["meta"].get("date") is not None:
        date = record["meta"]["date"]
        if not isinstance(date, str) or not ISO_DATE_RE.fullmatch(date):
            problem(f"meta.date {date!r} is not an ISO date (YYYY-MM-DD)")
    _check_spans(record, problem, readable_only)
    _check_relations(record, problem)
    return problems


def validate_records(records: Iterable[dict], source: str = "<records>") -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        problems.extend(validate_record(record, source))
        doc_id = record.get("id") if isinstance(record, dict) else None
        if doc_id in seen_ids:
            problems.append(Problem(source, doc_id=doc_id, message="id used twice"))
        seen_ids[doc_id] = number
    return problems


def read_jsonl_checked(path: Path) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Read a JSONL file, reporting JSON errors with their line numbers instead of raising."""
    rows: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as err:
        return rows, [Problem(str(path), message=f"cannot read file: {err.strerror}")]
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return rows, [Problem(str(path), message=f"not UTF-8 text (byte {err.start})")]
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            problems.append(Problem(str(path), f"invalid JSON: {err.msg} (column {err.colno})", line=number))
        except (ValueError, RecursionError):
            problems.append(Problem(str(path), "invalid JSON (a number too long or nesting too deep)", line=number))
    return rows, problems


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their *.jsonl files, sorted; files are taken as given."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.rglob("*.jsonl")))
        else:
            files.append(path)
    return files


def validate_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate corpus files and the relations between them (ids and texts must not repeat)."""
    problems: list[Problem] = []
    id_owner: dict[str, str] = {}
    text_owner: dict[str, tuple[str, str]] = {}
    files = corpus_files(paths)
    if not files:
        return [Problem(", ".join(map(str, paths)), "no .jsonl corpus files found")]
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), message="no such file"))
            continue
        rows, read_problems = read_jsonl_checked(path)
        problems.extend(read_problems)
        for number, record in rows:
            problems.extend(validate_record(record, str(path), number))
            if not isinstance(record, dict):
                continue
            doc_id, text = record.get("id"), record.get("text")
            if isinstance(doc_id, str):
                if doc_id in id_owner:
                    problems.append(Problem(str(path), f"id already used in {id_owner[doc_id]}", line=number,
                                            doc_id=doc_id))
                id_owner.setdefault(doc_id, str(path))
            if isinstance(text, str) and text.strip():
                key = "".join(text.split())
                if key in text_owner and text_owner[key][0] != str(path):
                    other_path, other_id = text_owner[key]
                    problems.append(Problem(str(path), line=number, doc_id=doc_id, message=
                                                  f"same text as {other_id} in {other_path}"))
                text_owner.setdefault(key, (str(path), doc_id))
    return problems
