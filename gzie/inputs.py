"""Reading input documents for extraction: .txt files, folders of them, and JSONL records."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Problem

SNIFF_BYTES = 1 << 16
# C0 and C1 control characters except tab, line feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")  # lone surrogates (from JSON escapes) cannot be written as UTF-8
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str
    date: str | None = None
    source: str = field(default="", compare=False)  # file, or file:line for JSONL


BINARY = "binary file, not text"
NOT_TEXT = "not UTF-8 text and not GB18030/GBK either"
GBK = "encoded in GB18030/GBK, not UTF-8: convert it first (e.g. iconv -f GB18030 -t UTF-8)"


def _encoding_problem(path: Path, raw: bytes, final: bool = True) -> Problem | None:
    """Why `raw` (a whole file, or its start when final is False) is not UTF-8 text, or None."""
    if b"\x00" in raw[:4096]:
        return Problem(str(path), BINARY)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=final)
        return None
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(raw, final=final)
    except UnicodeDecodeError:
        return Problem(str(path), NOT_TEXT)
    return Problem(str(path), GBK)


def _decode(path: Path, raw: bytes) -> str | Problem:
    return _encoding_problem(path, raw) or raw.decode("utf-8-sig")


def _read_txt(path: Path) -> Iterator[InputDocument | Problem]:
    text = _decode(path, path.read_bytes())
    if isinstance(text, Problem):
        yield text
    elif not text.strip():
        yield Problem(str(path), "empty document")
    else:
        yield InputDocument(path.stem, text, source=str(path))


def _read_jsonl(path: Path) -> Iterator[InputDocument | Problem]:
    """Records read line by line, so a large file is never held in memory."""
    with path.open("rb") as handle:
        problem = _encoding_problem(path, handle.read(SNIFF_BYTES), final=False)
        if problem is not None:
            yield problem
            return
        handle.seek(0)
        empty = True
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield Problem(where, "line is not UTF-8 text")
                continue
            if not line.strip():
                continue
            empty = False
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield Problem(where, f"invalid JSON: {err.msg}")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield Problem(where, "record has no text field")
                continue
            if not record["text"].strip():
                yield Problem(where, "empty text")
                continue
            date = record.get("date") or (record.get("meta") or {}).get("date")
            yield InputDocument(str(record.get("id") or f"{path.stem}-{number}"), record["text"], date, where)
        if empty:
            yield Problem(str(path), "empty file, no records")


def iter_inputs(paths: Iterable[str | Path],
                exclude: Iterable[str | Path] = ()) -> Iterator[InputDocument | Problem]:
    """Documents from files and folders in order; unreadable inputs become problems, never exceptions.
    Files in `exclude` (an extraction's own output files) are skipped in folders and reported when
    named directly."""
    excluded = {Path(p).resolve() for p in exclude}
    for path in map(Path, paths):
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file()
                              and p.resolve() not in excluded)
            if not children:
                yield Problem(str(path), "folder holds no .txt or .jsonl files")
            for child in children:
                yield from iter_inputs([child])
        elif not path.exists():
            yield Problem(str(path), "no such file or folder")
        elif path.resolve() in excluded:
            yield Problem(str(path), "is an output file of this run, not read as input")
        elif path.suffix == ".jsonl":
            yield from _read_jsonl(path)
        else:
            yield from _read_txt(path)


def check_document(document: InputDocument) -> InputDocument | Problem:
    """The document ready for extraction, or the reason it cannot be extracted.

    Control characters (C0 and C1, except tab, line feed and carriage return) are replaced by
    spaces and lone surrogates by U+FFFD, one for one, so offsets still index the original text.
    A text that is only control characters and white space, or that has no Chinese (Han)
    character, is a problem: the pipeline reads Chinese only.
    """
    text = SURROGATE_RE.sub("\ufffd", CONTROL_RE.sub(" ", document.text))
    source = document.source or document.id
    if not text.strip():
        return Problem(source, "no text, only control characters")
    if not HAN_RE.search(text):
        return Problem(source, "no Chinese text (the pipeline reads Chinese only)")
    return replace(document, text=text) if text != document.text else document
