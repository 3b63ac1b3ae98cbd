"""Reading input documents for extraction: .txt files, folders of them, and JSONL records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class InputProblem:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def _decode(path: Path, raw: bytes) -> str | InputProblem:
    if b"\x00" in raw[:4096]:
        return InputProblem(str(path), "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return InputProblem(str(path), "not UTF-8 text and not GB18030/GBK either")
    return InputProblem(str(path), "encoded in GB18030/GBK, not UTF-8: convert it first "
                                   "(e.g. iconv -f GB18030 -t UTF-8)")


def _read_txt(path: Path) -> Iterator[InputDocument | InputProblem]:
    text = _decode(path, path.read_bytes())
    if isinstance(text, InputProblem):
        yield text
    elif not text.strip():
        yield InputProblem(str(path), "empty document")
    else:
        yield InputDocument(path.stem, text)


def _read_jsonl(path: Path) -> Iterator[InputDocument | InputProblem]:
    content = _decode(path, path.read_bytes())
    if isinstance(content, InputProblem):
        yield content
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputProblem(where, f"invalid JSON: {err.msg}")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputProblem(where, "record has no text field")
            continue
        if not record["text"].strip():
            yield InputProblem(where, "empty text")
            continue
        date = record.get("date") or (record.get("meta") or {}).get("date")
        yield InputDocument(str(record.get("id") or f"{path.stem}-{number}"), record["text"], date)


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[InputDocument | InputProblem]:
    """Documents from files and folders in order; unreadable inputs become problems, never exceptions."""
    for path in map(Path, paths):
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file())
            if not children:
                yield InputProblem(str(path), "folder holds no .txt or .jsonl files")
            for child in children:
                yield from iter_inputs([child])
        elif not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        elif path.suffix == ".jsonl":
            yield from _read_jsonl(path)
        else:
            yield from _read_txt(path)
