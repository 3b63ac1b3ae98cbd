"""gzie's inline authoring markup.

A markup file holds documents, each introduced by a header line::

    ### id=gz-demo-001 date=2022-12-01 source=省商务厅网站 region=贵州 genre=press_release
    [[上半年|PERIOD|p1]]，[[全省开发区|ZONE|z1]]完成[[工业总产值|INDICATOR|i1]][[5200亿元|VALUE|v1]]。
    @rel i1 HAS_VALUE v1

``[[text|LABEL]]`` or ``[[text|LABEL|id]]`` marks a span; ``@rel HEAD LABEL CHILD`` links
two spans by id. Body lines become the text, joined with newlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem

SPAN_RE = re.compile(r"\[\[([^\[\]|]+?)\|([A-Z_]+)(?:\|([A-Za-z0-9_]+))?\]\]")
REL_RE = re.compile(r"^@rel\s+(\S+)\s+([A-Z_]+)\s+(\S+)\s*$")
HEADER_PREFIX = "### "
META_KEYS = ("date", "source", "region", "genre")


@dataclass
class _Draft:
    source: str
    header_line: int
    fields: dict
    lines: list = field(default_factory=list)
    rels: list = field(default_factory=list)


def _parse_header(line: str) -> dict:
    fields = {}
    for part in line[len(HEADER_PREFIX):].split():
        key, sep, value = part.partition("=")
        if sep:
            fields[key] = value
    return fields


def _parse_body_line(line: str, offset: int, spans: list, ids: dict, lineno: int, problems: list,
                     source: str) -> str:
    """Strip span markup from one line, recording spans with offsets into the output text."""
    out = []
    pos = 0
    cursor = offset
    for match in SPAN_RE.finditer(line):
        plain = line[pos:match.start()]
        out.append(plain)
        cursor += len(plain)
        surface, label, span_id = match.group(1), match.group(2), match.group(3)
        if surface != surface.strip():
            problems.append(Problem(source, line=lineno, message=f"span {surface!r} has surrounding whitespace"))
        index = len(spans)
        spans.append({"start": cursor, "end": cursor + len(surface), "label": label})
        if span_id:
            if span_id in ids:
                problems.append(Problem(source, line=lineno, message=f"span id {span_id!r} used twice in the document"))
            ids[span_id] = index
        out.append(surface)
        cursor += len(surface)
        pos = match.end()
    rest = line[pos:]
    if "[[" in rest or "]]" in rest:
        problems.append(Problem(source, line=lineno, message=f"unbalanced or malformed span markup near {rest[:40]!r}"))
    out.append(rest)
    return "".join(out)


def _finish(draft: _Draft, problems: list) -> dict | None:
    source = draft.source
    doc_id = draft.fields.get("id")
    if not doc_id:
        problems.append(Problem(source, line=draft.header_line, message="header has no id=…"))
        return None
    spans: list = []
    ids: dict = {}
    texts = []
    offset = 0
    # Blank lines at the edges of a document are layout, not text.
    body = list(draft.lines)
    while body and not body[0][1].strip():
        body.pop(0)
    while body and not body[-1][1].strip():
        body.pop()
    for lineno, line in body:
        plain = _parse_body_line(line, offset, spans, ids, lineno, problems, source)
        texts.append(plain)
        offset += len(plain) + 1
    relations = []
    for lineno, head, label, child in draft.rels:
        missing = [name for name in (head, child) if name not in ids]
        if missing:
            problems.append(Problem(source, line=lineno,
                                    message=f"@rel refers to unknown span id(s) {', '.join(missing)} in {doc_id}"))
            continue
        relations.append({"head": ids[head], "child": ids[child], "label": label})
    meta = {key: draft.fields.get(key) for key in META_KEYS}
    return {"id": doc_id, "text": "\n".join(texts), "meta": meta, "spans": spans, "relations": relations}


def parse_markup(text: str, source: str = "<markup>") -> tuple[list[dict], list[Problem]]:
    """Parse markup text into corpus records and a list of problems (empty when clean); problems
    name `source` (the file) and the line."""
    records: list[dict] = []
    problems: list[Problem] = []
    draft: _Draft | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith(HEADER_PREFIX):
            if draft is not None:
                record = _finish(draft, problems)
                if record:
                    records.append(record)
            draft = _Draft(source, lineno, _parse_header(line))
            continue
        if draft is None:
            if line.strip():
                problems.append(Problem(source, line=lineno, message="text before the first ### header"))
            continue
        if line.startswith("@rel"):
            match = REL_RE.match(line.strip())
            if not match:
                problems.append(Problem(source, line=lineno, message=f"malformed relation line {line.strip()!r}"))
            else:
                draft.rels.append((lineno, *match.groups()))
            continue
        draft.lines.append((lineno, line))
    if draft is not None:
        record = _finish(draft, problems)
        if record:
            records.append(record)
    return records, problems


def read_markup(path: str | Path) -> tuple[list[dict], list[Problem]]:
    return parse_markup(Path(path).read_text(encoding="utf-8"), str(path))
